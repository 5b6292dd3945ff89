"""Objects of every type family fastcopy must copy like the stdlib.

CASES maps a name to a factory returning a fresh object.  The benchmarks use
the same families at larger sizes.
"""

import array
import builtins
import collections
import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import pathlib
import re
import types
import uuid
import weakref

from fastcopy import _shapes

# -- classes used by the corpus (module level, so they can be reduced) --------

class Plain:
    def __init__(self, a=1, b=None):
        self.a = a
        self.b = b if b is not None else [1, 2, 3]

    def method(self):
        return self.a


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x=1, y=None):
        self.x = x
        self.y = y if y is not None else {"k": [1]}


class SlottedChild(Slotted):
    __slots__ = ("z", "__dict__")

    def __init__(self):
        super().__init__()
        self.z = (1, [2])
        self.extra = "dict too"


class PartlySet:
    __slots__ = ("set_", "unset")

    def __init__(self):
        self.set_ = [1]


@dataclasses.dataclass
class Point:
    x: int
    y: int
    tags: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class SlotPoint:
    x: int
    y: list


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    x: int
    y: tuple


class WithReduce:
    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (WithReduce, (self.value,))

    def __eq__(self, other):
        return type(other) is WithReduce and other.value == self.value

    __hash__ = None


class WithReduceEx:
    def __init__(self, items):
        self.items = items

    def __reduce_ex__(self, protocol):
        return (WithReduceEx, (list(self.items),), None, None, None)


class WithState:
    def __init__(self):
        self.data = [1, 2]
        self.cache = "not copied"

    def __getstate__(self):
        return {"data": self.data}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.cache = "rebuilt"


class WithDeepcopy:
    def __init__(self, payload):
        self.payload = payload

    def __deepcopy__(self, memo):
        import copy
        return WithDeepcopy(copy.deepcopy(self.payload, memo))


class WithCopy:
    def __init__(self):
        self.items = [1, 2]

    def __copy__(self):
        new = WithCopy.__new__(WithCopy)
        new.items = self.items
        return new


class ListSub(list):
    pass


class DictSub(dict):
    pass


class TupleSub(tuple):
    pass


class SetSub(set):
    pass


class IntSub(int):
    pass


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


Pair = collections.namedtuple("Pair", "left right")


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


def _linked(n):
    head = Node(0)
    cur = head
    for i in range(1, n):
        cur.next = Node(i)
        cur = cur.next
    cur.next = head     # a cycle back to the start
    return head


def _self_list():
    x = [1, 2]
    x.append(x)
    return x


def _self_dict():
    x = {"a": 1}
    x["self"] = x
    return x


def _tuple_cycle():
    inner = []
    t = (inner, 1)
    inner.append(t)
    return t


def _tuples_in_tuples():
    # Inside a copy, tuples holding containers are copied by recursion: a
    # shared one, one met again through its own items, a dict between levels.
    shared = (1, [2])
    holder = []
    loop = (holder, (3, (holder,)))
    holder.append(loop)
    return [(shared, (shared, ((4, [5]), {"k": (6, [7])}))), loop]


def _shared():
    shared = [1, 2, 3]
    d = {"x": shared}
    return [shared, shared, (shared, d), d, {"again": d}]


def _instance_cycle():
    a = Plain()
    b = Plain(b=[a])
    a.b = [b, a]
    return [a, b]


def _json_doc():
    return {
        "id": 1234,
        "name": "widget",
        "price": 9.99,
        "tags": ["a", "b", "c"],
        "dimensions": {"w": 1.0, "h": 2.5, "d": None},
        "variants": [{"sku": "x%d" % i, "stock": i, "active": i % 2 == 0}
                     for i in range(5)],
    }


def _func():
    return None


_weak_target = Plain()


