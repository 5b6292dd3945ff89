# cython: language_level=3, boundscheck=False, wraparound=False
# cython: cdivision=True, infer_types=False, embedsignature=True
#
# fastcopy._core: the compiled core of fastcopy.
#
# One extension module, split by concern into included files:
#   rules.pxi       the running Python's copy rules: type tables (_rules.py)
#   memo.pxi        the memo: native address table, or the stdlib's mapping
#   session.pxi     the state of one call: GC pause, C stack floor
#   dispatch.pxi    the stdlib's order for one object, asked by all below
#   walk.pxi        the explicit-stack walk over built-in containers
#   list_copy.pxi   list, tuple, set and frozenset frames
#   dict_copy.pxi   dict and frozendict frames
#   types.pxi       per-type verdicts (plain class, returns itself, general)
#   instances.pxi   a native path for instances of plain classes
#   protocol.pxi    hooks, the reduce protocol and reconstruction
#   shallow.pxi     copy.copy
#   entry.pxi       the entry points as built-in functions; patched calls
# The C helpers are in fastcopy_helpers.h (one header per concern under
# src/helpers/; every private CPython layout read is in cpython_internals.h).
# fastcopy/_pure.py is the pure-Python twin of all of it.

cimport cython
from cpython.object cimport PyObject, PyTypeObject

from capi cimport *

import _collections
import copyreg
import types
import weakref

from fastcopy._common import Error, reduce_arity_error, reduce_not_iterable_error
from fastcopy import _rules

include "rules.pxi"
include "memo.pxi"
include "session.pxi"
include "dispatch.pxi"
include "walk.pxi"
include "list_copy.pxi"
include "dict_copy.pxi"
include "types.pxi"
include "instances.pxi"
include "protocol.pxi"
include "shallow.pxi"
include "entry.pxi"


# Per-type answers about the dispatch tables are kept with an epoch that
# changes when these dicts do (see fastcopy_helpers.h).
# (The tuple is kept: it holds the dicts for the C side.)  First the dicts
# _rules.tables_intact() reads, copy._deepcopy_dispatch first of all: see
# fc_rules_epoch() and fc_deep_dispatch_epoch().
cdef tuple rules_dicts = tuple(
    d for d in (copy_deep_dispatch, copy_shallow_dispatch, copy_namespace)
    if d is not None)
cdef tuple watched_dicts = rules_dicts + tuple(
    d for d in (dispatch_table, copyreg_namespace, interpreter_modules)
    if d is not None)
fc_watch_dispatch_tables(<PyObject*>watched_dicts, len(rules_dicts))


class _DefinesNew:
    # Its tp_new is the one of every class that defines __new__ in Python.
    def __new__(cls):
        return object.__new__(cls)


fc_builtin_new_init(<PyObject*>object.__new__, <PyTypeObject*>_DefinesNew)
del _DefinesNew


def deepcopy(x, memo=None):
    """Deep copy operation on arbitrary Python objects (as copy.deepcopy)."""
    return deepcopy_call(x, memo)


def _is_plain_type(cls):
    """Whether instances of cls take the native plain-instance path (tests)."""
    if not isinstance(cls, type):
        raise TypeError("expected a class")
    return type_info(<PyTypeObject*>cls).kind == KIND_PLAIN


def _type_verdict_cached(cls):
    """Whether the core holds a verdict for cls that is still valid, and
    the set of the verdict cache cls falls in (tests)."""
    if not isinstance(cls, type):
        raise TypeError("expected a class")
    return (type_info_peek(<PyTypeObject*>cls) != NULL,
            fc_address_slot(<PyTypeObject*>cls, TYPE_CACHE_SET_BITS))


def _type_tables():
    """The core's view of the copy module's rules (tests): the types deepcopy
    and copy return unchanged, those copy copies with cls.copy(x), whether
    atomic types are answered before the memo is read, whether a memo is
    read with `in`, the frozendict type, and whether changes to the tables
    are watched (else no answer about them is kept: every copy asks again)."""
    hot = list(_rules.HOT_ATOMIC)
    return {
        "deep_atomic": frozenset(table_contents(&deep_atomic_table) + hot),
        "shallow_atomic": frozenset(table_contents(&shallow_atomic_table) + hot),
        "shallow_containers": frozenset(table_contents(&shallow_container_table)),
        "atomic_before_memo": ATOMIC_BEFORE_MEMO,
        "memo_read_by_contains": MEMO_READ_BY_CONTAINS,
        "frozendict": <object>T_FROZENDICT if T_FROZENDICT != NULL else None,
        "watched": (fc_rules_epoch() != 0 and fc_dispatch_epoch() != 0
                    and fc_deep_dispatch_epoch() != 0),
    }


# The public entry points are built-in functions (entry.pxi); the def
# functions above parse the call shapes those do not answer themselves.
install_entries(globals())
