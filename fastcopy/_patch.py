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
def _deepcopy_trampoline(x, memo=None, _nil=[], *, _fastcopy_impl=None):
    return _fastcopy_impl(x, memo)


def _deepcopy_trampoline_nonil(x, memo=None, *, _fastcopy_impl=None):
    return _fastcopy_impl(x, memo)


if "_nil" not in _DEEPCOPY.__code__.co_varnames:
    _deepcopy_trampoline = _deepcopy_trampoline_nonil


def _copy_trampoline(x, *, _fastcopy_impl=None):
    return _fastcopy_impl(x)


def _named(code, name):
    # Tracebacks through a patched function show the stdlib's name.
    if hasattr(code, "co_qualname"):
        return code.replace(co_name=name, co_qualname=name)
    return code.replace(co_name=name)


_TRAMPOLINES = {
    _DEEPCOPY: _named(_deepcopy_trampoline.__code__, "deepcopy"),
    _COPY: _named(_copy_trampoline.__code__, "copy"),
}


def _impl(name):
    import fastcopy
    return getattr(fastcopy, name)


def _verify_state(verify):
    """(rate, action) for a patch(verify=...) value, or None for no
    verification."""
    if verify is False or verify is None:
        return None
    if verify is True or verify == "warn":
        return (1.0, "warn")
    if verify == "raise":
        return (1.0, "raise")
    if isinstance(verify, (int, float)) and not isinstance(verify, bool):
        if verify == 0:
            return None
        if 0 < verify <= 1:
            return (float(verify), "warn")
    raise ValueError("verify must be True, False, 'warn', 'raise' or a fraction of "
                     "the calls between 0 and 1, not %r" % (verify,))


_verify = None          # the verify state of the patched functions, or None
_verifiers = {}         # (name, state) -> verifying function (kept, with its counter)


def _impl_for(name, state):
    if state is None:
        return _impl(name)
    impl = _verifiers.get((name, state))
    if impl is None:
        from . import _verify as verify_module
        make = verify_module.make_deepcopy if name == "deepcopy" else verify_module.make_copy
        impl = _verifiers[(name, state)] = make(_impl(name), *state)
    return impl


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


def _apply(deep, shallow, state):
    """Make the patched state exactly: copy.deepcopy patched or not,
    copy.copy patched or not, with verify state `state`."""
    global _verify
    if not (deep or shallow):
        state = None
    for func, want, name in ((_DEEPCOPY, deep, "deepcopy"), (_COPY, shallow, "copy")):
        if want:
            impl = _impl_for(name, state)
            if not _is_patched(func) or func.__kwdefaults__.get("_fastcopy_impl") is not impl:
                _patch_function(func, impl)
        elif _is_patched(func):
            _unpatch_function(func)
    _verify = state


def patch(copy=False, verify=None):
    """Make copy.deepcopy run fastcopy.deepcopy, for the whole process.

    With copy=True, copy.copy runs fastcopy.copy as well.  Idempotent and
    thread-safe; undone by unpatch().

    verify: also run the standard library on each call and compare the
    results (see the README's "Verify mode"): True or "warn" for every call,
    a fraction such as 0.1 for that share of the calls, "raise" to raise
    fastcopy.VerifyWarning at a difference instead of warning; False turns
    verification off; None (the default) keeps the current setting.
    """
    state = _verify_state(verify) if verify is not None else None
    with _lock:
        if verify is None:
            state = _verify
        _apply(True, copy or _is_patched(_COPY), state)


def unpatch():
    """Restore the stdlib's copy.deepcopy and copy.copy exactly."""
    with _lock:
        _apply(False, False, None)


def is_patched(copy=False):
    """True if copy.deepcopy (and, with copy=True, copy.copy) runs fastcopy."""
    return _is_patched(_DEEPCOPY) and (not copy or _is_patched(_COPY))


def verify_setting():
    """None, or (rate, action) of verify mode while it is on."""
    return _verify


def parse_autopatch(value):
    """patch()'s arguments for a value of FASTCOPY_AUTOPATCH (see
    _autopatch.py)."""
    copy = False
    verify = None
    for word in value.replace(" ", ",").lower().split(","):
        if word in ("copy", "all"):
            copy = True
        elif word == "verify":
            verify = True
        elif word.startswith("verify="):
            arg = word[len("verify="):]
            try:
                verify = arg if arg in ("raise", "warn") else float(arg)
                _verify_state(verify)           # ValueError if out of range
            except ValueError:
                import warnings
                warnings.warn("FASTCOPY_AUTOPATCH: %r is not verify=FRACTION (0 to 1) or "
                              "verify=raise; verifying every call" % word, RuntimeWarning, stacklevel=2)
                verify = True
    return {"copy": copy, "verify": verify}


@contextlib.contextmanager
def patched(copy=False, verify=None):
    """Context manager: patch() on entry, back to the previous state on exit."""
    with _lock:
        was = (_is_patched(_DEEPCOPY), _is_patched(_COPY), _verify)
        patch(copy=copy, verify=verify)
    try:
        yield
    finally:
        with _lock:
            _apply(*was)
