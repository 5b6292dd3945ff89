"""The core may pause the cyclic GC while it runs native code only; Python
code (hooks, __hash__, __eq__, reduce methods) must always see the GC state
the program set, and the state must be restored after every copy, also when
the copy fails."""

import copy
import enum
import gc

import pytest

from fastcopy._shapes import cyclic


class Watch:
    """Records gc.isenabled() whenever Python code of it runs."""
    seen = []

    def __init__(self, v):
        self.v = v

    def __hash__(self):
        Watch.seen.append(gc.isenabled())
        return hash(self.v)

    def __eq__(self, other):
        Watch.seen.append(gc.isenabled())
        return isinstance(other, Watch) and other.v == self.v

    def __deepcopy__(self, memo):
        Watch.seen.append(gc.isenabled())
        return Watch(self.v)


class Reducing:
    def __reduce_ex__(self, protocol):
        Watch.seen.append(gc.isenabled())
        return (Reducing, ())


class Color(enum.Enum):
    RED = 1

    def __hash__(self):
        Watch.seen.append(gc.isenabled())
        return 7


def _data():
    w = Watch(1)
    return [
        {"a": [1, 2, {"b": (3, 4)}], w: [w], (Watch(2), 1): {Watch(3)}},
        {Color.RED: 1, "x": [Color.RED]},
        {Color.RED, 2},
        frozenset({Watch(4)}),
        [Reducing() for _ in range(3)],
        [[i, {"k": i}] for i in range(2000)],   # enough to make the GC want to run
        # Inside a copy, tuples are copied by recursion, which pauses the GC
        # too and must lift the pause for the hooks among its items.
        ([0], tuple((i, [i], Watch(i) if i % 400 == 0 else i) for i in range(2000))),
    ]


@pytest.mark.parametrize("enabled", [True, False])
def test_python_code_sees_the_programs_gc_state(impl, enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        Watch.seen.clear()
        y = impl.deepcopy(_data())
        assert Watch.seen, "the hooks ran"
        assert set(Watch.seen) == {enabled}
        assert gc.isenabled() is enabled
        assert y[0]["a"] == [1, 2, {"b": (3, 4)}]
    finally:
        (gc.enable if was else gc.disable)()


def test_gc_state_restored_after_a_failing_copy(impl):
    class Fails:
        def __deepcopy__(self, memo):
            raise ValueError("no")
    assert gc.isenabled()
    with pytest.raises(ValueError):
        impl.deepcopy([[1, 2], {"k": [Fails()]}, [3] * 100])
    assert gc.isenabled()


def test_copies_are_tracked_and_collectable(impl):
    x = [[i] for i in range(100)]
    x.append(x)
    y = impl.deepcopy(x)
    assert gc.is_tracked(y) and all(gc.is_tracked(item) for item in y[:-1])
    assert y[-1] is y
    import weakref

    class Node:
        pass
    n = Node()
    n.self = n
    copied = impl.deepcopy([n])[0]
    ref = weakref.ref(copied)
    del copied
    gc.collect()
    assert ref() is None
    assert copy.deepcopy is not None


@pytest.mark.parametrize("shape", ["lists", "tuples", "rings"])
def test_large_native_copies_pause_the_gc(impl, shape):
    # A large copy of containers allocates tens of thousands of objects; the
    # compiled core pauses the GC once it is large (the walk over lists, the
    # recursive copy of tuples alike), so the collections it would trigger,
    # which find nothing to free, do not run.  (The pure twin does not.)
    # Rings of dicts make the walk check for signals often, which lifts the
    # pause for the handlers: the pause must be back before the next
    # allocation.
    if not impl.__name__.endswith("_core"):
        pytest.skip("the pure twin does not pause the GC")
    n = 30_000
    if shape == "lists":
        x = [[i, ["s", [i]]] for i in range(n)]
    elif shape == "tuples":
        x = ([0], tuple((i, ("s", [i])) for i in range(n)))
    else:
        x = cyclic(n)
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])
    gc.enable()
    gc.collect()
    gc.callbacks.append(count)
    try:
        impl.deepcopy(x)
    finally:
        gc.callbacks.remove(count)
    # Unpaused, such a copy runs a collection every few thousand objects.
    assert len(collections) <= 2, collections
    assert gc.isenabled()
