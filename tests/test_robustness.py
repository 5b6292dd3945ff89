"""Depth, threads, reference counts, memory: fastcopy must never crash, leak
or keep user objects alive.

Run the long soak with  FASTCOPY_SOAK=100000 python -m pytest tests/test_robustness.py -k soak
(FASTCOPY_SOAK is the number of deep copies per corpus case; the default keeps
the suite quick).
"""

import copy
import dataclasses
import gc
import os
import sys
import threading
import time
import tracemalloc
import weakref

import pytest

from . import impls
from .compare import MAPPINGS, compare_deep, reachable
from .corpus import CASES, FROZENDICT

SOAK = int(os.environ.get("FASTCOPY_SOAK", "100"))


def _in_thread(work, stack_size):
    """Run work() in a new thread with the given stack size, and wait."""
    old = threading.stack_size(stack_size)
    try:
        t = threading.Thread(target=work)
        t.start()
        t.join()
    finally:
        threading.stack_size(old)


# -- depth -------------------------------------------------------------------

def _nest(kind, depth):
    x = 0
    for i in range(depth):
        if kind == "list":
            x = [x]
        elif kind == "dict":
            x = {"k": x}
        elif kind == "tuple":
            x = (x, [i]) if i % 2 else (x,)
        elif kind == "set":
            x = [x, {i}, frozenset({(i, i)})]
        elif kind == "frozendict":
            x = FROZENDICT(k=x, i=[i])
        else:                       # a mixture of all of them
            m = i % (6 if FROZENDICT is not None else 5)
            x = ([x] if m == 0 else {"k": x} if m == 1 else (x, [i]) if m == 2
                 else {frozenset({i}): x} if m == 3 else [i, (x, {i})] if m == 4
                 else FROZENDICT(k=x))
    return x


def _depth(y):
    d = 0
    while not isinstance(y, int):
        d += 1
        if isinstance(y, MAPPINGS):
            y = next(iter(y.values()))
        elif isinstance(y, list) and len(y) == 2:
            y = y[1][0]
        else:
            y = y[0]
    return d


def _depth_limit(impl):
    # The pure twin is slow at a million levels; it walks the same way.
    return 1_000_000 if impl.__name__.endswith("_core") else 100_000


# Every nesting kind of the running Python (frozendict from 3.15 on).
KINDS = ["list", "dict", "tuple", "set"] + (["frozendict"] if FROZENDICT else []) + ["mix"]


@pytest.mark.parametrize("kind", KINDS)
def test_deep_containers_main_thread(impl, kind):
    depth = _depth_limit(impl)
    x = _nest(kind, depth)
    y = impl.deepcopy(x)
    assert _depth(y) == depth
    assert y is not x or kind == "tuple"


@pytest.mark.parametrize("kind", KINDS)
def test_deep_containers_in_small_thread(impl, kind):
    depth = _depth_limit(impl)
    x = _nest(kind, depth)
    result = []

    def work():
        try:
            result.append(_depth(impl.deepcopy(x)))
        except BaseException as exc:    # reported below, not swallowed
            result.append(exc)
    _in_thread(work, 256 * 1024)
    assert result == [depth]


class _Node:
    def __init__(self, nxt):
        self.next = [nxt]


class _HookNode:
    deepcopy = None

    def __init__(self, nxt):
        self.next = nxt

    def __deepcopy__(self, memo):
        return _HookNode(_HookNode.deepcopy(self.next, memo))


class _ReduceNode:
    def __init__(self, nxt):
        self.next = nxt

    def __reduce__(self):
        return (_ReduceNode, (self.next,))


def _rebuild_tuple_node(pair):
    return _TupleReduceNode(pair[0])


class _TupleReduceNode:
    """A reduce value whose argument holds the next node inside nested
    tuples (copied by the core's recursive tuple copy)."""

    def __init__(self, nxt):
        self.next = nxt

    def __reduce__(self):
        return (_rebuild_tuple_node, ((self.next, (1, [2])),))


def _chain(cls, n):
    x = None
    for _ in range(n):
        x = cls(x)
    return x


def _is_core(impl):
    return impl.__name__.endswith("_core")


