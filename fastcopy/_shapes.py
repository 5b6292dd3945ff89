"""The shapes of data programs copy, at sizes from a handful of items to
10**5: atomic-heavy containers, JSON-like documents, shared references,
cycles, class instances, dataclasses, objects with copy hooks, stdlib types,
deep nesting.  CASES maps a name to (category, factory).

One module for everything that needs such data: `python -m fastcopy bench`
(its default corpus, DEFAULT_BENCH), the benchmarks, the test suite (each
shape is also checked against the stdlib) and the training run of the
profile-guided build.  Not part of the API.
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

# -- the default corpus of `python -m fastcopy bench` -------------------------

class User:
    """A plain class: attributes in its __dict__."""

    def __init__(self, i):
        self.id = i
        self.name = "user%d" % i
        self.email = "user%d@example.com" % i
        self.roles = ["reader", "writer"] if i % 3 else ["admin"]
        self.settings = {"theme": "dark", "page_size": 50, "beta": i % 2 == 0}


@dataclasses.dataclass
class Order:
    id: int
    customer: str
    lines: list
    totals: dict
    paid: bool = False


@dataclasses.dataclass
class Line:
    sku: str
    quantity: int
    price: float


@dataclasses.dataclass(slots=True)
class Reading:
    sensor: str
    values: list
    unit: str = "C"


class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


Money = collections.namedtuple("Money", "amount currency")


class Memoized:
    """A class with its own __deepcopy__ hook (copies its data, drops its cache)."""

    def __init__(self, data):
        self.data = data
        self.cache = {}

    def __deepcopy__(self, memo):
        import copy
        new = Memoized.__new__(Memoized)
        new.data = copy.deepcopy(self.data, memo)
        new.cache = {}
        return new


class Versioned:
    """A class with __getstate__/__setstate__."""

    def __init__(self, i):
        self.version = i
        self.payload = {"k%d" % j: [j, j * 2] for j in range(3)}
        self._lock_token = object()

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_lock_token"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock_token = object()


def json_events():
    return [{
        "id": i, "type": "event", "active": i % 2 == 0, "score": i * 1.25,
        "tags": ["t%d" % (i % 5), "common"],
        "user": {"name": "user%d" % i, "address": {"city": "Town", "zip": "%05d" % i}},
        "items": [{"sku": "s%d" % j, "qty": j, "price": j * 2.5} for j in range(3)],
        "note": None,
    } for i in range(100)]


def app_config():
    return {
        "version": 3,
        "server": {"host": "0.0.0.0", "port": 8080, "workers": 4,
                   "tls": {"enabled": True, "ciphers": ["A", "B", "C"]}},
        "databases": {name: {"url": "postgres://db/%s" % name, "pool": {"min": 1, "max": 10},
                             "options": {"timeout": 30.0, "retries": 3}}
                      for name in ("main", "replica", "analytics")},
        "features": {"flag%d" % i: i % 2 == 0 for i in range(40)},
        "logging": {"level": "INFO", "handlers": [
            {"kind": "console", "format": "%(message)s"},
            {"kind": "file", "path": "/var/log/app.log", "rotate": {"days": 7}}]},
    }


def orders():
    return [Order(i, "customer%d" % (i % 10),
                  [Line("sku%d" % j, j + 1, 9.99 + j) for j in range(3)],
                  {"net": 30.0 + i, "tax": 5.7}, i % 4 == 0)
            for i in range(100)]


def readings():
    return [Reading("sensor%d" % (i % 8), [20.0 + i * 0.1, 20.5, 21.0]) for i in range(300)]


def users():
    return [User(i) for i in range(200)]


def stdlib_records():
    return [{
        "when": datetime.datetime(2024, 1, 1, 12, 0) + datetime.timedelta(minutes=i),
        "day": datetime.date(2024, 1, 1 + i % 28),
        "price": Money(decimal.Decimal("19.99"), "EUR"),
        "status": Status.OPEN if i % 3 else Status.CLOSED,
        "id": uuid.UUID(int=i),
        "history": collections.deque([i, i + 1, i + 2], maxlen=5),
        "attributes": collections.OrderedDict(color="red", size=i),
    } for i in range(100)]


def lookup_records():
    # Many records pointing at a few shared lookup tables.
    tables = [{"code": "T%d" % i, "labels": ["a", "b", "c"]} for i in range(10)]
    return [{"id": i, "kind": tables[i % 10], "parent": tables[(i * 3) % 10]}
            for i in range(500)]


def parent_tree():
    # A tree whose nodes point back at their parent.
    root = {"name": "root", "parent": None, "children": []}
    for i in range(20):
        child = {"name": "n%d" % i, "parent": root, "children": []}
        root["children"].append(child)
        for j in range(10):
            child["children"].append({"name": "n%d.%d" % (i, j), "parent": child,
                                      "children": []})
    return root


def hooks_mix():
    return [Memoized({"values": list(range(10)), "name": "m%d" % i}) for i in range(100)] + [
        Versioned(i) for i in range(100)]


def atomic_list():
    return [i if i % 2 else "s%d" % i for i in range(10_000)]


def atomic_dict():
    return {"key%d" % i: i * 0.5 for i in range(10_000)}


# The default data of `python -m fastcopy bench`: (name, description, factory),
# each small enough that the standard library copies it in a few milliseconds.
DEFAULT_BENCH = [
    ("json_documents", "100 JSON-like documents (dicts, lists, strings, numbers)", json_events),
    ("config", "a nested configuration dict", app_config),
    ("dataclasses", "100 dataclasses, each holding 3 more and a dict", orders),
    ("slots_dataclasses", "300 dataclasses with slots", readings),
    ("plain_objects", "200 instances of a plain class", users),
    ("stdlib_types", "100 dicts of datetime, Decimal, Enum, namedtuple, UUID, deque, "
     "OrderedDict", stdlib_records),
    ("shared_graph", "500 records sharing 10 lookup tables", lookup_records),
    ("cyclic_graph", "a tree of 221 dicts pointing back at their parents", parent_tree),
    ("hooks", "200 objects with __deepcopy__ or __getstate__/__setstate__", hooks_mix),
    ("atomic_list", "a list of 10,000 ints and strings", atomic_list),
    ("atomic_dict", "a dict of 10,000 string keys and floats", atomic_dict),
]

CASES.update({
    "bench_json_events": ("json documents", json_events),
    "bench_app_config": ("json documents", app_config),
    "bench_orders": ("dataclasses", orders),
    "bench_readings": ("dataclasses", readings),
    "bench_users": ("class instances", users),
    "bench_stdlib_records": ("stdlib types", stdlib_records),
    "bench_lookup_records": ("memo-heavy", lookup_records),
    "bench_parent_tree": ("cycles", parent_tree),
    "bench_hooks_mix": ("protocol hooks", hooks_mix),
})

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
