"""Hostile objects: hooks that raise, mutate what is being copied, return
garbage or call deepcopy reentrantly.  The outcome (value or exception type)
must be the stdlib's, and nothing may crash."""

import copy
import copyreg
import sys
import xml.etree.ElementTree as ET

import pytest

from .compare import compare_deep, outcome


class Boom(Exception):
    pass


# -- hooks that raise -------------------------------------------------------

class RaisingDeepcopy:
    def __deepcopy__(self, memo):
        raise Boom("deepcopy hook")


class RaisingReduce:
    def __reduce_ex__(self, protocol):
        raise Boom("reduce")


class RaisingGetstate:
    def __getstate__(self):
        raise Boom("getstate")


class RaisingSetstate:
    def __init__(self):
        self.a = 1

    def __setstate__(self, state):
        raise Boom("setstate")


class RaisingHash:
    def __hash__(self):
        raise Boom("hash")

    def __deepcopy__(self, memo):
        return RaisingHash.__new__(RaisingHash)


class RaisingGetattr:
    def __getattr__(self, name):
        raise Boom(name)


class NoReduce:
    def __getattribute__(self, name):
        if name in ("__reduce_ex__", "__reduce__", "__deepcopy__", "__copy__"):
            raise AttributeError(name)
        return object.__getattribute__(self, name)


RAISING = {
    "deepcopy_hook": lambda: [1, RaisingDeepcopy(), 2],
    "reduce": lambda: {"k": RaisingReduce()},
    "getstate": lambda: (RaisingGetstate(), [1]),
    "setstate": lambda: [RaisingSetstate()],
    "hash_in_set": lambda: {1: frozenset(), "x": [RaisingHash()]},
    "getattr": lambda: [RaisingGetattr()],
    "no_reduce": lambda: [NoReduce()],
    "uncopyable_module": lambda: [sys],
    "uncopyable_generator": lambda: [(i for i in range(3))],
}


@pytest.mark.parametrize("name", sorted(RAISING))
def test_raising_hooks(impl, name):
    x = RAISING[name]()
    for func in ("deepcopy", "copy"):
        expected = outcome(getattr(copy, func), x)
        got = outcome(getattr(impl, func), x)
        assert got[0] == expected[0]
        if expected[0] == "raise":
            assert got[1] is expected[1]


def test_hash_in_set_raises_like_stdlib(impl):
    class H:
        def __hash__(self):
            raise Boom()

        def __eq__(self, other):
            return False
    h = H.__new__(H)
    s = {1}
    x = [s]
    s.add(1)
    # A set can only hold hashable items, so make a copy produce an unhashable
    # item: a __deepcopy__ that returns an object with a raising hash.
    class Item:
        def __hash__(self):
            return 1

        def __deepcopy__(self, memo):
            return h
    x = {Item()}
    with pytest.raises(Boom):
        copy.deepcopy(x)
    with pytest.raises(Boom):
        impl.deepcopy(x)


def test_uncopyable_error_message(impl):
    class Odd:
        __reduce_ex__ = None
        __reduce__ = None
    with pytest.raises(copy.Error, match="un\\(deep\\)copyable object of type"):
        impl.deepcopy(Odd())
    with pytest.raises(copy.Error, match="un\\(shallow\\)copyable object of type"):
        impl.copy(Odd())
    with pytest.raises(copy.Error):
        copy.deepcopy(Odd())


# -- malformed reduce values ---------------------------------------------------

def _make(*args):
    return Target()


class Target:
    pass


class NoAppend:
    pass


