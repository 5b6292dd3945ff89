"""Imported at interpreter start-up by fastcopy-autopatch.pth when the
environment variable FASTCOPY_AUTOPATCH is set (to anything but "" or "0").

FASTCOPY_AUTOPATCH=copy also patches copy.copy.
"""

import os

from ._patch import patch

patch(copy=os.environ.get("FASTCOPY_AUTOPATCH", "").lower() in ("copy", "all"))
