"""The public API mirrors the running interpreter's copy module."""

import copy
import inspect
import os
import subprocess
import sys

import pytest

import fastcopy


def test_all_matches_stdlib():
    assert sorted(fastcopy.__all__) == sorted(copy.__all__)
    for name in fastcopy.__all__:
        assert callable(getattr(fastcopy, name))


def test_error_is_the_stdlib_object():
    assert fastcopy.Error is copy.Error


def test_version_and_mode():
    assert isinstance(fastcopy.__version__, str) and fastcopy.__version__
    assert isinstance(fastcopy.__compiled__, bool)
    if os.environ.get("FASTCOPY_REQUIRE_COMPILED"):
        assert fastcopy.__compiled__


def test_deepcopy_signature(impl):
    assert impl.deepcopy([1], None) == [1]
    assert impl.deepcopy(x=[1], memo={}) == [1]
    with pytest.raises(TypeError):
        impl.deepcopy()
    with pytest.raises(TypeError):
        impl.copy()


@pytest.mark.skipif(sys.version_info < (3, 13), reason="copy.replace is new in 3.13")
def test_replace_like_stdlib():
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class P:
        x: int
        y: int
    p = P(1, 2)
    assert fastcopy.replace(p, y=5) == copy.replace(p, y=5) == P(1, 5)
    with pytest.raises(TypeError):
        fastcopy.replace(object(), a=1)
    with pytest.raises(TypeError):
        copy.replace(object(), a=1)
    assert list(inspect.signature(fastcopy.replace).parameters) == ["obj", "changes"]


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="copy.replace exists on 3.13+")
def test_no_replace_before_313():
    assert not hasattr(fastcopy, "replace")


def _mode_in_subprocess(env_value):
    env = dict(os.environ)
    env.pop("FASTCOPY_PURE", None)
    if env_value is not None:
        env["FASTCOPY_PURE"] = env_value
    out = subprocess.run(
        [sys.executable, "-c",
         "import fastcopy; print(fastcopy.__compiled__, fastcopy.deepcopy.__module__)"],
        env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_fastcopy_pure_env_forces_pure_mode():
    compiled, module = _mode_in_subprocess("1")
    assert compiled == "False" and module == "fastcopy._pure"


def test_default_mode_uses_the_core_when_built():
    try:
        import fastcopy._core  # noqa: F401
    except ImportError:
        pytest.skip("extension not built")
    compiled, module = _mode_in_subprocess(None)
    assert compiled == "True" and module == "fastcopy._core"
    assert _mode_in_subprocess("0")[0] == "True"


def test_stub_and_marker_files_ship():
    here = os.path.dirname(fastcopy.__file__)
    assert os.path.exists(os.path.join(here, "py.typed"))
    assert os.path.exists(os.path.join(here, "__init__.pyi"))
