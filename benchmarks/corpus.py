"""The benchmark corpus: everything programs deep-copy, from one atomic
value to containers of 10**5 items, grouped in categories.

CORPUS is a list of Case(name, category, factory, call):

- factory() builds the object, deterministically (no randomness but a
  seeded random.Random), and raises Skip(reason) when it needs a package
  that is not installed (numpy, pydantic, attrs are optional);
- call is None for a direct case (each implementation's deepcopy(x) is
  timed), or, for the "library code (patched)" category, a function of x
  that copies through `copy.deepcopy` the way library code does (a hook
  doing `copy.deepcopy(self.__dict__, memo)`, `dataclasses.asdict`, pydantic
  `model_copy(deep=True)`, ...): it is timed with copy.deepcopy left alone,
  patched by copium and patched by fastcopy.

The data shapes of fastcopy/_shapes.py (CASES) are part of the corpus with
their own names and categories; the cases defined here add atomic values,
tiny and mid-size containers, stdlib and third-party types, copy hooks,
aliasing graphs, deep nesting and library code.  `python -m
benchmarks.compare` times them; benchmarks/test_bench.py checks each one
against the stdlib.
"""

import array
import collections
import copy
import copyreg
import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import pathlib
import random
import re
import types
import uuid
import weakref
from copy import deepcopy as early_bound_deepcopy
from typing import Callable, NamedTuple, Optional

from fastcopy import _shapes


class Skip(Exception):
    """A case that cannot be built here (an optional package is missing)."""


class Case(NamedTuple):
    name: str
    category: str
    factory: Callable
    call: Optional[Callable] = None     # library code run patched; None: direct


# The order categories are reported in.
CATEGORIES = [
    "atomic",
    "tiny containers",
    "atomic containers",
    "nested containers",
    "json documents",
    "memo-heavy",
    "cycles",
    "aliasing graphs",
    "class instances",
    "dataclasses",
    "protocol hooks",
    "stdlib types",
    "third-party",
    "deep nesting",
    "library code (patched)",
]

PATCHED = "library code (patched)"


def _require(module):
    try:
        return __import__(module)
    except ImportError:
        raise Skip("%s not installed" % module) from None


# -- classes (module level, so the reduce protocol can find them) ------------

def _function(a, b=2):
    return a + b


class _Target:
    """Something a weakref can point at."""


_WEAK_TARGET = _Target()


class Plain:
    def __init__(self, i):
        self.i = i
        self.name = "p%d" % i
        self.items = [i, i + 1]


class Empty:
    pass


class Key:
    """A hashable instance, used as a dict key and set item."""

    def __init__(self, i):
        self.i = i

    def __hash__(self):
        return hash(self.i)

    def __eq__(self, other):
        return isinstance(other, Key) and other.i == self.i


class HookSelf:
    """__deepcopy__ returning self (immutable-by-contract objects)."""

    def __init__(self, i):
        self.i = i

    def __deepcopy__(self, memo):
        return self


class HookBuild:
    """__deepcopy__ building the copy field by field."""

    def __init__(self, i):
        self.i = i
        self.items = [i, "x"]

    def __deepcopy__(self, memo):
        new = HookBuild.__new__(HookBuild)
        new.i = self.i
        new.items = copy.deepcopy(self.items, memo)
        return new


class HookDictMemo:
    """__deepcopy__ passing the memo on: copy.deepcopy(self.__dict__, memo)."""

    def __init__(self, i):
        self.i = i
        self.name = "h%d" % i
        self.values = [i, i * 2]
        self.meta = {"k": i}

    def __deepcopy__(self, memo):
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new


class HookSetattrLoop:
    """The recipe most answers give: register in memo, setattr per attribute."""

    def __init__(self, i):
        self.i = i
        self.tags = ["a", "b"]
        self.opts = {"x": i}

    def __deepcopy__(self, memo):
        cls = self.__class__
        result = cls.__new__(cls)
        memo[id(self)] = result
        for k, v in self.__dict__.items():
            setattr(result, k, early_bound_deepcopy(v, memo))
        return result


