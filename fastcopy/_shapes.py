"""The shapes of data programs copy, at sizes from a handful of items to
10**5: atomic-heavy containers, JSON-like documents, shared references,
cycles, class instances, dataclasses, objects with copy hooks, stdlib types,
deep nesting.  CASES maps a name to (category, factory).

One module for everything that needs such data: the benchmarks, the test
suite (each shape is also checked against the stdlib) and the training run
of the profile-guided build.  Test data only; not part of the API.
"""

import builtins
import collections
import dataclasses
import datetime
import decimal
import enum
import fractions
import uuid


class Plain:
    def __init__(self, i):
        self.id = i
        self.name = "item%d" % i
        self.tags = ["a", "b"]
        self.score = i * 0.5


class Slots:
    __slots__ = ("id", "name", "tags")

    def __init__(self, i):
        self.id = i
        self.name = "item%d" % i
        self.tags = ["a", "b"]


@dataclasses.dataclass
class Record:
    id: int
    name: str
    values: list
    meta: dict


@dataclasses.dataclass(slots=True)
class SlotRecord:
    id: int
    name: str
    values: list


class Reduced:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __reduce__(self):
        return (Reduced, (self.a, self.b))


class Stateful:
    def __init__(self, i):
        self.i = i
        self.items = [i, i + 1]

    def __getstate__(self):
        return {"i": self.i, "items": self.items}

    def __setstate__(self, state):
        self.__dict__.update(state)


class Hooked:
    def __init__(self, i):
        self.i = i
        self.items = [i]

    def __deepcopy__(self, memo):
        import copy
        new = Hooked.__new__(Hooked)
        new.i = self.i
        new.items = copy.deepcopy(self.items, memo)
        return new


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


Point = collections.namedtuple("Point", "x y z")


@dataclasses.dataclass(frozen=True, slots=True)
class Frozen:
    x: int
    y: tuple


class Bag(list):
    """A list subclass: reduce value with list items."""


class Node:
    def __init__(self, i):
        self.key = i
        self.children = []
        self.attrs = {"weight": i / 3, "flags": [i & 1, i & 2]}