MALFORMED = {
    "none": lambda: None,
    "int": lambda: 42,
    "empty_tuple": lambda: (),
    "one_item": lambda: (_make,),
    "six_items": lambda: (_make, (), None, None, None, None),
    "not_callable": lambda: (42, ()),
    "args_int": lambda: (_make, 5),
    "args_none": lambda: (_make, None),
    "args_zero": lambda: (_make, 0),
    "args_list": lambda: [_make, [1, [2]]],
    "args_generator_like": lambda: (_make, "ab"),
    "state_bad_type": lambda: (_make, (), 42),
    "state_tuple3": lambda: (_make, (), (1, 2, 3)),
    "state_slots_not_dict": lambda: (_make, (), (None, 5)),
    "state_slots_items": lambda: (_make, (), (None, {"a": [1]})),
    "state_dict_bad_keys": lambda: (_make, (), {1: 2}),
    "listitems_no_append": lambda: (NoAppend, (), None, iter([1, 2])),
    "listitems_not_iterable": lambda: (list, (), None, 5),
    "listitems_ok": lambda: (list, (), None, iter([1, [2]])),
    "dictitems_not_pairs": lambda: (dict, (), None, None, iter([1, 2])),
    "dictitems_triples": lambda: (dict, (), None, None, iter([(1, 2, 3)])),
    "dictitems_view": lambda: (dict, (), None, None, {"a": [1]}.items()),
    "dictitems_unhashable_key": lambda: (dict, (), None, None, iter([([1], 2)])),
    "string": lambda: "global_name",
    "string_subclass": lambda: type("S", (str,), {})("x"),
    "list_reduce_value": lambda: [_make, ()],
}


def _reducer_class(rv):
    class Reduces:
        def __reduce_ex__(self, protocol):
            return rv
    return Reduces


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_reduce_values(impl, name):
    make_rv = MALFORMED[name]
    for func in ("deepcopy", "copy"):
        ref_x = _reducer_class(make_rv())()
        expected = outcome(getattr(copy, func), ref_x)
        rv = make_rv()          # fresh: some parts are one-shot iterators
        x = _reducer_class(rv)()
        snapshot = tuple(map(id, rv)) if isinstance(rv, tuple) else None
        got = outcome(getattr(impl, func), x)
        assert got[0] == expected[0], (func, got, expected)
        if expected[0] == "raise":
            assert got[1] is expected[1], (func, got, expected)
        else:
            if got[1] is not x:
                assert type(got[1]) is type(expected[1])
            # "return x" for a string reduce value, on both sides.
            assert (got[1] is x) == (expected[1] is ref_x)
            if type(got[1]) is not Target and got[1] is not x:
                assert got[1] == expected[1]
        if snapshot is not None:
            assert tuple(map(id, rv)) == snapshot   # the reduce value is untouched


@pytest.mark.parametrize("func", ["deepcopy", "copy"])
def test_listitems_and_dictitems_fresh_iterators(impl, func):
    """Iterator-valued reduce parts, recreated for each implementation."""
    def run(f):
        class R:
            def __reduce_ex__(self, protocol):
                return (dict, (), None, None, iter([("a", [1]), ("b", 2)]))

        class L:
            def __reduce_ex__(self, protocol):
                return (list, (), None, iter([1, [2]]), None)
        return f(R()), f(L())
    ref = run(getattr(copy, func))
    ours = run(getattr(impl, func))
    assert ours == ref


def test_reduce_tuple_is_never_modified(impl):
    state = {"a": [1]}
    args = (1,)
    rv = (Target, (), state, None, None)

    class R:
        def __reduce_ex__(self, protocol):
            return rv
    before = (rv[0], rv[1], rv[2], rv[3], rv[4])
    y = impl.deepcopy(R())
    assert type(y) is Target and y.a == [1] and y.a is not state["a"]
    assert tuple(rv) == before and all(a is b for a, b in zip(rv, before))
    assert state == {"a": [1]} and args == (1,)


def test_copyreg_dispatch_table_is_honoured(impl):
    class Registered:
        def __init__(self, v):
            self.v = v

    def reducer(obj):
        return (Registered, (obj.v * 2,))
    copyreg.pickle(Registered, reducer)
    try:
        for func in ("deepcopy", "copy"):
            assert getattr(impl, func)(Registered(2)).v == getattr(copy, func)(Registered(2)).v == 4
    finally:
        del copyreg.dispatch_table[Registered]


