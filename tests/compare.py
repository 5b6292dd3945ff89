"""Differential comparison of a copy against the stdlib's copy of the same object.

compare_deep(original, ours, reference) walks the three object graphs in
parallel and checks, node by node:
  - same type;
  - the same identity relation to the original (a node is the original object
    in our copy exactly where it is in the stdlib's copy) - so nothing mutable
    is shared with the original unless the stdlib shares it too;
  - the same aliasing pattern: a one-to-one map between our objects and the
    stdlib's (shared sub-objects and cycles in the same places);
  - equal atomic values.
"""

import builtins
import math
import types

# The built-in frozendict (3.15+); an empty tuple of types before it.
MAPPINGS = (dict,) + ((builtins.frozendict,) if hasattr(builtins, "frozendict") else ())

_SCALARS = (type(None), bool, int, float, complex, str, bytes, range, slice,
            type(Ellipsis), type(NotImplemented))


def _sort_key(x):
    return (type(x).__name__, _canonical_repr(x))


def _canonical_repr(x):
    """repr(x), except that the items of sets and frozensets (here and in
    nested tuples) are listed in sorted order: equal sets can iterate in
    different orders (insertion order decides among colliding hashes), and
    the order set items are paired in must not depend on it."""
    if isinstance(x, (set, frozenset)):
        return "%s{%s}" % (type(x).__name__, ", ".join(sorted(map(_canonical_repr, x))))
    if type(x) is tuple:
        return "(%s)" % ", ".join(map(_canonical_repr, x))
    return repr(x)


def _slot_names(cls):
    names = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name not in ("__dict__", "__weakref__"):
                if name.startswith("__") and not name.endswith("__"):
                    name = "_%s%s" % (klass.__name__.lstrip("_"), name)
                names.append(name)
    return names


_MISSING = object()


def _children(x):
    """The sub-objects of x, in a deterministic order, as a list."""
    if isinstance(x, (list, tuple)):
        out = list(x)
    elif isinstance(x, MAPPINGS):
        out = []
        for k, v in x.items():
            out.extend((k, v))
    elif isinstance(x, (set, frozenset)):
        out = sorted(x, key=_sort_key)
    else:
        out = []
    if isinstance(x, (_SCALARS, types.FunctionType, types.BuiltinFunctionType, type)):
        return out
    d = getattr(x, "__dict__", None)
    if isinstance(d, dict):
        out.append(d)
    for name in _slot_names(type(x)):
        out.append(getattr(x, name, _MISSING))
    return out


def _equal_scalars(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, complex) and (math.isnan(a.real) or math.isnan(a.imag)):
        return repr(a) == repr(b)
    return a == b


def compare_deep(original, ours, reference, reference_original=None):
    """reference_original: the object the stdlib copied, when it is a
    separately built twin of `original` (hooks that mutate their input need
    one graph per implementation)."""
    if reference_original is None:
        reference_original = original
    ours_to_ref = {}
    ref_to_ours = {}
    stack = [(original, reference_original, ours, reference, "x")]
    while stack:
        o, o2, a, b, path = stack.pop()
        assert type(a) is type(b), "%s: type %s, stdlib %s" % (
            path, type(a).__name__, type(b).__name__)
        assert (a is o) == (b is o2), "%s: %s the original, stdlib's %s" % (
            path, "is" if a is o else "is not", "is" if b is o2 else "is not")
        if id(a) in ours_to_ref or id(b) in ref_to_ours:
            assert ours_to_ref.get(id(a)) == id(b) and ref_to_ours.get(id(b)) == id(a), (
                "%s: aliasing differs from the stdlib's" % path)
            continue
        ours_to_ref[id(a)] = id(b)
        ref_to_ours[id(b)] = id(a)
        if isinstance(a, _SCALARS):
            assert _equal_scalars(a, b), "%s: %r != %r" % (path, a, b)
            continue
        _check_attribute_access(a, path)
        ca, cb = _children(a), _children(b)
        co, co2 = _children(o), _children(o2)
        assert len(ca) == len(cb), "%s: %d children, stdlib %d" % (path, len(ca), len(cb))
        if not ca and type(a).__eq__ is not object.__eq__:
            # No walkable structure (datetime, Decimal, ...): compare values.
            assert a == b, "%s: %r != %r" % (path, a, b)
            continue
        if len(co) != len(ca) or len(co2) != len(cb):
            # The original changed shape (a hook mutated it).
            co, co2 = [None] * len(ca), [None] * len(cb)
        for i, (x, x2, y, z) in enumerate(zip(co, co2, ca, cb)):
            stack.append((x, x2, y, z, "%s[%d]" % (path, i)))


def _check_attribute_access(obj, path):
    """Instance attributes in __dict__ are reachable as attributes too (a
    copy whose dict was installed wrongly can show one but not the other)."""
    if isinstance(obj, type):
        return
    d = getattr(obj, "__dict__", None)
    if not isinstance(d, dict):
        return
    for k, v in list(d.items()):
        if isinstance(k, str) and not hasattr(type(obj), k):
            assert getattr(obj, k, _MISSING) is v, "%s.%s not readable" % (path, k)


def reachable(x):
    """Every object reachable from x through containers and instance dicts,
    each once, in a deterministic order."""
    seen, out, stack = set(), [], [x]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        out.append(o)
        if isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        elif isinstance(o, MAPPINGS):
            stack.extend(o.keys())
            stack.extend(o.values())
        d = getattr(o, "__dict__", None)
        if isinstance(d, dict) and not isinstance(o, type):
            stack.append(d)
    return out


def outcome(func, *args):
    """('ok', result) or ('raise', exception type) for func(*args)."""
    try:
        return ("ok", func(*args))
    except Exception as exc:
        return ("raise", type(exc))