CASES = {
    # atomic values
    "int": lambda: 12345678901234567890,
    "str": lambda: "hello",
    "float_nan": lambda: float("nan"),
    "none": lambda: None,
    "bytes": lambda: b"raw",
    "complex": lambda: 1 + 2j,
    "range": lambda: range(10),
    "function": lambda: _func,
    "builtin": lambda: len,
    "class": lambda: Plain,
    "ellipsis": lambda: ...,
    "weakref": lambda: weakref.ref(_weak_target),
    "property": lambda: property(lambda self: 1),
    "code": lambda: _func.__code__,
    # built-in containers of atomic values
    "list_small": lambda: [1, "a", 2.0, None, True, b"x"],
    "list_large": lambda: list(range(10_000)),
    "dict_small": lambda: {"a": 1, "b": "two", 3: None},
    "dict_large": lambda: {str(i): i for i in range(10_000)},
    "tuple_small": lambda: (1, "a", None),
    "tuple_large": lambda: tuple(range(10_000)),
    "tuple_empty": lambda: (),
    "list_empty": lambda: [],
    "dict_empty": lambda: {},
    "set": lambda: {1, 2, "three", (4, 5)},
    "frozenset": lambda: frozenset({1, 2, (3, 4)}),
    "frozenset_empty": lambda: frozenset(),
    "bytearray": lambda: bytearray(b"mutable"),
    "slice": lambda: slice(1, 10, 2),
    # nesting, sharing, cycles
    "json_doc": _json_doc,
    "json_docs": lambda: [_json_doc() for _ in range(20)],
    "nested_mixed": lambda: {"l": [(1, [2, {3: frozenset({4})}])], "s": {(5, 6)}},
    "tuple_with_list": lambda: (1, [2, 3], "x"),
    "tuple_of_tuples": lambda: ((1, 2), (3, (4, 5))),
    "shared": _shared,
    "self_list": _self_list,
    "self_dict": _self_dict,
    "tuple_cycle": _tuple_cycle,
    "tuples_in_tuples": _tuples_in_tuples,
    "instance_cycle": _instance_cycle,
    "linked_ring": lambda: _linked(50),
    # instances
    "plain": lambda: Plain(),
    "plain_many": lambda: [Plain(i) for i in range(100)],
    "slotted": lambda: Slotted(),
    "slotted_child": lambda: SlottedChild(),
    "partly_set_slots": lambda: PartlySet(),
    "dataclass": lambda: Point(1, 2, ["t"]),
    "dataclass_slots": lambda: SlotPoint(1, [2]),
    "dataclass_frozen": lambda: FrozenPoint(1, (2, [3])),
    "reduce": lambda: WithReduce([1, 2]),
    "reduce_ex": lambda: WithReduceEx([1, [2]]),
    "getstate_setstate": lambda: WithState(),
    "deepcopy_hook": lambda: WithDeepcopy([1, {"a": [2]}]),
    "copy_hook": lambda: WithCopy(),
    "bound_method": lambda: Plain().method,
    # subclasses of built-ins go through the reduce protocol
    "list_subclass": lambda: ListSub([1, [2]]),
    "dict_subclass": lambda: DictSub(a=[1]),
    "tuple_subclass": lambda: TupleSub((1, [2])),
    "set_subclass": lambda: SetSub({1, 2}),
    "int_subclass": lambda: IntSub(7),
    # stdlib types
    "datetime": lambda: datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "date_timedelta": lambda: [datetime.date(2020, 2, 29), datetime.timedelta(days=3)],
    "decimal": lambda: decimal.Decimal("3.14159"),
    "fraction": lambda: fractions.Fraction(3, 7),
    "enum": lambda: [Color.RED, Level.HIGH],
    "namedtuple": lambda: Pair([1], {"r": 2}),
    "ordereddict": lambda: collections.OrderedDict([("a", [1]), ("b", 2)]),
    "defaultdict": lambda: collections.defaultdict(list, {"a": [1]}),
    "deque": lambda: collections.deque([1, [2], 3], maxlen=10),
    "counter": lambda: collections.Counter("abracadabra"),
    "array": lambda: array.array("i", [1, 2, 3]),
    "uuid": lambda: uuid.UUID(int=12345),
    "path": lambda: pathlib.PurePosixPath("/a/b"),
    "regex": lambda: re.compile(r"a+b"),
    "partial": lambda: functools.partial(max, 1, key=None),
    "simplenamespace": lambda: types.SimpleNamespace(a=[1], b="x"),
    "mappingproxy_holder": lambda: [types.MappingProxyType({"a": 1})],
}

# Every data shape the benchmarks time (the smaller sizes), also checked
# against the stdlib.
CASES.update({"shape_" + name: factory for name, (_category, factory) in _shapes.CASES.items()
              if _shapes.is_small(name)})

# The built-in frozendict (3.15+): every shape a dict case covers.
FROZENDICT = getattr(builtins, "frozendict", None)


def _frozendict_cycle():
    # A frozendict cannot hold itself; a list inside it can.
    inner = []
    fd = FROZENDICT({"list": inner, "n": 1})
    inner.append(fd)
    return [fd, inner]


def _frozendict_shared():
    shared = [1, 2]
    fd = FROZENDICT({"a": shared, "b": shared})
    return [fd, fd, shared, {"same": fd}]


if FROZENDICT is not None:
    class FrozenDictSub(FROZENDICT):
        pass

    CASES.update({
        "frozendict_small": lambda: FROZENDICT({"a": 1, "b": "two", 3: None}),
        "frozendict_large": lambda: FROZENDICT({str(i): i for i in range(10_000)}),
        "frozendict_empty": lambda: FROZENDICT(),
        "frozendict_nested": lambda: FROZENDICT(
            {"l": [1, {"d": FROZENDICT(x=[2])}], FROZENDICT(k=1): (3, [4])}),
        "frozendict_in_json": lambda: [_json_doc(), FROZENDICT(doc=_json_doc())],
        "frozendict_cycle": _frozendict_cycle,
        "frozendict_shared": _frozendict_shared,
        "frozendict_as_key": lambda: {FROZENDICT(a=1): [1], (FROZENDICT(b=2),): 2},
        "frozendict_subclass": lambda: FrozenDictSub({"a": [1]}),
    })
