"""Fault injection, 3: finalizers, weakref callbacks and GC collections
that run during a copy and mutate the list or dict being copied (clear,
append, pop, gc.disable()): freed by the copy's own reference drops (a
reduce value holding the only reference, a hook deleting the next item),
or by collections made frequent with gc.set_threshold(1) (cyclic garbage
left by hooks, gc.callbacks).  Each runs in a child interpreter
(tests/fault_children.py's finalizer()): no crash, no SystemError, and where
the timing is deterministic the stdlib's outcome.

Also the GC-state invariant: a finalizer running during a copy sees
gc.isenabled() as the program set it, and a gc.disable() it makes is in
force after the copy returns."""

import pytest

from .impls import IMPL_NAMES, _core
from .subprocess_helpers import attack_result, count, run_attack

pytestmark = pytest.mark.skipif(_core is None, reason="the compiled core is not built")

SCENARIOS = ["reduce_value_del", "reduce_value_weakref", "hook_deletes_item",
             "gc_cyclic_garbage", "gc_callback"]


@pytest.mark.parametrize("container", ["list", "dict"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_finalizer_mutates_during_copy(scenario, container):
    if scenario == "hook_deletes_item" and container == "dict":
        pytest.skip("a dict cannot lose an item during a copy without the stdlib raising")
    stats = attack_result(run_attack("finalizer", scenario, container, malloc="malloc"))
    count("finalizer attacks", stats["attacks"])
    assert stats["attacks"] == 4


@pytest.mark.parametrize("impl_name", IMPL_NAMES)
@pytest.mark.parametrize("program_enabled", [True, False], ids=["gc_on", "gc_off"])
def test_finalizers_see_and_keep_the_programs_gc_state(impl_name, program_enabled):
    stats = attack_result(run_attack("gc_state", impl_name, program_enabled))
    count("gc-state checks", stats["attacks"])
