"""fastcopy: a fast, drop-in replacement for the standard library's copy module.

    import fastcopy
    y = fastcopy.deepcopy(x)        # same result as copy.deepcopy(x), faster
    y = fastcopy.copy(x)            # same as copy.copy(x)

The compiled core (``fastcopy._core``) is used when it can be imported; the
pure-Python twin (``fastcopy._pure``) when the environment variable
FASTCOPY_PURE=1 is set, or, with a RuntimeWarning that says why, when the
core cannot be imported (FASTCOPY_REQUIRE_COMPILED=1 makes that an
ImportError).  ``fastcopy.__compiled__`` tells which runs.
"""

import os as _os
import warnings as _warnings

from . import _config
from ._common import Error, replace as _replace
from ._patch import is_patched, patch, patched, unpatch

__version__ = "0.1.0"

error = Error   # the stdlib's backward-compatible alias

if _config.read("FASTCOPY_PURE") == "1":
    from ._pure import copy, deepcopy
    __compiled__ = False
else:
    try:
        from ._core import copy, deepcopy
        __compiled__ = True
    except ImportError as exc:
        _message = _config.no_core_message(exc, _os.path.dirname(_os.path.abspath(__file__)))
        if _config.read("FASTCOPY_REQUIRE_COMPILED") == "1":
            raise ImportError(_message + " (FASTCOPY_REQUIRE_COMPILED=1)") from exc
        _warnings.warn(_message, RuntimeWarning)
        del _message
        from ._pure import copy, deepcopy
        __compiled__ = False

if _replace is not None:
    replace = _replace
    __all__ = ["Error", "copy", "deepcopy", "replace"]
else:
    __all__ = ["Error", "copy", "deepcopy"]

del _os, _warnings, _replace
