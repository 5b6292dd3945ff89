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
from ._common import Error, VerifyWarning
from ._common import replace as _replace
from ._patch import is_patched, patch, patched, unpatch

__version__ = "0.1.0"

error = Error   # the stdlib's backward-compatible alias

# Why the pure-Python twin runs, when the compiled core was tried and could
# not be imported: the error's text (python -m fastcopy info shows it).
_core_import_error = None

if _config.read("FASTCOPY_PURE") == "1":
    from ._pure import copy, deepcopy
    __compiled__ = False
else:
    try:
        from ._core import copy, deepcopy
        __compiled__ = True
    except ImportError as exc:
        __compiled__ = False
        _package_dir = _os.path.dirname(_os.path.abspath(__file__))
        if _config.private_core_wanted(exc):
            # This interpreter was refused the core another one loaded.
            try:
                from . import _private_core
                _core = _private_core.load(_package_dir)
                copy, deepcopy = _core.copy, _core.deepcopy
                __compiled__ = True
            except (ImportError, OSError) as private_exc:
                _message = _config.no_private_core_message(exc, private_exc)
        else:
            _message = _config.no_core_message(exc, _package_dir)
        if not __compiled__:
            _core_import_error = "%s: %s" % (type(exc).__name__, exc)
            if _config.read("FASTCOPY_REQUIRE_COMPILED") == "1":
                raise ImportError(_message + " (FASTCOPY_REQUIRE_COMPILED=1)") from exc
            _warnings.warn(_message, RuntimeWarning, stacklevel=2)
            del _message
            from ._pure import copy, deepcopy
        del _package_dir


def explain(obj):
    """How fastcopy.deepcopy copies obj: which path each object of its
    graph takes, counts and an estimate of the share of time per type, and
    what keeps it on slow paths.  Returns a report; print it to read it."""
    from ._explain import explain
    return explain(obj)


def verify_report():
    """What verify mode (patch(verify=...)) has compared in this process and
    the differences it found; print it to read it."""
    from ._verify import report
    return report()

if _replace is not None:
    replace = _replace
    __all__ = ["Error", "copy", "deepcopy", "replace"]
else:
    __all__ = ["Error", "copy", "deepcopy"]

del _os, _warnings, _replace
