"""The interpreter's own Lib/test/test_copy.py, with fastcopy substituted."""


from . import stdlib_suite


def test_stdlib_test_copy_passes(impl):
    import types

    import fastcopy
    namespace = types.SimpleNamespace(
        copy=impl.copy, deepcopy=impl.deepcopy, replace=getattr(fastcopy, "replace", None))
    result = stdlib_suite.run(namespace)
    problems = [t.id() + "\n" + tb for t, tb in result.failures + result.errors]
    assert result.testsRun > 50
    assert not problems, "\n".join(problems)
    assert not result.skipped, result.skipped
