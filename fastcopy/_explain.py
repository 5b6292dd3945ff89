"""fastcopy.explain(obj) and ``python -m fastcopy explain``: how each object
of a graph is deep-copied, counts and an estimate of the share of time per
type, and what keeps the copy on slow paths.

The walk follows the running rules (fastcopy._rules, copyreg's table, the
copy module's dispatch table) in the order deepcopy applies them.  Objects
copied through the reduce protocol are walked through their reduce value
(their reduce method is called, as a copy would); what a ``__deepcopy__``
hook or a dispatch-table copier copies is not walked (their time includes
it).
"""

import copyreg
import gc
import sys
import time
import types

from ._rules import DEEP_ATOMIC, DEEP_DISPATCH, FROZENDICT, STDLIB_DEEP_DISPATCH, foreign_copier
from ._verify import type_name

SAMPLES = 64            # objects timed per type

# Paths: (key, description, fast?)
PATHS = {
    "container": ("native container", True),
    "instance": ("native instance (plain class)", True),
    "self": ("returned as itself", True),
    "method": ("bound method", True),
    "hook": ("__deepcopy__ hook", False),
    "dispatch": ("copy-module dispatch-table entry", False),
    "copyreg": ("copyreg reductor", False),
    "reduce": ("reduce protocol", False),
}

_CONTAINERS = (list, dict, tuple) + ((FROZENDICT,) if FROZENDICT is not None else ())
_HEAPTYPE = 1 << 9


def _core():
    import fastcopy
    if fastcopy.__compiled__:
        from fastcopy import _core
        return _core
    return None


def _self_copying(cls):
    """Is cls's __deepcopy__ one the compiled core knows returns the object
    itself (Enum members, exact Decimal, Fraction, re.Pattern, re.Match)?"""
    hook = getattr(cls, "__deepcopy__", None)
    if hook is None:
        return False
    enum = sys.modules.get("enum")
    if enum is not None and hook is getattr(enum.Enum, "__deepcopy__", 0):
        return True
    for module, name in (("decimal", "Decimal"), ("fractions", "Fraction"),
                         ("re", "Pattern"), ("re", "Match")):
        mod = sys.modules.get(module)
        if mod is not None and cls is getattr(mod, name, None):
            return True
    return False


def _defines(cls, name):
    """The class in cls's MRO (object aside) that defines `name`, or None."""
    for klass in cls.__mro__[:-1]:
        if name in vars(klass):
            return klass
    return None


_C_METHODS = (types.MethodDescriptorType, types.WrapperDescriptorType,
              types.ClassMethodDescriptorType)


def _implemented_in_c(klass):
    """A class whose methods are written in C (a built-in or extension
    type): Python classes have none in their own namespace."""
    return not klass.__flags__ & _HEAPTYPE or any(
        isinstance(v, _C_METHODS) for v in vars(klass).values())


def _in_stdlib(cls):
    names = getattr(sys, "stdlib_module_names", ())
    return cls.__module__.partition(".")[0] in names


def why_not_native(cls, compiled):
    """Why instances of cls are copied through the reduce protocol rather
    than the native instance path, and what would change that."""
    if not compiled:
        return ("the compiled core is not running (the pure-Python twin copies every "
                "instance through the reduce protocol)", "install a build with the "
                "compiled core (python -m fastcopy info tells why it is missing)")
    for klass in cls.__mro__[:-1]:
        if _implemented_in_c(klass):
            if klass is cls:
                return ("a type implemented in C, rebuilt from its reduce value",
                        "nothing to change in your code")
            return ("a subclass of %s, rebuilt from its reduce value" % type_name(klass),
                    "nothing to change in your code" if _in_stdlib(cls) else
                    "a plain %s (or a plain class holding one) is copied natively"
                    % type_name(klass))
    for name in ("__reduce_ex__", "__reduce__", "__getstate__", "__setstate__",
                 "__getnewargs_ex__", "__getnewargs__", "__new__"):
        owner = _defines(cls, name)
        if owner is not None:
            return ("%s defines %s" % (type_name(owner), name),
                    "a standard library class: nothing to change in your code"
                    if _in_stdlib(owner) else
                    "if the default would do (a new object with the attributes deep-copied), "
                    "without %s fastcopy copies these natively" % name)
    if getattr(cls, "__slots__", None) and cls.__setattr__ is not object.__setattr__:
        return ("slots set through a custom __setattr__ (a frozen dataclass with slots?)",
                "without slots, or without the custom __setattr__, it is copied natively")
    return ("not on the native path (a custom attribute lookup or metaclass?)", "")


