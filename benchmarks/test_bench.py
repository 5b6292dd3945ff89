"""Smoke tests of the benchmark corpus and runner, and a pytest-benchmark
suite over the shapes of fastcopy/_shapes.py.

    python -m pytest benchmarks/test_bench.py            # the smoke tests
    pip install -e ".[bench]"
    python -m pytest benchmarks/ --benchmark-group-by=param:case

The smoke tests build every corpus case and check fastcopy's copy against
the stdlib's (library-code cases: the code run with fastcopy patched against
the code run with the stdlib), and run the runner in quick mode.  Timings
are not tests: compare.py gives the interleaved side-by-side ratios quoted
in RESULTS.md.
"""

import copy
import pickle

import pytest

from benchmarks import compare
from benchmarks.corpus import CATEGORIES, CORPUS, PATCHED, Skip, select
from fastcopy._shapes import CASES
from tests.compare import compare_deep


def _build(case):
    try:
        return case.factory()
    except Skip as exc:
        pytest.skip(str(exc))


def test_corpus_size():
    assert len(CORPUS) >= 120
    assert {c.category for c in CORPUS} == set(CATEGORIES)
    assert set(CASES) <= {c.name for c in CORPUS}


@pytest.mark.parametrize("case", [c for c in CORPUS if c.call is None], ids=lambda c: c.name)
def test_case_matches_stdlib(case):
    import fastcopy
    x = _build(case)
    compare_deep(x, fastcopy.deepcopy(x), copy.deepcopy(x))


@pytest.mark.parametrize("case", [c for c in CORPUS if c.call is not None], ids=lambda c: c.name)
def test_library_case_patched_matches_stdlib(case):
    import fastcopy
    x = _build(case)
    reference = case.call(x)
    with fastcopy.patched():
        ours = case.call(x)
    compare_deep(x, ours, reference)


@pytest.mark.parametrize("case", [c for c in CORPUS if c.call is not None], ids=lambda c: c.name)
def test_library_case_runs_in_every_mode(case):
    import fastcopy
    x = _build(case)
    impls, setup, _ = compare.implementations(case.call)
    try:
        for label, func in impls:
            setup[label]()
            func(x)
    finally:
        compare._reset()
    assert not fastcopy.is_patched()


def test_runner_quick(tmp_path, capsys):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\n## Other section\n\nkept\n")
    argv = ["--quick", "--rounds", "1", "--target", "0.0002", "--category", "tiny,atomic",
            "--only", "list_1,dict_3,none,int,set_empty,tuple_3", "--write", "--output", str(out)]
    compare.main(argv)
    compare.main(argv)          # the section is replaced, not repeated
    text = out.read_text()
    assert text.count(compare.section_title()) == 1
    assert "## Other section\n\nkept\n" in text
    printed = capsys.readouterr().out
    assert "tiny containers" in printed and "overall" in printed
    assert "cases below 0.95x copium" in printed


def test_runner_patched_quick():
    lines = []
    rows, skipped = compare.run(1, only="lib_asdict_small,lib_defaults", category=PATCHED,
                                target=0.0002, out=lines.append)
    assert [r.name for r in rows] == ["lib_asdict_small", "lib_defaults_x100"]
    assert all("fastcopy" in r.times and "stdlib" in r.times for r in rows)
    rows, _ = compare.run(1, only="dict_3", category="tiny", patched=True, target=0.0002,
                          out=lines.append)
    assert rows[0].patched


def test_select_filters():
    assert all(c.category == PATCHED for c in select(category="patched"))
    assert [c.name for c in select(only="deep_list_400")] == ["deep_list_400"]


# -- pytest-benchmark ---------------------------------------------------------

def _impls():
    import fastcopy
    impls = [("stdlib", copy.deepcopy), ("fastcopy", fastcopy.deepcopy),
             ("pickle", lambda x: pickle.loads(pickle.dumps(x, pickle.HIGHEST_PROTOCOL)))]
    try:
        import copium
        impls.append(("copium", copium.deepcopy))
    except ImportError:
        pass
    return impls


@pytest.mark.parametrize("impl_name, func", _impls(), ids=[n for n, _ in _impls()])
@pytest.mark.parametrize("case", sorted(CASES))
def test_deepcopy(request, case, impl_name, func):
    pytest.importorskip("pytest_benchmark")
    benchmark = request.getfixturevalue("benchmark")
    x = CASES[case][1]()
    benchmark.group = case
    benchmark(func, x)
