# Frames for the sequence-like containers: list, tuple, set and frozenset
# (see walk.pxi for the frame protocol).  Mirrors _ListFrame, _TupleFrame and
# _SetFrame in fastcopy/_pure.py.


cdef inline int seq_next_general(Session s, Frame* f, PyObject* seq,
                                 PyObject** child) except -1:
    """With a mapping memo: atomic items the memo has no entry for are
    stored here, every other item goes to the walk, which consults the memo.
    Index-based like list iteration: items appended by a hook are copied
    too, a list cleared by a hook ends the loop."""
    cdef PyObject* item
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    cdef fc_address_probe memo_probe
    memo_probe_init(s, &memo_probe)
    while 0 <= f.pos < PySequence_Fast_GET_SIZE(seq):
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        item = PySequence_Fast_GET_ITEM(seq, f.pos)
        f.pos += 1
        if not known_atom_mapped(s, &memo_probe, item):
            return hand_out(f, item, child, False, False)
        # The item is its own copy: appending it, storing it in a tuple
        # (never a new one: it equals the original) or adding it to a set
        # (its hash is native) runs no code.
        incref(item)
        frame_accept(s, f, item)
    return ADVANCE_DONE


# -- list: recorded before its items, as the stdlib's _deepcopy_list ---------

cdef int list_open(Session s, Frame* f) except -1:
    f.dst = fc_list_with_capacity(PyList_GET_SIZE(f.src))
    if s.memo_mode == MEMO_MAPPING:
        note_copy(s, f)         # a mapping memo is filled as the stdlib does
    return 0


cdef int list_advance(Session s, Frame* f, PyObject** child) except -1:
    cdef PyObject* item
    cdef PyObject* y
    cdef Py_ssize_t n
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    cdef int found
    if s.memo_mode == MEMO_MAPPING:
        return seq_next_general(s, f, f.src, child)
    n = PyList_GET_SIZE(f.src)
    while f.pos < n:
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        item = PyList_GET_ITEM(f.src, f.pos)
        f.pos += 1
        found = known_or_bulk(s, f, item, &y)
        if found == MUST_COPY:
            return hand_out(f, item, child, True, f.child_scanned)
        incref(y)
        fc_list_append_steal(f.dst, y)
        if found == BULK_COPIED and signals_due(s):
            return ADVANCE_YIELD
    return ADVANCE_DONE


cdef bint all_own_copies_list(PyObject* l) except -1:
    cdef Py_ssize_t i
    cdef PyTypeObject* atomic_type = NULL
    for i in range(PyList_GET_SIZE(l)):
        if not own_copy_in_scan(PyList_GET_ITEM(l, i), &atomic_type):
            return False
    return True


# -- tuple: recorded after its items; the original if no item changed --------

cdef int tuple_open(Session s, Frame* f) except -1:
    f.memoized = True           # nothing to record before the items
    return 0                    # dst stays NULL while every item is the original


cdef int tuple_advance(Session s, Frame* f, PyObject** child) except -1:
    cdef PyObject* item
    cdef PyObject* y
    cdef Py_ssize_t n
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    cdef int found
    if s.memo_mode == MEMO_MAPPING:
        return seq_next_general(s, f, f.src, child)
    n = PyTuple_GET_SIZE(f.src)
    while f.pos < n:
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        item = PyTuple_GET_ITEM(f.src, f.pos)
        f.pos += 1
        found = known_or_bulk(s, f, item, &y)
        if found == MUST_COPY:
            return hand_out(f, item, child, True, f.child_scanned)
        incref(y)
        tuple_store(f, y)
        if found == BULK_COPIED and signals_due(s):
            return ADVANCE_YIELD
    return ADVANCE_DONE


cdef inline int tuple_store(Frame* f, PyObject* y) except -1:
    """Store y (stolen) as the copy of item pos-1 of a tuple frame."""
    return tuple_put(&f.dst, f.src, f.pos - 1, y)


