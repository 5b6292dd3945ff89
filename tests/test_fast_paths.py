"""The core's shortcuts give the stdlib's results where they could differ.

Each shortcut (a container of atomic values copied whole, a set copied from
its hash table, a dict key stored without a lookup, a reduce method called
directly, a memo lookup skipped for an object nothing else refers to) has a
case here built to catch the way it could go wrong, checked against
copy.deepcopy.
"""

import copy
import enum
import functools
import random
import sys
import types

import pytest

from .compare import compare_deep, outcome, reachable
from .impls import _core


def _check(impl, make, memo=False):
    original = make()
    if memo:
        ours, reference = impl.deepcopy(original, {}), copy.deepcopy(original, {})
    else:
        ours, reference = impl.deepcopy(original), copy.deepcopy(original)
    compare_deep(original, ours, reference)
    return original, ours


class _Mutable:
    def __init__(self):
        self.v = [1]

    def __hash__(self):
        return 1


class _Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


# An Enum's __deepcopy__ returns the member, but not this member's.
_Color.BLUE.__deepcopy__ = lambda memo: ("copied", "BLUE")


# Runs of one atomic type, then another, then an item that is not its own
# copy: the scans keep the last type found atomic (a verdict for its every
# instance), and must still look at every item of another type.
_RUN_ITEMS = [
    [_Color.RED, _Color.GREEN, _Color.BLUE, _Color.RED],
    [b"a", b"b", b"c", 1.5, 2.5, bytearray(b"x")],
    [range(3), range(4), "s", "t", _Mutable()],
    [1j, 2j, 3j, (1, 2), [0]],
    [int, str, len, max, bytearray(b"y")],
    ["s"] * 5 + [(1, [2])],
]


@pytest.mark.parametrize("items", _RUN_ITEMS, ids=range(len(_RUN_ITEMS)))
@pytest.mark.parametrize("shape", ["list", "dict_values", "dict_keys", "set"])
def test_runs_of_own_copies_then_an_item_to_copy(impl, items, shape):
    def make():
        fresh = [copy.copy(item) if type(item) in (bytearray, list, _Mutable) else item
                 for item in items]
        impl.deepcopy(fresh)        # types seen once: their verdicts are kept
        if shape == "list":
            return fresh
        hashable = [item for item in fresh if type(item) not in (bytearray, list, tuple)]
        if shape == "dict_values":
            return {i: item for i, item in enumerate(fresh)}
        if shape == "dict_keys":
            return {item: i for i, item in enumerate(hashable)}
        return set(hashable)
    _check(impl, make)      # which items are copies, as the stdlib has them


def test_shared_atomic_containers_stay_shared(impl):
    def make():
        tags, geo, empty_list, empty_dict = ["a", "b"], {"lat": 1.5, "lng": 2.5}, [], {}
        return {"x": tags, "y": [tags, geo, empty_list, empty_dict],
                "z": {"geo": geo, "e": empty_list, "d": empty_dict}, "w": (tags, geo)}
    _, y = _check(impl, make)
    assert y["x"] is y["y"][0] is y["w"][0]
    assert y["y"][1] is y["z"]["geo"] is y["w"][1]
    assert y["y"][2] is y["z"]["e"] and y["y"][3] is y["z"]["d"]


def test_tuples_and_one_item_dicts_of_atomic_containers(impl):
    # Lists and one-item dicts of atomic values inside tuples are copied
    # whole; each is still copied once, wherever else it appears.
    def make():
        row, one = [1, "a"], {"v": 2}
        return [(row, one), (row,), {"k": (one, row)}, (0, (1, (2, (row,))))]
    _, y = _check(impl, make)
    assert y[0][0] is y[1][0] is y[2]["k"][1] is y[3][1][1][1][0]
    assert y[0][1] is y[2]["k"][0]


def test_nests_of_atomic_tuples_are_their_own_copies(impl):
    for depth in range(1, 7):
        x = ("leaf", 1)
        for i in range(depth):
            x = (i, x, ())
        _check(impl, lambda x=x: x)
        assert impl.deepcopy(x) is x and impl.deepcopy([x])[0] is x


class _StrName(str):
    """A str subclass: as a key of an instance's __dict__, its __eq__ could
    match an attribute name (here it does, as str's)."""


def _members_with_many_attributes(variant):
    """Members of an Enum (whose __deepcopy__ returns the member) with a
    dozen more attributes each, so that their dicts are probed, not
    scanned; HIGH's dict varies."""
    class Level(enum.Enum):
        LOW = 1
        MID = 2
        HIGH = 3

    for member in Level:
        for i in range(12):
            setattr(member, "attribute_%02d" % i, i)   # some as long as "__deepcopy__"
    high = Level.HIGH.__dict__
    if variant == "own hook":
        high["__deepcopy__"] = lambda memo: ("copied", "HIGH")
    elif variant == "str subclass key":
        high[_StrName("__deepcopy__")] = lambda memo: ("copied", "HIGH")
    elif variant == "non-str key":
        high[1] = "one"             # a general table, with nothing to find
    elif variant == "deleted entries":
        high["__deepcopy__"] = lambda memo: ("copied", "HIGH")
        del high["__deepcopy__"], high["attribute_03"]
    return Level


@pytest.mark.parametrize("variant", ["plain", "own hook", "str subclass key",
                                     "non-str key", "deleted entries"])
def test_members_whose_dicts_may_hold_a_deepcopy(impl, variant):
    # Whether a member's own dict holds "__deepcopy__" decides whether it is
    # its own copy; the check reads the dict without running code.
    level = _members_with_many_attributes(variant)
    low, mid, high = level.LOW, level.MID, level.HIGH

    def make():
        return [low, high, mid, high, low] * 4 + [{"k": high, "m": mid}, (low, high)]
    for _ in range(2):              # the second time with the verdicts kept
        _check(impl, make)
        assert (impl.deepcopy(high) is high) == (copy.deepcopy(high) is high)


