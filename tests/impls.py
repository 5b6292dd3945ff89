"""The implementations under test: the compiled core (when built) and the
pure-Python twin.  Hypothesis tests loop over AVAILABLE; other tests take the
`impl` fixture from conftest.py, which reports a missing core as a skip."""

import os

from fastcopy import _pure

try:
    from fastcopy import _core
except ImportError:
    _core = None
    if os.environ.get("FASTCOPY_REQUIRE_COMPILED") == "1":
        raise

AVAILABLE = [impl for impl in (_core, _pure) if impl is not None]
