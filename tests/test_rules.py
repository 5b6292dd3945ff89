"""The rules of the running interpreter's `copy` module, as the core and the
pure twin apply them: their type tables agree with `copy`'s own, and the
behaviour that differs between versions (3.14's atomic-before-memo order,
3.15's memo reading and frozendict) follows the running version's stdlib."""

import builtins
import copy
import sys
import types
import weakref

import pytest

from fastcopy import _rules

from .compare import compare_deep, outcome
from .impls import _core

FROZENDICT = getattr(builtins, "frozendict", None)
needs_frozendict = pytest.mark.skipif(FROZENDICT is None, reason="frozendict is new in 3.15")


# -- the copy module's tables, read here independently of fastcopy ----------

def copy_module_deep_atomic():
    if sys.version_info >= (3, 14):
        return set(copy._atomic_types)
    return {cls for cls, f in copy._deepcopy_dispatch.items() if f is copy._deepcopy_atomic}


def copy_module_shallow_atomic():
    if sys.version_info >= (3, 14):
        return set(copy._copy_atomic_types)
    return {cls for cls, f in copy._copy_dispatch.items() if f is copy._copy_immutable}


def copy_module_shallow_containers():
    if sys.version_info >= (3, 14):
        return set(copy._copy_builtin_containers)
    return {list, dict, set, bytearray} & set(copy._copy_dispatch)


def every_listed_type():
    """Every type any of copy's tables names, and some it does not."""
    listed = set(copy._deepcopy_dispatch) | copy_module_shallow_atomic()
    listed |= copy_module_shallow_containers() | copy_module_deep_atomic()
    return listed | {list, dict, set, frozenset, tuple, bytearray, slice, super,
                     types.MethodType, types.SimpleNamespace, object}


def test_rules_module_matches_the_copy_module():
    assert _rules.DEEP_ATOMIC == copy_module_deep_atomic()
    assert _rules.SHALLOW_ATOMIC == copy_module_shallow_atomic()
    assert _rules.SHALLOW_CONTAINERS == copy_module_shallow_containers()
    assert _rules.ATOMIC_BEFORE_MEMO == (sys.version_info >= (3, 14))
    assert _rules.MEMO_READ_BY_CONTAINS == (sys.version_info >= (3, 15))
    assert _rules.FROZENDICT is FROZENDICT


@pytest.mark.skipif(_core is None, reason="extension not built")
def test_core_tables_match_the_copy_module():
    tables = _core._type_tables()
    for cls in every_listed_type():
        assert (cls in tables["deep_atomic"]) == (cls in copy_module_deep_atomic()), cls
        assert (cls in tables["shallow_atomic"]) == (cls in copy_module_shallow_atomic()), cls
        assert ((cls in tables["shallow_containers"])
                == (cls in copy_module_shallow_containers())), cls
    assert tables["deep_atomic"] == copy_module_deep_atomic()
    assert tables["shallow_atomic"] == copy_module_shallow_atomic()
    assert tables["atomic_before_memo"] == _rules.ATOMIC_BEFORE_MEMO
    assert tables["memo_read_by_contains"] == _rules.MEMO_READ_BY_CONTAINS
    assert tables["frozendict"] is FROZENDICT
    # The copy module's tables are watched on every version: the answers
    # the fast paths keep (types found atomic, plain or their own copies,
    # the rules found intact) are only valid while they are.
    assert tables["watched"]


def _sample_objects():
    """One object of each type the tables are about, and near misses."""
    def function():
        pass
    target = type("Target", (), {})()
    objs = [None, ..., NotImplemented, 7, 1.5, True, 2j, b"b", "s", function.__code__,
            int, range(3), len, function, weakref.ref(target), property(),
            super(int, 1), slice(1, 2), (), (1, [2]), frozenset({1}), [1], {"a": 1},
            {1}, bytearray(b"x"), types.SimpleNamespace(a=1), target]
    if FROZENDICT is not None:
        objs += [FROZENDICT(), FROZENDICT(a=[1])]
    return objs, target


@pytest.mark.parametrize("op", ["deepcopy", "copy"])
def test_atomic_answers_match_the_stdlib(impl, op):
    # Behaviour, not tables: whether the copy is the object itself (or an
    # error), for an object of each type.
    objs, _target = _sample_objects()
    for x in objs:
        expected = outcome(getattr(copy, op), x)
        got = outcome(getattr(impl, op), x)
        assert got[0] == expected[0], (x, got, expected)
        if got[0] == "ok":
            assert (got[1] is x) == (expected[1] is x), x
            assert type(got[1]) is type(expected[1]), x
        else:
            assert got[1] is expected[1], x


# -- 3.14: atomic objects are answered before the memo is read ---------------

def test_memo_entry_for_an_atomic_object(impl):
    number = 10 ** 30
    for memo_type in (dict, _LoggingMemo):
        memo = memo_type()
        memo[id(number)] = "from the memo"
        ref_memo = memo_type()
        ref_memo[id(number)] = "from the memo"
        y = impl.deepcopy([number, (number,)], memo)
        ref = copy.deepcopy([number, (number,)], ref_memo)
        assert y == ref
        assert impl.deepcopy(number, memo) == copy.deepcopy(number, ref_memo)
        if sys.version_info >= (3, 14):
            assert y == [number, (number,)]
        else:
            assert y == ["from the memo", ("from the memo",)]