@pytest.mark.parametrize("tp", [set, frozenset, bytearray])
def test_copyreg_entry_for_builtin_overrides_native_path(impl, tp):
    calls = []

    def reducer(obj):
        calls.append(obj)
        return (tp, (list(obj),))
    original = tp(b"ab") if tp is bytearray else tp([1, 2])
    copyreg.pickle(tp, reducer)
    try:
        ref = copy.deepcopy([original])
        n = len(calls)
        ours = impl.deepcopy([original])
        assert len(calls) == 2 * n == 2
        compare_deep([original], ours, ref)
    finally:
        del copyreg.dispatch_table[tp]


def test_foreign_copy_dispatch_entry_is_honoured(impl):
    class Special:
        pass

    def deep(x, memo):
        return "deep special"

    def shallow(x):
        return "shallow special"
    # copy.copy has a dispatch table up to 3.13 only.
    shallow_table = getattr(copy, "_copy_dispatch", {})
    copy._deepcopy_dispatch[Special] = deep
    shallow_table[Special] = shallow
    try:
        assert impl.deepcopy([Special()]) == copy.deepcopy([Special()]) == ["deep special"]
        assert type(impl.copy(Special())) is type(copy.copy(Special()))
        if sys.version_info < (3, 14):
            assert impl.copy(Special()) == "shallow special"
        else:
            assert type(impl.copy(Special())) is Special
    finally:
        del copy._deepcopy_dispatch[Special]
        shallow_table.pop(Special)


# -- hooks that mutate the container being copied ---------------------------

class _Hook:
    def __repr__(self):     # no address: reprs are compared across runs
        return type(self).__name__


class Appender(_Hook):
    """Appends to the list that holds it, a bounded number of times."""

    def __init__(self, target, times=3):
        self.target = target
        self.times = times

    def __deepcopy__(self, memo):
        if self.times:
            self.times -= 1
            self.target.append(self.times)
        return "appended"


class Clearer(_Hook):
    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        self.target.clear()
        return "cleared"


class DictResizer(_Hook):
    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        self.target["new key %d" % len(self.target)] = 1
        return "resized"


class DictPopper(_Hook):
    def __init__(self, target, key):
        self.target = target
        self.key = key

    def __deepcopy__(self, memo):
        self.target.pop(self.key, None)
        return "popped"


class DictSwapper(_Hook):
    """Removes one key and adds another: same size, different keys."""

    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        for k in list(self.target):
            if k.startswith("victim"):
                del self.target[k]
                self.target["replacement"] = "r"
                break
        return "swapped"


class DictRebinder(_Hook):
    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        for k in self.target:
            if k != "hook":
                self.target[k] = ["rebound", k]
        return "rebound"


class ListRebinder(_Hook):
    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        for i in range(len(self.target)):
            if self.target[i] is not self:
                self.target[i] = ["rebound", i]
        return "rebound"


class MemoPlanter(_Hook):
    """Records a copy in the memo for an object met later in the copy."""

    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        memo[id(self.target)] = ["planted"]
        return "planted"


def _planted_in_list():
    shared = [9]
    return [[MemoPlanter(shared)], shared, {"k": shared}]


def _planted_in_dict():
    key = "later-key"
    shared = [9]
    return {"a": {"b": [MemoPlanter(key), MemoPlanter(shared)]}, key: shared, "s": shared}


def _list_with(hook_cls, *args, nested=False):
    """A list holding a hook that changes it; nested: the hook two
    containers below the list."""
    x = [1, [2]]
    hook = hook_cls(x, *args)
    if nested:
        x[1].append({"h": hook})
    else:
        x.append(hook)
    x.extend([[3], 4])
    return x


def _dict_with(hook_cls, *args, nested=False):
    """A dict holding a hook that changes it; nested: the hook two
    containers below the dict."""
    x = {"a": [1], "victim": 2}
    hook = hook_cls(x, *args)
    if nested:
        x["child"] = {"inner": [hook]}
    else:
        x["hook"] = hook
    x["z"] = [3]
    return x


