"""python -m fastcopy: info, bench, check, explain, and their errors.

Commands run in a fresh interpreter (python -m fastcopy ...) in a temporary
directory holding the target modules; a few run in-process through
fastcopy._cli.main where the test must change the process (no matplotlib)."""

import copy
import io
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

import fastcopy
from fastcopy import _cli
from fastcopy._shapes import DEFAULT_BENCH as CASES

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TARGETS = '''
import threading, traceback

class Plain:
    def __init__(self, i):
        self.i = i
        self.items = [i, str(i)]

class Probe:
    """Copies to what copied it: the stdlib (its list copier is on the
    stack) or fastcopy."""
    def __deepcopy__(self, memo):
        names = [f.name for f in traceback.extract_stack()]
        return "stdlib" if "_deepcopy_list" in names else "fastcopy"

class Refuses:
    """fastcopy (not the stdlib) fails to copy it."""
    def __deepcopy__(self, memo):
        names = [f.name for f in traceback.extract_stack()]
        if "_deepcopy_list" not in names:
            raise ValueError("not today")
        return Refuses()

shared = [1, 2]
DATA = {"plain": [Plain(i) for i in range(3)], "shared": (shared, shared), "n": 1}
DATA["self"] = DATA
DIFFERENT = [Probe(), {"k": Probe()}]
REFUSED = [Refuses()]
LOCKED = {"lock": threading.Lock()}

def make():
    return [Plain(1), Plain(2)]

def broken():
    raise RuntimeError("factory failed")
'''


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "targets.py").write_text(textwrap.dedent(TARGETS))
    (tmp_path / "failing_import.py").write_text("raise ImportError('needs a thing')\n")
    return tmp_path


def run(args, cwd, env=None):
    full_env = dict(os.environ)
    full_env.pop("FASTCOPY_AUTOPATCH", None)
    full_env["PYTHONPATH"] = REPO
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "fastcopy", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


# -- help and usage -------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["info"], ["bench"], ["check"], ["explain"]])
def test_help(tmp_path, command):
    proc = run(command + ["--help"], tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("usage: python -m fastcopy")
    if command:
        assert command[0] in proc.stdout.splitlines()[0]


def test_no_command_is_a_usage_error(tmp_path):
    proc = run([], tmp_path)
    assert proc.returncode == 2 and "required" in proc.stderr


# -- info -------------------------------------------------------------------------

def _info(proc):
    assert proc.returncode == 0, proc.stderr
    return dict(line.split(": ", 1) if ": " in line else (line, "")
                for line in proc.stdout.splitlines() if not line.startswith("  "))


def test_info(tmp_path):
    info = _info(run(["info"], tmp_path))
    assert "fastcopy %s" % fastcopy.__version__ in info
    assert info["mode"].startswith("compiled core" if fastcopy.__compiled__ else "pure Python")
    assert info["python"].startswith("CPython %d.%d." % sys.version_info[:2])
    assert info["patched"] == "copy.deepcopy no, copy.copy no; verify mode off"
    assert info["FASTCOPY_AUTOPATCH"].startswith("not set")
    assert "CPython internals read by the core" in info


def test_info_pure_mode_and_why(tmp_path):
    info = _info(run(["info"], tmp_path, env={"FASTCOPY_PURE": "1"}))
    assert info["mode"] == "pure Python, because FASTCOPY_PURE=1 is set"
    assert info["CPython internals read by the core"] == "none: the pure-Python twin runs"
    # A core that cannot be imported: the import error is shown (the
    # suite's own FASTCOPY_REQUIRE_COMPILED would make it an error).
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['fastcopy._core'] = None; "
         "from fastcopy._cli import main; main(['info'])"],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=REPO, FASTCOPY_PURE="",
                               FASTCOPY_REQUIRE_COMPILED=""),
        capture_output=True, text=True)
    info = _info(proc)
    assert info["mode"].startswith("pure Python, because the compiled core could not be "
                                   "imported: ")
    assert "import of fastcopy._core halted" in info["mode"]


