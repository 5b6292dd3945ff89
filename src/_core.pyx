# cython: language_level=3, boundscheck=False, wraparound=False
# cython: cdivision=True, infer_types=False, embedsignature=True
#
# fastcopy._core: the compiled core of fastcopy.
#
# One extension module, split by concern into included files:
#   memo.pxi      the per-call memo (native address table, or a mapping)
#   walk.pxi      explicit-stack deep copy of the built-in containers
#   types.pxi     per-type verdicts (plain class, returns itself, general)
#   instances.pxi a native path for instances of plain classes
#   protocol.pxi  hooks, the reduce protocol and reconstruction
#   shallow.pxi   copy.copy
# fastcopy/_pure.py is the pure-Python twin of all of it.

cimport cython
from cpython.object cimport PyObject, PyTypeObject

from capi cimport *

import copyreg
import types
import weakref

import copy as stdlib_copy

from fastcopy._common import (
    STDLIB_DEEP_DISPATCH, STDLIB_SHALLOW_DISPATCH, Error, reduce_arity_error,
    reduce_not_iterable_error)

# cdef aliases of module-level objects: no global lookups on the hot paths.
cdef dict dispatch_table = copyreg.dispatch_table
cdef object copyreg_newobj = copyreg.__newobj__
cdef dict copyreg_namespace = copyreg.__dict__
cdef dict interpreter_modules = <dict>PyImport_GetModuleDict()  # sys.modules
cdef object MethodType = types.MethodType
cdef object _nil = object()
# The copy module's private dispatch tables (live) and the stdlib's own
# entries in them (snapshot): entries that differ were added by third parties.
cdef dict copy_deep_dispatch = stdlib_copy._deepcopy_dispatch
cdef dict copy_shallow_dispatch = stdlib_copy._copy_dispatch
cdef dict stdlib_deep_dispatch = STDLIB_DEEP_DISPATCH
cdef dict stdlib_shallow_dispatch = STDLIB_SHALLOW_DISPATCH
cdef object NoneType = type(None)
cdef object EllipsisType = type(Ellipsis)
cdef object NotImplementedType = type(NotImplemented)
cdef object FunctionType = types.FunctionType
cdef object BuiltinFunctionType = types.BuiltinFunctionType
cdef object CodeType = types.CodeType
cdef object WeakrefType = weakref.ref

# Exact types the stdlib treats as atomic (copy._deepcopy_atomic); builtin
# types live as long as the interpreter, so borrowed pointers are safe.
cdef PyTypeObject* T_NONE = <PyTypeObject*>NoneType
cdef PyTypeObject* T_INT = <PyTypeObject*>int
cdef PyTypeObject* T_STR = <PyTypeObject*>str
cdef PyTypeObject* T_FLOAT = <PyTypeObject*>float
cdef PyTypeObject* T_BOOL = <PyTypeObject*>bool
cdef PyTypeObject* T_BYTES = <PyTypeObject*>bytes
cdef PyTypeObject* T_COMPLEX = <PyTypeObject*>complex
cdef PyTypeObject* T_TYPE = <PyTypeObject*>type
cdef PyTypeObject* T_FUNCTION = <PyTypeObject*>FunctionType
cdef PyTypeObject* T_BUILTIN_FUNCTION = <PyTypeObject*>BuiltinFunctionType
cdef PyTypeObject* T_CODE = <PyTypeObject*>CodeType
cdef PyTypeObject* T_RANGE = <PyTypeObject*>range
cdef PyTypeObject* T_WEAKREF = <PyTypeObject*>WeakrefType
cdef PyTypeObject* T_PROPERTY = <PyTypeObject*>property
cdef PyTypeObject* T_ELLIPSIS = <PyTypeObject*>EllipsisType
cdef PyTypeObject* T_NOTIMPLEMENTED = <PyTypeObject*>NotImplementedType
# copy.copy also returns these unchanged.
cdef PyTypeObject* T_TUPLE = <PyTypeObject*>tuple
cdef PyTypeObject* T_FROZENSET = <PyTypeObject*>frozenset
cdef PyTypeObject* T_SLICE = <PyTypeObject*>slice
# Containers with native paths.
cdef PyTypeObject* T_LIST = <PyTypeObject*>list
cdef PyTypeObject* T_DICT = <PyTypeObject*>dict
cdef PyTypeObject* T_SET = <PyTypeObject*>set
cdef PyTypeObject* T_BYTEARRAY = <PyTypeObject*>bytearray


cdef inline bint is_deep_atomic(PyTypeObject* tp) noexcept:
    # Most frequent first.
    return (tp == T_STR or tp == T_INT or tp == T_NONE or tp == T_FLOAT
            or tp == T_BOOL or tp == T_BYTES or tp == T_FUNCTION
            or tp == T_TYPE or tp == T_COMPLEX or tp == T_BUILTIN_FUNCTION
            or tp == T_CODE or tp == T_RANGE or tp == T_WEAKREF
            or tp == T_PROPERTY or tp == T_ELLIPSIS or tp == T_NOTIMPLEMENTED)


cdef inline bint is_shallow_atomic(PyTypeObject* tp) noexcept:
    return (is_deep_atomic(tp) or tp == T_TUPLE or tp == T_FROZENSET
            or tp == T_SLICE)


cdef inline bint in_dispatch_table(PyTypeObject* tp) except -1:
    cdef PyObject* r = PyDict_GetItemWithError(<PyObject*>dispatch_table, <PyObject*>tp)
    if r == NULL and PyErr_Occurred() != NULL:
        return raise_current()
    return r != NULL


fc_watch_dispatch_tables(<PyObject*>copy_deep_dispatch, <PyObject*>dispatch_table,
                         <PyObject*>copyreg_namespace, <PyObject*>interpreter_modules)


include "memo.pxi"
include "walk.pxi"
include "types.pxi"
include "instances.pxi"
include "protocol.pxi"
include "shallow.pxi"


def deepcopy(x, memo=None):
    """Deep copy operation on arbitrary Python objects (as copy.deepcopy)."""
    cdef PyTypeObject* tp
    cdef int kind
    cdef Session s
    if memo is None:
        tp = Py_TYPE(<PyObject*>x)
        if is_deep_atomic(tp) or (tp == T_TUPLE and atomic_tuple(<PyObject*>x, 0)):
            return x
        # A list of values that are their own copies needs no memo: copy it
        # in bulk.
        if tp == T_LIST and all_own_copies_list(<PyObject*>x):
            return steal(fc_copy_list_of_atomic(<PyObject*>x))
        s = native_session()
        kind = container_kind(tp)
        if kind != K_NONE:
            return steal(walk(s, <PyObject*>x, kind, True))
        return deep_other(s, x)
    return deep_any(mapping_session(memo), x)


def _is_plain_type(cls):
    """Whether instances of cls take the native plain-instance path (tests)."""
    if not isinstance(cls, type):
        raise TypeError("expected a class")
    return type_info(<PyTypeObject*>cls).kind == KIND_PLAIN