MUTATING = {
    "list_append": lambda: _list_with(Appender),
    "list_clear": lambda: _list_with(Clearer),
    "list_rebind": lambda: _list_with(ListRebinder),
    "dict_resize": lambda: _dict_with(DictResizer),
    "dict_pop_later": lambda: _dict_with(DictPopper, "z"),
    "dict_pop_earlier": lambda: _dict_with(DictPopper, "a"),
    "dict_swap_keys": lambda: _dict_with(DictSwapper),
    "dict_rebind": lambda: _dict_with(DictRebinder),
    "nested_list_clear": lambda: [[0, _list_with(Clearer)], _list_with(Appender)],
    "tuple_holding_mutator": lambda: (lambda x: (x, [x]))(_list_with(Clearer)),
    # The hook is met in a list or dict nested in the container it changes.
    "nested_hook_list_append": lambda: _list_with(Appender, nested=True),
    "nested_hook_list_clear": lambda: _list_with(Clearer, nested=True),
    "nested_hook_list_rebind": lambda: _list_with(ListRebinder, nested=True),
    "nested_hook_dict_resize": lambda: _dict_with(DictResizer, nested=True),
    "nested_hook_dict_pop_later": lambda: _dict_with(DictPopper, "z", nested=True),
    "nested_hook_dict_swap_keys": lambda: _dict_with(DictSwapper, nested=True),
    "nested_hook_dict_rebind": lambda: _dict_with(DictRebinder, nested=True),
    "memo_planted_in_list": _planted_in_list,
    "memo_planted_in_dict": _planted_in_dict,
}


@pytest.mark.parametrize("name", sorted(MUTATING))
def test_mutation_during_copy(impl, name):
    original_ref = MUTATING[name]()
    expected = outcome(copy.deepcopy, original_ref)
    original = MUTATING[name]()
    got = outcome(impl.deepcopy, original)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raise":
        assert got[1] is expected[1]
    else:
        assert repr(got[1]).replace("hook", "") == repr(expected[1]).replace("hook", "")
        assert repr(original) == repr(original_ref)


# -- reentrancy --------------------------------------------------------------

class Reentrant:
    """Hooks that call deepcopy themselves, with and without the memo."""

    def __init__(self, shared, mode, deepcopy=None):
        self.shared = shared
        self.mode = mode

    def __deepcopy__(self, memo):
        dc = _current_deepcopy[0]
        new = Reentrant.__new__(Reentrant)
        new.mode = self.mode
        if self.mode == "memo":
            new.shared = dc(self.shared, memo)
        else:
            new.shared = dc(self.shared)          # an independent copy
            new.other = dc([self.shared, self.shared])
        return new


_current_deepcopy = [copy.deepcopy]


class ReentrantReduce:
    def __init__(self, shared):
        self.shared = shared

    def __reduce_ex__(self, protocol):
        # A nested, independent deepcopy from inside the reduce protocol.
        side = _current_deepcopy[0]({"side": [self.shared]})
        return (ReentrantReduce._rebuild, (self.shared, side))

    @staticmethod
    def _rebuild(shared, side):
        obj = ReentrantReduce.__new__(ReentrantReduce)
        obj.shared = shared
        obj.side = side
        return obj


class ReentrantSetstate:
    def __init__(self, shared):
        self.shared = shared

    def __setstate__(self, state):
        state["side"] = _current_deepcopy[0](state["shared"])
        self.__dict__.update(state)


class ReentrantGetstate:
    def __init__(self, shared):
        self.shared = shared

    def __getstate__(self):
        return {"shared": self.shared, "side": _current_deepcopy[0]([self.shared])}


def _reentrant_case(kind):
    shared = [1, {"s": [2]}]
    if kind in ("memo", "fresh"):
        hook = Reentrant(shared, kind)
    elif kind == "reduce":
        hook = ReentrantReduce(shared)
    elif kind == "setstate":
        hook = ReentrantSetstate(shared)
    else:
        hook = ReentrantGetstate(shared)
    x = [shared, hook, shared, {"again": hook}]
    x.append(x)
    return x


