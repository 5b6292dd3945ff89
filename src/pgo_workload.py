"""Training run for the profile-guided build (see setup.py).

    python -s src/pgo_workload.py DIR

DIR holds a `fastcopy` package whose compiled core was built with
-fprofile-generate.  This copies every data shape of fastcopy._shapes (the
ones the benchmarks time) with it - plain, with a caller's memo, and
shallow, and through `copy.deepcopy` patched - so that the compiler learns
which paths are hot and lays them out together.  It does not time anything.
"""

import array
import copy
import decimal
import enum
import fractions
import re
import sys

# The largest shapes are copied at a tenth of the rounds: the profile needs
# the paths, not the volume.
BIG = ("1e5", "5000")

# Small objects copied one at a time, as most calls copy them: atoms, empty
# containers and small nests take the entry's own paths (no session, the
# small-tree copy), which the shapes above reach only once per copy.  A path
# the training never runs is laid out as cold code.
SMALL = [
    None, 1, "s", 1.5, True, b"x", 2 ** 70, (), [], {}, set(), frozenset(),
    (1, "a"), [1, 2], {"k": 1}, {1, 2}, (1, "a", [2]), [[1]], [[1], [2]],
    [1, (2, 3)], (1, (2, [3])), {"a": {"b": [1]}}, {"a": (1, [2])},
    {"k": [1, 2], "v": {"x": 1}}, [{"a": 1}, {"b": 2}], [[], {}, (), set()],
    {"id": 1, "tags": ["a", "b"], "meta": {"n": 1, "ok": True}},
]


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


# Objects whose class's __deepcopy__ returns them, copied one at a time.
SMALL += [decimal.Decimal("1.5"), fractions.Fraction(1, 3), re.compile("a+"), Level.LOW]


def tuples_holding_containers():
    """Tuples with lists inside, nested shallow and deep: copied by the
    core's recursive tuple copy, which no shape of fastcopy._shapes reaches
    often."""
    deep = ([],)
    for i in range(300):
        deep = (i, deep)
    return [[(i, ("s", [i])) for i in range(500)], deep, ({"k": (1, [2])}, ([3], (4,)))]


class DictHook:
    """Copies itself as many libraries do: its __dict__ through
    copy.deepcopy with the memo it was handed."""

    def __init__(self, i):
        self.name = "h%d" % i
        self.values = [i, i + 1]
        self.options = {"a": [1, 2], "b": {"c": i}}

    def __deepcopy__(self, memo):
        new = DictHook.__new__(DictHook)
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new


def hook_data():
    """Hooks that hand the memo on (run patched, they re-enter the core with
    the copy's dict memo) and a __deepcopy__ written in C (array.array)."""
    return [[DictHook(i) for i in range(50)], [array.array("i", [i, i]) for i in range(50)],
            {"hooks": [DictHook(0), DictHook(1)], "arrays": (array.array("d", [1.0]),)}]


class Unit:
    def __init__(self, name):
        self.name = name


class TreeNode:
    def __init__(self, parent):
        self.parent = parent
        self.children = []


def shared_objects():
    """Objects met again: instances referenced from many places, enum
    members in a list, nodes pointing back at their parents (found in the
    memo by the walk's item loops)."""
    units = [Unit("u%d" % i) for i in range(5)]
    root = TreeNode(None)
    for _ in range(20):
        child = TreeNode(root)
        root.children.append(child)
        child.children.extend(TreeNode(child) for _ in range(5))
    return [[units[i % 5] for i in range(200)], [Level(1 + i % 2) for i in range(200)],
            [{"id": i, "unit": units[i % 5], "level": Level.HIGH} for i in range(50)], root]


def main(package_dir):
    sys.path.insert(0, package_dir)
    import fastcopy
    from fastcopy._shapes import CASES
    if not fastcopy.__compiled__:
        raise SystemExit("pgo_workload: the compiled core did not load")
    data = [(factory(), any(b in name for b in BIG))
            for name, (_category, factory) in sorted(CASES.items())]
    data += [(x, False) for x in tuples_holding_containers() + hook_data() + shared_objects()]
    for round_ in range(10):
        for x, big in data:
            if big and round_ != 0:
                continue
            fastcopy.deepcopy(x)
            fastcopy.deepcopy(x, {})
            fastcopy.copy(x)
    for _ in range(300):
        for x in SMALL:
            fastcopy.deepcopy(x)
            fastcopy.copy(x)
    # Patched: the patched entry, and every hook's copy.deepcopy(x, memo)
    # handled by the core (unpatched, those calls run the stdlib's code).
    fastcopy.patch()
    try:
        for _ in range(5):
            for x, big in data:
                if not big:
                    copy.deepcopy(x)
        for _ in range(100):
            for x in SMALL:
                copy.deepcopy(x)
    finally:
        fastcopy.unpatch()


if __name__ == "__main__":
    main(sys.argv[1])
