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
    cdef PyObject* found
    cdef PyTypeObject* tp
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
    if type(memo) is dict:
        tp = Py_TYPE(<PyObject*>x)
        if is_hot_atomic(tp) and fc_dict_probe_address(<PyObject*>memo, <PyObject*>x,
                                                       &found) == 0:
            return x                # (3.10-3.13) no memo entry for it: step 3
        if tp == T_LIST or tp == T_DICT or tp == T_TUPLE:
            # The small containers that hooks hand on with their memo.
            y = small_tree_copy_mapped(<PyObject*>x, memo)
            if y is not _nil:
                return y
    return deepcopy_with_memo(x, memo)


cdef object deepcopy_with_memo(object x, object memo):
    """deepcopy(x, memo) for a caller's memo, in a session of its own."""
    cdef Session s = mapping_session(memo)
    try:
        return deep_any(s, x)
    finally:
        session_end(s)


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
            return steal(fc_copy_list_of_atomic(p, False))
    elif tp == T_DICT:
        if all_own_copies_dict(p):
            return steal(fc_copy_dict_of_atomic(p, False))
        scanned = True              # (dict_open need not scan it again)
    elif tp == T_SET or tp == T_FROZENSET:
        if (PySet_GET_SIZE(p) <= ENTRY_SET_SCAN_MAX and sets_unregistered()
                and all_own_copies_set(p)):
            # As set_open() does, from a table whose items run no code.
            return steal(fc_copy_set_of_atomic(p, tp == T_FROZENSET, False))
    elif tp == T_BYTEARRAY and bytearray_unregistered():
        # What its reduce value rebuilds: bytearray(x).
        return steal(PyByteArray_FromStringAndSize(PyByteArray_AS_STRING(p),
                                                   PyByteArray_GET_SIZE(p)))
    else:
        y = root_hook(x, tp)
        if y is not _nil:
            return y
    if tp == T_LIST or tp == T_TUPLE or tp == T_DICT:
        y = small_tree_copy(p)
        if y is not _nil:
            return y
    s = native_session()
    try:
        if route_unknown(tp, &kind) == ROUTE_WALK:
            if scanned:
                return steal(walk(s, p, kind, True, NULL, True))
            return steal(walk(s, p, kind, True))
        return deep_other(s, x)
    finally:
        session_end(s)


# -- small trees of containers ------------------------------------------------
#
# deepcopy({"a": [1, 2], "b": {"c": (3, [4])}}): a small list, tuple or dict
# whose items are their own copies or such containers (and sets of own
# copies), a few levels deep.  Copied here, the way the walk would copy it,
# without a session: every container is looked at first, then the copies are
# made children first (a container met twice is copied once).  Nothing is
# recorded: the memo would be thrown away unseen, since no hook runs.
#
# deepcopy(x, memo) with a dict memo - what a hook does with the __dict__ or
# the items it copies - takes the same path for such trees of lists, dicts,
# tuples and the hot atoms (no sets: their reduce value is recorded too),
# none of which the memo maps; the memo is then filled afterwards exactly as
# the stdlib fills it while it copies (small_tree_copy_mapped).

cdef enum:
    SMALL_MAX_ITEMS = 16    # per container
    SMALL_MAX_NODES = 12    # containers in all, the root included
    SMALL_MAX_DEPTH = 4
    SMALL_DICT_COPY = 5     # dicts with containers in them this large are
                            # copied with PyDict_Copy, then patched


cdef struct SmallTree:
    Py_ssize_t n
    PyObject* nodes[SMALL_MAX_NODES]    # borrowed from the root; every
                                        # container after the ones in it
    PyObject* copies[SMALL_MAX_NODES]   # owned, made by small_build()
    bint leaf[SMALL_MAX_NODES]          # no container in it: its items are
                                        # all their own copies
    PyObject* memo                      # the caller's dict memo, or NULL,
    const fc_address_probe* memo_probe  # and its probe


cdef inline bint small_container(PyTypeObject* tp) noexcept:
    return (tp == T_LIST or tp == T_DICT or tp == T_TUPLE
            or tp == T_SET or tp == T_FROZENSET)


cdef inline Py_ssize_t small_find(SmallTree* t, PyObject* o) noexcept:
    cdef Py_ssize_t i
    for i in range(t.n):
        if t.nodes[i] == o:
            return i
    return -1


cdef inline bint small_atom(SmallTree* t, PyObject* o) except -1:
    """Is o an item that is its own copy, with nothing recorded?  With a
    dict memo: a hot atom that the memo does not map (3.10-3.13 look it up
    first)."""
    if t.memo == NULL:
        return own_copy(o)
    return hot_atom_unmapped(t.memo_probe, o)


