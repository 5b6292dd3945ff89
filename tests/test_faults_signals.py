"""Fault injection, 4: a signal handler raising KeyboardInterrupt
(SIGALRM from signal.setitimer, 50 ms in) during a long copy of nested
lists, or of nested tuples (sized in the child so that the whole copy takes
at least 3 times the bound).  The exception must arrive within BOUND seconds of the signal -
generous, the one timing check of the suite - and the copy must unwind
cleanly: GC state restored, on debug builds no reference leak over
repeated interrupted copies.  Each run in a child interpreter
(tests/fault_children.py's signal_interrupt())."""

import signal
import sys

import pytest

from .impls import IMPL_NAMES
from .subprocess_helpers import IS_DEBUG_BUILD, attack_result, count, run_attack

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer") or sys.platform == "win32",
                                reason="needs signal.setitimer")

BOUND = 0.2         # seconds from the signal to the KeyboardInterrupt
REPEATS = 4 if IS_DEBUG_BUILD else 2
LEAK_TOLERANCE = 10

@pytest.mark.parametrize("shape", ["lists", "tuples"])
@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_keyboard_interrupt_arrives_during_a_long_copy(impl_name, shape):
    stats = attack_result(run_attack("signal_interrupt", impl_name, BOUND, REPEATS, shape,
                                     timeout=300))
    count("signal interruptions", len(stats["delays"]))
    delays = stats["delays"]
    assert None not in delays, (
        "the copy (%d nested lists, %.2f s uninterrupted) finished without the "
        "KeyboardInterrupt: %s" % (stats["n"], stats["full"], delays))
    assert max(delays) <= BOUND, (
        "KeyboardInterrupt arrived %.3f s after the signal (bound %.2f s; the copy takes "
        "%.2f s uninterrupted)" % (max(delays), BOUND, stats["full"]))
    if stats["leak"] is not None:
        assert stats["leak"] <= LEAK_TOLERANCE, stats["refcounts"]