# -- 3.15: a memo that is not a dict is read with `in` and `[]` --------------

class _LoggingMemo:
    """A mapping memo that logs which of its methods copying calls."""

    def __init__(self):
        self.data = {}
        self.log = []

    def get(self, key, default=None):
        self.log.append("get")
        return self.data.get(key, default)

    def __contains__(self, key):
        self.log.append("contains")
        return key in self.data

    def __getitem__(self, key):
        self.log.append("getitem")
        return self.data[key]

    def __setitem__(self, key, value):
        self.log.append("setitem")
        self.data[key] = value


def test_mapping_memo_is_read_like_the_stdlib(impl):
    shared = [1]
    x = [shared, shared, (shared, "s"), {"a": shared}, 5]
    memo, ref_memo = _LoggingMemo(), _LoggingMemo()
    compare_deep(x, impl.deepcopy(x, memo), copy.deepcopy(x, ref_memo))
    read = {"get", "contains", "getitem"}
    # The kinds of reads the running stdlib makes, and only those.
    assert {m for m in memo.log if m in read} == {m for m in ref_memo.log if m in read}
    if sys.version_info >= (3, 15):
        assert "get" not in memo.log and "contains" in memo.log
    else:
        assert "contains" not in memo.log and "get" in memo.log


# -- 3.15: frozendict ---------------------------------------------------------

@needs_frozendict
def test_frozendict_copies(impl):
    shared = [1]
    fd = FROZENDICT({"a": shared, "b": (shared,), FROZENDICT(k=1): "v"})
    x = [fd, fd, shared]
    y, ref = impl.deepcopy(x), copy.deepcopy(x)
    compare_deep(x, y, ref)
    assert type(y[0]) is FROZENDICT and y[0] is not fd and y[0] is y[1]
    assert y[0]["a"] is y[2] and y[0]["b"][0] is y[2]
    # copy() returns it; deepcopy always makes a new one, even when every
    # item is its own copy.
    atomic = FROZENDICT(a=1, b="two")
    assert impl.copy(atomic) is atomic is copy.copy(atomic)
    assert impl.deepcopy(atomic) == atomic and impl.deepcopy(atomic) is not atomic
    empty = FROZENDICT()
    assert (impl.deepcopy(empty) is empty) == (copy.deepcopy(empty) is empty)


@needs_frozendict
def test_frozendict_memo_entries_like_the_stdlib(impl):
    # Not recorded before its items (a cycle through it finds no entry),
    # recorded after them.
    inner = []
    fd = FROZENDICT(inner=inner)
    inner.append(fd)
    memo, ref_memo = {}, {}
    y, ref = impl.deepcopy(inner, memo), copy.deepcopy(inner, ref_memo)
    compare_deep(inner, y, ref)
    assert set(memo) - {id(memo)} == set(ref_memo) - {id(ref_memo)}
    assert type(memo[id(fd)]) is FROZENDICT
    # A memo entry made while its items are copied is the result.
    made = FROZENDICT(made="by a hook")

    class Hook:
        def __deepcopy__(self, memo):
            memo[id(holder)] = made
            return "hooked"
    holder = FROZENDICT(h=Hook())
    assert impl.deepcopy(holder) is made
    assert copy.deepcopy(holder) is made


@needs_frozendict
def test_frozendict_key_and_value_order(impl):
    # The value is copied before the key, item by item, as `y[k] = v`.
    log = []

    class Logged:
        def __init__(self, name):
            self.name = name

        def __deepcopy__(self, memo):
            log.append(self.name)
            return Logged(self.name)

        def __hash__(self):
            return hash(self.name)

        def __eq__(self, other):
            return isinstance(other, Logged) and other.name == self.name
    x = FROZENDICT({Logged("k1"): Logged("v1"), Logged("k2"): Logged("v2")})
    impl.deepcopy(x)
    ours, log[:] = log[:], []
    copy.deepcopy(x)
    assert ours == log == ["v1", "k1", "v2", "k2"]


@needs_frozendict
def test_frozendict_unhashable_copy_of_a_key(impl):
    # A key whose copy is unhashable: the stdlib's TypeError.
    class Key:
        def __hash__(self):
            return 1

        def __deepcopy__(self, memo):
            return []
    x = FROZENDICT({Key(): 1})
    assert outcome(impl.deepcopy, x) == outcome(copy.deepcopy, x) == ("raise", TypeError)


@pytest.mark.skipif(not hasattr(copy, "_atomic_types"), reason="the atomic set is 3.14+")
@pytest.mark.parametrize("warm", [False, True])
def test_rebound_atomic_set_is_followed(impl, warm):
    # copy._atomic_types rebound to a set with one more class: deepcopy
    # returns its instances unchanged, whatever was cached before (warm:
    # copies made first, with the tables intact).
    class Token:
        pass

    x = [Token(), {"k": Token()}]
    if warm:
        impl.deepcopy(x), impl.deepcopy([1, [2]])
    saved = copy._atomic_types
    copy._atomic_types = saved | {Token}
    try:
        y = impl.deepcopy(x)
        assert y[0] is x[0] and y[1]["k"] is x[1]["k"]
        compare_deep(x, y, copy.deepcopy(x))
    finally:
        copy._atomic_types = saved
    assert impl.deepcopy(x)[0] is not x[0]