cdef inline bint small_hot_atom(SmallTree* t, PyObject* o) noexcept:
    """small_atom() told without a probe of the memo: True for a hot atom
    when there is no memo to look in first (none, or 3.14+, which answers
    atoms before the memo); False when small_atom() must tell."""
    return is_hot_atomic(Py_TYPE(o)) and (ATOMIC_BEFORE_MEMO or t.memo == NULL)


cdef inline bint small_item(SmallTree* t, PyObject* o, int depth, bint* leaf) except -1:
    """Can o, an item of a container at this depth, be copied here?
    (*leaf cleared if o is a container.)"""
    if small_atom(t, o):
        return True
    leaf[0] = False
    if not small_container(Py_TYPE(o)):
        return False
    if small_find(t, o) >= 0:
        return True     # met before, and scanned whole (a container that
                        # contains itself is never in the list: see below)
    if depth == SMALL_MAX_DEPTH:
        return False
    return small_scan(t, o, depth + 1)


cdef bint small_scan(SmallTree* t, PyObject* x, int depth) except -1:
    """Can the container x be copied here?  If so, x goes on the list after
    the containers in it.  Runs no Python code.  (x is listed only once its
    items are: a cycle back to x scans it again, until the depth limit.)"""
    cdef PyTypeObject* tp = Py_TYPE(x)
    cdef Py_ssize_t pos = 0
    cdef PyObject* key
    cdef PyObject* item
    cdef PyObject** seq_items
    cdef bint leaf = True
    cdef fc_dict_cursor items
    if t.memo != NULL:
        # Neither a set nor in the memo (a lookup that runs no code), nor the
        # memo itself (which grows while the stdlib copies it).
        if (tp == T_SET or tp == T_FROZENSET or x == t.memo
                or fc_address_probe_find(t.memo_probe, x, &item) != 0):
            return False
    if tp == T_DICT:
        if PyDict_GET_SIZE(x) > SMALL_MAX_ITEMS:
            return False
        fc_dict_cursor_init(&items, x)
        while fc_dict_cursor_next(&items, &key, &item):
            if not (small_atom(t, key) and native_hash(key)
                    and small_item(t, item, depth, &leaf)):
                return False
    elif tp == T_LIST or tp == T_TUPLE:
        if PySequence_Fast_GET_SIZE(x) > SMALL_MAX_ITEMS:
            return False
        # (The items cannot change: no code runs.)
        seq_items = PySequence_Fast_ITEMS(x)
        for pos in range(PySequence_Fast_GET_SIZE(x)):
            item = seq_items[pos]
            if not (small_hot_atom(t, item) or small_item(t, item, depth, &leaf)):
                return False
    elif not (PySet_GET_SIZE(x) <= SMALL_MAX_ITEMS and sets_unregistered()
              and all_own_copies_set(x)):
        return False
    if t.n == SMALL_MAX_NODES:
        return False
    t.nodes[t.n] = x
    t.leaf[t.n] = leaf
    t.n += 1
    return True


cdef inline PyObject* small_copy_of(SmallTree* t, PyObject* o) noexcept:
    """The copy of an item (borrowed): its container's copy, or itself."""
    cdef Py_ssize_t i
    if small_container(Py_TYPE(o)):
        i = small_find(t, o)
        if i >= 0:
            return t.copies[i]
    return o


cdef PyObject* small_build(SmallTree* t, Py_ssize_t node) except NULL:
    """The copy of a container on the list (a new reference), all of whose
    containers already have theirs."""
    cdef PyObject* x = t.nodes[node]
    cdef PyTypeObject* tp = Py_TYPE(x)
    cdef Py_ssize_t n, i
    cdef PyObject* key
    cdef PyObject* item
    cdef PyObject* y
    cdef bint changed = False
    cdef bint patched
    cdef object owned
    cdef fc_dict_cursor items
    if tp == T_DICT:
        # A dict of own copies is copied with PyDict_Copy, as the walk's bulk
        # copy does.  One with containers in it costs less, while small,
        # built by inserting its items than copied and then patched.
        if t.leaf[node]:
            return PyDict_Copy(x)
        patched = PyDict_GET_SIZE(x) >= SMALL_DICT_COPY
        # (`owned` releases it if an insertion fails.)
        owned = steal(PyDict_Copy(x) if patched else PyDict_New())
        y = <PyObject*>owned
        fc_dict_cursor_init(&items, x)
        while fc_dict_cursor_next(&items, &key, &item):
            # (A key whose hash runs no code.)
            if not patched or small_container(Py_TYPE(item)):
                PyDict_SetItem(y, key, small_copy_of(t, item))
        incref(y)
        return y
    if tp == T_SET or tp == T_FROZENSET:
        return fc_copy_set_of_atomic(x, tp == T_FROZENSET, False)
    n = PySequence_Fast_GET_SIZE(x)
    if tp == T_LIST and t.leaf[node]:
        return PyList_GetSlice(x, 0, n)
    if tp == T_TUPLE:
        for i in range(n):
            if small_copy_of(t, PyTuple_GET_ITEM(x, i)) != PyTuple_GET_ITEM(x, i):
                changed = True
                break
        if not changed:
            incref(x)       # as the stdlib: a tuple whose items are their own
            return x        # copies is its own copy
        y = PyTuple_New(n)
    else:
        y = PyList_New(n)
    for i in range(n):
        item = small_copy_of(t, PySequence_Fast_GET_ITEM(x, i))
        incref(item)
        if tp == T_TUPLE:
            PyTuple_SET_ITEM(y, i, item)
        else:
            PyList_SET_ITEM(y, i, item)
    return y


