"""pytest-benchmark suite over the same cases as benchmarks/compare.py.

    pip install -e ".[bench]"
    python -m pytest benchmarks/ --benchmark-group-by=param:case

Not part of the test suite (timings are not tests); compare.py gives the
interleaved side-by-side ratios quoted in RESULTS.md.
"""

import copy
import pickle

import pytest

from fastcopy._shapes import CASES

pytest.importorskip("pytest_benchmark")


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
def test_deepcopy(benchmark, case, impl_name, func):
    x = CASES[case][1]()
    benchmark.group = case
    benchmark(func, x)
