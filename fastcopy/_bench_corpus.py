"""The default data of ``python -m fastcopy bench``: typical things programs
deep-copy, each small enough that the standard library copies it in a few
milliseconds.  CASES is a list of (name, description, factory); the classes
are defined at module level so that the pickle round trip can time them too.
"""

import collections
import dataclasses
import datetime
import decimal
import enum
import uuid


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


def json_documents():
    return [{
        "id": i, "type": "event", "active": i % 2 == 0, "score": i * 1.25,
        "tags": ["t%d" % (i % 5), "common"],
        "user": {"name": "user%d" % i, "address": {"city": "Town", "zip": "%05d" % i}},
        "items": [{"sku": "s%d" % j, "qty": j, "price": j * 2.5} for j in range(3)],
        "note": None,
    } for i in range(100)]


def config():
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


def stdlib_types():
    return [{
        "when": datetime.datetime(2024, 1, 1, 12, 0) + datetime.timedelta(minutes=i),
        "day": datetime.date(2024, 1, 1 + i % 28),
        "price": Money(decimal.Decimal("19.99"), "EUR"),
        "status": Status.OPEN if i % 3 else Status.CLOSED,
        "id": uuid.UUID(int=i),
        "history": collections.deque([i, i + 1, i + 2], maxlen=5),
        "attributes": collections.OrderedDict(color="red", size=i),
    } for i in range(100)]


def shared_graph():
    # Many records pointing at a few shared lookup tables.
    tables = [{"code": "T%d" % i, "labels": ["a", "b", "c"]} for i in range(10)]
    return [{"id": i, "kind": tables[i % 10], "parent": tables[(i * 3) % 10]}
            for i in range(500)]


def cyclic_graph():
    # A tree whose nodes point back at their parent.
    root = {"name": "root", "parent": None, "children": []}
    for i in range(20):
        child = {"name": "n%d" % i, "parent": root, "children": []}
        root["children"].append(child)
        for j in range(10):
            child["children"].append({"name": "n%d.%d" % (i, j), "parent": child,
                                      "children": []})
    return root


def hooks():
    return [Memoized({"values": list(range(10)), "name": "m%d" % i}) for i in range(100)] + [
        Versioned(i) for i in range(100)]


def atomic_list():
    return [i if i % 2 else "s%d" % i for i in range(10_000)]


def atomic_dict():
    return {"key%d" % i: i * 0.5 for i in range(10_000)}


CASES = [
    ("json_documents", "100 JSON-like documents (dicts, lists, strings, numbers)", json_documents),
    ("config", "a nested configuration dict", config),
    ("dataclasses", "100 dataclasses, each holding 3 more and a dict", orders),
    ("slots_dataclasses", "300 dataclasses with slots", readings),
    ("plain_objects", "200 instances of a plain class", users),
    ("stdlib_types", "100 dicts of datetime, Decimal, Enum, namedtuple, UUID, deque, "
     "OrderedDict", stdlib_types),
    ("shared_graph", "500 records sharing 10 lookup tables", shared_graph),
    ("cyclic_graph", "a tree of 221 dicts pointing back at their parents", cyclic_graph),
    ("hooks", "200 objects with __deepcopy__ or __getstate__/__setstate__", hooks),
    ("atomic_list", "a list of 10,000 ints and strings", atomic_list),
    ("atomic_dict", "a dict of 10,000 string keys and floats", atomic_dict),
]
