"""Never slow without saying so, never a surprise from the environment: the
warning when the compiled core cannot be imported, FASTCOPY_REQUIRE_COMPILED,
the accepted values of the environment variables, patch()'s argument check,
and the start-up .pth line that never raises.

The import-time cases run in a fresh interpreter on a copy of the package
made in a temporary directory (with the core missing, broken or present)."""

import importlib.machinery
import os
import shutil
import subprocess
import sys
import textwrap
import warnings

import pytest

import fastcopy
from fastcopy import _config

from .subprocess_helpers import autopatch_pth

PACKAGE_DIR = os.path.dirname(os.path.abspath(fastcopy.__file__))
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def copy_package(dest, core=None):
    """A copy of the fastcopy package in dest/fastcopy, without its compiled
    core; core="broken" adds a core file that cannot be loaded."""
    package = os.path.join(str(dest), "fastcopy")
    os.makedirs(package)
    for name in os.listdir(PACKAGE_DIR):
        if name.endswith((".py", ".pyi")):
            shutil.copy(os.path.join(PACKAGE_DIR, name), package)
    if core == "broken":
        with open(os.path.join(package, "_core" + CORE_SUFFIX), "wb") as f:
            f.write(b"not a shared library\n")
    return package


def run_python(code, cwd, env=None, pythonpath=None):
    """Run code in a fresh interpreter, with no FASTCOPY_* variables but those
    in env; return (returncode, stdout, stderr).

    -S: no site-packages and no .pth files, so fastcopy comes from
    `pythonpath` (an editable install's import hook would otherwise map
    fastcopy's submodules to the source tree, whatever package is imported)."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("FASTCOPY_") and k not in ("PYTHONPATH", "PYTHONWARNINGS")}
    full_env.update(env or {})
    if pythonpath:
        full_env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    proc = subprocess.run([sys.executable, "-S", "-c", textwrap.dedent(code)], cwd=str(cwd),
                          env=full_env, capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


# Imports fastcopy, recording its warnings; prints them and the mode.
IMPORT_AND_REPORT = """
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import fastcopy
    import fastcopy as again          # a second import does not warn again
for w in caught:
    print("WARNING", w.category.__name__, w.message)
print("FILE", fastcopy.__file__)
print("COMPILED", fastcopy.__compiled__, fastcopy.deepcopy.__module__)
assert fastcopy.deepcopy({"a": [1]}) == {"a": [1]}
"""


def warnings_in(stdout):
    """fastcopy's own warnings among those IMPORT_AND_REPORT printed (on a
    free-threaded build, importing the core also warns that the GIL is on)."""
    found = [line.split(" ", 2)[1:] for line in stdout.splitlines() if line.startswith("WARNING ")]
    return [(category, message) for category, message in found
            if message.startswith("fastcopy:")]


def test_missing_core_warns_once_with_reason_and_remedy(tmp_path):
    package = copy_package(tmp_path / "pkgs")
    rc, out, err = run_python(IMPORT_AND_REPORT, tmp_path, pythonpath=[tmp_path / "pkgs"])
    assert rc == 0, err
    assert ("FILE " + os.path.join(package, "__init__.py")) in out
    assert "COMPILED False fastcopy._pure" in out
    [(category, message)] = warnings_in(out)
    assert category == "RuntimeWarning"
    assert "compiled core could not be imported" in message
    assert "No module named 'fastcopy._core'" in message        # the reason
    assert "pip install --force-reinstall fastdeepcopy" in message  # the remedy
    assert "FASTCOPY_PURE=1" in message and "FASTCOPY_REQUIRE_COMPILED=1" in message


def test_broken_core_warns_with_the_loader_error(tmp_path):
    copy_package(tmp_path / "pkgs", core="broken")
    rc, out, err = run_python(IMPORT_AND_REPORT + """
import importlib
try:
    importlib.import_module("fastcopy._core")
except ImportError as exc:
    print("REASON", exc)
