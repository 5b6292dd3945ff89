"""Verify mode: fastcopy.patch(verify=...) and FASTCOPY_AUTOPATCH=verify.

Each verified call of the patched copy.deepcopy (copy.copy) runs fastcopy
and then the standard library's own code on the same object, and compares
the two results as ``python -m fastcopy check`` does (fastcopy._compare).
When they differ, the difference is reported once per class (the nearest
class on the path to it that is not a built-in type) as a VerifyWarning, or
raised when asked, and the standard library's result is returned.

The standard library's code: a private instance of the ``copy`` module,
loaded from the same source file (so its functions, and the recursion
between them, are the original code, not the patched functions).  It sees
the live copyreg table, and what third-party code adds to the copy
module's dispatch tables.  While it runs, a hook that calls copy.deepcopy or
copy.copy (patched) is sent to it too, so the reference copy never runs
fastcopy.

Not verified: deepcopy calls that pass a memo.  Those are mostly
``__deepcopy__`` hooks copying their parts inside a larger copy, which the
call that started the copy compares as a whole (verifying each of them too
would run the hooks of nested copies again and again).
"""

import copy as _copy_module
import importlib.util
import itertools
import math
import threading
import warnings

from ._common import VerifyWarning
from ._compare import compare
from ._rules import STDLIB_DEEP_DISPATCH

_local = threading.local()      # .reference: inside a reference run
_lock = threading.Lock()
_reference = None               # the private copy module
_own_deep_dispatch = None       # its own dispatch entries


def reference_module():
    """The private instance of the standard library's copy module."""
    global _reference, _own_deep_dispatch
    with _lock:
        if _reference is None:
            spec = importlib.util.find_spec("copy")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            # One exception class: the real module's (what fastcopy raises).
            module.Error = module.error = _copy_module.Error
            # Read-only tables of types, shared (3.14+).
            for name in ("_atomic_types", "_copy_atomic_types", "_copy_builtin_containers"):
                if hasattr(_copy_module, name):
                    setattr(module, name, getattr(_copy_module, name))
            # Shallow copiers do not recurse: the live table is used as it is.
            if hasattr(_copy_module, "_copy_dispatch"):
                module._copy_dispatch = _copy_module._copy_dispatch
            _own_deep_dispatch = dict(module._deepcopy_dispatch)
            _reference = module
    return _reference


def _sync_deep_dispatch(ref):
    """The private module's deep dispatch table: the real table's entries,
    with the stdlib's own copiers replaced by the private module's (which
    recurse into the private deepcopy)."""
    table = {}
    for cls, copier in list(_copy_module._deepcopy_dispatch.items()):
        if STDLIB_DEEP_DISPATCH.get(cls) is copier:
            copier = _own_deep_dispatch.get(cls, copier)
        table[cls] = copier
    ref._deepcopy_dispatch = table      # read as a global at each call


def _in_reference_run():
    return getattr(_local, "reference", 0) > 0


# -- statistics and differences ---------------------------------------------

class Record:
    """A difference seen for one kind of call ("deepcopy" or "copy") and
    one class: the first path and message, how many calls differed, and the
    context (the running test, under the pytest plugin) of the first."""
    __slots__ = ("kind", "cls", "path", "message", "count", "context")

    def __init__(self, kind, cls, path, message, context):
        self.kind = kind
        self.cls = cls
        self.path = path
        self.message = message
        self.count = 1
        self.context = context

    @property
    def type_name(self):
        return type_name(self.cls)

    def __str__(self):
        text = "copy.%s of %s: %s: %s" % (self.kind, self.type_name, self.path, self.message)
        if self.count > 1:
            text += " (%d calls)" % self.count
        if self.context:
            text += " [first in %s]" % self.context
        return text


def type_name(cls):
    module = getattr(cls, "__module__", None)
    if module in (None, "builtins"):
        return cls.__qualname__
    return "%s.%s" % (module, cls.__qualname__)


_stats = {}                     # name -> count
_records = {}                   # (kind, class) -> Record
context = None                  # set by the pytest plugin: the running test


def _count(name):
    with _lock:
        _stats[name] = _stats.get(name, 0) + 1


def reset():
    with _lock:
        _stats.clear()
        _records.clear()