def test_info_shows_patching_and_verify(capsys):
    try:
        fastcopy.patch(copy=True, verify=0.5)
        assert _cli.main(["info"]) == 0
    finally:
        fastcopy.unpatch()
    out = capsys.readouterr().out
    assert ("patched: copy.deepcopy yes, copy.copy yes; verify mode on (0.5 of the calls, "
            "warn on a difference)") in out


@pytest.mark.skipif(not fastcopy.__compiled__, reason="the compiled core is not built")
@pytest.mark.parametrize("version, expected", [
    ((3, 10), ["the layout of dict keys objects"]),
    ((3, 12), ["the layout of dict keys objects", "managed dicts and inline values"]),
    ((3, 16), ["none: this Python is outside 3.10-3.15"])])
def test_internals_by_version(monkeypatch, version, expected):
    monkeypatch.setattr(sys, "version_info", version + (0, "final", 0))
    monkeypatch.setattr(_cli.sysconfig, "get_config_var", lambda name: None)
    got = _cli.internals_read(True)
    assert len(got) == len(expected) and all(g.startswith(e) for g, e in zip(got, expected))
    monkeypatch.setattr(_cli.sysconfig, "get_config_var", lambda name: 1)
    assert _cli.internals_read(True)[0].startswith("none: a free-threaded build")


# -- bench --------------------------------------------------------------------------

