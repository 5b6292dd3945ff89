# The entry points: deepcopy() and copy() as built-in functions with
# METH_FASTCALL (helpers/entry.h), and the vectorcall of the patched stdlib
# functions.
#
# A call from Python then costs what a call to a built-in does: the
# interpreter specialises it and hands over the argument array, and an
# object that is its own copy is answered before anything else is set up.
# A def function (a cyfunction) would be called through the generic path
# and parse its arguments first.  Call shapes other than positional
# arguments (keywords, a wrong count) go to the def functions deepcopy()
# and copy() in _core.pyx and shallow.pxi, which parse them and raise
# Cython's usual errors.

cdef object deepcopy_parsing = None     # the def functions
cdef object copy_parsing = None
cdef object deepcopy_entry = None       # the built-in functions
cdef object copy_entry = None


cdef inline object deepcopy_call(object x, object memo):
    """deepcopy(x, memo), arguments parsed."""
    if not copy_rules_intact():
        return stdlib_deepcopy(x, memo)
    if memo is None:
        # The dispatcher's steps (dispatch.pxi) with a memo that is still
        # empty, answered before a session is made: atomic objects, tuples
        # of them and types whose __deepcopy__ returns the object are their
        # own copies.
        if own_copy(<PyObject*>x):
            return x
        return deepcopy_fresh(x)
    if ATOMIC_BEFORE_MEMO and is_deep_atomic(Py_TYPE(<PyObject*>x)):
        return x                    # step 1 (3.14+), before a session is made
    return deep_any(mapping_session(memo), x)


cdef enum:
    # Sets up to this size are scanned for a copy made whole before a
    # session is made (set_open scans again, so large ones go straight there).
    ENTRY_SET_SCAN_MAX = 64


cdef object deepcopy_fresh(object x):
    """deepcopy(x) with no memo, for an x that is not its own copy."""
    cdef PyObject* p = <PyObject*>x
    cdef PyTypeObject* tp = Py_TYPE(p)
    cdef int kind = K_NONE
    cdef bint scanned = False
    cdef Session s
    # Containers of values that are their own copies, and bytearrays, need
    # no memo: copied whole, without a session.
    if tp == T_LIST:
        if all_own_copies_list(p):
            return steal(fc_copy_list_of_atomic(p))
    elif tp == T_DICT:
        if all_own_copies_dict(p):
            return steal(fc_copy_dict_of_atomic(p))
        scanned = True              # (dict_open need not scan it again)
    elif tp == T_SET or tp == T_FROZENSET:
        if (PySet_GET_SIZE(p) <= ENTRY_SET_SCAN_MAX and sets_unregistered()
                and all_own_copies_set(p)):
            # As set_open() does, from a table whose items run no code.
            return steal(fc_copy_set_of_atomic(p, tp == T_FROZENSET))
    elif tp == T_BYTEARRAY and bytearray_unregistered():
        # What its reduce value rebuilds: bytearray(x).
        return steal(PyByteArray_FromStringAndSize(PyByteArray_AS_STRING(p),
                                                   PyByteArray_GET_SIZE(p)))
    else:
        y = root_hook(x, tp)
        if y is not _nil:
            return y
    s = native_session()
    if route_unknown(tp, &kind) == ROUTE_WALK:
        if scanned:
            return steal(walk(s, p, kind, True, NULL, True))
        return steal(walk(s, p, kind, True))
    return deep_other(s, x)


cdef object root_hook(object x, PyTypeObject* tp):
    """deepcopy(x) with no memo, for an x whose class has a __deepcopy__
    that can be called unbound (see is_unbound_callable) and no copier in
    copy._deepcopy_dispatch: the hook called with a new dict memo, without
    a session.  _nil (private: no hook can return it) if that does not
    apply.

    The stdlib records the copy in the memo afterwards (memo[id(x)] = y and
    x appended to memo[id(memo)]); when nothing but this call holds the
    memo any more, nothing could see that, and it is left out."""
    cdef TypeInfo* info = type_info_peek(tp)
    cdef uint64_t epoch
    if info == NULL or not info.deepcopy_function or PyType_Check(<PyObject*>x):
        return _nil
    epoch = fc_dispatch_epoch()
    if epoch == 0 or info.self_epoch != epoch:
        return _nil                 # copy._deepcopy_dispatch not known to lack tp
    function = class_function(x, tp, <PyObject*>"__deepcopy__")
    if function is None:
        return _nil
    cdef dict memo = {}
    # (function is held: the hook may rebind the class attribute.)
    y = steal(fc_call2(<PyObject*>function, <PyObject*>x, <PyObject*>memo))
    if y is not x and not fc_sole_reference(<PyObject*>memo):
        # The hook kept the memo somewhere: fill it as the stdlib does.
        memo[id(x)] = y
        try:
            memo[id(memo)].append(x)
        except KeyError:
            memo[id(memo)] = [x]
    return y


