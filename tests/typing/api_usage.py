"""Checked with `mypy --strict` against fastcopy's stubs (by the release
check): every public name, used as the README shows.  Not a test module;
running it is harmless."""

import sys
from typing import Any

import fastcopy
from fastcopy import *  # noqa: F403  (the names of __all__)

data: dict[str, list[int]] = {"a": [1, 2]}
same_type: dict[str, list[int]] = fastcopy.deepcopy(data)
memo: dict[int, Any] = {}
with_memo: dict[str, list[int]] = fastcopy.deepcopy(data, memo)
shallow: list[int] = fastcopy.copy([1, 2])
star: dict[str, list[int]] = deepcopy(copy(data))  # noqa: F405

try:
    fastcopy.deepcopy(data)
except (fastcopy.Error, fastcopy.error, Error):  # noqa: F405
    pass

version: str = fastcopy.__version__
compiled: bool = fastcopy.__compiled__
names: list[str] = fastcopy.__all__

fastcopy.patch()
fastcopy.patch(copy=True)
patched_now: bool = fastcopy.is_patched() and fastcopy.is_patched(copy=True)
fastcopy.unpatch()
with fastcopy.patched():
    pass
with fastcopy.patched(copy=True):
    pass

if sys.version_info >= (3, 13):
    import dataclasses

    @dataclasses.dataclass
    class Point:
        x: int
        y: int

    moved: Point = fastcopy.replace(Point(1, 2), x=3)
    moved_star: Point = replace(Point(1, 2), y=3)  # noqa: F405
