"""The pytest plugin (--fastcopy=patch|verify), run with pytester in a
separate pytest process each (patching must not leak into this session).
The plugin is loaded with -p and entry-point autoloading off, so the tests
work whether or not fastcopy is installed."""

import os
import re

import pytest

pytest_plugins = ["pytester"]

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROBE_TESTS = '''
import copy, traceback
import fastcopy

class Probe:
    def __deepcopy__(self, memo):
        names = [f.name for f in traceback.extract_stack()]
        return "stdlib" if "_deepcopy_list" in names else "fastcopy"

def test_state():
    print("PATCHED", fastcopy.is_patched(), fastcopy.is_patched(copy=True))

def test_probe():
    assert copy.deepcopy([1, [2]]) == [1, [2]]
    # In verify mode the stdlib's copy wins where they differ.
    print("RESULT", copy.deepcopy([Probe()]))
'''


@pytest.fixture
def run_plugin(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", REPO)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("FASTCOPY_AUTOPATCH", raising=False)
    pytester.makepyfile(test_probe=PROBE_TESTS)

    def run(*args):
        return pytester.runpytest_subprocess("-p", "fastcopy._pytest_plugin", "-s",
                                             "-p", "no:cacheprovider", *args)
    return run


def _printed(result, tag):
    """What the tests printed after `tag` (-s: on the progress lines)."""
    found = (re.search(r"\b%s (.*)$" % tag, line) for line in result.outlines)
    return [m.group(1) for m in found if m]


def test_off_by_default(run_plugin):
    result = run_plugin()
    result.assert_outcomes(passed=2)
    assert _printed(result, "PATCHED") == ["False False"]
    assert _printed(result, "RESULT") == ["['stdlib']"]
    assert "fastcopy verify" not in result.stdout.str()


def test_patch_mode(run_plugin):
    result = run_plugin("--fastcopy=patch")
    result.assert_outcomes(passed=2)
    assert _printed(result, "PATCHED") == ["True True"]
    assert _printed(result, "RESULT") == ["['fastcopy']"]
    result.stdout.fnmatch_lines(["fastcopy *: copy.deepcopy and copy.copy patched"])
    assert "fastcopy verify" not in result.stdout.str()


def test_verify_mode_summary(run_plugin):
    result = run_plugin("--fastcopy=verify")
    result.assert_outcomes(passed=2, warnings=1)
    assert _printed(result, "PATCHED") == ["True True"]
    assert _printed(result, "RESULT") == ["['stdlib']"]
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if " fastcopy verify " in line)
    assert lines[start + 1:start + 3] == [
        "fastcopy verify: 2 of 2 copy.deepcopy calls and 0 of 0 copy.copy calls compared "
        "with the standard library; 1 with a difference",
        "  DIFFERENCE copy.deepcopy of list: x[0]: 'fastcopy', the stdlib's 'stdlib' "
        "[first in test_probe.py::test_probe]"]


def test_verify_mode_clean_session(pytester, run_plugin):
    pytester.makepyfile(test_probe="import copy\n"
                        "def test_copy():\n    assert copy.deepcopy({'a': [1]}) == {'a': [1]}\n")
    result = run_plugin("--fastcopy=verify")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["fastcopy verify: 1 of 1 copy.deepcopy calls * no difference"])


def test_verify_warning_as_error_fails_the_test(run_plugin):
    result = run_plugin("--fastcopy=verify", "-W", "error::fastcopy.VerifyWarning")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*VerifyWarning: copy.deepcopy: fastcopy's result differs*"])


def test_bad_option_value(run_plugin):
    result = run_plugin("--fastcopy=sometimes")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*--fastcopy: invalid choice: 'sometimes'*"])