def test_bench_default_corpus_json(tmp_path):
    proc = run(["bench", "--quick", "--json", "--rounds", "2"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""                # no progress line: stderr is not a terminal
    result = json.loads(proc.stdout)
    assert [c["name"] for c in result["cases"]] == [name for name, _, _ in CASES]
    assert result["compiled"] == fastcopy.__compiled__ and result["rounds"] == 2
    for case in result["cases"]:
        assert {"stdlib", "fastcopy", "pickle"} <= set(case["times"])
        for times in case["times"].values():
            assert 0 < times["best"] <= times["median"]
        assert case["speedup"]["stdlib"] == pytest.approx(
            case["times"]["stdlib"]["best"] / case["times"]["fastcopy"]["best"])
    ratios = [c["speedup"]["stdlib"] for c in result["cases"]]
    product = 1.0
    for r in ratios:
        product *= r
    assert result["geometric_mean"]["stdlib"] == pytest.approx(product ** (1 / len(ratios)))


def test_bench_target_table(workdir):
    proc = run(["bench", "targets:make", "--quick", "--rounds", "2"], workdir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.startswith("case"))
    assert header.split()[:3] == ["case", "stdlib", "fastcopy"]
    row = next(line for line in lines if line.startswith("targets:make"))
    # One time per implementation, then one ratio per other implementation,
    # "vs stdlib" first.
    peers = header.split()[1:header.split().index("vs")]
    ratios = [t for t in row.split() if re.fullmatch(r"\d+\.\d\dx", t)]
    assert len(ratios) == len(peers) - 1 and float(ratios[0][:-1]) > 0
    assert header.split()[len(peers) + 1:len(peers) + 3] == ["vs", "stdlib"]
    assert any(line.startswith("geometric mean") for line in lines)


def test_bench_progress_line_only_on_a_terminal(monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    assert _cli.main(["bench", "--quick", "--rounds", "1"], prog="fastcopy") == 0
    text = err.getvalue()
    steps = re.findall(r"\rbench: \[(\d+)/(\d+)\] (\w+) \.\.\.", text)
    assert steps == [(str(i + 1), str(len(CASES)), name) for i, (name, _, _) in enumerate(CASES)]
    assert text.endswith("\r")                  # the line is cleared at the end
    assert "geometric mean" in capsys.readouterr().out


def test_bench_chart_svg(workdir):
    pytest.importorskip("matplotlib")
    svg = workdir / "speed.svg"
    proc = run(["bench", "targets:make", "--quick", "--rounds", "1", "--chart", str(svg)],
               workdir)
    assert proc.returncode == 0, proc.stderr
    assert "chart written to" in proc.stdout
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_bench_chart_without_matplotlib(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)    # import fails
    assert _cli.main(["bench", "--chart", str(tmp_path / "x.svg")], prog="fastcopy") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert 'needs matplotlib: pip install "fastdeepcopy[chart]"' in err
    assert not (tmp_path / "x.svg").exists()


# -- check ----------------------------------------------------------------------------

def test_check_pass(workdir):
    proc = run(["check", "targets:DATA"], workdir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "PASS targets:DATA: fastcopy.deepcopy gives the same copy as copy.deepcopy"
    objects = int(re.search(r"(\d+) places compared", lines[1]).group(1))
    assert objects > 10
    assert re.match(r"  \d+\.\dx faster: ", lines[2])


def test_check_fail_lists_paths(workdir):
    proc = run(["check", "targets:DIFFERENT"], workdir)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "FAIL targets:DIFFERENT: fastcopy.deepcopy differs from copy.deepcopy (2 differences):",
        "  x[0]: 'fastcopy', the stdlib's 'stdlib'",
        "  x[1]['k']: 'fastcopy', the stdlib's 'stdlib'"]
    proc = run(["check", "targets:DIFFERENT", "--limit", "1"], workdir)
    assert proc.returncode == 1 and "the first 1 differences" in proc.stdout


def test_check_fail_when_only_fastcopy_raises(workdir):
    proc = run(["check", "targets:REFUSED"], workdir)
    assert proc.returncode == 1
    assert proc.stdout.strip() == ("FAIL targets:REFUSED: fastcopy.deepcopy raised "
                                   "ValueError: not today where copy.deepcopy made a copy")


def test_check_calls_a_factory_and_reads_a_pickle(workdir):
    proc = run(["check", "targets:make"], workdir)
    assert proc.returncode == 0 and proc.stdout.startswith("PASS targets:make")
    data = {"a": [1, (2, 3)], "b": {4}}
    path = workdir / "data.pickle"
    path.write_bytes(pickle.dumps(data))
    proc = run(["check", "--pickle", str(path), "--allow-pickle"], workdir)
    assert proc.returncode == 0 and proc.stdout.startswith("PASS %s" % path)


# -- explain ----------------------------------------------------------------------------

def test_explain_command(workdir):
    proc = run(["explain", "targets:DATA"], workdir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("targets:DATA:\nfastcopy.explain: a dict")
    rows = {line.split()[0]: line for line in out.splitlines()
            if re.match(r"^\S+\s{2,}\S.*\s\d+\s+\S+ \S?s\s+\d+\.\d%$", line)}
    assert int(rows["targets.Plain"].split()[-4]) == 3
    expected = "native instance" if fastcopy.__compiled__ else "reduce protocol"
    assert expected in rows["targets.Plain"]
    assert "native container" in rows["dict"]
    assert "Time: fastcopy.deepcopy of the whole object took" in out


# -- bad input: one line on stderr, exit 2 ------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["check", "no_such_module:x"], "cannot import no_such_module: no module named "
                                    "'no_such_module'"),
    (["check", "failing_import:x"], "importing failing_import raised ImportError: needs a thing"),
    (["check", "targets:MISSING"], "targets has no attribute 'MISSING'"),
    (["explain", "targets:DATA.nope"], "targets:DATA has no attribute 'nope'"),
    (["check", "targets:broken"], "calling targets:broken() raised RuntimeError: factory failed"),
    (["check", "targets:LOCKED"], "copy.deepcopy cannot copy targets:LOCKED: TypeError: "
                                  "cannot pickle '_thread.lock' object"),
    (["bench", "targets:LOCKED"], "copy.deepcopy cannot copy targets:LOCKED"),
    (["explain", "targets:LOCKED"], "copy.deepcopy cannot copy targets:LOCKED"),
    (["check", "targets"], "TARGET must be module:attribute"),
    (["check"], "give a TARGET (module:attribute) or --pickle FILE"),
    (["check", "--pickle", "data.pickle"], "unpickling data.pickle runs any code the file "
                                           "contains: pass --allow-pickle if you trust it"),
    (["check", "--pickle", "missing.pickle", "--allow-pickle"], "cannot read missing.pickle"),
    (["check", "--pickle", "targets.py", "--allow-pickle"], "cannot unpickle targets.py"),
    (["check", "targets:DATA", "--pickle", "x", "--allow-pickle"], "not both"),
    (["check", "targets:DIFFERENT", "--limit", "0"], "--limit must be at least 1"),
])
def test_bad_input(workdir, args, message):
    proc = run(args, workdir)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("python -m fastcopy: error: ")
    assert message in proc.stderr


def test_commands_compare_with_the_stdlib_even_when_patched_at_startup(workdir):
    # The autopatch .pth is not active here; patching through the
    # environment is simulated by a -c wrapper that patches first.
    proc = subprocess.run(
        [sys.executable, "-c", "import fastcopy; fastcopy.patch(copy=True); "
         "from fastcopy._cli import main; import copy; "
         "rc = main(['check', 'targets:DIFFERENT']); print(rc, fastcopy.is_patched())"],
        cwd=workdir, env=dict(os.environ, PYTHONPATH=REPO), capture_output=True, text=True)
    assert proc.stdout.splitlines()[-1] == "1 False"
    assert "x[0]: 'fastcopy', the stdlib's 'stdlib'" in proc.stdout


def test_entry_points_declared():
    # The installed distribution's metadata where there is one (an install,
    # a wheel under test), else the source tree's pyproject.toml.
    import importlib.metadata
    try:
        dist = importlib.metadata.distribution("fastdeepcopy")
    except importlib.metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        points = {(ep.group, ep.name): ep.value for ep in dist.entry_points}
        assert points[("console_scripts", "fastcopy")] == "fastcopy._cli:main"
        assert points[("pytest11", "fastcopy")] == "fastcopy._pytest_plugin"
        assert "chart" in (dist.metadata.get_all("Provides-Extra") or [])
        return
    pyproject = os.path.join(REPO, "pyproject.toml")
    if not os.path.exists(pyproject):
        pytest.skip("neither an installed distribution nor a source tree")
    text = open(pyproject).read()
    assert '[project.scripts]\nfastcopy = "fastcopy._cli:main"' in text
    assert '[project.entry-points.pytest11]\nfastcopy = "fastcopy._pytest_plugin"' in text
    assert 'chart = ["matplotlib"]' in text


def test_explain_function_classifies_every_path():
    import collections
    import copyreg
    import enum

    class PlainC:
        def __init__(self):
            self.v = [1]

    class Reduced:
        def __reduce__(self):
            return (Reduced, ())

    class Hooked:
        def __deepcopy__(self, memo):
            return Hooked()

    class Registered:
        pass

    class Dispatched:
        pass

    class Color(enum.Enum):
        RED = 1

    copyreg.pickle(Registered, lambda r: (Registered, ()))
    copy._deepcopy_dispatch[Dispatched] = lambda x, memo: Dispatched()
    try:
        p = PlainC()
        x = [p, p, PlainC(), Reduced(), Hooked(), Registered(), Dispatched(), Color.RED,
             p.__init__, collections.OrderedDict(a=1), {"k": (1, [2])}]
        report = fastcopy.explain(x)
    finally:
        del copyreg.dispatch_table[Registered]
        del copy._deepcopy_dispatch[Dispatched]
    paths = {row.type: row.path for row in report.rows}
    compiled = fastcopy.__compiled__
    assert paths[PlainC] == ("instance" if compiled else "reduce")
    assert paths[Reduced] == "reduce" and paths[Hooked] == "hook"
    assert paths[Registered] == "copyreg" and paths[Dispatched] == "dispatch"
    # Enum has a __deepcopy__ returning self from 3.11 (a reduce method before).
    enum_hook = hasattr(enum.Enum, "__deepcopy__")
    assert paths[Color] == ("reduce" if not enum_hook else "self" if compiled else "hook")
    assert paths[type(p.__init__)] == "method"
    assert paths[list] == paths[dict] == paths[tuple] == "container"
    assert paths[collections.OrderedDict] == "reduce"
    counts = {row.type: row.count for row in report.rows}
    assert counts[PlainC] == 2 and counts[list] == 4        # x, p.v twice, [2]
    assert report.shared == 2                   # p again, p via the bound method
    assert abs(sum(row.share for row in report.rows) - 1) < 1e-9
    assert report.measured_seconds > 0
    reduced = next(r for r in report.rows if r.type is Reduced)
    if compiled:
        assert "defines __reduce__" in reduced.detail
    text = str(report)
    assert "Slow paths:" in text and "Reduced" in text
    assert {r.type for r in report.slow} >= {Reduced, Hooked, Registered, Dispatched}
