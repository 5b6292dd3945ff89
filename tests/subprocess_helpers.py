"""Running Python code in a fresh interpreter, for the tests that must not
share a process with the suite: patching, import-time configuration, and
the fault-injection attacks (a segfault there is a failed test that names
its input, not the end of the run).

run_python() returns a Result; Result.check() asserts a clean exit and,
when the child died of a signal, says which (SIGSEGV, SIGABRT from a
sanitizer, ...) with the child's output, which -X faulthandler fills with
the Python stack of the crash.
"""

import os
import signal
import subprocess
import sys
import textwrap

import fastcopy

# The directory the suite imported fastcopy from (a checkout, or the
# site-packages of an installed wheel): children import the same package.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(fastcopy.__file__)))
# The directory holding this tests/ package (a checkout, or wherever a
# copy of tests/ runs against an installed wheel): children import
# tests.fault_children from it.
TESTS_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

IS_DEBUG_BUILD = hasattr(sys, "gettotalrefcount")


def describe_returncode(returncode):
    """'exit status 1', or 'killed by SIGSEGV (signal 11)'."""
    if returncode is None:
        return "timed out"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "signal"
        return "killed by %s (signal %d)" % (name, -returncode)
    return "exit status %d" % returncode


class Result:
    def __init__(self, returncode, stdout, stderr, what):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.what = what

    @property
    def crashed(self):
        """Died of a signal (or of a sanitizer's abort), or hung."""
        return self.returncode is None or self.returncode < 0

    def report(self, tail=6000):
        return "%s: %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            self.what, describe_returncode(self.returncode),
            self.stdout[-tail:], self.stderr[-tail:])

    def check(self):
        """Assert a clean exit; return stdout."""
        assert self.returncode == 0, self.report()
        return self.stdout

    def last_line(self, prefix):
        """The last stdout line starting with prefix, without it (None if
        there is none)."""
        found = None
        for line in self.stdout.splitlines():
            if line.startswith(prefix):
                found = line[len(prefix):]
        return found


def child_env(env=None, keep_fastcopy_vars=False, pythonpath=None, drop=()):
    """os.environ for a child: without FASTCOPY_* variables (unless
    keep_fastcopy_vars), PYTHONPATH and PYTHONWARNINGS, plus env."""
    full = {}
    for k, v in os.environ.items():
        if k in ("PYTHONPATH", "PYTHONWARNINGS") or k in drop:
            continue
        if k.startswith("FASTCOPY_") and not keep_fastcopy_vars:
            continue
        full[k] = v
    if pythonpath:
        full["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    full.update(env or {})
    return full


def run_python(code, *, args=(), env=None, cwd=None, timeout=120, pythonpath=None,
               keep_fastcopy_vars=False, drop=(), what=None):
    """Run code (dedented) with `sys.executable args -c code`; a Result.

    A child that does not finish within timeout is killed and reported
    as timed out (returncode None)."""
    cmd = [sys.executable, *args, "-c", textwrap.dedent(code)]
    full_env = child_env(env, keep_fastcopy_vars, pythonpath, drop)
    try:
        proc = subprocess.run(cmd, cwd=str(cwd) if cwd else None, env=full_env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr
        return Result(None, out or "", (err or "") + "\n[timed out after %ss]" % timeout,
                      what or "child")
    return Result(proc.returncode, proc.stdout, proc.stderr, what or "child")


def run_attack(function, *arguments, env=None, timeout=120, malloc=None):
    """Run tests/fault_children.py's `function(*arguments)` (arguments are
    repr()-able literals) in a fresh interpreter that imports the same
    fastcopy as the suite, with faulthandler on; a Result naming the call.

    malloc: a PYTHONMALLOC value, for example "malloc" so that freed memory
    goes back to the C allocator, which makes a use-after-free more likely
    to show (ignored on debug builds, whose own debug allocator fills freed
    memory already)."""
    call = "%s(%s)" % (function, ", ".join(repr(a) for a in arguments))
    code = "import tests.fault_children as c\nc.%s\n" % call
    extra = dict(env or {})
    if malloc and not IS_DEBUG_BUILD:
        extra["PYTHONMALLOC"] = malloc
    return run_python(code, args=("-X", "faulthandler"), env=extra, cwd=PACKAGE_ROOT,
                      pythonpath=[PACKAGE_ROOT, TESTS_ROOT], timeout=timeout, what=call)


def autopatch_pth():
    """The fastcopy-autopatch.pth start-up file: the installed one (a wheel
    puts it in site-packages), else the checkout's source one (an editable
    install does not install it)."""
    import site
    for d in site.getsitepackages():
        path = os.path.join(d, "fastcopy-autopatch.pth")
        if os.path.exists(path):
            return path
    path = os.path.join(TESTS_ROOT, "src", "fastcopy-autopatch.pth")
    if not os.path.exists(path):
        import pytest
        pytest.fail("fastcopy-autopatch.pth is neither installed nor in a checkout")
    return path


# Totals over the fault-injection tests of this run (allocation failures
# injected, attacks run), printed by conftest.py's terminal summary.
FAULT_STATS = {}


def count(name, n=1):
    FAULT_STATS[name] = FAULT_STATS.get(name, 0) + n


def attack_result(res):
    """The parsed `RESULT {...}` line of a run_attack() child that exited
    cleanly (asserting that it did)."""
    import json
    res.check()
    line = res.last_line("RESULT ")
    assert line is not None, res.report()
    return json.loads(line)