@pytest.mark.parametrize("cls", [_Node, _HookNode, _ReduceNode, _TupleReduceNode])
@pytest.mark.parametrize("stack", [None, 256 * 1024, 64 * 1024])
def test_deep_hook_chains_raise_recursion_error(impl, cls, stack):
    """Chains through hooks and reduce values recurse (as in the stdlib): a
    RecursionError, never a crash, also with tiny thread stacks.  The
    compiled core walks chains of plain instances like containers, without
    recursion: they are copied whole."""
    if stack and sys.version_info < (3, 11) and not _is_core(impl):
        # Before 3.11 every Python-level call also recurses in C, and the
        # recursion limit does not know the thread's stack size: the pure
        # twin, like the stdlib itself, overflows such a stack.  The compiled
        # core checks the real stack bounds.
        pytest.skip("pure-Python recursion can overflow small thread stacks before 3.11")
    _HookNode.deepcopy = impl.deepcopy
    deep = _chain(cls, 100_000)      # built and freed on the main thread
    short = _chain(cls, 10)
    outcome = {}
    copies = []

    def work():
        try:
            # Kept: freed on the main thread (CPython 3.13.0 itself crashes
            # freeing a 100,000-deep chain of instances on a small stack).
            copies.append(impl.deepcopy(deep))
            outcome["deep"] = "copied"
        except RecursionError:
            outcome["deep"] = "RecursionError"
        outcome["short"] = type(impl.deepcopy(short)).__name__

    if stack is None:
        work()
    else:
        _in_thread(work, stack)
    expected = "copied" if cls is _Node and _is_core(impl) else "RecursionError"
    assert outcome == {"deep": expected, "short": cls.__name__}
    deep = None                     # freed here, on the main thread
    copies.clear()
    gc.collect()


# -- threads -------------------------------------------------------------------

def test_threads_copying_while_others_mutate(impl):
    shared_list = [[i, {"k": i}] for i in range(200)]
    shared_dict = {i: [i, (i, [i])] for i in range(200)}
    shared = {"list": shared_list, "dict": shared_dict, "set": {1, 2, 3}}
    shared["self"] = shared
    stop = threading.Event()
    errors = []
    counts = {"copies": 0, "runtime_errors": 0, "mutations": 0}
    lock = threading.Lock()

    def copier():
        n = r = 0
        try:
            while not stop.is_set():
                try:
                    y = impl.deepcopy(shared)
                except RuntimeError:
                    r += 1          # "changed size during iteration", as the stdlib
                    continue
                assert y["self"] is y and type(y["list"]) is list
                assert all(type(item) is list for item in y["list"])
                n += 1
        except BaseException as exc:
            errors.append(exc)
        with lock:
            counts["copies"] += n
            counts["runtime_errors"] += r

    def mutator(seed):
        i = seed
        m = 0
        try:
            while not stop.is_set():
                i += 1
                shared_list.append([i, {"k": i}])
                if len(shared_list) > 300:
                    del shared_list[:50]
                shared_dict[i % 250] = [i]
                shared_dict.pop((i * 7) % 250, None)
                if i % 97 == 0:
                    shared_list.clear()
                    shared["set"] = {i}
                m += 1
        except BaseException as exc:
            errors.append(exc)
        with lock:
            counts["mutations"] += m

    threads = [threading.Thread(target=copier) for _ in range(8)]
    threads += [threading.Thread(target=mutator, args=(k * 1000,)) for k in range(2)]
    for t in threads:
        t.start()
    time.sleep(float(os.environ.get("FASTCOPY_THREAD_SECONDS", "2")))
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors
    assert counts["copies"] > 0 and counts["mutations"] > 0
    print("threads: %(copies)d copies, %(runtime_errors)d RuntimeErrors, "
          "%(mutations)d mutations" % counts)


def test_concurrent_copies_do_not_share_memo_state(impl):
    """Each copy has its own memo: results never contain another thread's
    objects."""
    results = {}

    def work(k):
        mine = [[k] for _ in range(50)]
        data = [mine, mine]
        outs = [impl.deepcopy(data) for _ in range(200)]
        results[k] = all(o[0] is o[1] and o[0][0] == [k] and o[0] is not mine
                         for o in outs)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {k: True for k in range(8)}