def classify(x, core):
    """(path key, detail, advice) for how deepcopy copies x (not atomic)."""
    cls = type(x)
    if cls in _CONTAINERS or (cls in (set, frozenset) and cls not in copyreg.dispatch_table):
        return "container", "", ""
    if foreign_copier(DEEP_DISPATCH, STDLIB_DEEP_DISPATCH, cls) is not None:
        return ("dispatch", "a copier registered in the copy module's dispatch table",
                "it is called as Python code for every object")
    if cls is types.MethodType:
        return "method", "", ""
    if cls is bytearray and cls not in copyreg.dispatch_table:
        return "container", "", ""
    registered = cls in copyreg.dispatch_table
    if core is not None and not registered:
        if core._is_plain_type(cls):
            return "instance", "", ""
        if _self_copying(cls) and "__deepcopy__" not in getattr(x, "__dict__", {}):
            return "self", "", ""
    if getattr(x, "__deepcopy__", None) is not None:
        return ("hook", "a __deepcopy__ method, run as Python code for every object%s" % (
            "; the first one makes the rest of the copy use a dict memo" if core else ""),
            "if it only deep-copies the attributes, without it fastcopy copies "
            "these natively")
    if registered:
        return ("copyreg", "a reductor registered with copyreg, called for every object",
                "")
    detail, advice = why_not_native(cls, core is not None)
    return "reduce", detail, advice


def _reduce_parts(x):
    """The objects deepcopy would copy from x's reduce value."""
    cls = type(x)
    reductor = copyreg.dispatch_table.get(cls)
    if reductor is not None:
        rv = reductor(x)
    else:
        rv = x.__reduce_ex__(4)
    if isinstance(rv, str):
        return []
    rv = tuple(rv) + (None,) * (5 - len(rv))
    _, args, state, listitems, dictitems = rv[:5]
    parts = list(args or ())
    if state is not None:
        if isinstance(state, tuple) and len(state) == 2 and all(
                s is None or isinstance(s, dict) for s in state):
            for s in state:
                if s:
                    parts += list(s.keys()) + list(s.values())
        elif type(state) is dict:
            parts += list(state.keys()) + list(state.values())
        else:
            parts.append(state)
    if listitems is not None:
        parts += list(listitems)
    if dictitems is not None:
        for k, v in dictitems:
            parts += [k, v]
    return parts


def _instance_parts(x):
    parts = []
    d = getattr(x, "__dict__", None)
    if isinstance(d, dict):
        parts += list(d.values())
    from ._compare import slot_names
    for name in slot_names(type(x)):
        value = getattr(x, name, _MISSING)
        if value is not _MISSING:
            parts.append(value)
    return parts


_MISSING = object()


def children(x, path):
    """The objects copied as parts of x on its path."""
    if path == "container":
        if isinstance(x, (dict,) + ((FROZENDICT,) if FROZENDICT is not None else ())):
            return list(x.keys()) + list(x.values())
        if isinstance(x, bytearray):
            return []
        return list(x)
    if path == "instance":
        return _instance_parts(x)
    if path == "method":
        return [x.__self__]
    if path in ("reduce", "copyreg"):
        try:
            return _reduce_parts(x)
        except Exception:
            return []
    return []


def _is_atomic(x):
    cls = type(x)
    return cls in DEEP_ATOMIC or isinstance(x, type)


