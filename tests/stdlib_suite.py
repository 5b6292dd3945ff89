"""Run the interpreter's own Lib/test/test_copy.py against a copy implementation.

The functions of the `copy` module are replaced by the implementation's for
the duration of the run (the tests call them through the module), then put
back.  Usable from pytest and from the command line:

    python -m tests.stdlib_suite [core|pure]
"""

import contextlib
import copy
import io
import sys
import unittest


@contextlib.contextmanager
def substituted(impl):
    names = [n for n in ("copy", "deepcopy", "replace") if hasattr(copy, n)]
    saved = {n: getattr(copy, n) for n in names}
    try:
        for n in names:
            setattr(copy, n, getattr(impl, n))
        yield
    finally:
        for n, f in saved.items():
            setattr(copy, n, f)


# Tests about the `copy` module's own metadata rather than copying: on 3.13+
# test__all__ checks that every name in copy.__all__ is defined in `copy`,
# which a substituted function by definition is not.  They run against the
# untouched module, in the same result.
METADATA_TESTS = ("test__all__",)


def _flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def run(impl, stream=None):
    """Run test.test_copy with impl substituted; return the unittest result."""
    from test import test_copy

    tests = list(_flatten(unittest.defaultTestLoader.loadTestsFromModule(test_copy)))
    copying = unittest.TestSuite(
        t for t in tests if t.id().rsplit(".", 1)[-1] not in METADATA_TESTS)
    metadata = unittest.TestSuite(
        t for t in tests if t.id().rsplit(".", 1)[-1] in METADATA_TESTS)
    runner = unittest.TextTestRunner(stream=stream or io.StringIO(), verbosity=1)
    with substituted(impl):
        result = runner.run(copying)
    metadata.run(result)
    return result


def _main(argv):
    import types

    import fastcopy

    mode = argv[1] if len(argv) > 1 else "core"
    if mode == "pure":
        from fastcopy import _pure as module
    else:
        from fastcopy import _core as module
    impl = types.SimpleNamespace(copy=module.copy, deepcopy=module.deepcopy,
                                 replace=getattr(fastcopy, "replace", None))
    result = run(impl, stream=sys.stdout)
    print("\ntest_copy on Python %s with fastcopy (%s): %d run, %d failures, "
          "%d errors, %d skipped" % (
              sys.version.split()[0], mode, result.testsRun,
              len(result.failures), len(result.errors), len(result.skipped)))
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