@pytest.mark.parametrize("sizes", [(9, 1000, 9, 30_000, 50), (5000, 12, 200, 5000)])
def test_copies_in_a_row_keep_their_own_sharing(impl, sizes):
    """Copies one after another, of graphs of very different sizes (a copy
    may start with the memo storage an earlier one left behind): each keeps
    the sharing and the cycle of its own original, as the stdlib's does."""
    for n in sizes:
        shared = [[i] for i in range(n)]
        data = [shared, shared[::-1], {"all": shared}]
        data.append(data)
        compare_deep(data, impl.deepcopy(data), copy.deepcopy(data))


def test_copy_made_while_a_copy_releases_its_memo(impl):
    """Temporaries of a copy (items of a reduce value) die as the copy ends
    and releases its memo; a __del__ that copies then gets a right result."""
    results = []

    class Temp:
        def __del__(self):
            shared = [[i] for i in range(100)]
            y = impl.deepcopy([shared, shared])
            results.append(y[0] is y[1] and y[0] == shared and y[0] is not shared)

    class Holder:
        def __reduce__(self):
            return (list, ([Temp() for _ in range(20)],))

    y = impl.deepcopy([Holder(), [[i] for i in range(50)]])
    assert len(y[0]) == 20 and y[1] == [[i] for i in range(50)]
    assert len(results) == 20       # the originals, released with the memo
    del y
    gc.collect()
    assert len(results) == 40 and all(results)


# -- reference counts and retention ----------------------------------------------

def _copy_all(xs, funcs, times=1):
    """Call each of funcs on each x, `times` times.  Exceptions are the
    error path of uncopyable or hostile cases, exercised on purpose."""
    for x in xs:
        for _ in range(times):
            for f in funcs:
                try:
                    f(x)
                except Exception:
                    pass


_SHARED = (int, float, str, bytes, bool, type(None), type)