cdef object small_tree_copy(PyObject* x):
    """deepcopy(x) for x as described above, or _nil if x is not such."""
    cdef SmallTree t
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t j
    cdef bint gc_was_enabled
    t.n = 0
    t.memo = NULL
    if not small_scan(&t, x, 0):
        return _nil
    # With the GC held off no finalizer runs either: nothing can change
    # between the scan and the copies.
    gc_was_enabled = PyGC_Disable()
    try:
        while i < t.n:
            t.copies[i] = small_build(&t, i)
            i += 1
        return <object>t.copies[t.n - 1]    # the root's (a reference of its own)
    finally:
        if gc_was_enabled:
            PyGC_Enable()
        for j in range(i):
            decref(t.copies[j])


# What the stdlib does to the memo while it copies a tree, in order: a list
# or dict is recorded when its copy is made, before its items are copied
# (memo[id(x)] = y); when its copy is done, it is kept alive (appended to
# memo[id(memo)], made at the first one).  A tuple is recorded and kept
# alive when done, if its copy is a new tuple.
cdef enum:
    SMALL_ENTER = 0
    SMALL_DONE = 1


cdef struct SmallPlan:
    int n
    int node[2 * SMALL_MAX_NODES]
    int step[2 * SMALL_MAX_NODES]       # SMALL_ENTER or SMALL_DONE
    bint visited[SMALL_MAX_NODES]


cdef int small_plan(SmallTree* t, SmallPlan* plan, Py_ssize_t node) except -1:
    """The steps for node and the containers in it, in the order the
    stdlib's copy takes them (items in order; a container met again is a
    memo hit, with no step)."""
    cdef PyObject* x = t.nodes[node]
    cdef Py_ssize_t i
    cdef PyObject* key
    cdef PyObject* item
    cdef fc_dict_cursor items
    plan.visited[node] = True
    plan.node[plan.n] = <int>node
    plan.step[plan.n] = SMALL_ENTER
    plan.n += 1
    if t.leaf[node]:
        pass                        # no container in it: no steps inside
    elif Py_TYPE(x) == T_DICT:
        fc_dict_cursor_init(&items, x)
        while fc_dict_cursor_next(&items, &key, &item):
            small_plan_item(t, plan, item)
    else:
        for i in range(PySequence_Fast_GET_SIZE(x)):
            small_plan_item(t, plan, PySequence_Fast_GET_ITEM(x, i))
    plan.node[plan.n] = <int>node
    plan.step[plan.n] = SMALL_DONE
    plan.n += 1
    return 0


cdef inline int small_plan_item(SmallTree* t, SmallPlan* plan, PyObject* item) except -1:
    cdef Py_ssize_t i
    if small_container(Py_TYPE(item)):
        i = small_find(t, item)
        if i >= 0 and not plan.visited[i]:
            small_plan(t, plan, i)
    return 0


cdef int small_record(SmallTree* t, SmallPlan* plan, dict memo,
                      PyObject* keep_alive) except -1:
    """Fill the memo as the plan says.  keep_alive: memo[id(memo)] (an exact
    list, borrowed), or NULL if the memo has none yet."""
    cdef int k, node
    cdef PyObject* x
    cdef PyObject* y
    cdef object address_key
    cdef list made
    for k in range(plan.n):
        node = plan.node[k]
        x = t.nodes[node]
        y = t.copies[node]
        if Py_TYPE(x) == T_TUPLE:
            if plan.step[k] == SMALL_ENTER or y == x:
                continue            # a tuple that is its own copy: no record
            address_key = PyLong_FromVoidPtr_obj(x)
            PyDict_SetItem(<PyObject*>memo, <PyObject*>address_key, y)
        elif plan.step[k] == SMALL_ENTER:
            address_key = PyLong_FromVoidPtr_obj(x)
            PyDict_SetItem(<PyObject*>memo, <PyObject*>address_key, y)
            continue
        if keep_alive != NULL:
            PyList_Append(keep_alive, x)
        else:
            made = [<object>x]
            memo[id(memo)] = made
            keep_alive = <PyObject*>made    # (the memo holds it now)
    return 0


