"""Fault injection, 5: subinterpreters (3.12+: _xxsubinterpreters,
_interpreters, and concurrent.interpreters on 3.14+).  The main
interpreter and new subinterpreters each import fastcopy and deep-copy a
graph with a cycle, in a child process (tests/fault_children.py's
subinterpreters()); each reports which implementation it got
(fastcopy.__compiled__) and fastcopy's warnings."""

import sys

import pytest

from .impls import _core
from .subprocess_helpers import attack_result, count, run_attack

pytestmark = [
    pytest.mark.skipif(sys.version_info < (3, 12), reason="subinterpreter API from 3.12"),
    pytest.mark.skipif(_core is None, reason="the compiled core is not built"),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    directory = tmp_path_factory.mktemp("interpreters")
    stats = attack_result(run_attack("subinterpreters", str(directory), timeout=120))
    count("interpreters", len(stats["interpreters"]))
    return stats["interpreters"]


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
