"""Fault injection, 5: subinterpreters (_xxsubinterpreters, _interpreters,
and concurrent.interpreters on 3.14+).  The main interpreter and new
subinterpreters each import fastcopy and deep-copy a graph with a cycle, in
a child process (tests/fault_children.py's subinterpreters()); each reports
which implementation it got (fastcopy.__compiled__) and fastcopy's
warnings."""

import os

import pytest

from .impls import _core
from .subprocess_helpers import attack_result, count, run_attack

pytestmark = pytest.mark.skipif(_core is None, reason="the compiled core is not built")

# FASTCOPY_SUBINTERPRETER_CORE=1 loads private copies on POSIX systems only.
posix_only = pytest.mark.skipif(os.name != "posix", reason="private copies need POSIX")


def _interpreter_reports(directory, env=None):
    """What each interpreter of tests/fault_children.py's subinterpreters()
    got, run in a child process with env."""
    stats = attack_result(run_attack("subinterpreters", str(directory), timeout=120, env=env))
    count("interpreters", len(stats["interpreters"]))
    return stats["interpreters"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return _interpreter_reports(tmp_path_factory.mktemp("interpreters"))


def test_the_copy_works_in_every_interpreter(reports):
    assert len(reports) >= 3, reports       # main + at least one kind, twice
    assert reports[0]["name"] == "main" and reports[0]["compiled"], reports
    bad = [r for r in reports if not r["equal"]]
    assert not bad, "copies unlike the stdlib's in: %s" % bad


def test_every_interpreter_gets_the_core_or_a_warning_saying_why(reports):
    for r in reports:
        if r["compiled"]:
            continue
        assert r["warnings"], "%s: the pure twin without a warning" % r["name"]
        text = " ".join(r["warnings"])
        assert "subinterpreter" in text and "another Python" not in text, (
            "%s: the pure twin, with a warning that does not say why: %s" % (r["name"], text))


@pytest.fixture(scope="module")
def private_reports(tmp_path_factory):
    directory = tmp_path_factory.mktemp("private")
    temporary = directory / "tmp"
    temporary.mkdir()
    found = _interpreter_reports(directory, {"FASTCOPY_SUBINTERPRETER_CORE": "1",
                                             "TMPDIR": str(temporary)})
    # Each copy's file is deleted once it is loaded.
    assert list(temporary.iterdir()) == []
    return found


@posix_only
def test_every_interpreter_can_have_a_private_core(private_reports):
    """FASTCOPY_SUBINTERPRETER_CORE=1: every interpreter refused the shared
    core - own-GIL ones included - loads a private copy of it, silently,
    and copies as the stdlib does."""
    assert len(private_reports) >= 3, private_reports
    for r in private_reports:
        assert r["compiled"] and not r["warnings"] and r["equal"], r


@posix_only
def test_a_private_core_that_cannot_load_is_named_in_the_warning(tmp_path):
    """Where no private copy can be loaded (here: a folder without a core),
    load() raises ImportError, and the warning names both failures."""
    from fastcopy import _config, _private_core
    with pytest.raises(ImportError, match="no compiled core"):
        _private_core.load(str(tmp_path))
    refused = ImportError("Interpreter change detected")
    message = _config.no_private_core_message(refused, OSError("no space left"))
    assert "Interpreter change detected" in message and "no space left" in message
    assert "FASTCOPY_SUBINTERPRETER_CORE=1 could not load" in message


@posix_only
def test_the_main_interpreter_can_come_second():
    """With FASTCOPY_SUBINTERPRETER_CORE=1, a main interpreter that imports
    fastcopy after a shared-GIL subinterpreter took the shared core loads a
    private copy (CPython's extension check, switched off for own-GIL
    interpreters, cannot be switched in the main one).  In a child process
    that has not imported fastcopy."""
    from .subprocess_helpers import PACKAGE_ROOT, run_python
    result = run_python("""
        import sys, warnings
        try:
            import _interpreters as module      # 3.13+
            interp = module.create(module.new_config("legacy"))
        except ImportError:
            import _xxsubinterpreters as module
            interp = (module.create(isolated=False) if sys.version_info >= (3, 12)
                      else module.create())
        code = "import fastcopy; assert fastcopy.__compiled__"
        run = getattr(module, "exec", None) or module.run_string
        assert run(interp, code) is None
        module.destroy(interp)
        assert "fastcopy" not in sys.modules
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            import fastcopy
        x = [1]
        x.append(x)
        y = fastcopy.deepcopy(x)
        print(fastcopy.__compiled__, y[1] is y)
        """, args=("-X", "faulthandler"), env={"FASTCOPY_SUBINTERPRETER_CORE": "1"},
        cwd=PACKAGE_ROOT, pythonpath=[PACKAGE_ROOT])
    assert result.returncode == 0, result.report()
    assert result.stdout.split() == ["True", "True"], result.report()
