"""The child side of the fault-injection suite (tests/test_faults_*.py).

Each function runs in a fresh interpreter started by
tests.subprocess_helpers.run_attack(), attacks the compiled core, checks
the outcome against the standard library's, and prints `RESULT <json>` as
its last line.  Before each attack it writes what it is about to do to
stderr (`ATTACK ...`), so that when the core crashes the child's output
names the input that crashed it.  A violated check raises AssertionError:
the child exits with status 1 and the parent test fails with the message.
"""

import copy
import gc
import json
import os
import sys
import time

from fastcopy import _core, _pure

IMPLS = {"core": _core, "pure": _pure, "stdlib": copy}


def say(*parts):
    """Write a progress line to stderr, unbuffered: the last one before a
    crash names the input."""
    os.write(2, (" ".join(str(p) for p in parts) + "\n").encode())


def result(**fields):
    sys.stdout.write("RESULT " + json.dumps(fields, sort_keys=True) + "\n")
    sys.stdout.flush()


# -- 1. allocation failures ------------------------------------------------------

def _exception_chain(exc):
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def nomemory(case, impl_name="core", max_per_op=1500, time_budget=20.0, rounds=1):
    """Fail the n-th allocation of a copy of corpus case `case`, for n from 0
    until a copy needs no n-th allocation (or max_per_op / time_budget is
    reached), twice per n: failing that one allocation only ("one"), and
    every allocation from it on ("from").  Each outcome must be a clean
    MemoryError (with the GC state restored) or a copy the stdlib agrees
    with.  rounds > 1 (debug builds): the sweep is repeated and the total
    reference count must not grow from the second round to the last."""
    import _testcapi

    from tests.compare import compare_deep
    from tests.corpus import CASES

    set_nomemory = _testcapi.set_nomemory
    remove_hooks = _testcapi.remove_mem_hooks
    impl = IMPLS[impl_name]
    make = CASES[case]
    stats = {"injections": 0, "memory_errors": 0, "recovered": 0, "truncated": [],
             "allocations": {}}
    counts = []
    for round_no in range(rounds):
        for op in ("deepcopy", "copy"):
            func = getattr(impl, op)
            reference_original = make()
            try:
                reference = getattr(copy, op)(reference_original)
                reference_error = None
            except Exception as exc:    # an uncopyable case: the same error is expected
                reference, reference_error = None, type(exc)
            for _ in range(2):      # warm-up: the core's per-type verdicts are cached
                try:
                    func(make())
                except Exception as exc:
                    assert type(exc) is reference_error, (op, case, exc, reference_error)
            started = time.monotonic()
            n = 0
            while True:
                if n >= max_per_op or time.monotonic() - started > time_budget:
                    if round_no == 0:
                        stats["truncated"].append(op)
                    break
                reached = True
                for mode in ("from", "one"):
                    x = make()
                    gc_was = gc.isenabled()
                    say("ATTACK nomemory", case, op, "n=%d" % n, mode)
                    set_nomemory(n, n + 1 if mode == "one" else 0)
                    try:
                        y = func(x)
                    except MemoryError:
                        remove_hooks()
                        stats["memory_errors"] += 1
                    except BaseException as exc:
                        remove_hooks()
                        chain = _exception_chain(exc)
                        if reference_error is not None and type(exc) is reference_error:
                            if mode == "from":
                                reached = False     # its own error, no failure seen
                            stats["reference_errors"] = stats.get("reference_errors", 0) + 1
                        elif isinstance(exc, SystemError) or not any(
                                isinstance(e, MemoryError) for e in chain):
                            raise AssertionError(
                                "%s(%s) with allocation %d failing (%s): %s: %s, not a "
                                "MemoryError" % (op, case, n, mode, type(exc).__name__, exc)
                            ) from exc
                        else:
                            stats["memory_errors"] += 1
                    else:
                        remove_hooks()
                        assert reference_error is None, (
                            "%s(%s) with allocation %d failing (%s) returned, the stdlib "
                            "raises %s" % (op, case, n, mode, reference_error.__name__))
                        if mode == "from":
                            reached = False     # no allocation at or after n
                        else:
                            stats["recovered"] += 1     # the core recovered from it
                        try:
                            compare_deep(x, y, reference, reference_original)
                        except AssertionError as exc:
                            raise AssertionError(
                                "%s(%s) with allocation %d failing (%s) returned a copy "
                                "that differs from the stdlib's: %s" % (op, case, n, mode, exc)
                            ) from None
                        del y
                    if reached:
                        stats["injections"] += 1
                    assert gc.isenabled() == gc_was, (
                        "%s(%s), allocation %d failing (%s): gc.isenabled() is %s after "
                        "the copy, was %s" % (op, case, n, mode, gc.isenabled(), gc_was))
                    del x
                    if not reached:
                        break
                if not reached:
                    if round_no == 0:
                        stats["allocations"][op] = n
                    break
                n += 1
        if rounds > 1:
            gc.collect()
            counts.append(sys.gettotalrefcount())
    if rounds > 1:
        stats["refcounts"] = counts
        stats["leak"] = counts[-1] - counts[1]
    stats["injections"] //= rounds
    stats["memory_errors"] //= rounds
    stats["recovered"] //= rounds
    result(**stats)
