# How one object is deep-copied: the stdlib's order, in one place.  The
# top-level deepcopy(), the walk (walk.pxi) and the containers' tight item
# loops (list_copy.pxi, dict_copy.pxi) all ask these functions.
#
#   1. (3.14+) an atomic object is its own copy
#   2. a copy recorded in the memo
#   3. (3.10-3.13) an atomic object is its own copy
#   4. an exact built-in container (list, dict, tuple, set, frozenset and,
#      3.15+, frozendict) is copied by the walk
#   5. anything else takes the copy protocol (protocol.pxi): a copier in
#      copy._deepcopy_dispatch, __deepcopy__, copyreg, __reduce_ex__(4),
#      __reduce__
#
# With the native memo nothing atomic is ever recorded, so steps 1-3 become:
# is the object its own copy (own_copy), else is it in the table.  Mirrors
# deepcopy() and _walk() in fastcopy/_pure.py.


cdef enum Route:
    ROUTE_KNOWN = 0         # steps 1-3: the copy is known
    ROUTE_WALK = 1          # step 4: a container, copied by the walk
    ROUTE_PROTOCOL = 2      # step 5


cdef inline int route_unknown(PyTypeObject* tp, int* kind) except -1:
    """Steps 4-5 for an object of type tp that steps 1-3 did not answer:
    ROUTE_WALK with its container kind in *kind, or ROUTE_PROTOCOL."""
    kind[0] = container_kind(tp)
    return ROUTE_WALK if kind[0] != K_NONE else ROUTE_PROTOCOL


cdef inline int route(Session s, PyObject* x, PyObject** y, int* kind) except -1:
    """The way x is copied: ROUTE_KNOWN with *y a new reference to its copy,
    or what route_unknown() says."""
    cdef PyTypeObject* tp = Py_TYPE(x)
    cdef PyObject* found
    if s.memo_mode == MEMO_NATIVE:
        if own_copy(x):
            found = x
        else:
            found = memo_native_get(s, x)
        if found != NULL:
            incref(found)
            y[0] = found
            return ROUTE_KNOWN
        return route_unknown(tp, kind)
    if ATOMIC_BEFORE_MEMO and is_deep_atomic(tp):
        incref(x)
        y[0] = x
        return ROUTE_KNOWN
    if memo_lookup(s, x, y):        # *y a new reference
        return ROUTE_KNOWN
    if is_deep_atomic(tp):
        incref(x)
        y[0] = x
        return ROUTE_KNOWN
    return route_unknown(tp, kind)