def _members_with_own_dicts(rng, count):
    """count members of an Enum whose __dict__ each is replaced by a plain
    dict (a combined str-keyed table, probed in place) of a random size,
    with random entries deleted (dummies on the probe paths) and
    "__deepcopy__" among the keys of about half of them."""
    many = enum.Enum("Many", [("m%d" % i, i) for i in range(count)])
    has_hook = []
    for member in many:
        d = dict(member.__dict__)
        names = ["attr_%d_%d" % (member.value, i) for i in range(rng.randrange(1, 300))]
        hook = rng.random() < 0.5
        position = rng.randrange(len(names) + 1)
        names.insert(position, "__deepcopy__")
        for name in names:
            d[name] = (lambda memo, m=member: ("copied", m.name)) if name == "__deepcopy__" else 0
        for name in rng.sample(names, len(names) // 3):
            if name != "__deepcopy__" or not hook:
                del d[name]
        if not hook:
            d.pop("__deepcopy__", None)
        member.__dict__ = d
        has_hook.append(hook)
    return many, has_hook


@pytest.mark.parametrize("seed", range(4))
def test_members_whose_own_dicts_are_probed(impl, seed):
    # An instance's dict of exact str keys is probed for "__deepcopy__" by
    # its hash, past deleted entries; a member whose dict holds it has that
    # hook called, as the stdlib's lookup finds it.
    many, has_hook = _members_with_own_dicts(random.Random(seed), 40)
    members = list(many)
    for _ in range(2):              # the second time with the verdicts kept
        x = members + members[::-1]
        y = impl.deepcopy(x)
        assert y == copy.deepcopy(x)
        for member, hook, copied in zip(members, has_hook, y):
            assert (copied == ("copied", member.name)) if hook else (copied is member)


class _Unit:
    def __init__(self, name):
        self.name = name


def test_objects_met_again_in_the_item_loops(impl):
    # Instances, enum members and a class's own-copy instances referenced
    # many times from lists, dict values, tuples and other instances: each
    # copied once (or not at all), as the stdlib does.
    def make():
        units = [_Unit("u%d" % i) for i in range(3)]
        parent = _Unit("parent")
        parent.children = [_Unit("c%d" % i) for i in range(4)]
        for child in parent.children:
            child.parent = parent
            child.unit = units[0]
        return ([units[i % 3] for i in range(40)] + [_Color.RED, _Color.GREEN] * 10
                + [{"u": units[1], "c": _Color.RED}, (units[2], parent), parent])
    _, y = _check(impl, make)
    assert y[0] is y[3] and y[-3]["u"] is y[1] and y[-1].children[0].unit is y[0]
    assert all(child.parent is y[-1] for child in y[-1].children)


def test_tuple_met_again_through_its_own_items(impl):
    def make():
        holder = []
        t = (holder, (holder,))
        holder.append(t)
        return [t, holder]
    _, y = _check(impl, make)
    assert y[0][0][0] is y[0] and y[1] is y[0][0]


def test_tuples_inside_tuples_copied_by_recursion(impl):
    # Tuples met inside a copy are copied by recursion while the C stack has
    # room: a tuple met twice, a tuple met again through its own items, an
    # atomic tuple among changed ones and lists shared across the levels
    # come out as the stdlib's.
    def make():
        shared = [1]
        atomic = (1, ("a", 2.5))
        pair = (shared, atomic)
        holder = []
        loop = (holder, (0, (holder,)))
        holder.append(loop)
        return [(pair, (pair, (shared, (atomic,)))), loop, (("x", (pair,)),), (loop,)]
    x, y = _check(impl, make)
    assert y[0][0] is y[0][1][0] is y[2][0][1][0]
    assert y[0][0][0] is y[0][1][1][0] and y[0][0][1] is x[0][0][1]
    assert y[1] is y[3][0] is y[1][0][0] is y[1][1][1][0][0]


class _KeepsMemo:
    """A hook that keeps the memo it is handed (with no memo passed, the
    first hook turns the copy's memo into a dict) and copies its items with
    it."""

    memos = []

    def __init__(self, items):
        self.items = items

    def __deepcopy__(self, memo):
        _KeepsMemo.memos.append(memo)
        return _KeepsMemo(copy.deepcopy(self.items, memo))

    def __eq__(self, other):
        return type(other) is _KeepsMemo and other.items == self.items

    __hash__ = object.__hash__

    def __repr__(self):
        return "hook(%r)" % (self.items,)


def _check_memo_handed_to_the_hook(impl, x):
    """Copy x, which holds one _KeepsMemo, with impl and with the stdlib:
    the copies and the memos the hook was handed must match.  Returns
    impl's memo."""
    ours = impl.deepcopy(x)
    memo = _KeepsMemo.memos.pop()
    reference = copy.deepcopy(x)
    reference_memo = _KeepsMemo.memos.pop()
    compare_deep(x, ours, reference)
    assert _memo_layout(memo) == _memo_layout(reference_memo)
    return memo


def test_hook_inside_tuples_fills_the_memo_as_the_stdlib(impl):
    # The hook turns the memo into a dict half-way through tuples being
    # copied by recursion: the items after it and the tuples around it are
    # recorded in that dict as the stdlib records them, in the same order.
    shared = [1]
    inner = (shared, (_KeepsMemo([shared]), [2], (3, [4])), (shared,))
    x = ((inner, [5]), (inner, (shared, [6])))
    _check_memo_handed_to_the_hook(impl, x)


@pytest.mark.parametrize("nested", [False, True])
def test_tuple_copied_through_a_cycle_is_kept_alive_twice(impl, nested):
    # The stdlib copies a tuple's items before recording it: through the
    # cycle the inner copy records it first, and the outer deepcopy() call
    # records it again and keeps it alive a second time.  A hook handed the
    # memo later finds it twice in the keep-alive list.
    loop = []
    t = (loop,)
    loop.append(t)
    x = [(t,), _KeepsMemo([1])] if nested else [t, _KeepsMemo([1])]
    memo = _check_memo_handed_to_the_hook(impl, x)
    assert [o is t for o in memo[id(memo)]].count(True) == 2


class _Row:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        return type(other) is _Row and other.n == self.n

    def __repr__(self):
        return "_Row(%r)" % (self.n,)


@pytest.mark.parametrize("where", ["first", "deep inside", "last"])
def test_hook_after_many_copies_finds_them_kept_alive_in_order(impl, where):
    # Without a memo the core notes the order copies finish in compactly
    # (containers of atoms and tuples finish just after they are recorded;
    # others later, after their items).  A hook handed the memo
    # after hundreds of such copies must find the stdlib's keep-alive list,
    # with the containers still being copied left out.
    shared = [0]

    def document(i):
        return {"id": i, "tags": ["t", i], "geo": {"lat": i, "pair": (i, [i])},
                "rows": [{"n": i}, [shared, (i,)], _Row(i)], "same": shared}

    docs = [document(i) for i in range(300)]
    hook = _KeepsMemo([docs[7], [1]])
    if where == "first":
        x = [hook, docs]
    elif where == "deep inside":
        docs[150]["rows"][1].append([[2], hook])
        x = [docs, [3]]
    else:
        x = [docs, ([4],), hook]
    memo = _check_memo_handed_to_the_hook(impl, x)
    assert len(memo[id(memo)]) > (0 if where == "first" else 1000)


def test_many_small_dicts_after_the_scan_gives_up(impl):
    # Mixed dicts first (the scan for a bulk copy stops trying), then dicts
    # of atomic values: the copies are the same either way.
    def make():
        shared = [1]
        mixed = [{"a": 1, "b": [i]} for i in range(40)]
        atomic = [{"a": i, "b": "s"} for i in range(40)]
        return mixed + atomic + [{"s": shared, "t": shared}]
    _, y = _check(impl, make)
    assert y[-1]["s"] is y[-1]["t"]


def test_set_of_atomic_values_shared_and_new(impl):
    def make():
        s, f = {1, "a", 2.5, None}, frozenset({3, "b"})
        return [s, s, f, f, {"k": s}]
    x, y = _check(impl, make)
    assert y[0] is y[1] is y[4]["k"] and y[0] is not x[0]
    assert y[2] is y[3] and y[2] == x[2]


@pytest.mark.parametrize("callers_memo", [False, True])
def test_key_looked_up_when_a_hook_records_it(impl, callers_memo):
    # A hook that runs while a value is copied records the item's (atomic)
    # key in the memo: up to 3.13 the stdlib then uses the recorded object
    # as the key; from 3.14 on an atomic key is answered before the memo.
    # (The memo is the copy's own, turned into a dict for the hook, or the
    # caller's dict.)
    key = "".join(["k", "e", "y"])

    class Sneaky:
        def __deepcopy__(self, memo):
            memo[id(key)] = "replaced"
            return Sneaky()

    x = {key: Sneaky(), "after": [1]}
    if callers_memo:
        y, ref = impl.deepcopy(x, {}), copy.deepcopy(x, {})
    else:
        y, ref = impl.deepcopy(x), copy.deepcopy(x)
    expected_key = "key" if sys.version_info >= (3, 14) else "replaced"
    assert sorted(y) == sorted(ref) == ["after", expected_key]


class _LoggingMemo(dict):
    """A memo that is not a dict: logs the keys the copy looks up."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def get(self, key, default=None):
        self.asked.append(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.asked.append(key)
        return super().__contains__(key)


def test_keys_looked_up_in_a_memo_that_is_not_a_dict(impl):
    # Up to 3.13 the stdlib looks every object up in the memo, a dict key
    # after its value; a memo that is not a dict must be asked the same.
    key = "".join(["k", "e", "y"])
    value = [1, [2]]
    x = {key: value, "n": 3}
    logs = []
    for deepcopy in (impl.deepcopy, copy.deepcopy):
        memo = _LoggingMemo()
        y = deepcopy(x, memo)
        assert y == x and y[key] is not value
        names = {id(x): "x", id(key): "key", id(value): "value", id(value[1]): "inner"}
        logs.append([names.get(k, "other") for k in memo.asked])
    assert logs[0] == logs[1]
    assert ("key" in logs[1]) == (sys.version_info < (3, 14))


def test_reduce_value_of_a_c_type_with_a_lazy_dict(impl):
    # functools.partial reports its __dict__ in its reduce value only once
    # the dict exists: looking for attributes must not create it.
    x = [functools.partial(max, 1, key=None)]
    y = impl.deepcopy(x)
    assert x[0].__reduce__()[2][3] is None
    assert y[0].__reduce__()[2][3] is None
    _check(impl, lambda: [functools.partial(max, 1, key=None)], memo=True)


class _Reduced:
    def __init__(self, a):
        self.a = a

    def __reduce__(self):
        return (_Reduced, (self.a,))


class _Other:
    def __init__(self, a):
        self.a = a


def _instance_overrides():
    plain = _Other([1])
    plain.__reduce_ex__ = lambda proto: (_Other, ([2],))
    reduced = _Reduced([3])
    reduced.__reduce__ = lambda: (_Other, ([4],))
    return [plain, reduced]


def test_reduce_methods_found_on_the_instance(impl):
    x, y = _check(impl, _instance_overrides)
    assert type(y[0]) is _Other and y[0].a == [2]
    assert type(y[1]) is _Other and y[1].a == [4]


def test_reduce_verdict_follows_class_changes(impl):
    class Late:
        def __init__(self):
            self.v = [1]

    x = Late()
    impl.deepcopy(x)        # cached: the default reduce
    Late.__reduce__ = lambda self: (list, ([9],))
    assert impl.deepcopy(x) == copy.deepcopy(x) == [9]


@pytest.mark.parametrize("n", [1, 9, 5000])
def test_objects_only_their_container_refers_to(impl, n):
    # Fresh lists (one reference each) mixed with shared ones, in a memo
    # large enough to have a hash index.
    def make():
        shared = [0]
        return [[i] if i % 3 else shared for i in range(n)] + [shared]
    _, y = _check(impl, make)
    assert y[-1] is y[0]


class _Registered:
    def __init__(self):
        self.v = [1]

    def __reduce__(self):
        return (_Registered, ())


@pytest.mark.parametrize("table", ["copyreg", "copy"])
def test_dispatch_tables_changed_between_copies(impl, table):
    import copyreg
    x = [_Registered(), _Registered()]
    impl.deepcopy(x)                    # the type's "no entry" answer is kept
    if table == "copyreg":
        registry, entry = copyreg.dispatch_table, lambda obj: (list, (["reg"],))
    else:
        registry, entry = copy._deepcopy_dispatch, lambda obj, memo: ["reg"]
    registry[_Registered] = entry
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == [["reg"], ["reg"]]
    finally:
        del registry[_Registered]
    y = impl.deepcopy(x)
    assert type(y[0]) is _Registered and type(copy.deepcopy(x)[0]) is _Registered


@pytest.mark.parametrize("cls", [list, dict, tuple])
def test_container_copier_replaced_in_place(impl, cls):
    # The entry of a type the implementations copy themselves, replaced so
    # that the table keeps its size: the next copy follows it, as the
    # stdlib's does, and the native copy is back once it is restored.
    x = {"a": [1, (2, [3])]}
    first = impl.deepcopy(x)
    table = copy._deepcopy_dispatch
    original = table[cls]
    table[cls] = lambda obj, memo: ("copied", type(obj).__name__)
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x)
        assert impl.deepcopy(x) != first
    finally:
        table[cls] = original
    assert impl.deepcopy(x) == first == copy.deepcopy(x)


@pytest.mark.skipif(not hasattr(copy, "_copy_dispatch"), reason="no shallow table on 3.14+")
@pytest.mark.parametrize("cls", [list, int])
def test_shallow_copier_replaced_in_place(impl, cls):
    x = cls()
    impl.copy(x)
    table = copy._copy_dispatch
    original = table[cls]
    table[cls] = lambda obj: ("copied", type(obj).__name__)
    try:
        assert impl.copy(x) == copy.copy(x) == ("copied", cls.__name__)
    finally:
        table[cls] = original
    assert impl.copy(x) == copy.copy(x) == cls()


def test_copier_added_for_a_type_copyreg_reduces(impl):
    # The "copyreg has a reductor" answer is kept too; a copier added to
    # copy._deepcopy_dispatch afterwards comes first, as in the stdlib.
    import copyreg
    x = [_Registered(), _Registered()]
    copyreg.dispatch_table[_Registered] = lambda obj: (list, (["reg"],))
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == [["reg"], ["reg"]]
        copy._deepcopy_dispatch[_Registered] = lambda obj, memo: ["copier"]
        try:
            assert impl.deepcopy(x) == copy.deepcopy(x) == [["copier"], ["copier"]]
        finally:
            del copy._deepcopy_dispatch[_Registered]
        assert impl.deepcopy(x) == copy.deepcopy(x) == [["reg"], ["reg"]]
    finally:
        del copyreg.dispatch_table[_Registered]
    assert type(impl.deepcopy(x)[0]) is _Registered


@pytest.mark.parametrize("make", [lambda: {1, 2}, lambda: set(), lambda: frozenset({3}),
                                  lambda: bytearray(b"ab")], ids=["set", "empty_set",
                                                                  "frozenset", "bytearray"])
def test_reductor_registered_for_a_native_type_between_copies(impl, make):
    # Copied natively while copyreg has no entry for the type (an answer the
    # core keeps until the table changes); a reductor registered later comes
    # first, at the top level and inside containers.
    import copyreg
    x = make()
    nested = [x, [x]]
    impl.deepcopy(x), impl.deepcopy(nested)
    copyreg.dispatch_table[type(x)] = lambda obj: (list, (["reg"],))
    try:
        for root in (x, nested):
            compare_deep(root, impl.deepcopy(root), copy.deepcopy(root))
        assert impl.deepcopy(x) == ["reg"]
    finally:
        del copyreg.dispatch_table[type(x)]
    y = impl.deepcopy(nested)
    assert type(y[0]) is type(x) and y[0] == x


def test_finalizer_changes_the_list_during_a_bulk_copy(impl):
    # A list of small atomic lists (copied whole, from the list's tight
    # loop) and hooks that leave a garbage cycle whose finalizer empties the
    # source list; the GC collects at every allocation it is allowed to.
    # Wherever the finalizer runs, the copy must neither crash nor read the
    # freed items.  (The core holds the GC off while it allocates a whole-
    # container copy: a CI run crashed here on 3.10 before it did, in a
    # threaded test where a finalizer let another thread mutate the list.)
    import gc

    src = []

    class Trap:
        def __del__(self):
            src.clear()

    class Hook:
        def __deepcopy__(self, memo):
            trap = Trap()
            trap.cycle = trap       # only the GC can free it
            return Hook()

    for i in range(60):
        src.append(Hook() if i % 10 == 0 else [i, str(i)])
    threshold = gc.get_threshold()
    gc.collect()
    # Empty the interpreter's free lists of lists and dicts, so that every
    # new container is a GC allocation (which may start a collection).
    hold = [([], {}) for _ in range(500)]
    gc.set_threshold(1)
    try:
        y = impl.deepcopy(src)
    finally:
        gc.set_threshold(*threshold)
        del hold
        gc.collect()
    assert type(y) is list
    for item in y:
        assert type(item) is Hook or (type(item) is list and len(item) == 2)


class _Key(str):
    """A str subclass: not atomic (copied through the reduce protocol), and
    a dict with such a key keeps its keys in the general layout."""


class _Hooked:
    def __deepcopy__(self, memo):
        return "hooked"


@pytest.mark.parametrize("shape", [
    "str_keys", "str_keys_deleted", "int_keys_1e5", "int_keys_deleted",
    "str_subclass_key", "hook_value", "tuple_value", "list_value_last",
    "bytes_and_bools", "instance_dict",
])
def test_dict_scan_reads_every_layout(impl, shape):
    # The scan for a bulk copy reads dict entries in place on 3.10-3.13:
    # str-keyed and general tables, index widths of 1-4 bytes, deleted
    # entries, split (instance) dicts; a value that is not atomic anywhere in
    # the table must send the dict down the item-by-item path.
    def make():
        if shape == "str_keys":
            return {"k%d" % i: i for i in range(300)}
        if shape == "str_keys_deleted":
            d = {"k%d" % i: i for i in range(300)}
            for i in range(0, 300, 3):
                del d["k%d" % i]
            d["late"] = [1]         # after the deleted entries
            return d
        if shape == "int_keys_1e5":
            d = {i: float(i) for i in range(100_000)}
            d[-1] = [2]
            return d
        if shape == "int_keys_deleted":
            d = {i: None for i in range(70_000)}
            for i in range(0, 70_000, 2):
                del d[i]
            return d
        if shape == "str_subclass_key":
            return {"a": 1, _Key("b"): 2, "c": 3.5}
        if shape == "hook_value":
            return {"k%d" % i: i for i in range(50)} | {"h": _Hooked()}
        if shape == "tuple_value":
            return {"a": (1, 2), "b": (3, [4])}
        if shape == "list_value_last":
            return {"k%d" % i: "v" for i in range(1000)} | {"z": ["mutable"]}
        if shape == "bytes_and_bools":
            return {"a": b"x", "b": True, "c": None, 4: False, 5.5: "s"}
        obj = type("Obj", (), {})()
        obj.a, obj.b = 1, [2]
        return [obj.__dict__, obj]
    x, y = _check(impl, make)
    if shape == "str_subclass_key":
        key = next(k for k in y if type(k) is _Key)
        assert key == "b" and key is not next(k for k in x if type(k) is _Key)
    if shape == "hook_value":
        assert y["h"] == "hooked"
    if shape in ("str_keys_deleted", "int_keys_1e5", "list_value_last"):
        late = {"str_keys_deleted": "late", "int_keys_1e5": -1, "list_value_last": "z"}[shape]
        assert y[late] == x[late] and y[late] is not x[late]


def _hook(memo):
    return "hooked"


@pytest.mark.parametrize("state", ["inline", "inline_after_others", "dict_made",
                                   "deleted", "set_through_dict", "never_set"])
def test_deepcopy_hook_set_on_the_instance(impl, state):
    # With no __deepcopy__ on the class, the core skips the lookup when it
    # can tell (from the instance's dict, or from the class's shared keys
    # for attributes kept inline since 3.11) that the instance has none.
    class Holder:           # not a plain class: copied through __reduce__
        def __init__(self, i):
            self.a = [i]

        def __reduce__(self):
            return (Holder, (self.a[0],))

    def make():
        others = [Holder(i) for i in range(5)]
        x = Holder(99)
        if state == "inline":
            x.__deepcopy__ = _hook
        elif state == "inline_after_others":
            others[0].__deepcopy__ = _hook      # the shared keys gain the name
        elif state == "dict_made":
            x.__dict__
            x.__deepcopy__ = _hook
        elif state == "deleted":
            x.__deepcopy__ = _hook
            del x.__deepcopy__
        elif state == "set_through_dict":
            x.__dict__["".join(["__deep", "copy__"])] = _hook   # not interned
        return others + [x]

    x, y = _check(impl, make)
    hooked = [i for i, item in enumerate(y) if item == "hooked"]
    expected = {"inline": [5], "inline_after_others": [0], "dict_made": [5],
                "set_through_dict": [5]}.get(state, [])
    assert hooked == expected
    assert all(type(item) is type(x[i]) for i, item in enumerate(y) if i not in expected)


def test_copier_for_a_self_copying_type_added_without_growing_the_table(impl):
    # Decimal's __deepcopy__ returns the object itself, and the core returns
    # it without a call while copy._deepcopy_dispatch is unchanged.  A copier
    # registered for it after an entry was removed (the table keeps its size)
    # must be found, as the stdlib finds it.
    import decimal
    x = [decimal.Decimal("1.5"), {"d": decimal.Decimal("2")}]
    assert impl.deepcopy(x)[0] is x[0]          # verdict and "no entry" kept
    table = copy._deepcopy_dispatch
    removed = table.pop(types.MethodType)     # an entry on every version
    table[decimal.Decimal] = lambda obj, memo: ("copied", str(obj))
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == [("copied", "1.5"), {"d": ("copied", "2")}]
    finally:
        del table[decimal.Decimal]
        table[types.MethodType] = removed
    assert impl.deepcopy(x)[0] is x[0]


def test_copier_for_a_self_copying_type_added_by_a_hook_mid_copy(impl):
    # The verdict "Decimal is its own copy" is kept while the table is
    # unchanged; Python code that registers a copier while the copy runs
    # must send the Decimals after it to the copier, as in the stdlib.  (A
    # __reduce__, not a __deepcopy__: the core keeps its own memo, and its
    # own-copy answers, when no hook is handed the memo.)
    import decimal

    class Registers:
        def __reduce__(self):
            copy._deepcopy_dispatch[decimal.Decimal] = lambda obj, memo: ("copied", str(obj))
            return (str, ("registered",))

    def make():
        return [decimal.Decimal("1.5"), Registers(), decimal.Decimal("2"),
                {"d": decimal.Decimal("3")}]

    def copied_by(deepcopy):
        try:
            return deepcopy(make())
        finally:
            copy._deepcopy_dispatch.pop(decimal.Decimal, None)

    one = decimal.Decimal("1")
    assert impl.deepcopy([one])[0] is one       # verdict and "no entry" kept
    reference = copied_by(copy.deepcopy)
    assert copied_by(impl.deepcopy) == reference == [
        decimal.Decimal("1.5"), "registered", ("copied", "2"), {"d": ("copied", "3")}]
    assert impl.deepcopy([one])[0] is one


# A class with __getstate__/__setstate__ written in Python: the core makes
# what object.__reduce_ex__(x, 4) would return without calling it.  Each
# case records the calls the protocol makes, to be compared with the
# stdlib's, as well as the copies.

def _logging_stateful(log):
    class Stateful:
        def __init__(self, i):
            self.i = i
            self.items = [i]

        def __getstate__(self):
            log.append(("get", self.i))
            return {"i": self.i, "items": self.items}

        def __setstate__(self, state):
            log.append(("set", state["i"], type(state["items"]).__name__))
            self.__dict__.update(state)
    return Stateful


def _compare_logged(impl, make):
    """make(log) builds a list whose objects log the protocol calls made on
    them (and may end with a function that undoes what copying changed):
    the copies and the calls must be the stdlib's."""
    log = []
    x = make(log)
    reset = x.pop() if callable(x[-1]) else (lambda: None)
    del log[:]                      # calls made while building x
    reference = copy.deepcopy(x)
    reference_log, log[:] = log[:], []
    reset()
    ours = impl.deepcopy(x)
    assert log == reference_log
    compare_deep(x, ours, reference)


def _getstate_on_instance(log):
    Stateful = _logging_stateful(log)
    inline, made = Stateful(1), Stateful(2)
    inline.__getstate__ = lambda: {"i": -1, "items": ["instance"]}
    made.__dict__["__getstate__"] = lambda: {"i": -2, "items": ["dict"]}
    return [Stateful(0), inline, made, Stateful(3)]


def _getstate_rebound_while_running(log):
    Stateful = _logging_stateful(log)

    def first(self):
        Stateful.__getstate__ = lambda self: {"i": 100 + self.i, "items": []}
        return {"i": self.i, "items": ["first"]}
    Stateful.__getstate__ = first
    x = [Stateful(0), Stateful(1)]
    x.append(lambda: setattr(Stateful, "__getstate__", first))   # reset
    return x


def _getstate_not_a_function(log):
    Stateful = _logging_stateful(log)
    Stateful.__getstate__ = functools.partialmethod(lambda self, tag: {"i": tag, "items": []}, 7)
    return [Stateful(0)]


def _getstate_with_newargs(log):
    Stateful = _logging_stateful(log)
    Stateful.__getnewargs__ = lambda self: log.append(("newargs", self.i)) or ()
    return [Stateful(0), Stateful(1)]


def _getstate_returns_none(log):
    Stateful = _logging_stateful(log)
    Stateful.__getstate__ = lambda self: log.append(("get", self.i))
    return [Stateful(0)]


def _getstate_without_setstate(log):
    Stateful = _logging_stateful(log)
    del Stateful.__setstate__
    Stateful.__slots__ = ()
    Stateful.__getstate__ = lambda self: ({"i": self.i}, {"items": [self.i]})
    return [Stateful(0)]


def _getstate_shared_state(log):
    Stateful = _logging_stateful(log)
    shared = ["shared"]
    a, b = Stateful(0), Stateful(1)
    a.items = b.items = shared
    return [a, b, shared, a]


@pytest.mark.parametrize("make", [
    lambda log: [_logging_stateful(log)(i) for i in range(20)],
    _getstate_shared_state, _getstate_on_instance, _getstate_rebound_while_running,
    _getstate_not_a_function, _getstate_with_newargs, _getstate_returns_none,
    _getstate_without_setstate,
], ids=["plain", "shared", "on_instance", "rebound", "not_a_function", "newargs",
        "none", "no_setstate"])
def test_getstate_classes(impl, make):
    _compare_logged(impl, make)


def test_getstate_verdict_follows_class_changes(impl):
    log = []
    Stateful = _logging_stateful(log)
    x = [Stateful(0)]
    impl.deepcopy(x)                # the verdict is cached
    Stateful.__getstate__ = lambda self: {"i": 5, "items": ["new"]}
    assert impl.deepcopy(x)[0].__dict__ == copy.deepcopy(x)[0].__dict__ == {
        "i": 5, "items": ["new"]}
    del Stateful.__getstate__       # back to object's (3.11+) or none (3.10)
    y, reference = impl.deepcopy(x), copy.deepcopy(x)
    assert y[0].__dict__ == reference[0].__dict__ == {"i": 0, "items": [0]}


# Classes with a __getnewargs__ (subclasses of int, str, tuple ...,
# namedtuples): the core makes object.__reduce_ex__'s value itself, with the
# same calls in the same order.

class _IntSub(int):
    pass


class _StrSub(str):
    pass


class _BytesSub(bytes):
    pass


class _FloatSlots(float):
    __slots__ = ("tag",)


class _ComplexSub(complex):
    pass


def _newargs_builtin_subclasses(log):
    import collections
    pair = collections.namedtuple("Pair", "left right")
    shared = ["shared"]
    n, s, t = _IntSub(7), _StrSub("text"), _TupleSub(([1], shared))
    n.items, s.items = shared, [n]
    f = _FloatSlots(1.5)
    f.tag = shared
    empty_slots = _FloatSlots(2.5)
    return [n, s, t, pair(shared, [2]), f, empty_slots, _BytesSub(b"b"), _ComplexSub(1, 2),
            n, shared]


def _logging_newargs(log):
    class Newargs(int):
        def __getnewargs__(self):
            log.append(("newargs", int(self)))
            return (int(self) + 1,)

        def __getstate__(self):
            log.append(("get", int(self)))
            return {"items": [int(self)]}
    return Newargs


def _newargs_logged(log):
    return [_logging_newargs(log)(i) for i in range(5)]


def _newargs_not_a_tuple(log):
    Newargs = _logging_newargs(log)
    Newargs.__getnewargs__ = lambda self: [int(self)]
    return [Newargs(1)]


def _newargs_tuple_subclass(log):
    Newargs = _logging_newargs(log)
    Newargs.__getnewargs__ = lambda self: _TupleSub((int(self),))
    return [Newargs(1)]


def _newargs_rebind_getstate(log):
    Newargs = _logging_newargs(log)
    original = Newargs.__getstate__

    def newargs(self):
        Newargs.__getstate__ = lambda self: log.append(("rebound", int(self))) or {"r": []}
        return (int(self),)
    Newargs.__getnewargs__ = newargs
    return [Newargs(1), Newargs(2), lambda: setattr(Newargs, "__getstate__", original)]


def _newargs_default_getstate(log):
    Newargs = _logging_newargs(log)
    del Newargs.__getstate__          # object's (3.11+) or none (3.10)
    x = Newargs(3)
    x.items = [3]
    return [x, Newargs(4)]


def _newargs_overrides_on_instance(log):
    Newargs = _logging_newargs(log)
    with_reduce, with_getstate = Newargs(1), Newargs(2)
    with_reduce.__reduce__ = lambda: log.append("reduce") or (list, ([1],))
    with_getstate.__getstate__ = lambda: log.append("instance get") or {"own": [2]}
    # (The instance dict of an int subclass is at the end of the object on
    # 3.10 and 3.11, where the core reads it in place.)
    with_deepcopy, with_reduce_ex = Newargs(4), Newargs(5)
    with_deepcopy.__deepcopy__ = lambda memo: log.append("instance deepcopy") or ["copied"]
    with_reduce_ex.__reduce_ex__ = lambda proto: log.append("instance reduce_ex") or (list, ([5],))
    return [Newargs(0), with_reduce, with_getstate, Newargs(3), with_deepcopy, with_reduce_ex]


def _newargs_with_newargs_ex(log):
    Newargs = _logging_newargs(log)
    Newargs.__getnewargs_ex__ = lambda self: log.append("ex") or ((int(self),), {})
    return [Newargs(1)]


def _newargs_lists_and_dicts(log):
    class Items(list):
        def __iter__(self):
            log.append(("iter", len(self)))
            return list.__iter__(self)

    class Pairs(dict):
        def items(self):
            log.append(("items", len(self)))
            return dict.items(self)

        def __getstate__(self):
            log.append(("get", len(self)))
            return {"tag": [len(self)]}

    class WithArgs(list):
        def __getnewargs__(self):
            log.append(("newargs", len(self)))
            return ()

    shared = [0]
    items, pairs, with_args = Items([shared, 1]), Pairs(a=shared, b=[2]), WithArgs([shared])
    items.attr = shared
    return [items, pairs, with_args, _DictSub(k=shared), shared]


@pytest.mark.parametrize("make", [
    _newargs_builtin_subclasses, _newargs_lists_and_dicts, _newargs_logged, _newargs_not_a_tuple,
    _newargs_tuple_subclass, _newargs_rebind_getstate, _newargs_default_getstate,
    _newargs_overrides_on_instance, _newargs_with_newargs_ex,
], ids=["builtin_subclasses", "lists_and_dicts", "logged", "not_a_tuple", "tuple_subclass", "rebind_getstate",
        "default_getstate", "overrides_on_instance", "newargs_ex"])
def test_newargs_classes(impl, make):
    try:
        copy.deepcopy(make([]))
    except TypeError as error:
        expected = str(error)
    else:
        _compare_logged(impl, make)
        return
    with pytest.raises(TypeError) as raised:
        impl.deepcopy(make([]))
    assert str(raised.value) == expected


def test_newargs_verdict_follows_class_changes(impl):
    log = []
    Newargs = _logging_newargs(log)
    x = [Newargs(1)]
    impl.deepcopy(x)                # the verdict is cached
    Newargs.__reduce__ = lambda self: (list, ([9],))
    assert impl.deepcopy(x) == copy.deepcopy(x) == [[9]]
    del Newargs.__reduce__
    Newargs.__getnewargs__ = lambda self: (5,)
    y, reference = impl.deepcopy(x), copy.deepcopy(x)
    assert y == reference == [5]


def test_newargs_copyreg_newobj_replaced(impl, monkeypatch):
    import copyreg
    calls = []

    def newobj(cls, *args):
        calls.append(cls.__name__)
        return cls.__new__(cls, *args)
    x = [_IntSub(1), _TupleSub((2, [3]))]
    impl.deepcopy(x)                # the verdicts are cached
    monkeypatch.setattr(copyreg, "__newobj__", newobj)
    ours = impl.deepcopy(x)
    our_calls, calls[:] = calls[:], []
    reference = copy.deepcopy(x)
    assert calls == our_calls == ["_IntSub", "_TupleSub"]
    compare_deep(x, ours, reference)


@pytest.mark.parametrize("replaced", ["newobj", "module"])
def test_copyreg_newobj_replaced(impl, replaced, monkeypatch):
    # object.__reduce_ex__ takes copyreg.__newobj__ from sys.modules at each
    # call; the stdlib then calls whatever it found.
    import copyreg
    import sys
    import types
    calls = []

    def newobj(cls, *args):
        calls.append(cls.__name__)
        return cls.__new__(cls, *args)
    if replaced == "newobj":
        monkeypatch.setattr(copyreg, "__newobj__", newobj)
    else:
        stand_in = types.ModuleType("copyreg")
        stand_in.__dict__.update(copyreg.__dict__)
        stand_in.__newobj__ = newobj
        monkeypatch.setitem(sys.modules, "copyreg", stand_in)
    log = []
    Stateful = _logging_stateful(log)
    x = [Stateful(0), _Other([1]), Stateful(2)]
    ours = impl.deepcopy(x)
    our_calls, calls[:] = calls[:], []
    reference = copy.deepcopy(x)
    assert calls == ["Stateful", "_Other", "Stateful"]
    assert our_calls == calls
    compare_deep(x, ours, reference)


# copyreg.__newobj__(cls, *args) is cls.__new__(cls, *args); when that is a
# built-in type's __new__ (a subclass of tuple, dict, int ...), the core calls
# the type's C function the way that __new__ would, after the same checks.

class _TupleSub(tuple):
    pass


class _DictSub(dict):
    pass


class _NewInPython(tuple):
    def __new__(cls, *args):
        _new_calls.append(cls.__name__)
        return super().__new__(cls, *args)


class _NewMeta(type):
    # getattr(cls, "__new__") goes through this: not the MRO's __new__.
    def __getattribute__(cls, name):
        if name == "__new__":
            def new(klass, *args):
                _new_calls.append("meta")
                return dict.__new__(klass, *args)
            return new
        return super().__getattribute__(name)


class _DictSubWithMeta(dict, metaclass=_NewMeta):
    pass


class _UnsafeNew(dict):
    # object.__new__ would be called for a dict subclass: "not safe".
    __new__ = object.__new__


class _NewobjOf:
    """Reduces to copyreg.__newobj__(cls, *args) for a given class."""

    def __init__(self, cls, *args):
        self.cls, self.args = cls, args

    def __reduce_ex__(self, protocol):
        import copyreg
        return (copyreg.__newobj__, (self.cls,) + self.args)


_new_calls = []


@pytest.mark.parametrize("make", [
    lambda: [_TupleSub((i, [i])) for i in range(5)],
    lambda: [_DictSub(a=[i]) for i in range(5)],
    lambda: [_NewInPython((1, [2]))],
    lambda: [_DictSubWithMeta(a=[1])],
    lambda: [_NewobjOf(int, "12"), _NewobjOf(tuple, [1, [2]]), _NewobjOf(_TupleSub, (3,))],
    lambda: [_NewobjOf(frozenset, [1, 2]), _NewobjOf(bytes, 3), _NewobjOf(_DictSub)],
], ids=["tuple_subclass", "dict_subclass", "new_in_python", "metaclass_getattribute",
        "builtin_classes", "more_builtin_classes"])
def test_new_of_built_in_types(impl, make):
    original = make()
    _new_calls.clear()
    ours = impl.deepcopy(original)
    our_calls, _new_calls[:] = _new_calls[:], []
    reference = copy.deepcopy(original)
    assert our_calls == _new_calls      # the same __new__ ran, as often
    compare_deep(original, ours, reference)


@pytest.mark.parametrize("cls, args", [
    (_UnsafeNew, ()), (int, ("not a number",)), (tuple, (1, 2)), (int, (1, 2, 3)),
], ids=["unsafe", "value_error", "two_args", "three_args"])
def test_new_of_built_in_types_that_fails(impl, cls, args):
    x = _NewobjOf(cls, *args)
    with pytest.raises(Exception) as reference:
        copy.deepcopy(x)
    with pytest.raises(type(reference.value)) as ours:
        impl.deepcopy(x)
    assert str(ours.value) == str(reference.value)


# A class whose __deepcopy__ is a function written in Python: the core calls
# the function with the instance and the memo instead of binding a method,
# when the instance's own __dict__ surely holds no __deepcopy__.

def _hooked_class(log):
    class Hooked:
        def __init__(self, i):
            self.i = i
            self.items = [i]

        def __deepcopy__(self, memo):
            log.append(("class", self.i, type(memo).__name__))
            new = Hooked.__new__(Hooked)
            new.i, new.items = self.i, copy.deepcopy(self.items, memo)
            return new
    return Hooked


def _hook_rebound_while_running(log):
    Hooked = _hooked_class(log)
    first = Hooked.__deepcopy__

    def rebinding(self, memo):
        Hooked.__deepcopy__ = lambda self, memo: log.append(("second", self.i)) or [self.i]
        return first(self, memo)
    Hooked.__deepcopy__ = rebinding
    x = [Hooked(0), Hooked(1), Hooked(2)]
    x.append(lambda: setattr(Hooked, "__deepcopy__", rebinding))     # reset
    return x


def _hook_on_instances(log):
    Hooked = _hooked_class(log)
    x = [Hooked(i) for i in range(6)]
    x[1].__deepcopy__ = lambda memo: log.append(("inline", 1)) or "inline"
    x[3].__dict__
    x[3].__deepcopy__ = lambda memo: log.append(("dict", 3)) or "dict"
    x[5].__dict__["".join(["__deep", "copy__"])] = lambda memo: "not interned"
    return x


def _hook_not_a_function(log):
    Hooked = _hooked_class(log)
    Hooked.__deepcopy__ = functools.partialmethod(
        lambda self, tag, memo: log.append((tag, self.i)) or [tag], "partial")
    return [Hooked(0), Hooked(1)]


def _hook_property(log):
    Hooked = _hooked_class(log)
    Hooked.__deepcopy__ = property(lambda self: lambda memo: log.append(("property", self.i)) or [])
    return [Hooked(0)]


def _hook_shared_and_cyclic(log):
    Hooked = _hooked_class(log)
    a = Hooked(0)
    a.items.append(a)
    return [a, a.items, Hooked(1), a]


@pytest.mark.parametrize("make", [
    lambda log: [_hooked_class(log)(i) for i in range(20)],
    _hook_rebound_while_running, _hook_on_instances, _hook_not_a_function,
    _hook_property, _hook_shared_and_cyclic,
], ids=["plain", "rebound", "on_instances", "not_a_function", "property", "shared"])
def test_deepcopy_functions_of_classes(impl, make):
    _compare_logged(impl, make)


def test_deepcopy_function_verdict_follows_class_changes(impl):
    log = []
    Hooked = _hooked_class(log)
    x = [Hooked(0)]
    impl.deepcopy(x)                # the verdict is cached
    Hooked.__deepcopy__ = lambda self, memo: ["new"]
    assert impl.deepcopy(x) == copy.deepcopy(x) == [["new"]]
    del Hooked.__deepcopy__         # back to the reduce protocol
    y = impl.deepcopy(x)
    assert type(y[0]) is Hooked and y[0].items == [0] and y[0].items is not x[0].items


# --- a __deepcopy__ at the top of a copy (no memo given) ----------------------

def _memo_shape(memo, x, y):
    """The stdlib's record of deepcopy(x) -> y in a memo a hook kept:
    which ids are keys, and what they hold (by identity)."""
    shape = {}
    for key, value in memo.items():
        if key == id(x):
            shape["id(x)"] = "y" if value is y else repr(value)
        elif key == id(memo):
            shape["id(memo)"] = ["x" if v is x else repr(v) for v in value]
        else:
            shape[key] = repr(value)
    return shape


@pytest.mark.parametrize("returns", ["new", "self", "none"])
def test_top_level_hook_that_keeps_the_memo(impl, returns):
    # The stdlib records the copy in the memo after the hook returns; a hook
    # that kept the memo sees that record, whatever the implementation.
    class Keeper:
        kept = []

        def __deepcopy__(self, memo):
            Keeper.kept.append(memo)
            memo["own"] = "entry"
            return {"new": Keeper(), "self": self, "none": None}[returns]

    shapes = []
    for deepcopy in (copy.deepcopy, impl.deepcopy):
        x = Keeper()
        for _ in range(3):          # the first call finds the verdict, then the cache
            del Keeper.kept[:]
            y = deepcopy(x)
            [memo] = Keeper.kept
            shapes.append(_memo_shape(memo, x, y))
            assert type(memo) is dict
    assert shapes[3:] == shapes[:3]
    if returns == "self":
        assert "id(x)" not in shapes[0]
    else:
        assert shapes[0]["id(x)"] == "y" and shapes[0]["id(memo)"] == ["x"]


def test_top_level_hook_whose_memo_is_dropped(impl):
    # A hook that does not keep the memo: the copy is the same, and nothing
    # else holds what the memo would have held.
    import gc
    import weakref

    class Node:
        def __init__(self, items):
            self.items = items

        def __deepcopy__(self, memo):
            return Node(copy.deepcopy(self.items, memo))

    x = Node([[1], {"a": (2, [3])}])
    y = impl.deepcopy(x)
    compare_deep(x, y, copy.deepcopy(x))
    probe = weakref.ref(y)
    del y
    gc.collect()
    assert probe() is None


def test_top_level_c_level_hooks(impl):
    # Methods of built-in types called unbound: the same results, errors
    # included, as the bound method the stdlib makes.
    import array

    class BadHook:
        __deepcopy__ = list.copy        # for lists only

    class ArraySub(array.array):
        pass

    for make in (lambda: array.array("i", [1, 2, 3]), lambda: ArraySub("d", [1.5]),
                 lambda: [array.array("b", [1])] * 2):
        x = make()
        for _ in range(2):
            compare_deep(x, impl.deepcopy(x), copy.deepcopy(x))
    x = BadHook()
    for _ in range(2):
        with pytest.raises(TypeError) as ours:
            impl.deepcopy(x)
        with pytest.raises(TypeError) as reference:
            copy.deepcopy(x)
        assert str(ours.value) == str(reference.value)


def test_top_level_hook_changes_after_the_verdict(impl):
    # The cached verdict is checked at every call: a hook put on the
    # instance, a copier registered for the class, the hook removed.
    class Hooked:
        def __deepcopy__(self, memo):
            return "class"

    x = Hooked()
    assert impl.deepcopy(x) == impl.deepcopy(x) == "class"
    x.__deepcopy__ = lambda memo: "instance"
    assert impl.deepcopy(x) == copy.deepcopy(x) == "instance"
    del x.__deepcopy__
    copy._deepcopy_dispatch[Hooked] = lambda x, memo: "copier"
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == "copier"
    finally:
        del copy._deepcopy_dispatch[Hooked]
    assert impl.deepcopy(x) == "class"
    del Hooked.__deepcopy__
    assert type(impl.deepcopy(x)) is Hooked and impl.deepcopy(x) is not x


# --- a dict memo read from its hash table (no id(x) int made) -----------------

class _EqualsEverything:
    """A key with the hash of a given address, equal to everything: a real
    lookup of id(x) finds it."""

    def __init__(self, address):
        self.address = address

    def __hash__(self):
        return hash(self.address)

    def __eq__(self, other):
        return True


class _IntSubclass(int):
    pass


@pytest.mark.parametrize("key_kind", ["equals_everything", "int_subclass", "exact_int"])
@pytest.mark.parametrize("filler", [0, 300, 70000])
def test_dict_memo_entries_put_by_hand(impl, key_kind, filler):
    # Entries a caller put in the memo under keys equal to id(child): the
    # stdlib's memo.get(id(child)) finds them, whatever the key's type and
    # however large the table (its index entries are 1, 2 or 4 bytes), with
    # deleted entries on the way.
    child = [1, 2]
    x = [child, "atom", 7, (child,)]
    make_key = {"equals_everything": _EqualsEverything, "int_subclass": _IntSubclass,
                "exact_int": int}[key_kind]

    def memo():
        m = {}
        for i in range(filler):
            m[("filler", i)] = i
        for i in range(0, filler, 3):
            del m[("filler", i)]
        m[make_key(id(child))] = "found"
        return m

    ours, reference = impl.deepcopy(x, memo()), copy.deepcopy(x, memo())
    assert ours == reference
    assert ours[0] == "found" and ours[3] == ("found",)


_BIG = 10 ** 20          # an int and a str that are not interned or cached
_WORD = "".join(["w", "o", "r", "d"])


class _RecordsAtoms:
    """A hook that records both atoms in the memo it is handed (with no memo
    passed, the first hook turns the copy's memo into a dict)."""

    def __deepcopy__(self, memo):
        memo[id(_BIG)] = "big from memo"
        memo[id(_WORD)] = "word from memo"
        return _RecordsAtoms()

    def __eq__(self, other):
        return type(other) is _RecordsAtoms

    __hash__ = object.__hash__

    def __repr__(self):
        return "hook"


_ATOM_CONTAINERS = {
    "list": lambda: [_RecordsAtoms(), [_BIG, _WORD, 1], _BIG, _WORD],
    "tuple": lambda: [_RecordsAtoms(), (_BIG, _WORD, [1]), (_BIG, 2)],
    "dict values": lambda: [_RecordsAtoms(), {"a": _BIG, "b": _WORD, "c": [1]}],
    "dict keys": lambda: [_RecordsAtoms(), {_BIG: 1, _WORD: 2, 3: [4]}],
    "set": lambda: [_RecordsAtoms(), {_BIG, 1}, frozenset([_WORD, 2])],
    "dict in a dict": lambda: {"hook": _RecordsAtoms(), "d": {"x": {_WORD: _BIG}}},
}


@pytest.mark.parametrize("memo", [False, True], ids=["no memo", "dict memo"])
@pytest.mark.parametrize("case", sorted(_ATOM_CONTAINERS))
def test_atoms_answered_from_a_dict_memo(impl, case, memo):
    # With a dict memo the item loops answer atomic items whose id() the
    # memo lacks without handing them to the walk: the entries a hook puts
    # in the memo must still be found (up to 3.13; from 3.14 on an atomic
    # object is its own copy before the memo is read).
    make = _ATOM_CONTAINERS[case]
    original = make()
    if memo:
        ours, reference = impl.deepcopy(original, {}), copy.deepcopy(make(), {})
    else:
        ours, reference = impl.deepcopy(original), copy.deepcopy(make())
    assert ours == reference
    found = repr(ours).count("from memo")
    assert found == (0 if sys.version_info >= (3, 14) else repr(reference).count("from memo"))
    if sys.version_info < (3, 14):
        assert found > 0


def test_atoms_of_a_prefilled_dict_memo_inside_containers(impl):
    def memo():
        return {id(_BIG): "big", id(_WORD): "word"}
    x = [[_BIG], (_WORD, [1]), {_WORD: _BIG}, {_BIG}]
    ours, reference = impl.deepcopy(x, memo()), copy.deepcopy(x, memo())
    assert ours == reference
    for atom in (_BIG, _WORD, 12345):
        assert impl.deepcopy(atom, memo()) == copy.deepcopy(atom, memo())
    if sys.version_info < (3, 14):
        assert ours[0] == ["big"] and ours[2] == {"word": "big"}
        assert impl.deepcopy(_WORD, memo()) == "word"


def _memo_layout(memo):
    """A dict memo as comparable data: its keys in order (id(memo), the
    keep-alive entry, as a marker), each value's repr, and the ids of the
    objects kept alive, in order."""
    own = id(memo)
    keys = ["keep-alive" if k == own else k for k in memo]
    values = [repr(v) for k, v in memo.items() if k != own]
    kept = [id(o) for o in memo.get(own, [])]
    return keys, values, kept


@pytest.mark.parametrize("shape", ["atoms only", "nested", "shared", "with a hook"])
def test_dict_memo_left_as_the_stdlib_leaves_it(impl, shape):
    # Lists and dicts of atoms are copied whole with a dict memo: the memo
    # must end up with the same entries, in the same order, and the same
    # objects kept alive, as the stdlib's.
    inner = [1, "a", None]
    x = {
        "atoms only": lambda: [[1, 2.5, "s"], {"a": 1, 2: None}, [], {}],
        "nested": lambda: {"l": [[1], {"k": [2, 3]}], "t": ([4], {"j": 5})},
        "shared": lambda: [inner, {"x": inner}, (inner, inner)],
        "with a hook": lambda: [_RecordsAtoms(), [_BIG, _WORD], {"w": _WORD}],
    }[shape]()
    ours, reference = {}, {}
    y = impl.deepcopy(x, ours)
    assert y == copy.deepcopy(x, reference)
    assert _memo_layout(ours) == _memo_layout(reference)


# Small trees of lists, dicts and tuples handed on with a dict memo, as a
# hook hands on its __dict__ or its items: copied without the walk when the
# memo maps none of their containers or atoms; the memo must be filled as the
# stdlib fills it either way.
_SMALL_TREES = {
    "a hook's __dict__": lambda: {"name": "s", "values": list(range(10)),
                                  "options": {"a": [1, 2], "b": {"c": _BIG}}},
    "lists in a list": lambda: [[1], [2, 3], [], [[4.5]]],
    "tuples": lambda: ([1], (2, 3), ((), [None]), {"t": (1.5, [True])}),
    "shared": lambda: (lambda inner, pair: [inner, {"again": inner}, pair, (pair, inner)])(
        [_WORD], ([1], 2)),
    "empty list": lambda: [],
    "empty dict": lambda: {},
    "own-copy tuple": lambda: (1, "two", None),
    "number keys": lambda: {1: [2], 3.5: {None: "x"}, False: ()},
    "too many items": lambda: [[i] for i in range(20)],
    "too deep": lambda: [[[[[[1]]]]]],
    "bytes inside": lambda: [b"raw", [1]],
    "deleted entries": lambda: _dict_with_deleted_entries(),
    "attribute dicts": lambda: _attribute_dicts(),
}


def _first(x, want):
    """The first object in x (depth first, x included) that want() accepts."""
    stack = [x]
    while stack:
        o = stack.pop(0)
        if want(o):
            return o
        if isinstance(o, dict):
            stack[:0] = [*o.keys(), *o.values()]
        elif isinstance(o, (list, tuple)):
            stack[:0] = list(o)
    return None


def _map_inner_container(x, memo):
    inner = _first(x, lambda o: o is not x and isinstance(o, (list, dict, tuple))) or x
    memo[id(inner)] = "mapped"


def _map_an_atom(x, memo):
    atom = _first(x, lambda o: isinstance(o, (int, float, str)) or o is None)
    memo[id(atom if atom is not None else x)] = "mapped"


_MEMO_STATES = {
    "empty": lambda x, memo: None,
    "unrelated entries": lambda x, memo: memo.update({"own": "entry", 12: [1]}),
    "keep-alive list": lambda x, memo: memo.update({id(memo): [_WORD]}),
    "keep-alive not a list": lambda x, memo: memo.update({id(memo): (_WORD,)}),
    "inner container mapped": _map_inner_container,
    "atom mapped": _map_an_atom,
}


def _memo_layout_of(memo, x):
    """A dict memo as comparable data, for copies of the same x with memos
    made alike: its entries in order, each key told by where its object is
    in x ("keep-alive" for id(memo), the repr of a key that is not an int),
    with its value's repr; then the objects kept alive, in order, told the
    same way.  (Sets are left out of these trees: the stdlib also records
    their temporary reduce value, which fastcopy does not.)"""
    where = {id(o): i for i, o in enumerate(reachable(x))}
    own = id(memo)
    entries = []
    for key, value in memo.items():
        if key == own:
            entries.append("keep-alive")
        elif not isinstance(key, int):
            entries.append((repr(key), repr(value)))
        else:
            entries.append((where.get(key, "not in x"), repr(value)))
    kept = memo.get(own)
    if isinstance(kept, list):
        kept = [where.get(id(o), repr(o)) for o in kept]
    return entries, repr(kept) if not isinstance(kept, list) else kept


@pytest.mark.parametrize("state", sorted(_MEMO_STATES))
@pytest.mark.parametrize("tree", sorted(_SMALL_TREES))
def test_small_tree_with_a_dict_memo(impl, tree, state):
    x = _SMALL_TREES[tree]()
    memos = []
    outcomes = []
    for deepcopy in (impl.deepcopy, copy.deepcopy):
        memo = {}
        _MEMO_STATES[state](x, memo)
        memos.append(memo)
        outcomes.append(outcome(deepcopy, x, memo))
    (kind, ours), (reference_kind, reference) = outcomes
    assert kind == reference_kind
    if kind == "ok":
        compare_deep(x, ours, reference)
    else:
        assert ours is reference        # the same exception type
    assert _memo_layout_of(memos[0], x) == _memo_layout_of(memos[1], x)


def test_small_trees_copied_one_after_another_into_one_memo(impl):
    # A hook copying its attributes one by one with the same memo: later
    # trees find what earlier ones recorded (and share it), and the
    # keep-alive list grows across the calls.
    inner = [1, 2]
    attributes = [{"a": inner}, [inner, {"b": 2}], ([3], inner), "name", [[4]]]
    results, memos = [], []
    for deepcopy in (impl.deepcopy, copy.deepcopy):
        memo = {}
        results.append([deepcopy(a, memo) for a in attributes])
        memos.append(memo)
    compare_deep(attributes, results[0], results[1])
    assert results[0][1][0] is results[0][0]["a"] is results[0][2][1]
    assert _memo_layout_of(memos[0], attributes) == _memo_layout_of(memos[1], attributes)


class _CountsComparisons:
    """A memo key whose hash equals an id to come, and that counts how often
    the memo compares it with another key."""

    def __init__(self, address):
        self.address = address
        self.compared = 0

    def __hash__(self):
        return hash(self.address)

    def __eq__(self, other):
        self.compared += 1
        return False

    def __repr__(self):
        return "colliding key"


def test_small_tree_memo_key_with_the_hash_of_an_id(impl):
    # Looking up and inserting id(inner) compares it with a memo key of the
    # same hash, whose __eq__ runs Python code: the memo still ends up as the
    # stdlib leaves it.
    inner = [1]
    x = {"inner": inner, "other": [2]}
    memos = []
    for deepcopy in (impl.deepcopy, copy.deepcopy):
        key = _CountsComparisons(id(inner))
        memo = {key: "colliding"}
        y = deepcopy(x, memo)
        assert y == x and y["inner"] is memo[id(inner)] and key.compared > 0
        memos.append(memo)
    assert _memo_layout_of(memos[0], x) == _memo_layout_of(memos[1], x)


class _ChangesKeepAlive:
    """A hook that changes the memo's keep-alive entry, memo[id(memo)], in
    the middle of a copy that keeps objects alive before and after it."""

    def __init__(self, change):
        self.change = change

    def __deepcopy__(self, memo):
        key = id(memo)
        if self.change == "replaced":
            memo[key] = ["replacement"]
        elif self.change == "dropped":
            del memo[key]
        elif self.change == "moved":
            memo[key] = memo.pop(key)       # the same list, now the last entry
        elif self.change == "table rebuilt":
            for i in range(1, 200):
                memo[-i] = i                # (no id() is negative)
        return "hooked"


@pytest.mark.parametrize("change", ["replaced", "dropped", "moved", "table rebuilt"])
def test_keep_alive_entry_changed_by_a_hook(impl, change):
    # The core remembers where it found memo[id(memo)]; a hook may replace,
    # delete or move that entry, or make the dict rebuild its table: every
    # object kept alive afterwards must go where the stdlib puts it.
    seen = []

    class Spy:
        def __deepcopy__(self, memo):
            seen.append(_memo_layout(memo))
            return "spied"

    x = [[1], {"a": [2]}, ([3],), _ChangesKeepAlive(change), [4], {"b": [5]}, [[6]], Spy()]
    ours, reference = {}, {}
    assert impl.deepcopy(x, ours) == copy.deepcopy(x, reference)
    assert _memo_layout(ours) == _memo_layout(reference)
    ours_seen, reference_seen = seen
    assert ours_seen == reference_seen


class _RebindsContainerEntry:
    """A hook that replaces (or drops) the memo entry of the list holding it,
    recorded when the list's copy began."""

    def __init__(self, holder, drop):
        self.holder, self.drop = holder, drop

    def __deepcopy__(self, memo):
        if self.drop:
            del memo[id(self.holder[0])]
        else:
            memo[id(self.holder[0])] = "rebound"
        return "hooked"


@pytest.mark.parametrize("drop", [False, True], ids=["rebound", "dropped"])
def test_container_recorded_again_after_a_hook_changed_its_entry(impl, drop):
    # The stdlib records a list's copy when its copy begins and again when it
    # returns; the second store is skipped only when the memo still holds
    # that copy.
    def make():
        holder = []
        inner = [1]
        holder.append(inner)
        inner.append(_RebindsContainerEntry(holder, drop))
        return [inner, inner, (inner,)]
    for memo in ({}, None):
        x, x_ref = make(), make()
        m, m_ref = (dict(memo), dict(memo)) if memo is not None else (None, None)
        ours, reference = impl.deepcopy(x, m), copy.deepcopy(x_ref, m_ref)
        assert ours == reference == [[1, "hooked"]] * 2 + [([1, "hooked"],)]
        assert ours[0] is ours[1] is ours[2][0]
        assert (reference[0] is reference[1]) and reference[2][0] is reference[0]


def test_dict_memo_with_str_keys_only(impl):
    x = [[1], {"a": [2]}]
    ours, reference = impl.deepcopy(x, {"k": "v"}), copy.deepcopy(x, {"k": "v"})
    compare_deep(x, ours, reference)


# --- the list items of a reduce value, appended one by one ---------------------

def _appending_case(log, subclass):
    """A deque (or a subclass logging its appends, whose append a hook
    rebinds mid-copy) holding hooks that log how long the copy is so far."""
    import collections

    class Logged(collections.deque):
        def append(self, item):
            log.append(("append", item if isinstance(item, int) else "spy"))
            super().append(item)

    class Spy:
        def __deepcopy__(self, memo):
            copies = [v for v in memo.values() if isinstance(v, collections.deque)]
            log.append(("spy", [len(c) for c in copies]))
            if subclass:
                Logged.append = lambda self, item: (log.append(("rebound",)),
                                                   collections.deque.append(self, item))
            return Spy()

    if subclass:
        return Logged([1, Spy(), 2, Spy()])
    return collections.deque([1, Spy(), 2, Spy(), 3], maxlen=4)


@pytest.mark.parametrize("subclass", [False, True])
def test_list_items_appended_as_each_is_copied(impl, subclass):
    # The stdlib appends each item's copy to the new object before copying
    # the next: a hook that looks at the copy so far (through the memo) sees
    # it grow, for a built-in type (deque: its append found once) and for a
    # subclass whose append is rebound while the copy runs.
    results = []
    for deepcopy in (copy.deepcopy, impl.deepcopy):
        log = []
        y = deepcopy(_appending_case(log, subclass), {})
        results.append((log, type(y).__name__, len(y), y.maxlen))
    assert results[1] == results[0]
    # (The second hook saw the items before it appended already.)
    assert [entry for entry in results[0][0] if entry[0] == "spy"][1][1][0] >= 2


class _DequeSpy:
    """Looks at the deque's copy so far through the memo, and (once) puts an
    entry in the memo for an atomic item that comes later."""

    def __init__(self, source, log, plant=None):
        self.source, self.log, self.plant = source, log, plant

    def __deepcopy__(self, memo):
        copied = memo.get(id(self.source[0]))
        self.log.append(None if copied is None else list(copied))
        if self.plant is not None:
            memo[id(self.plant)] = "planted"
        return "spy"


@pytest.mark.parametrize("maxlen", [None, 5])
def test_deque_items_around_hooks_without_a_memo(impl, maxlen):
    # Runs of atomic items may go in together, but a hook must still see
    # every item before it in the copy, and a memo entry a hook adds must be
    # used for the items after it (3.10-3.13 look in the memo first).
    import collections
    results = []
    for deepcopy in (copy.deepcopy, impl.deepcopy):
        log, source = [], [None]
        late_atom = "late-%d" % len(results)
        d = collections.deque([1, "a", 2.5, _DequeSpy(source, log), None, (3,),
                               _DequeSpy(source, log, plant=late_atom), late_atom, 7] * 2,
                              maxlen)
        source[0] = d
        y = deepcopy([d])[0]
        results.append((log, [v if v != late_atom else "late" for v in y], y.maxlen))
    assert results[1] == results[0]
    if maxlen is None:
        assert len(results[0][0][1]) >= 4    # (the second spy saw the items before it)
        if sys.version_info < (3, 14):
            assert "planted" in results[0][1]


# --- small trees of containers, copied without a session ----------------------

def _one_level_cases():
    shared, d = [1, "a"], {"k": 2.5}
    s, f = {1, 2}, frozenset({"x"})
    many = [[i] for i in range(9)]                   # more children than the shortcut takes
    return {
        "tuple_with_list": lambda: (1, 2, [3]),
        "list_of_empties": lambda: [[], {}, (), set(), frozenset()],
        "shared_children": lambda: [shared, d, shared, (shared,), d],
        "dict_shared_values": lambda: {"a": shared, "b": shared, "c": d, ("t", 1): s, None: f},
        "sets": lambda: (s, f, s),
        "nine_children": lambda: list(many),
        "deeper": lambda: [[1, [2]], {"a": {"b": 1}}],
        "tuple_child_with_list": lambda: [(1, [2])],
        "seventeen_items": lambda: [[i] for i in range(17)],
        "self_reference": lambda: _self_referencing_list(),
        "three_levels": lambda: [[[1]], {"a": {"b": [1, (2, [3])]}}],
        "shared_across_levels": lambda: _shared_across_levels(),
        "tuples_unchanged_inside": lambda: [((((1,),),),), {"t": (((2,),),)}],
        "tuple_changed_deep_inside": lambda: (1, (2, (3, [4]))),
        "five_levels": lambda: [[[[[1]]]]],
        "thirteen_containers": lambda: [[[i]] for i in range(6)] + [[]],
        "dict_of_five_with_children": lambda: {k: [k] for k in "abcde"},
        "dict_of_five_mixed": lambda: {"a": 1, "b": [2], "c": "x", "d": (), "e": {"f": 3}},
        "dict_cycle_two_deep": lambda: _dict_cycle(),
        "sets_inside": lambda: [{"s": {1, 2}}, [frozenset({"a"}), set()]],
        "instance_deep_inside": lambda: [[{"a": [_Plain()]}]],
        "dict_with_deleted_entries": lambda: _dict_with_deleted_entries(),
        "instance_attribute_dicts": lambda: _attribute_dicts(),
    }


class _Plain:
    pass


def _shared_across_levels():
    leaf = [1]
    mid = {"leaf": leaf}
    return [leaf, [mid, (leaf, mid)], {"m": mid}]


def _dict_with_deleted_entries():
    # Dicts whose tables hold deleted entries (str keys, and mixed keys),
    # read in place by the small-tree copy.
    named = {"a": [1], "b": 2, "c": {"x": 1}, "d": "dd", "e": [5]}
    del named["b"], named["d"]
    named["f"] = [6]
    mixed = {1: [1], "two": 2, 3.5: {"x": [3]}, None: 4}
    del mixed["two"], mixed[None]
    mixed[(7,)] = [7]
    return [named, {"m": mixed}, mixed]


def _attribute_dicts():
    # Instances' __dict__s (split tables where the interpreter shares keys
    # between instances of a class), handed on as a hook hands them on.
    first, second = _Plain(), _Plain()
    first.a, first.b = [1], {"c": 2}
    second.a, second.b = [3], "b"
    del second.a
    return [first.__dict__, {"second": second.__dict__}]


def _dict_cycle():
    d = {"a": {}}
    d["a"]["back"] = d
    return [d]


def _self_referencing_list():
    x = [1, []]
    x[1].append(x)
    return x


@pytest.mark.parametrize("name", sorted(_one_level_cases()))
def test_small_container_trees(impl, name):
    make = _one_level_cases()[name]
    x = make()
    y = impl.deepcopy(x)
    compare_deep(x, y, copy.deepcopy(x))


def test_small_container_keys_hashed_in_python_are_left_to_the_walk(impl):
    # A class listed as atomic whose __hash__ is Python code: as a dict key
    # next to a list value, the shortcut would rehash it; the walk copies it.
    class Key:
        calls = 0

        def __hash__(self):
            Key.calls += 1
            return 1

    # Listed as atomic the way the running copy module lists types.
    if hasattr(copy, "_deepcopy_atomic"):
        copy._deepcopy_dispatch[Key] = copy._deepcopy_atomic
    else:
        atomic_types = copy._atomic_types
        copy._atomic_types = atomic_types | {Key}
    try:
        key = Key()
        x = {key: [1], "b": [2]}
        Key.calls = 0
        reference = copy.deepcopy(x)
        stdlib_calls, Key.calls = Key.calls, 0
        y = impl.deepcopy(x)
        compare_deep(x, y, reference)
        assert Key.calls == stdlib_calls
    finally:
        if hasattr(copy, "_deepcopy_atomic"):
            del copy._deepcopy_dispatch[Key]
        else:
            copy._atomic_types = atomic_types


# --- the per-type verdict cache -------------------------------------------------

def _classes_in_one_cache_set(count):
    """`count` plain classes whose verdicts fall in one set of the core's
    cache (types are made until enough collide; the others are dropped)."""
    by_set = {}
    for i in range(5000):
        cls = type("Colliding%d" % i, (), {"__init__": lambda self, v=0: setattr(self, "v", [v])})
        group = by_set.setdefault(_core._type_verdict_cached(cls)[1], [])
        group.append(cls)
        if len(group) == count:
            return group
    raise AssertionError("no %d classes fell in one set" % count)


@pytest.mark.skipif(_core is None, reason="extension not built")
def test_colliding_types_keep_their_verdicts():
    # Four types whose addresses hash to one set of the cache (which types
    # collide differs from process to process) all keep their verdicts: in
    # a cache of one entry per set they evicted each other at every object,
    # and each verdict was worked out again in Python.
    classes = _classes_in_one_cache_set(4)
    x = [cls(i) for i in range(3) for cls in classes]
    compare_deep(x, _core.deepcopy(x), copy.deepcopy(x))
    assert [_core._type_verdict_cached(cls)[0] for cls in classes] == [True] * 4


@pytest.mark.skipif(_core is None, reason="extension not built")
def test_more_colliding_types_than_a_set_holds():
    # Seven types in one set of four: the verdicts take turns, and every
    # copy is still the stdlib's, also after a class changes.
    classes = _classes_in_one_cache_set(7)
    x = [cls(i) for i in range(3) for cls in classes]
    for _ in range(3):
        compare_deep(x, _core.deepcopy(x), copy.deepcopy(x))
    classes[0].__deepcopy__ = lambda self, memo: "hooked"
    try:
        y = _core.deepcopy(x)
        compare_deep(x, y, copy.deepcopy(x))
        assert y.count("hooked") == 3
    finally:
        del classes[0].__deepcopy__
    compare_deep(x, _core.deepcopy(x), copy.deepcopy(x))
