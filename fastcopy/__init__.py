"""fastcopy: a fast, drop-in replacement for the standard library's copy module.

    import fastcopy
    y = fastcopy.deepcopy(x)        # same result as copy.deepcopy(x), faster
    y = fastcopy.copy(x)            # same as copy.copy(x)

The compiled core (``fastcopy._core``) is used when it can be imported; the
pure-Python twin (``fastcopy._pure``) otherwise, or when the environment
variable FASTCOPY_PURE=1 is set.  ``fastcopy.__compiled__`` tells which.
"""

import os as _os

from ._common import Error
from ._common import replace as _replace
from ._patch import is_patched, patch, patched, unpatch

__version__ = "0.1.0"

error = Error   # the stdlib's backward-compatible alias

if _os.environ.get("FASTCOPY_PURE", "") not in ("", "0"):
    from ._pure import copy, deepcopy
    __compiled__ = False
else:
    try:
        from ._core import copy, deepcopy
        __compiled__ = True
    except ImportError:
        from ._pure import copy, deepcopy
        __compiled__ = False

if _replace is not None:
    replace = _replace
    __all__ = ["Error", "copy", "deepcopy", "replace"]
else:
    __all__ = ["Error", "copy", "deepcopy"]

del _os, _replace
