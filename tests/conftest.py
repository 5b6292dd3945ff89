import pytest

import fastcopy

from .impls import IMPLS, _core
from .subprocess_helpers import FAULT_STATS


# Every test that takes `impl` runs against the compiled core and the
# pure-Python twin, in the same process (FASTCOPY_TEST_IMPL picks one).
@pytest.fixture(params=IMPLS)
def impl(request):
    return request.param


def pytest_report_header(config):
    return "fastcopy %s, compiled core %s" % (
        fastcopy.__version__, "available" if _core is not None else "MISSING")


def pytest_terminal_summary(terminalreporter):
    if FAULT_STATS:
        terminalreporter.write_line("fault injection: " + ", ".join(
            "%s %d" % (name, n) for name, n in sorted(FAULT_STATS.items())))
