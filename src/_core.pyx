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
# The C helpers are in fastcopy_helpers.h (one header per concern under
# src/helpers/; every private CPython layout read is in cpython_internals.h).
# fastcopy/_pure.py is the pure-Python twin of all of it.

cimport cython
from cpython.object cimport PyObject, PyTypeObject

from capi cimport *

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


# Per-type answers about the dispatch tables are kept with an epoch that
# changes when these dicts do (see fastcopy_helpers.h).
fc_watch_dispatch_tables(<PyObject*>copy_deep_dispatch, <PyObject*>dispatch_table,
                         <PyObject*>copyreg_namespace, <PyObject*>interpreter_modules,
                         <PyObject*>copy_namespace)


def deepcopy(x, memo=None):
    """Deep copy operation on arbitrary Python objects (as copy.deepcopy)."""
    cdef PyTypeObject* tp = Py_TYPE(<PyObject*>x)
    cdef int kind = K_NONE
    cdef Session s
    if not copy_rules_intact():
        return stdlib_deepcopy(x, memo)
    if memo is None:
        # The dispatcher's steps (dispatch.pxi) with a memo that is still
        # empty, answered before a session is made: atomic objects and
        # tuples of them are their own copies, ...
        if is_deep_atomic(tp) or (tp == T_TUPLE and atomic_tuple(<PyObject*>x, 0)):
            return x
        # ... a list of values that are their own copies is copied in bulk.
        if tp == T_LIST and all_own_copies_list(<PyObject*>x):
            return steal(fc_copy_list_of_atomic(<PyObject*>x))
        s = native_session()
        if route_unknown(tp, &kind) == ROUTE_WALK:
            return steal(walk(s, <PyObject*>x, kind, True))
        return deep_other(s, x)
    if ATOMIC_BEFORE_MEMO and is_deep_atomic(tp):
        return x                    # step 1 (3.14+), before a session is made
    return deep_any(mapping_session(memo), x)


def _is_plain_type(cls):
    """Whether instances of cls take the native plain-instance path (tests)."""
    if not isinstance(cls, type):
        raise TypeError("expected a class")
    return type_info(<PyTypeObject*>cls).kind == KIND_PLAIN


def _type_tables():
    """The core's view of the copy module's rules (tests): the types deepcopy
    and copy return unchanged, those copy copies with cls.copy(x), whether
    atomic types are answered before the memo is read, whether a memo is
    read with `in`, the frozendict type."""
    hot = list(_rules.HOT_ATOMIC)
    return {
        "deep_atomic": frozenset(table_contents(&deep_atomic_table) + hot),
        "shallow_atomic": frozenset(table_contents(&shallow_atomic_table) + hot),
        "shallow_containers": frozenset(table_contents(&shallow_container_table)),
        "atomic_before_memo": ATOMIC_BEFORE_MEMO,
        "memo_read_by_contains": MEMO_READ_BY_CONTAINS,
        "frozendict": <object>T_FROZENDICT if T_FROZENDICT != NULL else None,
    }