cdef object small_tree_copy_mapped(PyObject* x, dict memo):
    """deepcopy(x, memo) for a dict memo and an x as described above, the
    memo filled as the stdlib fills it; or _nil if x is not such (or the
    memo's keep-alive entry is not a list)."""
    cdef SmallTree t
    cdef SmallPlan plan
    cdef fc_address_probe memo_probe
    cdef PyObject* keep_alive = NULL
    cdef PyObject* key
    cdef Py_ssize_t position
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t j
    cdef int found
    cdef bint gc_was_enabled
    # Every lookup in the memo - of the containers, of the atoms (3.10-3.13)
    # and of memo[id(memo)] - by address, in its table: a key that could run
    # code when compared (one with the same hash that is not an int) answers
    # "can't tell", and this path is not taken.  So the insertions below,
    # whose keys are absent, compare no key either: no Python code runs from
    # the scan to the end.
    fc_address_probe_init(&memo_probe, <PyObject*>memo)
    t.n = 0
    t.memo = <PyObject*>memo
    t.memo_probe = &memo_probe
    if not small_scan(&t, x, 0):
        return _nil
    found = fc_dict_find_address(<PyObject*>memo, <PyObject*>memo, &keep_alive, &position, &key)
    if found < 0 or (found == 1 and Py_TYPE(keep_alive) != T_LIST):
        return _nil
    memset(plan.visited, 0, sizeof(plan.visited))
    plan.n = 0
    small_plan(&t, &plan, t.n - 1)
    # With the GC held off no finalizer runs either: nothing can change
    # between the scan and the last record.
    gc_was_enabled = PyGC_Disable()
    try:
        while i < t.n:
            t.copies[i] = small_build(&t, i)
            i += 1
        small_record(&t, &plan, memo, keep_alive)
        return <object>t.copies[t.n - 1]    # the root's (a reference of its own)
    finally:
        if gc_was_enabled:
            PyGC_Enable()
        for j in range(i):
            decref(t.copies[j])


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
    epoch = fc_deep_dispatch_epoch()
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


cdef object deepcopy_one(PyObject* x):
    """deepcopy(x) for fc_deepcopy_fastcall() (helpers/entry.h), which has
    found the copy module's rules intact and x none of the hot atoms."""
    if own_copy_past_hot(x):
        return <object>x
    return deepcopy_fresh(<object>x)


cdef object deepcopy_fastcall(object self, PyObject** args, Py_ssize_t nargs,
                              PyObject* kwnames):
    """deepcopy()'s calls that fc_deepcopy_fastcall() does not answer or
    take to deepcopy_one() (METH_FASTCALL | METH_KEYWORDS)."""
    if kwnames == NULL:
        if nargs == 1:
            return deepcopy_call(<object>args[0], None)
        if nargs == 2:
            return deepcopy_call(<object>args[0], <object>args[1])
    elif fc_is_memo_keyword_call(nargs, kwnames):
        return deepcopy_call(<object>args[0], <object>args[1])
    return steal(PyObject_Vectorcall(<PyObject*>deepcopy_parsing, args, <size_t>nargs, kwnames))


cdef object copy_fastcall(object self, PyObject** args, Py_ssize_t nargs,
                          PyObject* kwnames):
    """copy()'s calls that fc_copy_fastcall() does not answer or take to
    shallow_copy_past_hot() (METH_FASTCALL | METH_KEYWORDS)."""
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
    fc_set_entry_core(FC_ENTRY_DEEPCOPY, <void*>deepcopy_one, <void*>deepcopy_fastcall)
    fc_set_entry_core(FC_ENTRY_COPY, <void*>shallow_copy_past_hot, <void*>copy_fastcall)
    deepcopy_entry = steal(fc_make_entry(FC_ENTRY_DEEPCOPY, <void*>fc_deepcopy_fastcall,
                                         module, <PyObject*>module_name))
    copy_entry = steal(fc_make_entry(FC_ENTRY_COPY, <void*>fc_copy_fastcall,
                                     module, <PyObject*>module_name))
    namespace["deepcopy"] = deepcopy_entry
    namespace["copy"] = copy_entry
    return 0


# -- the patched stdlib functions (fastcopy/_patch.py) --------------------------

def _set_patch_vectorcall(str name, func, impl):
    """Send the positional calls of func - copy.deepcopy or copy.copy (name),
    whose code is already fastcopy's trampoline - straight to impl, without
    the trampoline's frame."""
    cdef int which = FC_ENTRY_DEEPCOPY if name == "deepcopy" else FC_ENTRY_COPY
    cdef void* fast = NULL
    if impl is deepcopy_entry and which == FC_ENTRY_DEEPCOPY:
        fast = <void*>fc_deepcopy_fastcall
    elif impl is copy_entry and which == FC_ENTRY_COPY:
        fast = <void*>fc_copy_fastcall
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
