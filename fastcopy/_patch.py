"""Global patching: make copy.deepcopy (and optionally copy.copy) run fastcopy.

The stdlib function *objects* are patched in place: their code is swapped for
a small trampoline that calls fastcopy.  So every reference taken before
patching - `from copy import deepcopy`, a function stored in another module
or a data structure, the `deepcopy=deepcopy` default arguments inside the
copy module itself - runs fastcopy too.  The trampoline has the stdlib
function's own parameters and holds the function it calls as a constant of
its code: nothing is added to the copy module's globals or to the function's
defaults, so signature and introspection stay the stdlib's.  unpatch() puts
the original code back: the same function objects, with the same code, as
before.

With the compiled core, the patched functions' vectorcall slot is also
pointed at the core: positional calls - the frequent shape - and
`deepcopy(x, memo=memo)` calls then skip the trampoline's Python frame.  The
interpreter honours the slot for every call on 3.10 and 3.12+ (on 3.14 it
may still run a function's code inline for a keyword call), and on 3.11 for
calls from C (numpy's object arrays, map()) only: there calls from Python
code run the trampoline.  Other keyword calls run the trampoline.  unpatch()
puts the function's own vectorcall back.
"""

import copy as _copy_module
import warnings

# _thread, not threading: the .pth start-up hook (FASTCOPY_AUTOPATCH) imports
# this module in every interpreter, and importing threading there costs
# start-up time and, on 3.10-3.12, made CPython's own test_interpreters hang.
from _thread import RLock

_lock = RLock()

# The stdlib functions, captured before anyone can patch them.
_DEEPCOPY = _copy_module.deepcopy
_COPY = _copy_module.copy
_ORIGINAL = {
    _DEEPCOPY: (_DEEPCOPY.__code__, _DEEPCOPY.__kwdefaults__),
    _COPY: (_COPY.__code__, _COPY.__kwdefaults__),
}

_IMPL_PLACEHOLDER = "__fastcopy_impl__"
_trampolines = {}       # (function, impl) -> trampoline code
_patched_with = {}      # function -> (trampoline code, impl) while patched


def _trampoline(func, impl):
    """Code with func's parameters (names, order; func keeps its defaults)
    whose body is `return impl(x, memo)` (deepcopy) or `return impl(x)`
    (copy), impl being a constant of the code."""
    code = _trampolines.get((func, impl))
    if code is not None:
        return code
    original = _ORIGINAL[func][0]
    params = original.co_varnames[:original.co_argcount]   # x, memo[, _nil]
    passed = params[:2] if func is _DEEPCOPY else params[:1]
    source = "def %s(%s):\n    return %r(%s)\n" % (
        func.__name__, ", ".join(params), _IMPL_PLACEHOLDER, ", ".join(passed))
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)     # "str is not callable"
        exec(compile(source, __file__, "exec"), namespace)
    code = namespace[func.__name__].__code__
    code = code.replace(co_consts=tuple(
        impl if const == _IMPL_PLACEHOLDER else const for const in code.co_consts))
    _trampolines[(func, impl)] = code
    return code


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


def _vectorcall_core():
    """The compiled core, which routes a patched function's calls, or None."""
    import fastcopy
    if not fastcopy.__compiled__:
        return None
    from . import _core
    return _core


def _name(func):
    return "deepcopy" if func is _DEEPCOPY else "copy"


def _patch_function(func, impl):
    code = _trampoline(func, impl)
    func.__code__ = code
    _patched_with[func] = (code, impl)
    core = _vectorcall_core()
    if core is not None:
        core._set_patch_vectorcall(_name(func), func, impl)


def _unpatch_function(func):
    core = _vectorcall_core()
    if core is not None:
        core._clear_patch_vectorcall(_name(func))
    code, kwdefaults = _ORIGINAL[func]
    func.__code__ = code
    func.__kwdefaults__ = kwdefaults
    _patched_with.pop(func, None)


def _is_patched(func):
    patched = _patched_with.get(func)
    return patched is not None and func.__code__ is patched[0]


def _check_copy_flag(function, copy):
    # A string such as "no" is true: refuse anything but a bool rather than
    # patch copy.copy by mistake.
    if not isinstance(copy, bool):
        raise TypeError("%s(): copy must be True or False, not %s"
                        % (function, type(copy).__name__))


def _apply(deep, shallow, state):
    """Make the patched state exactly: copy.deepcopy patched or not,
    copy.copy patched or not, with verify state `state`."""
    global _verify
    if not (deep or shallow):
        state = None
    for func, want, name in ((_DEEPCOPY, deep, "deepcopy"), (_COPY, shallow, "copy")):
        if want:
            impl = _impl_for(name, state)
            if not _is_patched(func) or _patched_with[func][1] is not impl:
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
    _check_copy_flag("patch", copy)
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
    _check_copy_flag("is_patched", copy)
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
                              "verify=raise; verifying every call" % word, RuntimeWarning,
                              stacklevel=2)
                verify = True
    return {"copy": copy, "verify": verify}


def patched(copy=False, verify=None):
    """Context manager: patch() on entry, back to the previous state on exit."""
    # Bad arguments raise at the call, not when the block is entered.
    _check_copy_flag("patched", copy)
    if verify is not None:
        _verify_state(verify)
    return _patched(copy, verify)


class _patched:
    """patched()'s context manager (a class: contextlib is not imported at
    start-up)."""

    def __init__(self, copy, verify):
        self._args = (copy, verify)
        self._was = None

    def __enter__(self):
        copy, verify = self._args
        with _lock:
            self._was = (_is_patched(_DEEPCOPY), _is_patched(_COPY), _verify)
            patch(copy=copy, verify=verify)

    def __exit__(self, *exc_info):
        with _lock:
            _apply(*self._was)
        return False

    def __call__(self, func):
        """As a decorator: func runs patched."""
        import functools

        @functools.wraps(func)
        def run_patched(*args, **kwargs):
            with _patched(*self._args):
                return func(*args, **kwargs)
        return run_patched