def tree(n):
    """n plain instances in a binary tree."""
    nodes = [Node(i) for i in range(n)]
    for i, node in enumerate(nodes[1:], 1):
        nodes[(i - 1) // 2].children.append(node)
    return nodes[0]


def json_doc(i):
    return {
        "id": i, "name": "user%d" % i, "active": i % 2 == 0, "score": i * 1.5,
        "tags": ["t%d" % (i % 7), "common"],
        "address": {"street": "%d Main St" % i, "city": "Town", "zip": "%05d" % i,
                    "geo": {"lat": 1.5, "lng": -2.25}},
        "orders": [{"sku": "sku%d" % j, "qty": j, "price": j * 2.5} for j in range(3)],
        "note": None,
    }


def shared_graph(n):
    pool = [[i, str(i)] for i in range(max(1, n // 10))]
    return [{"ref": pool[i % len(pool)], "also": pool[(i * 7) % len(pool)], "i": i}
            for i in range(n)]


def cyclic(n, ring=20):
    """n dict nodes in doubly linked rings of `ring` nodes (short enough for
    the stdlib's recursion limit)."""
    nodes = [{"id": i, "next": None, "prev": None} for i in range(n)]
    for start in range(0, n, ring):
        members = nodes[start:start + ring]
        for i, node in enumerate(members):
            node["next"] = members[(i + 1) % len(members)]
            node["prev"] = members[i - 1]
    return nodes


def deep_nest(depth):
    x = [0]
    for i in range(depth):
        x = [i, x, {"k": (i,)}]
    return x


def stdlib_mix(n):
    return [
        {"when": datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=i),
         "amount": decimal.Decimal(i) / 4, "color": Color.RED,
         "pt": Point(i, i + 1, i + 2),
         "od": collections.OrderedDict(a=i, b=[i]),
         "dq": collections.deque([i, i + 1])}
        for i in range(n)
    ]


def stdlib_more(n):
    return [
        {"day": datetime.date(2020, 1, 1 + i % 28), "part": fractions.Fraction(i, 7),
         "id": uuid.UUID(int=i), "dd": collections.defaultdict(list, {"x": [i]}),
         "raw": b"bytes", "ba": bytearray(b"ab")}
        for i in range(n)
    ]


CASES = {
    # atomic-heavy containers
    "list_atomic_10": ("atomic containers", lambda: list(range(10))),
    "list_atomic_1e4": ("atomic containers", lambda: list(range(10_000))),
    "list_atomic_1e5": ("atomic containers", lambda: [i if i % 2 else str(i) for i in range(100_000)]),
    "dict_atomic_10": ("atomic containers", lambda: {str(i): i for i in range(10)}),
    "dict_atomic_1e4": ("atomic containers", lambda: {str(i): i for i in range(10_000)}),
    "dict_atomic_1e5": ("atomic containers", lambda: {i: float(i) for i in range(100_000)}),
    "tuple_atomic_10": ("atomic containers", lambda: tuple(range(10))),
    "tuple_atomic_1e4": ("atomic containers", lambda: tuple(range(10_000))),
    "set_atomic_1e4": ("atomic containers", lambda: set(range(10_000))),
    "list_of_tuples_1e4": ("atomic containers", lambda: [(i, str(i)) for i in range(10_000)]),
    # JSON-like documents
    "json_doc_1": ("json documents", lambda: json_doc(1)),
    "json_docs_100": ("json documents", lambda: [json_doc(i) for i in range(100)]),
    "json_docs_5000": ("json documents", lambda: [json_doc(i) for i in range(5000)]),
    # memo-heavy and cycles
    "shared_1e3": ("memo-heavy", lambda: shared_graph(1000)),
    "shared_1e5": ("memo-heavy", lambda: shared_graph(100_000)),
    "cycles_1e3": ("cycles", lambda: cyclic(1000)),
    "cycles_1e5": ("cycles", lambda: cyclic(100_000)),
    # instances
    "plain_1": ("class instances", lambda: Plain(1)),
    "plain_1e3": ("class instances", lambda: [Plain(i) for i in range(1000)]),
    "slots_1e3": ("class instances", lambda: [Slots(i) for i in range(1000)]),
    "dataclass_1e3": ("dataclasses", lambda: [Record(i, "r", [i, i], {"k": i}) for i in range(1000)]),
    "dataclass_slots_1e3": ("dataclasses", lambda: [SlotRecord(i, "r", [i]) for i in range(1000)]),
    "reduce_1e3": ("protocol hooks", lambda: [Reduced(i, [i]) for i in range(1000)]),
    "getstate_1e3": ("protocol hooks", lambda: [Stateful(i) for i in range(1000)]),
    "deepcopy_hook_1e3": ("protocol hooks", lambda: [Hooked(i) for i in range(1000)]),
    # stdlib types
    "stdlib_types_1e3": ("stdlib types", lambda: stdlib_mix(1000)),
    # more kinds of instances and stdlib types
    "frozen_slots_1e3": ("dataclasses", lambda: [Frozen(i, (i,)) for i in range(1000)]),
    "list_subclass_1e3": ("protocol hooks", lambda: [Bag([i, [i]]) for i in range(1000)]),
    "tree_300": ("class instances", lambda: tree(300)),
    "stdlib_more_1e3": ("stdlib types", lambda: stdlib_more(1000)),
    # deep nesting (within the stdlib's recursion limit, so it can be timed)
    "deep_nest_200": ("deep nesting", lambda: deep_nest(200)),
}

# 3.15's frozendict, where the running Python has it.
FROZENDICT = getattr(builtins, "frozendict", None)
if FROZENDICT is not None:
    CASES.update({
        "frozendict_atomic_1e4": ("atomic containers",
                                  lambda: FROZENDICT({str(i): i for i in range(10_000)})),
        "frozendict_docs_100": ("json documents",
                                lambda: [FROZENDICT(json_doc(i)) for i in range(100)]),
    })


def is_small(name):
    """Cases quick enough for the test suite's every-shape check."""
    return not any(size in name for size in ("1e4", "1e5", "5000"))
