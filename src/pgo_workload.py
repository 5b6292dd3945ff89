"""Training run for the profile-guided build (see setup.py).

    python -s src/pgo_workload.py DIR

DIR holds a `fastcopy` package whose compiled core was built with
-fprofile-generate.  This copies data of the usual shapes with it - JSON-like
documents, containers of atomic values, shared references and cycles, class
instances, dataclasses, the copy hooks, stdlib types, deep nesting - so that
the compiler learns which paths are hot and lays them out together.  It is
not the benchmark suite (benchmarks/cases.py) and does not time anything.
"""

import collections
import copy
import dataclasses
import datetime
import decimal
import enum
import fractions
import sys
import uuid


class Node:
    def __init__(self, i):
        self.key = i
        self.label = "n%d" % i
        self.children = []
        self.attrs = {"weight": i / 3, "flags": [i & 1, i & 2]}


class Slotted:
    __slots__ = ("a", "b", "c")

    def __init__(self, i):
        self.a = i
        self.b = (i, str(i))
        self.c = [i]


@dataclasses.dataclass
class Item:
    sku: str
    qty: int
    price: float
    tags: list
    extra: dict


@dataclasses.dataclass(frozen=True, slots=True)
class Frozen:
    x: int
    y: tuple


class Pair:
    def __init__(self, left, right):
        self.left = left
        self.right = right

    def __reduce__(self):
        return (Pair, (self.left, self.right))


class Counter:
    def __init__(self, n):
        self.n = n
        self.history = list(range(n % 5))

    def __getstate__(self):
        return {"n": self.n, "history": self.history}

    def __setstate__(self, state):
        self.__dict__.update(state)


class Custom:
    def __init__(self, payload):
        self.payload = payload

    def __deepcopy__(self, memo):
        return Custom(copy.deepcopy(self.payload, memo))


class Bag(list):
    """A list subclass: reduce with list items."""


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


Row = collections.namedtuple("Row", "id name score")


def document(i):
    return {
        "id": i, "user": "u%d" % i, "ok": i % 3 == 0, "ratio": i * 0.25, "none": None,
        "labels": ["x%d" % (i % 5), "y"],
        "profile": {"city": "C%d" % (i % 11), "zip": "%05d" % i,
                    "pos": {"lat": 0.5 * i, "lon": -0.5 * i}},
        "events": [{"kind": "e%d" % j, "n": j, "at": j * 1.5} for j in range(i % 4)],
        "pair": (i, "p"),
    }


def datasets():
    nodes = [Node(i) for i in range(300)]
    for i, n in enumerate(nodes[1:], 1):
        nodes[(i - 1) // 2].children.append(n)
    ring = [{"i": i} for i in range(200)]
    for i, d in enumerate(ring):
        d["next"] = ring[(i + 1) % len(ring)]
    shared = [[i, "s"] for i in range(50)]
    nested = [0]
    for i in range(2000):
        nested = [i, nested]
    return [
        [document(i) for i in range(200)],
        document(7),
        list(range(5000)),
        ["s%d" % i for i in range(3000)],
        {"k%d" % i: i for i in range(3000)},
        {i: float(i) for i in range(2000)},
        tuple(range(1000)),
        set(range(1000)),
        frozenset("abcdef"),
        [(i, str(i)) for i in range(1000)],
        [{"a": shared[i % 50], "b": shared[(i * 3) % 50]} for i in range(1000)],
        ring,
        nodes[0],
        [Slotted(i) for i in range(300)],
        [Item("s%d" % i, i, i * 0.5, ["t"], {"k": i}) for i in range(300)],
        [Frozen(i, (i,)) for i in range(300)],
        [Pair(i, [i, i + 1]) for i in range(300)],
        [Counter(i) for i in range(300)],
        [Custom([i, {"v": i}]) for i in range(200)],
        [Bag([i, [i]]) for i in range(200)],
        [{"when": datetime.datetime(2020, 1, 1) + datetime.timedelta(hours=i),
          "day": datetime.date(2020, 1, 1 + i % 28),
          "amount": decimal.Decimal(i) / 8, "part": fractions.Fraction(i, 7),
          "level": Level.HIGH, "row": Row(i, "r", i / 2), "id": uuid.UUID(int=i),
          "od": collections.OrderedDict(a=i, b=[i]), "dq": collections.deque([i]),
          "dd": collections.defaultdict(list, {"x": [i]}), "raw": b"bytes",
          "ba": bytearray(b"ab")}
         for i in range(200)],
        nested,
    ]


def main(package_dir):
    sys.path.insert(0, package_dir)
    import fastcopy
    if not fastcopy.__compiled__:
        raise SystemExit("pgo_workload: the compiled core did not load")
    data = datasets()
    for _ in range(6):
        for x in data:
            y = fastcopy.deepcopy(x)
            memo = {}
            fastcopy.deepcopy(x, memo)
            fastcopy.copy(x)
            del y, memo


if __name__ == "__main__":
    main(sys.argv[1])
