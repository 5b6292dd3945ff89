"""A private copy of the compiled core, for an interpreter that is refused the
shared one (FASTCOPY_SUBINTERPRETER_CORE=1).

The core keeps its state in C globals, one set per loaded library, so it
runs in the first interpreter that imports it and refuses the others (Cython's
"Interpreter change detected"; own-GIL interpreters are refused earlier by
CPython).  A library loaded from another file is another library with its own
globals: copied to a temporary file and loaded from there, the core belongs
to the interpreter that loaded it, whatever its GIL.  The file is deleted as
soon as it is loaded (the mapping stays), and the library stays loaded until
the process exits - CPython never unloads extension modules - which is the
price: about 0.5 MB per interpreter that loads one.

Imported only on that path, never at start-up.
"""

import os
import shutil
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import module_from_spec, spec_from_file_location

NAME = "fastcopy._core"


def load(package_dir):
    """Load a private copy of the core found in package_dir, register it as
    fastcopy._core in this interpreter and return it (ImportError or
    OSError if it cannot be loaded)."""
    if os.name != "posix":
        # Elsewhere a loaded library's file cannot be deleted.
        raise ImportError("a private copy of the compiled core needs a POSIX system")
    source = _core_file(package_dir)
    directory = tempfile.mkdtemp(prefix="fastcopy-core-")
    try:
        path = os.path.join(directory, os.path.basename(source))
        shutil.copyfile(source, path)
        spec = spec_from_file_location(NAME, path)
        module = _load_allowing_own_gil(spec)
    finally:
        # The library stays mapped; its file is not needed any more.
        shutil.rmtree(directory, ignore_errors=True)
    # Where it was copied from (the temporary file is gone): `python -m
    # fastcopy info` finds the build record next to it.
    module.__file__ = source
    return module


def _core_file(package_dir):
    for suffix in EXTENSION_SUFFIXES:
        path = os.path.join(package_dir, "_core" + suffix)
        if os.path.exists(path):
            return path
    raise ImportError("no compiled core for this Python in %s" % package_dir)


def _load_allowing_own_gil(spec):
    # An own-GIL interpreter refuses a module that does not declare itself
    # safe there; a private copy is, since nothing in it is shared with
    # another interpreter.  CPython's switch for that check (3.12+; it is
    # what CPython's own tests use) is turned off for this one load only.
    try:
        from _imp import _override_multi_interp_extensions_check as override
    except ImportError:
        override = None             # before 3.12: no such check
    previous = None
    if override is not None:
        try:
            previous = override(-1)
        except RuntimeError:
            override = None         # the main interpreter: it has no such check
    try:
        module = module_from_spec(spec)
        sys.modules[NAME] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[NAME]
            raise
    finally:
        if override is not None:
            override(previous)
    return module
