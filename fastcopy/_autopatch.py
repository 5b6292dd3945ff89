"""Imported at interpreter start-up by fastcopy-autopatch.pth when the
environment variable FASTCOPY_AUTOPATCH is set to anything but "" or "0".

FASTCOPY_AUTOPATCH=1 patches copy.deepcopy; "copy" (or "all") also
copy.copy.  Other values are ignored with a warning (see _config.ACCEPTED).
"""

from . import _config
from ._patch import patch

_mode = _config.read("FASTCOPY_AUTOPATCH")
if _mode not in ("", "0"):
    patch(copy=_mode in ("copy", "all"))