@pytest.mark.parametrize("kind", ["memo", "fresh", "reduce", "setstate", "getstate"])
def test_reentrant_deepcopy_keeps_outer_sharing(impl, kind):
    _current_deepcopy[0] = copy.deepcopy
    ref = copy.deepcopy(original_ref := _reentrant_case(kind))
    _current_deepcopy[0] = impl.deepcopy
    try:
        original = _reentrant_case(kind)
        ours = impl.deepcopy(original)
    finally:
        _current_deepcopy[0] = copy.deepcopy
    compare_deep(original, ours, ref)
    assert ours[0] is ours[2] and ours[-1] is ours and ours[1] is ours[3]["again"]
    assert (ours[1].shared is ours[0]) == (ref[1].shared is ref[0])
    del original_ref


# -- hooks that demand a real dict memo --------------------------------------

class NeedsDictMemo:
    def __init__(self, child):
        self.child = child

    def __deepcopy__(self, memo):
        if type(memo) is not dict:
            raise TypeError("memo must be a dict, got %s" % type(memo).__name__)
        new = NeedsDictMemo.__new__(NeedsDictMemo)
        memo[id(self)] = new
        new.child = copy.deepcopy(self.child, memo)   # the stdlib, on purpose
        return new


def test_hooks_get_a_real_dict_memo(impl):
    shared = [1, 2]
    x = [shared, NeedsDictMemo(shared), NeedsDictMemo([shared])]
    x[1].child.append(x[1])
    ours = impl.deepcopy(x)
    ref = copy.deepcopy(x)
    compare_deep(x, ours, ref)
    assert ours[1].child is ours[0] and ours[2].child[0] is ours[0]


def test_memo_seen_by_hook_holds_earlier_copies(impl):
    seen = {}

    class Spy:
        def __deepcopy__(self, memo):
            seen["memo"] = dict(memo)
            return "spy"
    a, b = [1], {"k": 2}
    impl.deepcopy([a, b, Spy()])
    mine = seen.pop("memo")
    copy.deepcopy([a, b, Spy()])
    theirs = seen.pop("memo")
    assert id(a) in mine and id(b) in mine
    assert set(mine) - {k for k, v in mine.items() if isinstance(v, list) and a in v} >= \
        {id(a), id(b)}
    assert mine[id(a)] == theirs[id(a)] == [1]
    assert type(mine[id(mine)] if id(mine) in mine else []) is list


def test_element_tree_deepcopy_requires_dict_memo(impl):
    root = ET.Element("root", {"a": "1"})
    child = ET.SubElement(root, "child")
    child.text = "text"
    doc = {"tree": root, "again": root, "list": [child]}
    ours = impl.deepcopy(doc)
    ref = copy.deepcopy(doc)
    assert ET.tostring(ours["tree"]) == ET.tostring(ref["tree"]) == ET.tostring(root)
    assert ours["tree"] is ours["again"] and ours["tree"] is not root
    assert (ours["list"][0] is ours["tree"][0]) == (ref["list"][0] is ref["tree"][0])


def test_prefilled_memo_entries_are_honoured(impl):
    a, b = [1], [2]
    replacement = ["replaced"]
    for memo_factory in (dict, _MappingMemo):
        memo = memo_factory()
        memo[id(a)] = replacement
        memo[id(5)] = "five"
        y = impl.deepcopy([a, b, 5, (a,)], memo)
        ref_memo = memo_factory()
        ref_memo[id(a)] = replacement
        ref_memo[id(5)] = "five"
        r = copy.deepcopy([a, b, 5, (a,)], ref_memo)
        # From 3.14 on an atomic object is answered before the memo is read.
        five = 5 if sys.version_info >= (3, 14) else "five"
        assert y == r == [replacement, [2], five, (replacement,)]
        assert y[0] is replacement and y[3][0] is replacement
        assert impl.deepcopy(a, {id(a): "direct"}) == "direct"


