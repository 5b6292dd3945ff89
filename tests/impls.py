"""The implementations under test: the compiled core (when built) and the
pure-Python twin.  Hypothesis tests loop over AVAILABLE; other tests take the
`impl` fixture from conftest.py (or parametrize over IMPL_NAMES to run a
child process), which reports a missing core as a skip.

FASTCOPY_TEST_IMPL=core limits the run to the compiled core: for the debug
and sanitizer builds of the core, where the pure twin is the same code the
main run has tested.
"""

import os

import pytest

from fastcopy import _pure

try:
    from fastcopy import _core
except ImportError:
    _core = None
    if os.environ.get("FASTCOPY_REQUIRE_COMPILED") == "1":
        raise

ONLY = os.environ.get("FASTCOPY_TEST_IMPL", "")
if ONLY not in ("", "core", "pure"):
    raise RuntimeError("FASTCOPY_TEST_IMPL must be 'core' or 'pure', not %r" % ONLY)

_BY_NAME = [(name, impl) for name, impl in (("core", _core), ("pure", _pure))
            if ONLY in ("", name)]

AVAILABLE = [impl for _, impl in _BY_NAME if impl is not None]

_NOT_BUILT = pytest.mark.skipif(_core is None, reason="the compiled core is not built")


def _param(value, name):
    """A parameter named after the implementation; skipped if it is the
    core and the core is not built."""
    return pytest.param(value, id=name, marks=[_NOT_BUILT] if name == "core" else [])


IMPL_NAMES = [_param(name, name) for name, _ in _BY_NAME]
"""Implementation names, for tests that run them in a child process."""

IMPLS = [_param(impl, name) for name, impl in _BY_NAME]
"""The implementations themselves, for the `impl` fixture."""