def _stand_in(x, shared):
    """For an object on a native path (a built-in container, an instance of
    a plain class): a new one of the same type and size, whose parts that
    are not atomic are all the one list `shared`.  Copying it costs what x's
    own copy costs (its parts met as memo hits, on the native memo) without
    the copies of its parts."""
    def sub(v):
        return v if _is_atomic(v) else shared
    cls = type(x)
    if cls is list or cls is tuple:
        return cls(map(sub, x))
    if cls is dict or (FROZENDICT is not None and cls is FROZENDICT):
        return cls((k, sub(v)) for k, v in x.items())
    if cls in (set, frozenset, bytearray):
        return x                # hashable parts cannot be replaced: as they are
    y = object.__new__(cls)
    d = getattr(x, "__dict__", None)
    if isinstance(d, dict):
        vars(y).update((k, sub(v)) for k, v in d.items())
    from ._compare import slot_names
    for name in slot_names(cls):
        value = getattr(x, name, _MISSING)
        if value is not _MISSING:
            object.__setattr__(y, name, sub(value))
    return y


class TypeStats:
    """One row of an Explanation: a type, how its objects are copied (path:
    one of PATHS' keys; how: its description), how many there are, the
    estimated seconds per object and share of the copy's time, and what
    would make it faster."""

    def __init__(self, cls, path, detail, advice):
        self.type = cls
        self.path = path
        self.detail = detail
        self.advice = advice
        self.count = 0
        self.seconds_each = 0.0
        self.share = 0.0
        self.samples = []

    @property
    def fast(self):
        return PATHS[self.path][1]

    @property
    def how(self):
        text = PATHS[self.path][0]
        if self.detail and self.path == "reduce":
            text += ": " + self.detail
        return text


class Explanation:
    """What fastcopy.explain() found: rows (TypeStats, largest share
    first), objects (objects to copy), atomic ({type: count} of atomic
    values, returned as they are), shared (references to objects met
    before), measured_seconds (fastcopy.deepcopy of the whole object, best
    of 5), estimated_seconds (the per-type estimates added up), compiled."""

    def __init__(self, root, rows, objects, atomic, shared, measured, compiled):
        self.root_type = type(root)
        self.rows = rows
        self.objects = objects
        self.atomic = atomic
        self.shared = shared
        self.measured_seconds = measured
        self.estimated_seconds = sum(r.count * r.seconds_each for r in rows)
        self.compiled = compiled

    @property
    def slow(self):
        """The rows on slow paths, largest share first."""
        return [r for r in self.rows if not r.fast]

    def __str__(self):
        from ._bench import format_time
        lines = ["fastcopy.explain: a %s, %s" % (
            type_name(self.root_type), "compiled core" if self.compiled else
            "pure-Python mode"),
            "%d objects to copy, %d atomic values returned as they are, %d references "
            "to objects met before" % (self.objects, sum(self.atomic.values()), self.shared),
            ""]
        width = max([len("type")] + [len(type_name(r.type)) for r in self.rows[:30]])
        how_width = max([len("how it is copied")] + [len(PATHS[r.path][0]) for r in self.rows])
        lines.append("%-*s  %-*s %9s %11s %7s" % (width, "type", how_width, "how it is copied",
                                                  "objects", "time each", "share"))
        for r in self.rows[:30]:
            lines.append("%-*s  %-*s %9d %11s %6.1f%%" % (
                width, type_name(r.type), how_width, PATHS[r.path][0], r.count,
                format_time(r.seconds_each), 100 * r.share))
        if len(self.rows) > 30:
            lines.append("... and %d more types" % (len(self.rows) - 30))
        if self.atomic:
            lines.append("atomic: " + ", ".join(
                "%s %d" % (type_name(cls), n) for cls, n in
                sorted(self.atomic.items(), key=lambda item: -item[1])[:8]))
        lines.append("")
        slow = self.slow
        if slow:
            lines.append("Slow paths:")
            for r in slow:
                text = "  %s (%d objects, %.1f%% of the time): %s" % (
                    type_name(r.type), r.count, 100 * r.share, PATHS[r.path][0])
                if r.detail:
                    text += ": " + r.detail
                if r.advice:
                    text += ". " + r.advice[0].upper() + r.advice[1:]
                lines.append(text + ".")
        else:
            lines.append("Slow paths: none; every object takes a native path.")
        lines += [
            "",
            "Time: fastcopy.deepcopy of the whole object took %s (best of 5); the "
            "per-type estimates add up to %s." % (format_time(self.measured_seconds),
                                                  format_time(self.estimated_seconds)),
            "Estimates: time each = fastcopy.deepcopy of a list of up to %d objects of the "
            "type minus that of" % SAMPLES,
            "a list of as many Nones, per object, so that only the type's own work is timed: "
            "containers and",
            "plain instances as stand-ins of the same size whose parts are one shared empty "
            "list; objects",
            "copied by the reduce protocol with their parts already in a memo; __deepcopy__ "
            "hooks and",
            "dispatch-table copiers with what they copy.  share = objects x time each / the "
            "sum over all types.",
        ]
        return "\n".join(lines)


