"""Global patching: make copy.deepcopy (and optionally copy.copy) run fastcopy.

The stdlib function *objects* are patched in place: their code is swapped for
a small trampoline that calls fastcopy.  So every reference taken before
patching - `from copy import deepcopy`, a function stored in another module
or a data structure, the `deepcopy=deepcopy` default arguments inside the
copy module itself - runs fastcopy too.  The trampoline finds fastcopy
through a keyword-only default (`__kwdefaults__`), so nothing is added to the
copy module's globals.  unpatch() puts the original code back: the same
function objects, with the same code, as before.
"""

import contextlib
import copy as _copy_module
import threading

_lock = threading.RLock()

# The stdlib functions, captured before anyone can patch them.
_DEEPCOPY = _copy_module.deepcopy
_COPY = _copy_module.copy
_ORIGINAL = {
    _DEEPCOPY: (_DEEPCOPY.__code__, _DEEPCOPY.__kwdefaults__),
    _COPY: (_COPY.__code__, _COPY.__kwdefaults__),
}


# Trampolines.  Their parameters keep the stdlib's names and defaults so that
# existing calls (positional or keyword) behave the same: deepcopy has the
# `_nil=[]` parameter up to 3.14, not from 3.15 on.
def _deepcopy_trampoline_nil(x, memo=None, _nil=[], *, _fastcopy_impl=None):
    return _fastcopy_impl(x, memo)


def _deepcopy_trampoline_nonil(x, memo=None, *, _fastcopy_impl=None):
    return _fastcopy_impl(x, memo)


def _copy_trampoline(x, *, _fastcopy_impl=None):
    return _fastcopy_impl(x)


def _named(code, name):
    # Tracebacks through a patched function show the stdlib's name.
    if hasattr(code, "co_qualname"):
        return code.replace(co_name=name, co_qualname=name)
    return code.replace(co_name=name)


# (Chosen here rather than by rebinding a name, so the module's functions do
# not depend on the Python version, as stubtest, which reads this module as
# its own stub, expects.)
_TRAMPOLINES = {
    _DEEPCOPY: _named((_deepcopy_trampoline_nil if "_nil" in _DEEPCOPY.__code__.co_varnames
                       else _deepcopy_trampoline_nonil).__code__, "deepcopy"),
    _COPY: _named(_copy_trampoline.__code__, "copy"),
}


def _impl(name):
    import fastcopy
    return getattr(fastcopy, name)


def _patch_function(func, impl):
    trampoline = _TRAMPOLINES[func]
    # Keyword defaults first: the swapped code reads them on its first call.
    func.__kwdefaults__ = {"_fastcopy_impl": impl}
    func.__code__ = trampoline


def _unpatch_function(func):
    code, kwdefaults = _ORIGINAL[func]
    func.__code__ = code
    func.__kwdefaults__ = kwdefaults


def _is_patched(func):
    return func.__code__ is _TRAMPOLINES[func]


def _check_copy_flag(function, copy):
    # A string such as "no" is true: refuse anything but a bool rather than
    # patch copy.copy by mistake.
    if not isinstance(copy, bool):
        raise TypeError("%s(): copy must be True or False, not %s"
                        % (function, type(copy).__name__))


def patch(copy=False):
    """Make copy.deepcopy run fastcopy.deepcopy, for the whole process.

    With copy=True, copy.copy runs fastcopy.copy as well.  Idempotent and
    thread-safe; undone by unpatch().
    """
    _check_copy_flag("patch", copy)
    with _lock:
        if not _is_patched(_DEEPCOPY):
            _patch_function(_DEEPCOPY, _impl("deepcopy"))
        if copy and not _is_patched(_COPY):
            _patch_function(_COPY, _impl("copy"))


def unpatch():
    """Restore the stdlib's copy.deepcopy and copy.copy exactly."""
    with _lock:
        for func in (_DEEPCOPY, _COPY):
            if _is_patched(func):
                _unpatch_function(func)


def is_patched(copy=False):
    """True if copy.deepcopy (and, with copy=True, copy.copy) runs fastcopy."""
    _check_copy_flag("is_patched", copy)
    return _is_patched(_DEEPCOPY) and (not copy or _is_patched(_COPY))


def patched(copy=False):
    """Context manager: patch() on entry, back to the previous state on exit."""
    _check_copy_flag("patched", copy)       # at the call, not at entry
    return _patched(copy)


@contextlib.contextmanager
def _patched(copy):
    with _lock:
        was = (_is_patched(_DEEPCOPY), _is_patched(_COPY))
        patch(copy=copy)
    try:
        yield
    finally:
        with _lock:
            for func, before in zip((_DEEPCOPY, _COPY), was):
                if not before and _is_patched(func):
                    _unpatch_function(func)
