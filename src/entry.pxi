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
    if tp == T_LIST or tp == T_TUPLE or tp == T_DICT:
        y = tiny_copy(p, tp)
        if y is not _nil:
            return y
    s = native_session()
    if route_unknown(tp, &kind) == ROUTE_WALK:
        if scanned:
            return steal(walk(s, p, kind, True, NULL, True))
        return steal(walk(s, p, kind, True))
    return deep_other(s, x)


# -- small containers one level deep ---------------------------------------------
#
# deepcopy([1, [2, 3], {"a": 4}]): a small list, tuple or dict whose items
# are their own copies or lists, dicts and sets of such.  Copied here, the
# way the walk would copy it, without a session: each such child copied
# whole (once, if it appears twice), then the container.  Nothing is
# recorded: the memo would be thrown away unseen, since no hook runs.

cdef enum:
    TINY_MAX_ITEMS = 16
    TINY_MAX_CHILDREN = 8

cdef enum TinyKind:
    TINY_NOT = 0        # not such an item: the walk copies the container
    TINY_OWN = 1        # its own copy
    TINY_CHILD = 2      # a list, dict, set or frozenset of own copies


cdef int tiny_kind(PyObject* o) except -1:
    """How tiny_copy() copies o (runs no Python code)."""
    cdef PyTypeObject* tp = Py_TYPE(o)
    if own_copy(o):
        return TINY_OWN
    if tp == T_LIST:
        return TINY_CHILD if all_own_copies_list(o) else TINY_NOT
    if tp == T_DICT:
        return TINY_CHILD if all_own_copies_dict(o) else TINY_NOT
    if ((tp == T_SET or tp == T_FROZENSET) and PySet_GET_SIZE(o) <= TINY_MAX_ITEMS
            and sets_unregistered()):
        return TINY_CHILD if all_own_copies_set(o) else TINY_NOT
    return TINY_NOT


cdef object tiny_copy(PyObject* x, PyTypeObject* tp):
    """deepcopy(x) for x as described above, or _nil if x is not such."""
    cdef PyObject* children[TINY_MAX_CHILDREN]   # borrowed from x
    cdef PyObject* copies[TINY_MAX_CHILDREN]     # owned
    cdef Py_ssize_t n_children = 0
    cdef Py_ssize_t n, i, j
    cdef Py_ssize_t pos = 0
    cdef PyObject* key
    cdef PyObject* item
    cdef PyObject* result = NULL
    cdef PyTypeObject* ctp
    cdef int kind
    cdef bint gc_was_enabled
    n = (PyDict_GET_SIZE(x) if tp == T_DICT else
         PyList_GET_SIZE(x) if tp == T_LIST else PyTuple_GET_SIZE(x))
    if n > TINY_MAX_ITEMS:
        return _nil
    # Every item looked at first, with no code run; then, with the GC held
    # off so that no finalizer runs either, the copies made: x cannot
    # change in between.
    while True:
        if tp == T_DICT:
            if not PyDict_Next(x, &pos, &key, &item):
                break
            if not (own_copy(key) and native_hash(key)):
                return _nil
        else:
            if pos == n:
                break
            item = (PyList_GET_ITEM(x, pos) if tp == T_LIST
                    else PyTuple_GET_ITEM(x, pos))
            pos += 1
        kind = tiny_kind(item)
        if kind == TINY_NOT:
            return _nil
        if kind == TINY_CHILD:
            for j in range(n_children):
                if children[j] == item:
                    break
            else:
                if n_children == TINY_MAX_CHILDREN:
                    return _nil
                children[n_children] = item
                n_children += 1
    if n_children == 0:
        return _nil                 # (a tuple of own copies is one: not here)
    gc_was_enabled = PyGC_Disable()
    i = 0
    try:
        while i < n_children:
            ctp = Py_TYPE(children[i])
            if ctp == T_LIST:
                copies[i] = PyList_GetSlice(children[i], 0, PyList_GET_SIZE(children[i]))
            elif ctp == T_DICT:
                copies[i] = PyDict_Copy(children[i])
            else:
                copies[i] = (PyFrozenSet_New(children[i]) if ctp == T_FROZENSET
                             else PySet_New(children[i]))
            i += 1
        if tp == T_DICT:
            result = PyDict_Copy(x)
            pos = 0
            while PyDict_Next(x, &pos, &key, &item):
                for j in range(n_children):
                    if children[j] == item:
                        # An existing key whose hash runs no code.
                        PyDict_SetItem(result, key, copies[j])
                        break
        else:
            result = PyList_New(n) if tp == T_LIST else PyTuple_New(n)
            for pos in range(n):
                item = (PyList_GET_ITEM(x, pos) if tp == T_LIST
                        else PyTuple_GET_ITEM(x, pos))
                for j in range(n_children):
                    if children[j] == item:
                        item = copies[j]
                        break
                incref(item)
                if tp == T_LIST:
                    PyList_SET_ITEM(result, pos, item)
                else:
                    PyTuple_SET_ITEM(result, pos, item)
        return steal(result)
    except BaseException:
        xdecref(result)
        raise
    finally:
        if gc_was_enabled:
            PyGC_Enable()
        for j in range(i):
            decref(copies[j])


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