cdef inline int tuple_put(PyObject** dst, PyObject* src, Py_ssize_t i, PyObject* y) except -1:
    """Store y (stolen) as the copy of item i of the tuple src in *dst, its
    copy, which is made (with the items before i) at the first item whose
    copy is not the original; *dst stays NULL until then."""
    cdef PyObject* original
    cdef PyObject* made
    cdef Py_ssize_t j
    if dst[0] == NULL:
        original = PyTuple_GET_ITEM(src, i)
        if y == original:
            decref(y)               # (src holds it: not the last reference)
            return 0
        made = PyTuple_New_or_null(PyTuple_GET_SIZE(src))
        if made == NULL:
            decref(y)
            return raise_current()
        dst[0] = made
        for j in range(i):
            original = PyTuple_GET_ITEM(src, j)
            incref(original)
            PyTuple_SET_ITEM(made, j, original)
    PyTuple_SET_ITEM(dst[0], i, y)
    return 0


cdef PyObject* tuple_finish(Session s, Frame* f, bint last) except NULL:
    return tuple_done(s, f.src, f.dst, last)


cdef PyObject* tuple_done(Session s, PyObject* src, PyObject* dst, bint last) except NULL:
    """The copy of the tuple src (a new reference), recorded in the memo;
    dst (borrowed) holds its items' copies, or is NULL if each item is its
    own copy."""
    # Memoized only after its items, so a cycle through it may already have
    # produced its copy: use that one, as the stdlib.
    cdef PyObject* y
    if s.memo_mode == MEMO_NATIVE:
        y = memo_native_get(s, src)
        if y != NULL:
            # Copied meanwhile through a cycle: recording it again would
            # change nothing, but the stdlib's deepcopy() keeps it alive a
            # second time.
            if not last:
                native_keep_alive(s, src)
            incref(y)
            return y
        # (y is borrowed from the caller until the incref: if recording
        # fails, the caller still owns it.)
        y = dst if dst != NULL else src
        if y != src and not last:
            memo_native_add_finished(s, src, y)     # (the table keeps src alive)
        incref(y)
        return y
    y = memo_subscript(s, src)
    if y == NULL:
        y = dst if dst != NULL else src
        incref(y)
    return finish_recorded_after(s, src, y, last)


# -- tuples inside a copy: by recursion while the C stack has room ------------
#
# A frame of the walk costs about three times what a level of recursion
# does, and nested tuples are the one container whose items cannot change
# while they are copied: a tuple the walk meets with the native memo is
# copied by tuple_copy_nested(), which recurses into the tuples among its
# items.  It stops recursing in the lower half of the thread's C stack
# (may_recurse_into_tuple; stack_guard.h) and beyond TUPLE_LEVELS_MAX levels
# (an exception raised at the bottom carries a traceback entry per level),
# and hands those tuples, like any other item, to deep_any(), which walks
# them with frames: the nesting depth stays bounded by memory, not by the C
# stack.

cdef PyObject* tuple_copy_nested(Session s, PyObject* t, bint in_paused_walk) except NULL:
    """The deep copy of the tuple t (a new reference), which is not in the
    memo, as tuple_advance() and tuple_finish() make it.

    in_paused_walk: called by a walk that keeps the GC paused (and resumes
    it when it ends): a pause made here is left to it.  Else a pause made
    here ends here - resumed, the GC would collect at the next allocation.

    The caller holds t, and a tuple cannot change: its items stay alive and
    in place, borrowed, whatever the code run for an item does (a hook, a
    signal handler, a finalizer when the GC runs)."""
    cdef Py_ssize_t i
    cdef PyObject* item
    cdef PyObject* y
    cdef PyObject* dst = NULL       # created at the first item that changes
    cdef PyObject* found
    cdef object copied
    cdef bint paused_here = False
    s.work += 1
    s.tuple_levels += 1
    try:
        for i in range(PyTuple_GET_SIZE(t)):
            item = PyTuple_GET_ITEM(t, i)
            s.steps += 1
            if s.steps >= SIGNAL_CHECK_STEPS:
                check_signals(s)
            if not s.gc_paused and pause_is_due(s):
                # As the walk does: a large copy pauses the GC (again, after
                # a hook lifted the pause; check_signals pauses it again
                # itself).
                paused_here = gc_pause(s) or paused_here
            if Py_TYPE(item) == T_TUPLE and may_recurse_into_tuple(s):
                found = memo_native_get(s, item)
                if found != NULL:
                    incref(found)
                    y = found
                else:
                    y = tuple_copy_nested(s, item, in_paused_walk or paused_here)
            else:
                copied = deep_any(s, <object>item)
                y = <PyObject*>copied
                incref(y)
                copied = None
            tuple_put(&dst, t, i, y)
        return tuple_done(s, t, dst, False)
    finally:
        s.tuple_levels -= 1
        if dst != NULL:
            release(s, dst)         # (tuple_done took a reference of its own)
        if paused_here and not in_paused_walk:
            gc_resume(s)


