"""Structural comparison of two copies of the same object.

compare(original, ours, reference) walks the three object graphs side by
side and returns where ``ours`` (fastcopy's copy) differs from
``reference`` (the standard library's copy of the same original):

- a different type at the same place;
- a different relation to the original (one copy keeps an object of the
  original where the other made a new one: something mutable shared with
  the original, or an immutable one rebuilt);
- a different pattern of shared references and cycles (the two graphs must
  map one to one: an object reached twice in one is reached twice, at the
  same places, in the other);
- different values (atomic values, and objects that have no structure to
  walk but define ``==``: datetime, Decimal, ...).

The graphs are walked through built-in containers (list, tuple, dict, set,
frozenset, deque, frozendict), instance ``__dict__`` and slots.  It is used by
``python -m fastcopy check``, by verify mode (``fastcopy.patch(verify=...)``)
and by fastcopy's own tests.
"""

import builtins
import collections
import math
import reprlib
import types

# The built-in frozendict (3.15+); an empty tuple of types before it.
MAPPINGS = (dict,) + ((builtins.frozendict,) if hasattr(builtins, "frozendict") else ())
SEQUENCES = (list, tuple, collections.deque)

SCALARS = (type(None), bool, int, float, complex, str, bytes, range, slice,
           type(Ellipsis), type(NotImplemented))

# What a walk does not descend into: their attributes are not copied.
_OPAQUE = SCALARS + (types.FunctionType, types.BuiltinFunctionType, type,
                     types.ModuleType, types.CodeType)

_MISSING = object()

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40


def short_repr(x):
    """A repr of x of at most a few dozen characters (never raises)."""
    try:
        return _short.repr(x)
    except Exception:
        return "<%s object>" % type(x).__qualname__


class Difference:
    """One place where two copies differ.

    path: where, as an expression on the copied object ``x``
    (``x['items'][2].name``); message: what differs; owner: the nearest
    class on the way to it that is not a built-in type (or the type of the
    copied object), which is what verify mode reports differences by.
    """
    __slots__ = ("path", "message", "owner")

    def __init__(self, path, message, owner):
        self.path = path
        self.message = message
        self.owner = owner

    def __str__(self):
        return "%s: %s" % (self.path, self.message)

    def __repr__(self):
        return "Difference(%r, %r)" % (self.path, self.message)


class Comparison:
    """The result of compare(): differences (a list of Difference, at most
    `limit` of them) and objects (how many places were compared: a shared
    object counts at each place it is reached)."""
    __slots__ = ("differences", "objects")

    def __init__(self, differences, objects):
        self.differences = differences
        self.objects = objects

    def __bool__(self):
        """True when the copies match."""
        return not self.differences


def canonical_repr(x):
    """repr(x), except that the items of sets and frozensets (here and in
    nested tuples) are listed in sorted order: equal sets can iterate in
    different orders (insertion order decides among colliding hashes)."""
    if isinstance(x, (set, frozenset)):
        return "%s{%s}" % (type(x).__name__, ", ".join(sorted(map(canonical_repr, x))))
    if type(x) is tuple:
        return "(%s)" % ", ".join(map(canonical_repr, x))
    return repr(x)


def _sort_key(x):
    try:
        return (type(x).__name__, canonical_repr(x))
    except Exception:
        return (type(x).__name__, "")


def slot_names(cls):
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


def _is_builtin(cls):
    return cls.__module__ == "builtins"


def _pair_set_items(a, b, o, o2):
    """Items of the sets a (ours) and b (the stdlib's), paired by equality.
    Returns lists (ours, theirs, originals, originals of the stdlib's) of
    the same length, then the items of a and of b left unpaired."""
    def lookup(s):
        table = {}
        try:
            for item in s:
                table.setdefault(item, item)
        except Exception:
            return {}
        return table

    in_b, in_o, in_o2 = lookup(b), lookup(o), lookup(o2)
    ours, theirs, orig, orig2 = [], [], [], []
    rest_a = []
    used = set()
    for item in a:
        try:
            match = in_b.get(item, _MISSING)
        except Exception:
            match = _MISSING
        if match is _MISSING or id(match) in used:
            rest_a.append(item)
            continue
        used.add(id(match))
        ours.append(item)
        theirs.append(match)
        orig.append(in_o.get(item, _MISSING))
        orig2.append(in_o2.get(item, _MISSING))
    rest_b = [item for item in b if id(item) not in used]
    return ours, theirs, orig, orig2, rest_a, rest_b


