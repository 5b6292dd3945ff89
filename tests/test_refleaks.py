"""Reference leaks: under a debug build of CPython (which has
sys.gettotalrefcount), the interpreter's total reference count stays flat
over repeated copies of every corpus case, error paths included.

These tests need a debug interpreter (python3.X-dbg) and are skipped on
release builds; the CI script runs them under the 3.14 and 3.15 debug builds.
They check the compiled core, whose reference counting is written by hand
(the pure twin's is the interpreter's).
"""

import array
import builtins
import copyreg
import gc
import sys

import pytest

from .corpus import CASES
from .impls import _core

if not hasattr(sys, "gettotalrefcount"):
    pytest.skip("needs a debug build of CPython", allow_module_level=True)
if _core is None:
    pytest.skip("the compiled core is not built", allow_module_level=True)

ROUNDS = 6          # measured rounds, after the warm-up
COPIES = 5          # copies per round: a leak of one reference per copy
                    # grows the count by 5 a round, 15 over the rounds compared


def _growth(work):
    """The total reference count's growth over the measured rounds."""
    for _ in range(3):          # warm-up: verdict caches, interned objects
        work()
    gc.collect()
    # Kept in an array, whose items are not objects: a list would hold one
    # more reference each round.
    counts = array.array("q", bytes(8 * ROUNDS))
    for i in range(ROUNDS):
        for _ in range(COPIES):
            work()
        gc.collect()
        counts[i] = sys.gettotalrefcount()
    # Compared from the middle on: the first rounds may still fill caches.
    return counts[-1] - counts[ROUNDS // 2], list(counts)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("op", ["deepcopy", "copy"])
def test_corpus_copies_do_not_leak(name, op):
    make = CASES[name]
    func = getattr(_core, op)

    def work():
        x = make()
        try:
            func(x)
        except Exception:
            pass                # the error path must not leak either
    growth, counts = _growth(work)
    assert growth <= 2, counts


class _Uncopyable:
    def __reduce_ex__(self, protocol):
        raise TypeError("no")


class _BadReduce:
    def __init__(self, value):
        self.value = value

    def __reduce_ex__(self, protocol):
        return self.value


class _RaisingHook:
    def __deepcopy__(self, memo):
        raise ValueError("hook failed")


class _UnhashableCopy:
    def __hash__(self):
        return 1

    def __deepcopy__(self, memo):
        return []


def _error_cases():
    big = list(range(1000))
    cases = {
        "uncopyable_in_list": lambda: [1, [2, {"a": _Uncopyable()}], 3],
        "uncopyable_after_many": lambda: big + [[1], _Uncopyable()],
        "reduce_not_a_tuple": lambda: [_BadReduce(42)],
        "reduce_too_short": lambda: {"k": _BadReduce((list,))},
        "reduce_args_not_iterable": lambda: [_BadReduce((list, 5))],
        # a built-in type's __new__, called directly, fails
        "builtin_new_raises": lambda: [[1], _BadReduce((copyreg.__newobj__, (int, "x")))],
        "hook_raises_in_tuple": lambda: ([1], (_RaisingHook(),)),
        "hook_raises_in_set": lambda: {frozenset({1}), (2, _RaisingHook())},
        "unhashable_key_copy": lambda: {_UnhashableCopy(): [1]},
        "generator": lambda: [x for x in range(3)] + [(i for i in range(3))],
    }
    frozendict = getattr(builtins, "frozendict", None)     # 3.15+
    if frozendict is not None:
        cases["frozendict_unhashable_key"] = lambda: frozendict({_UnhashableCopy(): 1})
        cases["frozendict_hook_raises"] = lambda: [frozendict(a=[1], b=_RaisingHook())]
    return cases


ERROR_CASES = _error_cases()


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
@pytest.mark.parametrize("with_memo", [False, True], ids=["native_memo", "dict_memo"])
def test_failing_copies_do_not_leak(name, with_memo):
    make = ERROR_CASES[name]

    def work():
        x = make()
        with pytest.raises((TypeError, ValueError)):
            if with_memo:
                _core.deepcopy(x, {})
            else:
                _core.deepcopy(x)
    growth, counts = _growth(work)
    assert growth <= 2, counts