# -- set and frozenset: as set.__reduce__ does, the items are snapshot, copied,
# and a new set is built from them; recorded at the end ----------------------

cdef int set_open(Session s, Frame* f) except -1:
    cdef bint frozen = f.kind == K_FROZENSET
    f.memoized = True
    if s.memo_mode == MEMO_NATIVE and all_own_copies_set(f.src):
        # The same set as rebuilding it from its items, made by copying the
        # hash table (stored hashes: no item is hashed or compared, so no
        # Python code runs).
        f.dst = fc_copy_set_of_atomic(f.src, frozen, s.gc_paused)
        f.pos = -1                  # done
        return 0
    f.items = PySequence_List(f.src)
    if s.memo_mode == MEMO_NATIVE and all_own_copies_list(f.items):
        if s.gc_paused and not all_native_hash(f.items):
            python_may_run(s)       # rehashing may run a __hash__
        f.dst = PyFrozenSet_New(f.items) if frozen else PySet_New(f.items)
        f.pos = PyList_GET_SIZE(f.items)   # done
    else:
        f.dst = PyFrozenSet_New(NULL) if frozen else PySet_New(NULL)
    return 0


cdef int set_advance(Session s, Frame* f, PyObject** child) except -1:
    cdef PyObject* item
    cdef PyObject* y
    cdef Py_ssize_t n
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    if f.pos < 0:
        return ADVANCE_DONE         # copied whole by set_open
    if s.memo_mode == MEMO_MAPPING:
        return seq_next_general(s, f, f.items, child)
    n = PyList_GET_SIZE(f.items)
    while f.pos < n:
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        item = PyList_GET_ITEM(f.items, f.pos)
        f.pos += 1
        if not known_native(s, f, item, &y):
            return hand_out(f, item, child, True, False)
        if s.gc_paused and not native_hash(y):
            python_may_run(s)       # its __hash__ may be Python code
        # (Python code may run from here: f.items is the frame's own list,
        # which nothing else can reach, and y is held by it or the memo.)
        PySet_Add(f.dst, y)
    return ADVANCE_DONE


cdef int set_accept(Session s, Frame* f, PyObject* y) except -1:
    if s.gc_paused and not native_hash(y):
        python_may_run(s)           # its __hash__ may be Python code
    if FASTCOPY_DEBUG:
        assert native_hash(y) or not s.gc_paused
    cdef int status = set_add_status(f.dst, y)
    release(s, y)                   # the reference goes first, then its error
    return status if status == 0 else raise_current()


cdef PyObject* set_finish(Session s, Frame* f, bint last) except NULL:
    incref(f.dst)
    return finish_recorded_after(s, f.src, f.dst, last)


cdef bint all_own_copies_set(PyObject* st) except -1:
    """Are all items of the set (or frozenset) st their own copies?  Runs
    no Python code, so st cannot change while it is read."""
    cdef Py_ssize_t pos = 0
    cdef PyObject* item
    cdef PyObject* it
    cdef bint result = True
    cdef PyTypeObject* atomic_type = NULL
    if FC_SET_TABLE_WALK:
        # Its hash table read in place: no iterator allocated.
        while True:
            item = fc_set_next_key(st, &pos)
            if item == NULL:
                return True
            if not own_copy_in_scan(item, &atomic_type):
                return False
    it = PyObject_GetIter(st)
    while True:
        item = PyIter_Next(it)
        if item == NULL:
            break
        if not own_copy(item):
            result = False
            decref(item)
            break
        decref(item)
    decref(it)
    if PyErr_Occurred() != NULL:
        return raise_current()
    return result


cdef bint all_native_hash(PyObject* l) noexcept:
    cdef Py_ssize_t i
    for i in range(PyList_GET_SIZE(l)):
        if not native_hash(PyList_GET_ITEM(l, i)):
            return False
    return True