def _by_repr(items):
    """The items whose repr shows no object address, sorted by it: items
    compared by value that found no equal (a difference, or a frozenset
    whose items changed) are paired in that order.  Instances compared by
    identity (and tuples of them) cannot be paired across two copies: they
    are left out."""
    keyed = [(_sort_key(i), n, i) for n, i in enumerate(items)]
    return [i for k, _, i in sorted(keyed, key=lambda t: t[:2]) if " at 0x" not in k[1]]


def _children(x):
    """(step, child) pairs for the sub-objects of x, in a deterministic
    order (set items are paired by the caller).  A step is (kind, label):
    see render_path()."""
    out = []
    if isinstance(x, SEQUENCES):
        out = [(("i", i), item) for i, item in enumerate(x)]
    elif isinstance(x, MAPPINGS):
        for k, v in x.items():
            out.append((("k", k), k))
            out.append((("v", k), v))
    if isinstance(x, _OPAQUE):
        return out
    try:
        d = getattr(x, "__dict__", None)
    except Exception:
        d = None
    if isinstance(d, dict):
        out.append((("d", None), d))
    for name in slot_names(type(x)):
        try:
            out.append((("a", name), getattr(x, name, _MISSING)))
        except Exception:
            out.append((("a", name), _MISSING))
    return out


def _attribute_steps(children):
    """Children of an instance's __dict__: values named as attributes."""
    return [((("a", step[1]) if step[0] == "v" and isinstance(step[1], str)
              and step[1].isidentifier() else step), child)
            for step, child in children]


def render_path(path):
    """A path (nested (parent, step) pairs from the root "x") as an
    expression: x['items'][2].name, x{frozenset({1})} for a set item,
    x{key (1, 2)} for a dict key."""
    steps = []
    while not isinstance(path, str):
        path, (kind, label) = path
        steps.append((kind, label))
    out = [path]
    for kind, label in reversed(steps):
        if kind == "i":
            out.append("[%d]" % label)
        elif kind == "v":
            out.append("[%s]" % short_repr(label))
        elif kind == "k":
            out.append("{key %s}" % short_repr(label))
        elif kind == "s":
            out.append("{%s}" % short_repr(label))
        elif kind == "a":
            if out and out[-1] == ".__dict__":
                out.pop()
            out.append(".%s" % label)
        elif kind == "d":
            out.append(".__dict__")
    return "".join(out)


def _equal_scalars(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, complex) and (math.isnan(a.real) or math.isnan(a.imag)):
        return repr(a) == repr(b)
    return a == b


def _attribute_problem(obj):
    """An instance attribute of obj's __dict__ that is not readable as an
    attribute (a copy whose dict was installed wrongly can show one but not
    the other), or None."""
    if isinstance(obj, type):
        return None
    try:
        d = getattr(obj, "__dict__", None)
        if not isinstance(d, dict):
            return None
        for k, v in list(d.items()):
            if isinstance(k, str) and not hasattr(type(obj), k):
                if getattr(obj, k, _MISSING) is not v:
                    return k
    except Exception:
        return None
    return None