class VerifyReport:
    """What verify mode has seen in this process (fastcopy.verify_report()).

    calls: patched calls seen, by kind ("deepcopy", "copy"); verified:
    those compared with the standard library; skipped_memo: deepcopy calls
    with a memo (not verified); inconclusive: calls whose results could not
    be compared (the standard library hit its recursion limit, or the
    comparison itself failed); differences: a list of Record, one per kind
    of call and class.
    """

    def __init__(self, stats, records):
        self.calls = {k: stats.get("calls " + k, 0) for k in ("deepcopy", "copy")}
        self.verified = {k: stats.get("verified " + k, 0) for k in ("deepcopy", "copy")}
        self.skipped_memo = stats.get("skipped memo", 0)
        self.inconclusive = stats.get("inconclusive", 0)
        self.differences = records

    def __bool__(self):
        """True when no difference was found."""
        return not self.differences

    def __str__(self):
        lines = ["fastcopy verify: %d of %d copy.deepcopy calls and %d of %d copy.copy "
                 "calls compared with the standard library; %s" % (
                     self.verified["deepcopy"], self.calls["deepcopy"],
                     self.verified["copy"], self.calls["copy"],
                     "%d with a difference" % sum(r.count for r in self.differences)
                     if self.differences else "no difference")]
        if self.skipped_memo:
            lines.append("  %d deepcopy calls with a memo (inside other copies) not compared "
                         "on their own" % self.skipped_memo)
        if self.inconclusive:
            lines.append("  %d calls could not be compared (the standard library hit its "
                         "recursion limit, or the results could not be walked)"
                         % self.inconclusive)
        for record in self.differences:
            lines.append("  DIFFERENCE " + str(record))
        return "\n".join(lines)


def report():
    with _lock:
        return VerifyReport(dict(_stats), list(_records.values()))


def _difference(kind, cls, path, message, action):
    """Record a difference; warn about the first for each class, or raise."""
    with _lock:
        record = _records.get((kind, cls))
        first = record is None
        if first:
            record = _records[(kind, cls)] = Record(kind, cls, path, message, context)
        else:
            record.count += 1
    text = ("copy.%s: fastcopy's result differs from the standard library's for %s "
            "at %s: %s" % (kind, type_name(cls), path, message))
    if action == "raise":
        raise VerifyWarning(text)
    if first:
        warnings.warn(text + "; the standard library's result is used (reported once per "
                      "class; fastcopy.verify_report() counts them all)",
                      VerifyWarning, stacklevel=5)


# -- the verifying functions ---------------------------------------------------

def _describe(exc):
    text = str(exc)
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def _run_both(kind, fast, reference, x, action):
    """Run fastcopy and the standard library on x; the stdlib's outcome when
    they differ, else fastcopy's."""
    try:
        ours, our_error = fast(x), None
    except Exception as exc:
        ours, our_error = None, exc
    _local.reference = getattr(_local, "reference", 0) + 1
    try:
        if kind == "deepcopy":
            _sync_deep_dispatch(_reference)
        try:
            theirs, their_error = reference(x), None
        except Exception as exc:
            theirs, their_error = None, exc
    finally:
        _local.reference -= 1
    _count("verified " + kind)
    cls = type(x)
    if our_error is not None or their_error is not None:
        if our_error is None and isinstance(their_error, RecursionError):
            _count("inconclusive")      # fastcopy goes deeper than the stdlib
            return ours
        if our_error is not None and their_error is not None:
            if type(our_error) is type(their_error):
                raise our_error
            message = "fastcopy raised %s, the standard library %s" % (
                _describe(our_error), _describe(their_error))
        elif our_error is not None:
            message = "fastcopy raised %s, the standard library made a copy" % (
                _describe(our_error),)
        else:
            message = "fastcopy made a copy, the standard library raised %s" % (
                _describe(their_error),)
        _difference(kind, cls, "x", message, action)
        if their_error is not None:
            raise their_error
        return theirs
    try:
        result = compare(x, ours, theirs, limit=1)
    except Exception:
        _count("inconclusive")
        return ours
    if result:
        return ours
    diff = result.differences[0]
    _difference(kind, diff.owner, diff.path, diff.message, action)
    return theirs


def _sampler(rate):
    """A function telling whether the n-th call (from 0) is verified: calls
    0, 1/rate, 2/rate, ... (every call for rate 1)."""
    if rate >= 1:
        return lambda n: True
    return lambda n: math.floor(n * rate) != math.floor((n - 1) * rate)


def make_deepcopy(fast, rate, action):
    reference = reference_module().deepcopy
    counter = itertools.count()
    sampled = _sampler(rate)

    def deepcopy(x, memo=None):
        if _in_reference_run():
            return reference(x, memo)
        _count("calls deepcopy")
        if memo is not None:
            _count("skipped memo")
            return fast(x, memo)
        if not sampled(next(counter)):
            return fast(x)
        return _run_both("deepcopy", fast, reference, x, action)
    deepcopy.verify = (rate, action)
    return deepcopy


def make_copy(fast, rate, action):
    reference = reference_module().copy
    counter = itertools.count()
    sampled = _sampler(rate)

    def copy(x):
        if _in_reference_run():
            return reference(x)
        _count("calls copy")
        if not sampled(next(counter)):
            return fast(x)
        return _run_both("copy", fast, reference, x, action)
    copy.verify = (rate, action)
    return copy