class _MappingMemo:
    """A memo that is not a dict: only the mapping protocol is used."""

    def __init__(self):
        self.data = {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def __contains__(self, key):        # read by 3.15's deepcopy
        return key in self.data

    def __getitem__(self, key):
        return self.data[key]

    def __setitem__(self, key, value):
        self.data[key] = value


def test_non_dict_memo_gets_filled_like_stdlib(impl):
    shared = [1]
    x = [shared, shared, (shared,), {"a": shared}]
    ours_memo, ref_memo = _MappingMemo(), _MappingMemo()
    ours = impl.deepcopy(x, ours_memo)
    ref = copy.deepcopy(x, ref_memo)
    compare_deep(x, ours, ref)
    keep = ours_memo.data.pop(id(ours_memo))
    ref_keep = ref_memo.data.pop(id(ref_memo))
    assert set(ours_memo.data) == set(ref_memo.data)
    assert [id(o) for o in keep] == [id(o) for o in ref_keep]


def test_deepcopy_of_the_memo_itself(impl):
    # The memo grows while it is being copied: the stdlib's RuntimeError.
    memo = {}
    got = outcome(impl.deepcopy, [memo, 1], memo)
    ref_memo = {}
    expected = outcome(copy.deepcopy, [ref_memo, 1], ref_memo)
    assert got[0] == expected[0]
    if got[0] == "raise":
        assert got[1] is expected[1]
    else:
        assert len(got[1][0]) == len(expected[1][0])


def test_error_is_the_stdlib_error():
    import fastcopy
    assert fastcopy.Error is copy.Error
    assert fastcopy.error is copy.Error


# -- shortcuts must not hide hooks ---------------------------------------------

def test_foreign_dispatch_entry_beats_self_copying_enum(impl):
    import enum

    class Mood(enum.Enum):
        HAPPY = 1
    data = {"m": Mood.HAPPY, "l": [Mood.HAPPY, (Mood.HAPPY,)]}
    # Warm any per-type cache first, then register a copier.
    impl.deepcopy(data)
    copy._deepcopy_dispatch[Mood] = lambda x, memo: "copied"
    try:
        assert impl.deepcopy(data) == copy.deepcopy(data) == {"m": "copied", "l": ["copied", ("copied",)]}
    finally:
        del copy._deepcopy_dispatch[Mood]
    assert impl.deepcopy(data)["m"] is Mood.HAPPY


def test_class_changed_after_first_copy(impl):
    class Thing:
        def __init__(self):
            self.v = [1]
    x = [Thing(), Thing()]
    impl.deepcopy(x)                      # caches a verdict about Thing
    Thing.__deepcopy__ = lambda self, memo: "hooked"
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == ["hooked", "hooked"]
    finally:
        del Thing.__deepcopy__
    Thing.__reduce_ex__ = lambda self, proto: (list, ([7],))
    try:
        assert impl.deepcopy(x) == copy.deepcopy(x) == [[7], [7]]
    finally:
        del Thing.__reduce_ex__
    assert type(impl.deepcopy(x)[0]) is Thing


def test_instance_level_hooks_are_seen(impl):
    import enum

    class Color(enum.Enum):
        RED = 1

    class Thing:
        pass
    t = Thing()
    t.__deepcopy__ = lambda memo: "instance hook"
    u = Thing()
    u.__reduce_ex__ = lambda proto: (list, ())
    impl.deepcopy(Color.RED)
    for x in ([t, Thing()], [u], {"k": t}):
        expected = outcome(copy.deepcopy, x)
        got = outcome(impl.deepcopy, x)
        assert got[0] == expected[0]
        if got[0] == "ok":
            assert repr(got[1]).split(" at ")[0] == repr(expected[1]).split(" at ")[0]


def test_weakref_key_whose_referent_hash_mutates_the_dict(impl):
    import weakref

    class Target:
        def __hash__(self):
            victim.clear()
            return 1
    target = Target()
    victim = {}
    victim[1] = 1
    victim[weakref.ref(target)] = "w"
    victim[2] = 2
    expected = outcome(copy.deepcopy, victim)
    victim.clear()
    victim[1] = 1
    victim[weakref.ref(target)] = "w"
    victim[2] = 2
    got = outcome(impl.deepcopy, victim)
    assert got[0] == expected[0]
    if got[0] == "raise":
        assert got[1] is expected[1]