def compare(original, ours, reference, reference_original=None, limit=20):
    """Compare ours (a copy of original) with reference (the stdlib's copy).

    reference_original: the object the stdlib copied, when it is a
    separately built twin of `original`.  Stops after `limit` differences.
    Returns a Comparison.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if reference_original is None:
        reference_original = original
    diffs = []
    ours_to_ref = {}
    ref_to_ours = {}

    def differ(path, message, owner):
        diffs.append(Difference(render_path(path), message, owner))

    stack = [(original, reference_original, ours, reference, "x", False, type(reference))]
    visited = 0
    while stack and len(diffs) < limit:
        o, o2, a, b, path, attrs, owner = stack.pop()
        visited += 1
        ta, tb = type(a), type(b)
        if not _is_builtin(tb):
            owner = tb
        if ta is not tb:
            differ(path, "type %s, the stdlib's %s" % (ta.__qualname__, tb.__qualname__), owner)
            continue
        if (a is o) != (b is o2):
            if isinstance(a, SCALARS) and not _equal_scalars(a, b):
                differ(path, "%s, the stdlib's %s" % (short_repr(a), short_repr(b)), owner)
                continue
            differ(path, "the original object (shared with it), the stdlib's a new %s"
                   % ta.__qualname__ if a is o else
                   "a new %s, the stdlib's the original object" % ta.__qualname__, owner)
            continue
        if isinstance(a, SCALARS):
            # Atomic: their identity with the original is checked above;
            # where else they occur does not matter.
            if a is not b and not _equal_scalars(a, b):
                differ(path, "%s, the stdlib's %s" % (short_repr(a), short_repr(b)), owner)
            continue
        seen_a, seen_b = id(a) in ours_to_ref, id(b) in ref_to_ours
        if seen_a or seen_b:
            if ours_to_ref.get(id(a)) != id(b) or ref_to_ours.get(id(b)) != id(a):
                name = ta.__qualname__
                differ(path, "shared references differ: " + (
                    "the same %s as at another place, the stdlib's a different one" % name
                    if not seen_b else
                    "a new %s, the stdlib's the same one as at another place" % name
                    if not seen_a else
                    "this %s is paired with a different one of the stdlib's elsewhere" % name),
                    owner)
            continue
        ours_to_ref[id(a)] = id(b)
        ref_to_ours[id(b)] = id(a)
        if a is b:
            continue            # the same object in both copies
        name = _attribute_problem(a)
        if name is not None:
            differ(path, "attribute %r is in the instance dict but not readable" % name, owner)
            continue
        if isinstance(a, (set, frozenset)):
            if len(a) != len(b):
                differ(path, "%d items, the stdlib's %d" % (len(a), len(b)), owner)
                continue
            items_a, items_b, items_o, items_o2, rest_a, rest_b = _pair_set_items(
                a, b, o if isinstance(o, (set, frozenset)) else (),
                o2 if isinstance(o2, (set, frozenset)) else ())
            rest_a, rest_b = _by_repr(rest_a), _by_repr(rest_b)
            if len(rest_a) != len(rest_b):
                differ(path, "items %s are not in the stdlib's copy" % short_repr(rest_a), owner)
                continue
            items_a += rest_a
            items_b += rest_b
            items_o += [_MISSING] * len(rest_a)
            items_o2 += [_MISSING] * len(rest_b)
            ca = [(("s", item), item) for item in items_a] + _children(a)
            cb = [(None, item) for item in items_b] + _children(b)
            rest_o, rest_o2 = _children(o), _children(o2)
            co = items_o + ([c for _, c in rest_o] if len(rest_o) == len(ca) - len(items_a)
                            else [_MISSING] * (len(ca) - len(items_a)))
            co2 = items_o2 + ([c for _, c in rest_o2] if len(rest_o2) == len(cb) - len(items_b)
                              else [_MISSING] * (len(cb) - len(items_b)))
            if len(ca) != len(cb):
                differ(path, "%d parts (items, __dict__, slots), the stdlib's %d"
                       % (len(ca), len(cb)), owner)
                continue
        else:
            ca, cb = _children(a), _children(b)
            if attrs:
                ca = _attribute_steps(ca)
            if len(ca) != len(cb):
                if attrs:
                    message = "%d attributes, the stdlib's %d" % (len(a), len(b))
                elif isinstance(a, MAPPINGS + SEQUENCES):
                    message = "%d items, the stdlib's %d" % (len(a), len(b))
                else:
                    message = "%d parts (items, __dict__, slots), the stdlib's %d" % (
                        len(ca), len(cb))
                differ(path, message, owner)
                continue
            if not ca and type(a).__eq__ is not object.__eq__:
                # No walkable structure (datetime, Decimal, ...): compare values.
                try:
                    equal = bool(a == b)
                except Exception:
                    continue            # cannot tell (an array's ==, ...)
                if not equal:
                    differ(path, "%s, the stdlib's %s" % (short_repr(a), short_repr(b)), owner)
                continue
            co = [c for _, c in _children(o)]
            co2 = [c for _, c in _children(o2)]
            if len(co) != len(ca) or len(co2) != len(cb):
                # The original changed shape (a hook mutated it).
                co, co2 = [_MISSING] * len(ca), [_MISSING] * len(cb)
        for (step, y), (_, z), x, x2 in reversed(list(zip(ca, cb, co, co2))):
            stack.append((x, x2, y, z, (path, step),
                          step[0] == "d" and type(y) is dict, owner))
    return Comparison(diffs, visited)