class HookNeedsDict:
    """A hook that insists on a real dict memo (as some extensions do)."""

    def __init__(self, i):
        self.i = i
        self.values = [i, i + 1]

    def __deepcopy__(self, memo):
        if not isinstance(memo, dict):
            raise TypeError("memo must be a dict")
        new = HookNeedsDict.__new__(HookNeedsDict)
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new


class ReduceEx:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __reduce_ex__(self, protocol):
        return (ReduceEx, (self.a, self.b))


class ReduceState:
    """__reduce__ with a state dict (set with __dict__.update)."""

    def __init__(self, i=0):
        self.i = i
        self.items = [i]

    def __reduce__(self):
        return (ReduceState, (), self.__dict__)


class GetStateOnly:
    def __init__(self, i):
        self.i = i
        self.items = [i]
        self.cache = {"big": i}

    def __getstate__(self):
        return {"i": self.i, "items": self.items, "cache": {}}


class SetStateOnly:
    def __init__(self, i):
        self.i = i
        self.items = [i]

    def __setstate__(self, state):
        self.__dict__.update(state)


class CopyHook:
    """Only __copy__: deepcopy ignores it (reduce protocol)."""

    def __init__(self, i):
        self.i = i
        self.items = [i]

    def __copy__(self):
        return CopyHook(self.i)


class Slots:
    __slots__ = ("a", "b", "c")

    def __init__(self, i):
        self.a = i
        self.b = "s%d" % i
        self.c = [i]


class SlotsAndDict:
    __slots__ = ("a", "__dict__")

    def __init__(self, i):
        self.a = i
        self.extra = [i]


class SlotsChild(Slots):
    __slots__ = ("d",)

    def __init__(self, i):
        super().__init__(i)
        self.d = {"k": i}


class Registered:
    """Copied through a copyreg-registered reducer."""

    def __init__(self, i, items):
        self.i = i
        self.items = items


def _reduce_registered(obj):
    return (Registered, (obj.i, obj.items))


copyreg.pickle(Registered, _reduce_registered)


@dataclasses.dataclass
class DC:
    id: int
    name: str
    tags: list


@dataclasses.dataclass(frozen=True)
class DCFrozen:
    id: int
    name: str
    pair: tuple


@dataclasses.dataclass(slots=True)
class DCSlots:
    id: int
    values: list


@dataclasses.dataclass
class DCNested:
    id: int
    child: DC
    extra: dict = dataclasses.field(default_factory=dict)


class IntSub(int):
    pass


class StrSub(str):
    pass


class DictSub(dict):
    pass


class TupleSub(tuple):
    pass


class SetSub(set):
    pass


class Flag(enum.IntFlag):
    A = 1
    B = 2


Pair = collections.namedtuple("Pair", "left right")


# -- library code (run with copy.deepcopy patched) ---------------------------

class Settings:
    """Copies itself the way many libraries do: deepcopy of its __dict__,
    through a `from copy import deepcopy` reference bound at import."""

    def __init__(self, i):
        self.name = "s%d" % i
        self.values = list(range(10))
        self.options = {"a": [1, 2], "b": {"c": i}}

    def __deepcopy__(self, memo):
        new = Settings.__new__(Settings)
        new.__dict__.update(early_bound_deepcopy(self.__dict__, memo))
        return new


class Tag:
    def __init__(self, label):
        self.label = label


@dataclasses.dataclass
class Item:
    sku: str
    labels: set
    tag: Tag


@dataclasses.dataclass
class Order:
    id: int
    items: list


def _orders(n):
    return [Order(i, [Item("x%d" % j, {j, j + 1}, Tag("t")) for j in range(10)]) for i in range(n)]


