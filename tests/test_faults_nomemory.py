"""Fault injection, 1: allocation failures.  For every corpus case, a copy
(deepcopy and copy) of the compiled core is run with its n-th allocation
failing, for every n the copy reaches (tests/fault_children.py's
nomemory()), in a child interpreter, so that a crash fails the test of the
case that caused it.  Each outcome must be a clean MemoryError (not a
SystemError such as "error return without exception set"), with the GC
state restored, or a copy equal to the stdlib's.  On debug interpreters the
sweep runs three times and the total reference count must not grow.

Needs _testcapi.set_nomemory (CPython builds that ship _testcapi)."""

import os
import sys

import pytest

from .corpus import CASES
from .impls import _core
from .subprocess_helpers import IS_DEBUG_BUILD, attack_result, count, run_attack

try:
    import _testcapi
    HAVE_NOMEMORY = hasattr(_testcapi, "set_nomemory")
except ImportError:
    HAVE_NOMEMORY = False

# CPython releases seen to crash by themselves under injected allocation
# failures, without fastcopy: 3.13.0 segfaults calling a frozen slotted
# dataclass's __getstate__ through map() while allocations fail, and 3.12.1
# did too (not every run: it depends on the heap's layout); on such releases
# a crash of the sweep says nothing about fastcopy.
FRAGILE_RELEASES = {(3, 12, 1), (3, 13, 0)}

pytestmark = [
    pytest.mark.skipif(_core is None, reason="the compiled core is not built"),
    pytest.mark.skipif(not HAVE_NOMEMORY,
                       reason="this CPython build has no _testcapi.set_nomemory "
                              "(_testcapi is not shipped with it)"),
    # 3.10: with allocations failing inside Python code that C code called,
    # the interpreter aborts ("Cannot recover from MemoryErrors while
    # normalizing exceptions") or loses the exception ("_PyEval_EvalFrameDefault
    # returned NULL without setting an exception"); the probe above does not
    # reach those paths.  The sweep runs on 3.11 and 3.14+ (and under ASan).
    pytest.mark.skipif(sys.version_info[:2] == (3, 10),
                       reason="CPython 3.10 aborts or loses exceptions under injected "
                              "allocation failures in Python code called from C"),
    pytest.mark.skipif(tuple(sys.version_info[:3]) in FRAGILE_RELEASES,
                       reason="CPython %s crashes by itself under injected allocation "
                              "failures (reproduced without fastcopy)" % sys.version.split()[0]),
]

# Bounds per case and operation (a json_docs deepcopy reaches ~550
# allocations; the cap keeps a future larger case from making the suite
# slow, and reports it as truncated rather than failing).
MAX_PER_OP = 1500
TIME_BUDGET = 25.0 if IS_DEBUG_BUILD else 12.0
ROUNDS = 3 if IS_DEBUG_BUILD else 1
LEAK_TOLERANCE = 10     # references over a whole sweep, all injections


# FASTCOPY_FAULT_SAMPLE=N: every N-th case only (for a slow interpreter, such
# as a debug build under .ci/run: the leak check there does 3 sweeps a case).
SAMPLE = int(os.environ.get("FASTCOPY_FAULT_SAMPLE", "1"))


@pytest.mark.parametrize("case", sorted(CASES)[::SAMPLE])
def test_allocation_failures(case):
    res = run_attack("nomemory", case, "core", MAX_PER_OP, TIME_BUDGET, ROUNDS, timeout=300)
    stats = attack_result(res)
    count("allocation failures injected", stats["injections"])
    count("copies failed with MemoryError", stats["memory_errors"])
    # Each operation's sweep ran to the end (a copy that needed no n-th
    # allocation) or to the bound.
    assert set(stats["allocations"]) | set(stats["truncated"]) == {"deepcopy", "copy"}, stats
    if ROUNDS > 1:
        assert stats["leak"] <= LEAK_TOLERANCE, (
            "the total reference count grew by %d over a sweep of %d failing copies "
            "(counts after each sweep: %s)" % (stats["leak"], stats["injections"],
                                               stats["refcounts"]))