cdef uint64_t bytearray_checked_epoch = 0   # the epoch it was found unregistered in


cdef bint bytearray_unregistered() except -1:
    """Neither a copier in copy._deepcopy_dispatch nor a copyreg reductor
    for bytearray: deep_other() would copy it as bytearray(x).  Asked again
    only when the dispatch tables change."""
    global bytearray_checked_epoch
    cdef uint64_t epoch = fc_dispatch_epoch()
    if epoch != 0 and epoch == bytearray_checked_epoch:
        return True
    if (foreign_copier(copy_deep_dispatch, stdlib_deep_dispatch, bytearray) is not None
            or in_dispatch_table(T_BYTEARRAY)):
        return False
    bytearray_checked_epoch = epoch
    return True


cdef object deepcopy_fastcall(object self, PyObject** args, Py_ssize_t nargs,
                              PyObject* kwnames):
    """The METH_FASTCALL | METH_KEYWORDS function of deepcopy()."""
    cdef PyObject* x
    if kwnames == NULL and nargs == 1:
        # deepcopy(x), the most frequent call of all, with x an atom (or
        # another object that is its own copy) answered without taking
        # references to the arguments or any other call.
        x = args[0]
        if copy_rules_known_intact():
            if own_copy(x):
                return <object>x
            return deepcopy_fresh(<object>x)
    if kwnames == NULL:
        if nargs == 1:
            return deepcopy_call(<object>args[0], None)
        if nargs == 2:
            return deepcopy_call(<object>args[0], <object>args[1])
    return steal(PyObject_Vectorcall(<PyObject*>deepcopy_parsing, args, <size_t>nargs, kwnames))


cdef object copy_fastcall(object self, PyObject** args, Py_ssize_t nargs,
                          PyObject* kwnames):
    """The METH_FASTCALL | METH_KEYWORDS function of copy()."""
    if kwnames == NULL and nargs == 1:
        return shallow_copy(<object>args[0])
    return steal(PyObject_Vectorcall(<PyObject*>copy_parsing, args, <size_t>nargs, kwnames))


cdef int install_entries(dict namespace) except -1:
    """Replace the def functions deepcopy and copy in the module's namespace
    with the built-in functions."""
    global deepcopy_parsing, copy_parsing, deepcopy_entry, copy_entry
    deepcopy_parsing = namespace["deepcopy"]
    copy_parsing = namespace["copy"]
    module_name = namespace["__name__"]
    # __self__ is the module, as for the built-in functions of any module.
    cdef PyObject* module = PyDict_GetItemWithError(<PyObject*>interpreter_modules,
                                                    <PyObject*>module_name)
    if module == NULL and PyErr_Occurred() != NULL:
        raise_current()
    deepcopy_entry = steal(fc_make_entry(FC_ENTRY_DEEPCOPY, <void*>deepcopy_fastcall,
                                         module, <PyObject*>module_name))
    copy_entry = steal(fc_make_entry(FC_ENTRY_COPY, <void*>copy_fastcall,
                                     module, <PyObject*>module_name))
    namespace["deepcopy"] = deepcopy_entry
    namespace["copy"] = copy_entry
    return 0


# -- the patched stdlib functions (fastcopy/_patch.py) --------------------------

CAN_PATCH_VECTORCALL = FC_CAN_SET_VECTORCALL


def _set_patch_vectorcall(str name, func, impl):
    """Send the positional calls of func - copy.deepcopy or copy.copy (name),
    whose code is already fastcopy's trampoline - straight to impl, without
    the trampoline's frame (3.12+)."""
    cdef int which = FC_ENTRY_DEEPCOPY if name == "deepcopy" else FC_ENTRY_COPY
    cdef void* fast = NULL
    if impl is deepcopy_entry and which == FC_ENTRY_DEEPCOPY:
        fast = <void*>deepcopy_fastcall
    elif impl is copy_entry and which == FC_ENTRY_COPY:
        fast = <void*>copy_fastcall
    if fast == NULL:
        # Another impl (verify mode's) counts the trampoline's frame in the
        # stack levels of its warnings: it keeps the trampoline.
        fc_clear_patch_vectorcall(which)
        return
    fc_set_patch_vectorcall(which, <PyObject*>func, <PyObject*>impl, fast)


def _clear_patch_vectorcall(str name):
    """Undo _set_patch_vectorcall(name, ...): the function's own vectorcall
    back (nothing happens if it was not set)."""
    fc_clear_patch_vectorcall(FC_ENTRY_DEEPCOPY if name == "deepcopy" else FC_ENTRY_COPY)