def _reachable(x):
    """Objects reachable from x whose reference counts only the test and the
    copy touch (small ints, strings, classes are shared interpreter-wide)."""
    return [o for o in reachable(x) if not isinstance(o, _SHARED)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_reference_leaks(impl, name):
    funcs = (impl.deepcopy, impl.copy, lambda x: impl.deepcopy(x, {}))
    _assert_refcounts_unchanged([CASES[name]()], funcs, warmup=3, rounds=50)


def test_no_reference_leaks_on_error_paths(impl):
    from . import test_hostile as hostile
    cases = [f() for f in hostile.RAISING.values()]
    cases += [hostile.MUTATING[k]() for k in ("dict_resize", "dict_swap_keys")]
    _assert_refcounts_unchanged(cases, (impl.deepcopy, impl.copy), warmup=1, rounds=20)


def _assert_refcounts_unchanged(cases, funcs, warmup, rounds):
    """Copying the cases over and over leaves the reference count of every
    (non-shared) object reachable from them as it was."""
    _copy_all(cases, funcs, times=warmup)       # warm caches
    objs = [o for x in cases for o in _reachable(x)]
    gc.collect()
    before = [sys.getrefcount(o) for o in objs]
    _copy_all(cases, funcs, times=rounds)
    gc.collect()
    after = [sys.getrefcount(o) for o in objs]
    assert [(type(o).__name__, b, a) for o, b, a in zip(objs, before, after) if a != b] == []


def test_memo_keeps_nothing_alive_after_a_large_copy(impl):
    class Item:
        pass
    items = [Item() for _ in range(50_000)]
    data = {"items": items, "nested": [[it] for it in items[:1000]]}
    y = impl.deepcopy(data)
    copies = [weakref.ref(it) for it in y["items"][:100]]
    temporaries = []

    class Temp:
        def __reduce__(self):
            t = Item()
            temporaries.append(weakref.ref(t))
            return (Item, (), {"t": t})
    impl.deepcopy([Temp() for _ in range(100)])
    del y
    gc.collect()
    assert all(r() is None for r in copies)
    assert all(r() is None for r in temporaries)


def test_soak_memory_is_flat(impl):
    """Many copies of every corpus case: neither traced memory nor the
    process's peak RSS keeps growing."""
    import resource
    xs = [f() for f in CASES.values()]
    # The pure twin is Python code, ten times slower and slower still under
    # tracemalloc: a tenth of the copies (its reference counts are also
    # checked by test_no_reference_leaks).
    half = max(1, (SOAK if impl is impls._core else SOAK // 10) // 2)

    def run(k):
        _copy_all(xs, (impl.deepcopy, impl.copy), times=k)
    run(3)
    gc.collect()
    tracemalloc.start()
    try:
        run(half)
        gc.collect()
        first, _ = tracemalloc.get_traced_memory()
        rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        run(half)
        gc.collect()
        second, _ = tracemalloc.get_traced_memory()
        rss_second = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally:
        tracemalloc.stop()
    print("soak: %d copies per case; traced %d -> %d bytes; peak RSS %d -> %d KiB"
          % (2 * half, first, second, rss_first, rss_second))
    # Noise from the interpreter's own caches is allowed, growth per copy is not.
    assert second - first < 64 * 1024, (first, second)
    assert rss_second - rss_first < 8 * 1024, (rss_first, rss_second)     # KiB


# -- depth: plain instances without recursion, hooks as deep as the stdlib ---

@dataclasses.dataclass
class _DataNode:
    next: object
    tag: str = "d"


class _SlotNode:
    __slots__ = ("next", "tag")

    def __init__(self, nxt):
        self.next = nxt
        self.tag = "s"


def _chain_depth(y):
    n = 0
    while y is not None:
        y = y.next[0] if type(y.next) is list else y.next
        n += 1
    return n


@pytest.mark.skipif(impls._core is None, reason="extension not built")
@pytest.mark.parametrize("cls", [_Node, _DataNode, _SlotNode])
@pytest.mark.parametrize("stack", [None, 256 * 1024])
def test_plain_instance_chains_copy_at_any_depth(cls, stack):
    """Plain instances, dataclasses and slotted classes are walked like
    containers by the compiled core: 10^5 deep, main thread and a thread
    with a small stack, the same structure as the stdlib's copy."""
    deep = _chain(cls, 100_000)
    small = _chain(cls, 5)
    result = []
    copies = []

    def work():
        # The copy is freed on the main thread (CPython 3.13.0 itself
        # crashes freeing a 100,000-deep chain of instances on a small stack).
        copies.append(impls._core.deepcopy(deep))
        result.append(_chain_depth(copies[0]))

    if stack is None:
        work()
    else:
        _in_thread(work, stack)
    assert result == [100_000]
    copies.clear()
    y = impls._core.deepcopy(small)
    assert _chain_depth(y) == 5 and type(y) is cls and y is not small
    if cls is not _Node:
        assert y.tag == small.tag
    if cls is _DataNode:
        assert y == copy.deepcopy(small)
    deep = None
    gc.collect()


def _max_depth(deepcopy, cls):
    """The longest chain of cls that deepcopy copies (RecursionError beyond)."""
    lo, hi = 1, 4000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            deepcopy(_chain(cls, mid))
            lo = mid
        except RecursionError:
            hi = mid - 1
    return lo


@pytest.mark.parametrize("cls", [_HookNode, _ReduceNode])
def test_hook_chains_go_as_deep_as_the_stdlibs(impl, cls):
    """At the default recursion limit, chains of __deepcopy__ hooks and of
    reduce values copy at least as deep as the stdlib copies them."""
    _HookNode.deepcopy = copy.deepcopy
    stdlib_depth = _max_depth(copy.deepcopy, cls)
    _HookNode.deepcopy = impl.deepcopy
    impl.deepcopy(_chain(cls, stdlib_depth))      # no RecursionError


@pytest.mark.skipif(impls._core is None, reason="extension not built")
def test_hook_chains_at_a_raised_recursion_limit_raise_never_crash():
    """With sys.setrecursionlimit(200_000), a 40,000-deep chain of
    __deepcopy__ hooks goes deeper than a C extension can follow (CPython's
    C stack or C recursion limit): the compiled core raises RecursionError,
    in a child process so that a crash would be reported as one."""
    from .subprocess_helpers import PACKAGE_ROOT, run_python
    result = run_python("""
        import sys
        sys.setrecursionlimit(200_000)
        from fastcopy import _core

        class Hook:
            def __init__(self, nxt):
                self.next = nxt

            def __deepcopy__(self, memo):
                return Hook(_core.deepcopy(self.next, memo))

        x = None
        for _ in range(40_000):
            x = Hook(x)
        try:
            _core.deepcopy(x)
            print("copied")
        except RecursionError:
            print("RecursionError")
        """, args=("-X", "faulthandler"), cwd=PACKAGE_ROOT, pythonpath=[PACKAGE_ROOT])
    assert result.returncode == 0, result.report()
    assert result.stdout.split() in (["copied"], ["RecursionError"]), result.report()