def with_changes(obj, **changes):
    """dataclasses.replace, but every unchanged field deep-copied (the
    "copy with changes" helpers of config and ORM libraries)."""
    fields = {f.name: copy.deepcopy(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    fields.update(changes)
    return type(obj)(**fields)


DEFAULTS = {"timeout": 30, "retries": 3, "headers": {"accept": "json"}, "hooks": []}


@functools.lru_cache(maxsize=None)
def _pydantic_models():
    pydantic = _require("pydantic")

    class Address(pydantic.BaseModel):
        street: str
        city: str
        tags: list[str]

    class User(pydantic.BaseModel):
        id: int
        name: str
        addresses: list[Address]
        meta: dict[str, list[int]]

    return Address, User


def pydantic_user(n_addresses):
    Address, User = _pydantic_models()
    return User(id=1, name="n", meta={"k": [1, 2, 3]},
                addresses=[Address(street="s%d" % i, city="c", tags=["a", "b"])
                           for i in range(n_addresses)])


def pydantic_users(n):
    Address, User = _pydantic_models()
    return [User(id=i, name="u%d" % i, meta={"k": [i]},
                 addresses=[Address(street="s", city="c", tags=["a"])]) for i in range(n)]


@functools.lru_cache(maxsize=None)
def _attrs_classes():
    attr = _require("attr")
    attrs = _require("attrs")

    @attrs.define
    class APoint:
        x: int
        y: int
        tags: list

    @attrs.frozen
    class AFrozen:
        x: int
        label: str

    @attr.s
    class AClassic:
        x = attr.ib()
        items = attr.ib()

    return APoint, AFrozen, AClassic


# -- builders -----------------------------------------------------------------

def dag(n, seed=14):
    """n list nodes, each pointing at up to 3 earlier ones (a DAG)."""
    rng = random.Random(seed)
    nodes = []
    for i in range(n):
        node = [i]
        for _ in range(min(i, 3)):
            node.append(nodes[rng.randrange(i)])
        nodes.append(node)
    return nodes


def diamond():
    bottom = {"v": [1, 2]}
    left, right = {"b": bottom}, {"b": bottom}
    return {"l": left, "r": right}


def self_list():
    x = [1, 2]
    x.append(x)
    return x


def self_dict():
    x = {"a": 1}
    x["self"] = x
    return x


def instance_cycle():
    a, b = Plain(1), Plain(2)
    a.other, b.other = b, a
    return a


def parent_links(n):
    root = Plain(0)
    root.parent = None
    root.children = []
    for i in range(1, n):
        node = Plain(i)
        node.parent = root
        node.children = []
        root.children.append(node)
    return root


def keys_dict(n):
    return {Key(i): [i] for i in range(n)}


def shared_instances(n):
    pool = [Plain(i) for i in range(10)]
    return [pool[i % 10] for i in range(n)]


def deep_list(depth):
    x = []
    for _ in range(depth):
        x = [x]
    return x


def deep_dict(depth):
    x = {}
    for i in range(depth):
        x = {"k": x, "i": i}
    return x


def deep_tuple(depth):
    x = ([],)       # a list at the bottom: every tuple above must be copied
    for i in range(depth):
        x = (i, x)
    return x


def deep_instances(depth):
    node = None
    for i in range(depth):
        p = Empty()
        p.next = node
        p.i = i
        node = p
    return node


def random_strings(n, seed=14):
    rng = random.Random(seed)
    return ["".join(rng.choice("abcdefghij") for _ in range(8)) for _ in range(n)]


# -- the cases ------------------------------------------------------------------

def _cases():
    cases = []

    def add(category, name, factory, call=None):
        cases.append(Case(name, category, factory, call))

    # Atomic values: what one call costs.
    A = "atomic"
    add(A, "none", lambda: None)
    add(A, "int", lambda: 42)
    add(A, "int_big", lambda: 3 ** 200)
    add(A, "float", lambda: 1.5)
    add(A, "complex", lambda: 1 + 2j)
    add(A, "bool", lambda: True)
    add(A, "str", lambda: "hello")
    add(A, "str_1e5", lambda: "x" * 100_000)
    add(A, "bytes", lambda: b"raw bytes")
    add(A, "range", lambda: range(10))
    add(A, "type_builtin", lambda: int)
    add(A, "type_user", lambda: Plain)
    add(A, "function", lambda: _function)
    add(A, "builtin_function", lambda: len)
    add(A, "ellipsis", lambda: ...)
    add(A, "notimplemented", lambda: NotImplemented)
    add(A, "weakref", lambda: weakref.ref(_WEAK_TARGET))
    add(A, "property", lambda: property(lambda self: 1))
    add(A, "code", lambda: _function.__code__)
    add(A, "slice", lambda: slice(1, 10, 2))
    add(A, "int_subclass", lambda: IntSub(7))
    add(A, "str_subclass", lambda: StrSub("abc"))

    # Empty and tiny containers.
    T = "tiny containers"
    add(T, "list_empty", list)
    add(T, "dict_empty", dict)
    add(T, "set_empty", set)
    add(T, "tuple_empty", tuple)
    add(T, "frozenset_empty", frozenset)
    add(T, "list_1", lambda: [1])
    add(T, "list_3", lambda: [1, "a", 2.5])
    add(T, "dict_1", lambda: {"a": 1})
    add(T, "dict_3", lambda: {"a": 1, "b": "two", "c": None})
    add(T, "set_3", lambda: {1, 2, 3})
    add(T, "frozenset_3", lambda: frozenset({1, 2, 3}))
    add(T, "tuple_1", lambda: (1,))
    add(T, "tuple_3", lambda: (1, "a", None))
    add(T, "tuple_3_with_list", lambda: (1, "a", [2]))
    add(T, "list_nested_tiny", lambda: [[1], [2, 3]])
    add(T, "dict_nested_tiny", lambda: {"a": {"b": [1]}})
    add(T, "list_of_empties", lambda: [[], {}, (), set()])
    add(T, "tuple_nested_tiny", lambda: ((1, 2), (3,)))
    add(T, "dict_tuple_keys_3", lambda: {(1, 2): "a", (3, 4): "b", (5, 6): "c"})
    add(T, "plain_empty", Empty)
    add(T, "list_of_list_of_list", lambda: [[[1]]])

    # Atomic values in containers, mid to large (more in fastcopy/_shapes.py).
    C = "atomic containers"
    add(C, "list_atomic_1e2", lambda: list(range(100)))
    add(C, "dict_atomic_1e2", lambda: {"k%d" % i: i for i in range(100)})
    add(C, "tuple_atomic_1e2", lambda: tuple(range(100)))
    add(C, "set_atomic_1e2", lambda: set(range(100)))
    add(C, "frozenset_atomic_1e3", lambda: frozenset(range(1000)))
    add(C, "list_none_1e5", lambda: [None] * 100_000)
    add(C, "list_float_1e5", lambda: [i * 0.5 for i in range(100_000)])
    add(C, "list_str_1e4", lambda: random_strings(10_000))
    add(C, "list_bigint_1e3", lambda: [3 ** 100 + i for i in range(1000)])
    add(C, "list_bool_1e4", lambda: [i % 3 == 0 for i in range(10_000)])
    add(C, "list_bytes_1e3", lambda: [b"b%d" % i for i in range(1000)])
    add(C, "list_complex_1e3", lambda: [complex(i, 1) for i in range(1000)])
    add(C, "list_types_1e3", lambda: [(int, str, Plain, float)[i % 4] for i in range(1000)])
    add(C, "list_functions_1e3", lambda: [(_function, len, max)[i % 3] for i in range(1000)])
    add(C, "list_ranges_1e3", lambda: [range(i) for i in range(1000)])
    add(C, "list_weakrefs_1e3", lambda: [weakref.ref(_WEAK_TARGET)] * 1000)
    add(C, "dict_int_keys_1e4", lambda: {i: "v%d" % i for i in range(10_000)})
    add(C, "tuple_of_tuples_1e3", lambda: tuple((i, str(i)) for i in range(1000)))

    # Containers of containers.
    N = "nested containers"
    add(N, "list_of_lists_1e3", lambda: [[i, i + 1] for i in range(1000)])
    add(N, "list_of_dicts_1e3", lambda: [{"a": i, "b": "x"} for i in range(1000)])
    add(N, "dict_of_lists_1e3", lambda: {"k%d" % i: [i] * 3 for i in range(1000)})
    add(N, "dict_of_dicts_1e3", lambda: {i: {"v": i} for i in range(1000)})
    add(N, "list_of_sets_1e3", lambda: [{i, i + 1} for i in range(1000)])
    add(N, "list_of_empty_lists_1e4", lambda: [[] for _ in range(10_000)])
    add(N, "list_of_tiny_dicts_1e4", lambda: [{"i": i} for i in range(10_000)])
    add(N, "tuple_of_lists_1e3", lambda: tuple([i] for i in range(1000)))
    add(N, "matrix_100x100", lambda: [[float(i * j) for j in range(100)] for i in range(100)])
    add(N, "list_of_lists_1e5", lambda: [[i] for i in range(100_000)])

    # Aliasing graphs.
    G = "aliasing graphs"
    add(G, "shared_list_x100", lambda: [[1, 2, 3]] * 100)
    add(G, "shared_dict_values_1e3", lambda: dict.fromkeys(range(1000), {"shared": [1]}))
    add(G, "shared_instances_1e3", lambda: shared_instances(1000))
    add(G, "diamond", diamond)
    add(G, "dag_1e3", lambda: dag(1000))
    add(G, "dag_1e4", lambda: dag(10_000))
    add(G, "instance_keys_1e3", lambda: keys_dict(1000))
    add(G, "instance_set_1e3", lambda: {Key(i) for i in range(1000)})
    add(G, "self_list", self_list)
    add(G, "self_dict", self_dict)
    add(G, "instance_cycle", instance_cycle)
    add(G, "parent_links_1e3", lambda: parent_links(1000))

    # Class instances.
    CI = "class instances"
    add(CI, "plain_empty_1e3", lambda: [Empty() for _ in range(1000)])
    add(CI, "slots_1", lambda: Slots(1))
    add(CI, "slots_and_dict_1e3", lambda: [SlotsAndDict(i) for i in range(1000)])
    add(CI, "slots_child_1e3", lambda: [SlotsChild(i) for i in range(1000)])
    add(CI, "plain_1e4", lambda: [Plain(i) for i in range(10_000)])

    # Dataclasses.
    D = "dataclasses"
    add(D, "dataclass_1", lambda: DC(1, "a", ["x"]))
    add(D, "dataclass_frozen_1", lambda: DCFrozen(1, "a", (1, 2)))
    add(D, "dataclass_frozen_1e3", lambda: [DCFrozen(i, "a", (i, [i])) for i in range(1000)])
    add(D, "dataclass_slots_1", lambda: DCSlots(1, [1]))
    add(D, "dataclass_nested_1e3", lambda: [DCNested(i, DC(i, "c", [i]), {"e": i}) for i in range(1000)])

    # Copy protocols and hooks.
    P = "protocol hooks"
    add(P, "hook_self_1", lambda: HookSelf(1))
    add(P, "hook_self_1e3", lambda: [HookSelf(i) for i in range(1000)])
    add(P, "hook_build_1", lambda: HookBuild(1))
    add(P, "hook_build_1e3", lambda: [HookBuild(i) for i in range(1000)])
    add(P, "hook_dict_memo_1", lambda: HookDictMemo(1))
    add(P, "hook_dict_memo_1e3", lambda: [HookDictMemo(i) for i in range(1000)])
    add(P, "hook_setattr_loop_1e3", lambda: [HookSetattrLoop(i) for i in range(1000)])
    add(P, "hook_needs_dict_1e3", lambda: [HookNeedsDict(i) for i in range(1000)])
    add(P, "reduce_1", lambda: _shapes.Reduced(1, [1]))
    add(P, "reduce_ex_1e3", lambda: [ReduceEx(i, [i]) for i in range(1000)])
    add(P, "reduce_state_1e3", lambda: [ReduceState(i) for i in range(1000)])
    add(P, "getstate_1", lambda: _shapes.Stateful(1))
    add(P, "getstate_only_1e3", lambda: [GetStateOnly(i) for i in range(1000)])
    add(P, "setstate_only_1e3", lambda: [SetStateOnly(i) for i in range(1000)])
    add(P, "copy_hook_only_1e3", lambda: [CopyHook(i) for i in range(1000)])
    add(P, "copyreg_1e3", lambda: [Registered(i, [i]) for i in range(1000)])
    add(P, "dict_subclass_1e3", lambda: [DictSub(a=i, b=[i]) for i in range(1000)])
    add(P, "tuple_subclass_1e3", lambda: [TupleSub((i, [i])) for i in range(1000)])
    add(P, "set_subclass_1e2", lambda: [SetSub({i, i + 1}) for i in range(100)])
    add(P, "int_subclass_1e3", lambda: [IntSub(i) for i in range(1000)])

    # Standard library types.
    S = "stdlib types"
    add(S, "re_pattern", lambda: re.compile(r"(\w+)@(\w+)\.com"))
    add(S, "array_10", lambda: array.array("d", range(10)))
    add(S, "array_1e5", lambda: array.array("i", range(100_000)))
    add(S, "bytearray_10", lambda: bytearray(b"0123456789"))
    add(S, "bytearray_1e5", lambda: bytearray(100_000))
    add(S, "decimal", lambda: decimal.Decimal("3.14159"))
    add(S, "decimal_1e3", lambda: [decimal.Decimal(i) / 7 for i in range(1000)])
    add(S, "fraction", lambda: fractions.Fraction(3, 7))
    add(S, "datetime", lambda: datetime.datetime(2024, 1, 2, 3, 4, 5))
    add(S, "datetime_tz", lambda: datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc))
    add(S, "date", lambda: datetime.date(2024, 1, 2))
    add(S, "time", lambda: datetime.time(12, 30))
    add(S, "timedelta", lambda: datetime.timedelta(days=1, seconds=5))
    add(S, "datetime_1e3", lambda: [datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i)
                                    for i in range(1000)])
    add(S, "uuid", lambda: uuid.UUID(int=12345))
    add(S, "uuid_1e3", lambda: [uuid.UUID(int=i) for i in range(1000)])
    add(S, "pure_path", lambda: pathlib.PurePosixPath("/usr/lib/python3"))
    add(S, "path_1e3", lambda: [pathlib.Path("/tmp/f%d" % i) for i in range(1000)])
    add(S, "ordereddict_3", lambda: collections.OrderedDict(a=1, b=[2], c="3"))
    add(S, "ordereddict_1e3", lambda: collections.OrderedDict((str(i), i) for i in range(1000)))
    add(S, "defaultdict_3", lambda: collections.defaultdict(list, {"a": [1], "b": [2]}))
    add(S, "deque_3", lambda: collections.deque([1, [2], 3]))
    add(S, "deque_1e4", lambda: collections.deque(range(10_000)))
    add(S, "counter_1e3", lambda: collections.Counter(range(1000)))
    add(S, "namedtuple", lambda: Pair(1, "a"))
    add(S, "namedtuple_1e3", lambda: [Pair(i, [i]) for i in range(1000)])
    add(S, "enum_member", lambda: _shapes.Color.RED)
    add(S, "enum_1e3", lambda: [_shapes.Color(1 + i % 3) for i in range(1000)])
    add(S, "intflag", lambda: Flag.A | Flag.B)
    add(S, "simplenamespace", lambda: types.SimpleNamespace(a=1, b=[2]))
    add(S, "simplenamespace_1e3", lambda: [types.SimpleNamespace(i=i, v=[i]) for i in range(1000)])
    add(S, "partial", lambda: functools.partial(_function, 1, b=3))
    add(S, "bound_method", lambda: Plain(1).__init__)

    # Third-party types (skipped when the package is missing).
    X = "third-party"

    def numpy():
        return _require("numpy")

    add(X, "numpy_array_10", lambda: numpy().arange(10, dtype=float))
    add(X, "numpy_array_1e5", lambda: numpy().arange(100_000, dtype=float))
    add(X, "numpy_2d_100x100", lambda: numpy().ones((100, 100)))
    add(X, "numpy_scalar", lambda: numpy().float64(1.5))
    add(X, "numpy_object_array_1e2", lambda: numpy().array([[i] for i in range(100)] + [None],
                                                              dtype=object))
    add(X, "numpy_arrays_1e3", lambda: [numpy().arange(3) for _ in range(1000)])
    add(X, "pydantic_model_1", lambda: pydantic_user(1))
    add(X, "pydantic_models_1e2", lambda: pydantic_users(100))
    add(X, "attrs_define_1e3", lambda: [_attrs_classes()[0](i, i, [i]) for i in range(1000)])
    add(X, "attrs_frozen_1e3", lambda: [_attrs_classes()[1](i, "l") for i in range(1000)])
    add(X, "attrs_classic_1e3", lambda: [_attrs_classes()[2](i, [i]) for i in range(1000)])

    # Deep nesting (within the stdlib's recursion limit, so it can be timed).
    DN = "deep nesting"
    add(DN, "deep_list_400", lambda: deep_list(400))
    add(DN, "deep_dict_400", lambda: deep_dict(400))
    add(DN, "deep_tuple_300", lambda: deep_tuple(300))
    add(DN, "deep_instances_150", lambda: deep_instances(150))

    # Library code calling copy.deepcopy, run with copy.deepcopy patched.
    L = PATCHED

    def deepcopy_via_module(x):
        return copy.deepcopy(x)

    add(L, "lib_hook_dict_copy_200", lambda: [Settings(i) for i in range(200)], deepcopy_via_module)
    add(L, "lib_hook_setattr_loop_1e3", lambda: [HookSetattrLoop(i) for i in range(1000)],
        deepcopy_via_module)
    add(L, "lib_hook_needs_dict_1e3", lambda: [HookNeedsDict(i) for i in range(1000)],
        deepcopy_via_module)
    add(L, "lib_asdict_50", lambda: _orders(50), lambda x: [dataclasses.asdict(o) for o in x])
    add(L, "lib_asdict_small", lambda: DC(1, "a", ["x", "y"]), dataclasses.asdict)
    add(L, "lib_with_changes_100", lambda: [DC(i, "n", [i]) for i in range(100)],
        lambda x: [with_changes(o, id=0) for o in x])
    add(L, "lib_defaults_x100", lambda: DEFAULTS,
        lambda x: [early_bound_deepcopy(x) for _ in range(100)])
    add(L, "lib_early_bound_json_100", lambda: [_shapes.json_doc(i) for i in range(100)],
        early_bound_deepcopy)
    add(L, "lib_early_bound_list_1e4", lambda: list(range(10_000)), early_bound_deepcopy)
    add(L, "lib_pydantic_model_copy_20", lambda: pydantic_user(20),
        lambda x: x.model_copy(deep=True))
    add(L, "lib_pydantic_model_copy_1", lambda: pydantic_user(1),
        lambda x: x.model_copy(deep=True))
    add(L, "lib_pydantic_deepcopy_1e2", lambda: pydantic_users(100), deepcopy_via_module)
    add(L, "lib_numpy_object_array_1e2", lambda: numpy().array([[i] for i in range(100)] + [None],
                                                              dtype=object), deepcopy_via_module)
    return cases


def _shape_cases():
    return [Case(name, category, factory) for name, (category, factory) in _shapes.CASES.items()]


CORPUS = _cases() + _shape_cases()

_names = [c.name for c in CORPUS]
assert len(set(_names)) == len(_names), "duplicate case names"
assert all(c.category in CATEGORIES for c in CORPUS), "a case in an unknown category"
del _names


def select(only=None, category=None, patched_only=False):
    """The cases whose name contains one of the comma-separated parts of
    `only`, and whose category contains one of those of `category`, in
    report order (by category)."""
    out = []
    for c in CORPUS:
        if only and not any(part in c.name for part in only.split(",")):
            continue
        if category and not any(part in c.category for part in category.split(",")):
            continue
        if patched_only and c.call is None:
            continue
        out.append(c)
    out.sort(key=lambda c: CATEGORIES.index(c.category))
    return out
