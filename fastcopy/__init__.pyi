import sys
from contextlib import AbstractContextManager
from copy import Error as Error
from typing import Any, TypeVar

_T = TypeVar("_T")

__version__: str
__compiled__: bool

if sys.version_info >= (3, 13):
    __all__ = ["Error", "copy", "deepcopy", "replace"]
else:
    __all__ = ["Error", "copy", "deepcopy"]

error = Error

def deepcopy(x: _T, memo: dict[int, Any] | None = None) -> _T: ...
def copy(x: _T) -> _T: ...

if sys.version_info >= (3, 13):
    def replace(obj: _T, /, **changes: Any) -> _T: ...

def patch(copy: bool = False) -> None: ...
def unpatch() -> None: ...
def is_patched(copy: bool = False) -> bool: ...
def patched(copy: bool = False) -> AbstractContextManager[None]: ...