cdef inline int known_native(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """Steps 1-3 with the native memo, for an item of the container f is
    copying: 1 with *y its copy (borrowed: the item itself, or the table's
    entry, which lives as long as the session), 0 if the item must be
    copied.  Runs no Python code, so the tight loops can hold borrowed items
    and cached sizes across it."""
    if is_hot_atomic(Py_TYPE(item)):
        y[0] = item
        return 1
    return known_native_past_hot(s, f, item, y)


cdef inline int known_native_past_hot(Session s, Frame* f, PyObject* item,
                                      PyObject** y) except -1:
    """known_native() for an item that is none of the hot atoms."""
    cdef PyTypeObject* tp = Py_TYPE(item)
    if (tp.tp_flags & Py_TPFLAGS_HEAPTYPE) or not (
            tp == T_LIST or tp == T_DICT or tp == T_TUPLE or tp == T_SET
            or tp == T_FROZENSET or tp == T_BYTEARRAY):
        return known_not_container(s, f, item, y)
    return known_container(s, f, item, y)


cdef inline int known_not_container(Session s, Frame* f, PyObject* item,
                                    PyObject** y) except -1:
    """known_native() for an item that is neither a hot atom nor a list,
    dict, tuple, set, frozenset or bytearray (instances among them: their
    classes are heap types).  The memo first, as the stdlib looks, so that
    an object met again is found without the verdict on its class: nothing
    that is its own copy is recorded (but by _reconstruct, as its own
    copy).  The item cannot be f's source (a list or dict), so the lookup
    needs no note_copy() first: only handing the item out does.  (The hit is
    the whole of the inlined part: the rest is out of line.)"""
    y[0] = memo_native_get(s, item)
    if y[0] != NULL:
        return 1
    return known_past_memo(s, f, item, y)


cdef int known_past_memo(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """known_native_past_hot() for an item that is not a container and not
    in the memo."""
    if own_copy_past_hot(item):
        y[0] = item
        return 1
    note_copy(s, f)
    return 0


cdef int known_container(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """known_native_past_hot() for a list, dict, tuple, set, frozenset or
    bytearray."""
    if own_copy_past_hot(item):
        y[0] = item
        return 1
    return known_in_table(s, f, item, y)


cdef inline int known_in_table(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """known_native() for an item that is not its own copy (a list or a
    dict, never their own copies, or an item found not to be)."""
    # The item may lead back to the container: record the container's copy
    # before looking (note_copy is a no-op for kinds recorded at the end).
    note_copy(s, f)
    y[0] = memo_native_get(s, item)
    return y[0] != NULL


cdef inline void memo_probe_init(Session s, fc_address_probe* memo_probe) noexcept:
    """Before a tight loop that asks known_atom_mapped(): read the layout of
    a dict memo's table (valid while no Python code runs).  Only 3.10-3.13
    read it: from 3.14 on known_atom_mapped() answers atoms before the
    memo, and the probe is left unset, as it is for a memo that is not a
    dict."""
    if s.memo_is_dict and not ATOMIC_BEFORE_MEMO:
        fc_address_probe_init(memo_probe, <PyObject*>s.memo)


cdef inline bint known_atom_mapped(Session s, const fc_address_probe* memo_probe,
                                   PyObject* item) noexcept:
    """Steps 1-3 with a mapping memo, for the tight loops: is item an atomic
    object whose copy is itself - no memo entry for it (3.10-3.13 consult
    the memo first), told by probing a dict memo's table (memo_probe_init)?
    False when the walk must ask route() (any other object, a memo that is
    not a dict, a key whose __eq__ would decide).  Runs no Python code."""
    if ATOMIC_BEFORE_MEMO or s.memo_is_dict:
        return hot_atom_unmapped(memo_probe, item)
    return False


cdef inline bint hot_atom_unmapped(const fc_address_probe* memo_probe,
                                   PyObject* item) noexcept:
    """Is item a hot atom that the dict memo read by memo_probe does not map
    (3.14+, where the stdlib answers atoms before the memo: a hot atom)?
    Runs no Python code."""
    cdef PyObject* found
    if not is_hot_atomic(Py_TYPE(item)):
        return False
    return ATOMIC_BEFORE_MEMO or fc_address_probe_find(memo_probe, item, &found) == 0


cdef inline object deep_any(Session s, object x):
    """deepcopy(x) within session s: the entry point for every child that
    is not reached through the walk (hook and reduce arguments, state)."""
    if s.memo_mode == MEMO_NATIVE and is_hot_atomic(Py_TYPE(<PyObject*>x)):
        return x                    # (the most frequent answer, inlined)
    return deep_any_other(s, x)


cdef object deep_any_other(Session s, object x):
    cdef PyObject* p = <PyObject*>x
    cdef PyObject* y = NULL
    cdef int kind = K_NONE
    cdef int r = route(s, p, &y, &kind)
    if r == ROUTE_KNOWN:
        return steal(y)
    if r == ROUTE_WALK:
        if kind == K_TUPLE and may_recurse_into_tuple(s):
            return steal(tuple_copy_nested(s, p, False))
        if s.memo_mode == MEMO_NATIVE and bulk_candidate(p):
            if bulk_worth_trying(s, p) and bulk_copy(s, p, &y):
                return <object>y
            return steal(walk(s, p, kind, False, NULL, True))
        if mapped_bulk_copied(s, p, &y):
            return steal(y)
        return steal(walk(s, p, kind, False))
    return deep_other(s, x)


# -- step 1-3 for the native memo: objects that are their own copy ------------

cdef inline bint own_copy(PyObject* o) except -1:
    """Is o its own deep copy, with nothing recorded in the memo?  Only for
    the native memo (a mapping memo is consulted first, for everything).
    Runs no Python code."""
    # The most frequent types first.
    if is_hot_atomic(Py_TYPE(o)):
        return True
    return own_copy_past_hot(o)


cdef inline bint own_copy_past_hot(PyObject* o) except -1:
    """own_copy(o) for an o whose type is none of the hot atomic ones."""
    cdef PyTypeObject* tp = Py_TYPE(o)
    if tp == T_LIST or tp == T_DICT:
        return False                # never their own copy
    if in_table(&deep_atomic_table, tp):
        return True                 # bytes, type, range, ... (a probe by address)
    return own_copy_other(o)


cdef inline bint own_copy_in_scan(PyObject* o, PyTypeObject** atomic_type) except -1:
    """own_copy(o) in the scans of a container's items.  *atomic_type is the
    last item type found atomic: a verdict for all its instances (the scans
    run no code, so the tables cannot change meanwhile), so that a run of
    items of one type costs a compare or two each, and no table probe.  str
    and int come first: lists mixing them are the most frequent.  (The
    twin of own_copy(), whose order of checks it keeps: change both.)"""
    cdef PyTypeObject* tp = Py_TYPE(o)
    if tp == T_STR or tp == T_INT or tp == atomic_type[0]:
        return True
    if is_hot_atomic(tp):
        atomic_type[0] = tp
        return True
    if tp == T_LIST or tp == T_DICT:
        return False
    if in_table(&deep_atomic_table, tp):
        atomic_type[0] = tp
        return True
    return own_copy_other(o)


cdef bint own_copy_other(PyObject* o) except -1:
    """own_copy() for the less frequent types (kept out of line so that the
    checks above are inlined into the item loops)."""
    cdef PyTypeObject* tp = Py_TYPE(o)
    cdef TypeInfo* info
    if tp == T_TUPLE:
        return atomic_tuple(o, 0)
    if tp == T_SET or tp == T_FROZENSET or tp == T_BYTEARRAY:
        return False                # copied natively, never their own copies
    info = type_info_peek(tp)
    if info != NULL and info.kind == KIND_SELF:
        # A copier in copy._deepcopy_dispatch would come before __deepcopy__:
        # the type must have been seen with no entry there (by the general
        # path) since the dispatch tables last changed.
        if info.self_epoch == 0 or info.self_epoch != fc_deep_dispatch_epoch():
            return False
        # Told without creating the instance's dict or a lookup that could
        # call a key's __eq__: the tight loops rely on no code running here.
        # When that cannot be told, deep_instance() asks again, where code
        # may run.
        return (not has_instance_dict(tp)
                or fc_instance_dict_surely_lacks(o, <PyObject*>"__deepcopy__"))
    return False


cdef inline bint atomic_tuple(PyObject* t, int depth) noexcept:
    """A tuple made of atomic objects (and such tuples, one level down):
    deepcopy returns it unchanged and records nothing in the memo.  (Deeper
    nests of atomic tuples are found unchanged by the walk; scanning many
    levels here would rescan them at every level of a deep tuple.)"""
    cdef Py_ssize_t i
    cdef PyObject* item
    cdef PyTypeObject* tp
    for i in range(PyTuple_GET_SIZE(t)):
        item = PyTuple_GET_ITEM(t, i)
        tp = Py_TYPE(item)
        if is_deep_atomic(tp):
            continue
        if tp == T_TUPLE and depth < 1 and atomic_tuple(item, depth + 1):
            continue
        return False
    return True