""", tmp_path, pythonpath=[tmp_path / "pkgs"])
    assert rc == 0, err
    assert "COMPILED False fastcopy._pure" in out
    [(category, message)] = warnings_in(out)
    reason = [line[len("REASON "):] for line in out.splitlines() if line.startswith("REASON ")]
    assert category == "RuntimeWarning" and reason
    assert reason[0] in message


def test_core_built_for_another_python_is_named(tmp_path):
    package = copy_package(tmp_path / "pkgs")
    other = "_core.cpython-39-elsewhere.so"
    open(os.path.join(package, other), "w").close()
    rc, out, err = run_python(IMPORT_AND_REPORT, tmp_path, pythonpath=[tmp_path / "pkgs"])
    assert rc == 0, err
    [(_, message)] = warnings_in(out)
    assert other in message and "built for another Python" in message


def test_require_compiled_turns_the_warning_into_import_error(tmp_path):
    copy_package(tmp_path / "pkgs")
    rc, out, err = run_python("""
try:
    import fastcopy
except ImportError as exc:
    print("IMPORTERROR", exc)
else:
    print("IMPORTED", fastcopy.__compiled__)
""", tmp_path, env={"FASTCOPY_REQUIRE_COMPILED": "1"}, pythonpath=[tmp_path / "pkgs"])
    assert rc == 0, err
    assert "IMPORTED" not in out
    assert out.startswith("IMPORTERROR fastcopy: the compiled core could not be imported")
    assert "(FASTCOPY_REQUIRE_COMPILED=1)" in out


def test_pure_mode_asked_for_does_not_warn(tmp_path):
    copy_package(tmp_path / "pkgs")
    rc, out, err = run_python(IMPORT_AND_REPORT, tmp_path, env={"FASTCOPY_PURE": "1"},
                              pythonpath=[tmp_path / "pkgs"])
    assert rc == 0, err
    assert "COMPILED False fastcopy._pure" in out
    assert warnings_in(out) == []


def test_source_tree_shadowing_an_installed_package_is_named(tmp_path):
    # The layout of a clone: src/_core.pyx beside the package, run from its
    # root (sys.path[0] is the current directory), while an installed copy
    # with a compiled core sits further down sys.path.
    tree = tmp_path / "clone"
    package = copy_package(tree)
    os.makedirs(str(tree / "src"))
    (tree / "src" / "_core.pyx").write_text("# source\n")
    installed = copy_package(tmp_path / "site-packages")
    open(os.path.join(installed, "_core" + CORE_SUFFIX), "w").close()
    rc, out, err = run_python(IMPORT_AND_REPORT, tree, pythonpath=[tmp_path / "site-packages"])
    assert rc == 0, err
    [(_, message)] = warnings_in(out)
    assert "imported from its source tree (%s)" % package in message
    assert "pip install -e ." in message and "another directory" in message
    assert installed in message


@pytest.mark.parametrize("name", sorted(_config.ACCEPTED))
def test_each_variable_accepts_exactly_its_documented_values(monkeypatch, name):
    for value in _config.ACCEPTED[name]:
        monkeypatch.setenv(name, value)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert _config.read(name) == value
    monkeypatch.delenv(name)
    assert _config.read(name) == ""
    for value in ("false", "off", "no", "true", "yes", "2", " 1", "1 ", "COPY"):
        monkeypatch.setenv(name, value)
        with pytest.warns(RuntimeWarning, match="ignoring %s=%r" % (name, value)):
            assert _config.read(name) == ""


def test_documented_values():
    # The README documents these.
    assert _config.ACCEPTED == {
        "FASTCOPY_PURE": ("", "0", "1"),
        "FASTCOPY_REQUIRE_COMPILED": ("", "0", "1"),
        "FASTCOPY_SUBINTERPRETER_CORE": ("", "0", "1"),
        "FASTCOPY_AUTOPATCH": ("", "0", "1", "copy", "all", "verify", "verify=raise",
                               "verify=warn"),
    }


def test_autopatch_lists_and_fractions(monkeypatch):
    for value in ("verify,copy", "1,copy", "verify=0.1", "verify=1,all", "verify=raise,copy"):
        monkeypatch.setenv("FASTCOPY_AUTOPATCH", value)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert _config.read("FASTCOPY_AUTOPATCH") == value
    for value in ("verify=2", "verify=x", "verify,", "copy,yes", "Verify"):
        monkeypatch.setenv("FASTCOPY_AUTOPATCH", value)
        with pytest.warns(RuntimeWarning, match="ignoring FASTCOPY_AUTOPATCH"):
            assert _config.read("FASTCOPY_AUTOPATCH") == ""


@pytest.mark.skipif(not fastcopy.__compiled__, reason="compiled core not running")
def test_fastcopy_pure_false_keeps_the_compiled_core(tmp_path):
    rc, out, err = run_python(IMPORT_AND_REPORT, tmp_path, env={"FASTCOPY_PURE": "false"},
                              pythonpath=[os.path.dirname(PACKAGE_DIR)])
    assert rc == 0, err
    assert "COMPILED True fastcopy._core" in out
    [(category, message)] = warnings_in(out)
    assert category == "RuntimeWarning" and "ignoring FASTCOPY_PURE='false'" in message


@pytest.mark.parametrize("function", [fastcopy.patch, fastcopy.is_patched, fastcopy.patched])
@pytest.mark.parametrize("value", ["no", "", 0, 1, None])
def test_patch_functions_take_only_a_bool(function, value):
    before = (fastcopy.is_patched(), fastcopy.is_patched(copy=True))
    with pytest.raises(TypeError, match=r"copy must be True or False, not %s"
                       % type(value).__name__):
        function(copy=value)
    with pytest.raises(TypeError):
        function(value)
    assert (fastcopy.is_patched(), fastcopy.is_patched(copy=True)) == before


# --- the start-up .pth line

# Processes the .pth file as interpreter start-up does, then says it lives.
START_UP = """
import site, sys
site.addsitedir(%r)
is_patched = getattr(sys.modules.get("fastcopy"), "is_patched", lambda: False)
print("alive", is_patched())
"""


def run_start_up(tmp_path, autopatch, env=None, pythonpath=()):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    shutil.copy(autopatch_pth(), str(site_dir / "fastcopy-autopatch.pth"))
    full_env = dict(env or {})
    full_env["FASTCOPY_AUTOPATCH"] = autopatch
    return run_python(START_UP % str(site_dir), tmp_path, env=full_env, pythonpath=pythonpath)


@pytest.mark.parametrize("init_code, expected", [
    ("raise RuntimeError('broken\\nacross lines')", "RuntimeError: broken across lines"),
    ("import no_such_module_for_fastcopy_tests", "ModuleNotFoundError"),
    ("1 +", "SyntaxError"),
    # The unrelated index package named fastcopy, installed over this one.
    ("def copy_files(src, dst):\n    pass\n", "No module named 'fastcopy._autopatch'"),
])
def test_pth_line_never_raises(tmp_path, init_code, expected):
    package = tmp_path / "pkgs" / "fastcopy"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(init_code)
    rc, out, err = run_start_up(tmp_path, "1", pythonpath=[tmp_path / "pkgs"])
    assert rc == 0 and out.strip() == "alive False"
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("fastcopy-autopatch.pth: FASTCOPY_AUTOPATCH not applied: ")
    assert expected in line


def test_pth_line_with_required_core_missing_prints_one_line(tmp_path):
    copy_package(tmp_path / "pkgs")
    rc, out, err = run_start_up(tmp_path, "1", env={"FASTCOPY_REQUIRE_COMPILED": "1"},
                                pythonpath=[tmp_path / "pkgs"])
    assert rc == 0 and out.strip() == "alive False"
    [line] = err.splitlines()
    assert "ImportError: fastcopy: the compiled core could not be imported" in line


@pytest.mark.parametrize("value", ["false", "off", "yes", "deepcopy"])
def test_autopatch_undocumented_value_warns_and_does_not_patch(tmp_path, value):
    rc, out, err = run_start_up(tmp_path, value, pythonpath=[os.path.dirname(PACKAGE_DIR)])
    assert rc == 0, err
    assert out.strip() == "alive False"
    assert "ignoring FASTCOPY_AUTOPATCH=%r" % value in err
    assert "Traceback" not in err