def _measure(batch, memo, deepcopy, budget=0.003):
    """Seconds per object to deep-copy the objects of batch (a list), with
    a copy of memo (or none): the time of copying the list minus that of
    copying a list of as many Nones, over their number."""
    nones = [None] * len(batch)

    def timed(x, passes):
        t0 = time.perf_counter()
        if memo is None:
            for _ in range(passes):
                deepcopy(x)
        else:
            for _ in range(passes):
                deepcopy(x, dict(memo))
        return time.perf_counter() - t0

    passes = max(1, min(10000, int(budget / max(timed(batch, 1), 1e-9))))
    best = None
    # As timeit does: no cyclic GC pass (which the copies' allocations
    # would start in the middle of a timing) while timing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            each = max(0.0, timed(batch, passes) - timed(nones, passes)) / passes / len(batch)
            best = each if best is None else min(best, each)
    finally:
        if gc_was_enabled:
            gc.enable()
    return best


def explain(obj):
    """See fastcopy.explain."""
    import fastcopy
    deepcopy = fastcopy.deepcopy
    core = _core()
    # The copy itself first: an object that cannot be copied raises here.
    deepcopy(obj)
    measured = min(_timed(deepcopy, obj) for _ in range(5))

    rows = {}
    atomic = {}
    seen = set()
    shared = 0
    keep = []
    stack = [obj]
    while stack:
        x = stack.pop()
        if _is_atomic(x):
            cls = type(x) if not isinstance(x, type) else type
            atomic[cls] = atomic.get(cls, 0) + 1
            continue
        if id(x) in seen:
            shared += 1
            continue
        seen.add(id(x))
        keep.append(x)
        cls = type(x)
        row = rows.get(cls)
        if row is None:
            path, detail, advice = classify(x, core)
            row = rows[cls] = TypeStats(cls, path, detail, advice)
        row.count += 1
        parts = children(x, row.path)
        if len(row.samples) < SAMPLES:
            row.samples.append((x, parts))
        stack.extend(reversed(parts))

    for row in rows.values():
        if row.path in ("instance", "container"):
            filler = []
            batch, memo = [_stand_in(x, filler) for x, _ in row.samples], None
        elif row.path in ("hook", "dispatch", "self", "method"):
            batch, memo = [x for x, _ in row.samples], None
        else:
            batch = [x for x, _ in row.samples]
            memo = {id(p): p for _, parts in row.samples for p in parts
                    if not _is_atomic(p)} or None
        row.seconds_each = _measure(batch, memo, deepcopy)
        del row.samples[:]
    total = sum(r.count * r.seconds_each for r in rows.values()) or 1.0
    for row in rows.values():
        row.share = row.count * row.seconds_each / total
    ordered = sorted(rows.values(), key=lambda r: -r.count * r.seconds_each)
    return Explanation(obj, ordered, len(seen), atomic, shared, measured, core is not None)


def _timed(func, x):
    t0 = time.perf_counter()
    func(x)
    return time.perf_counter() - t0
