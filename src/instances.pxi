# A native path for "plain" instances: objects whose class keeps every
# default of the copy protocol (no __deepcopy__, __reduce_ex__, __reduce__,
# __getstate__, __setstate__, __getnewargs(_ex)__, __getattr__, no copyreg
# entry), which covers most user classes and dataclasses.  For them the
# stdlib ends up doing:
#
#     y = cls.__new__(cls); memo[id(x)] = y
#     state = deepcopy(x.__dict__ or None, plus set slots)
#     y.__dict__.update(state); setattr(y, slot, value) ...
#
# and this file does the same without building the reduce tuple, calling
# copyreg.__newobj__ or going through Python-level attribute lookups.
# Mirrors nothing in fastcopy/_pure.py, which always takes the general path
# (the results are the same).

cdef object empty_tuple = ()

# Names that, found in an instance's own __dict__, take part in the
# protocol (getattr(x, name) sees them): such an instance is not plain.
cdef tuple PROTOCOL_NAMES = (
    "__deepcopy__", "__reduce_ex__", "__reduce__", "__getstate__",
    "__getnewargs_ex__", "__getnewargs__")


cdef inline bint has_protocol_name(PyObject* d) noexcept:
    """Might the instance dict d hold a key the copy protocol would see?
    Runs no code (a lookup could call a key's __eq__ while the GC is
    paused): a key that is not an exact str answers yes, and the instance
    takes the general path, which does the stdlib's lookups."""
    cdef Py_ssize_t pos = 0
    cdef PyObject* k
    cdef PyObject* v
    while PyDict_Next(d, &pos, &k, &v):
        if not PyUnicode_CheckExact(k):
            return True
        if (PyUnicode_GET_LENGTH(k) > 4 and PyUnicode_READ_CHAR(k, 0) == u'_'
                and PyUnicode_READ_CHAR(k, 1) == u'_'):
            for name in PROTOCOL_NAMES:
                if PyUnicode_Compare(k, <PyObject*>name) == 0:
                    return True
    return False


# -- the instance frame (walk.pxi): plain instances nest without C recursion --
#
# K_INSTANCE frame fields: src the instance, dst its copy, value the
# instance's __dict__ (until it is handed out), key the copy's own __dict__
# while the original's is copied straight into it, items the slot names, then
# [name, value, name, value, ...] of the slots that are set.

cdef enum InstancePhase:
    IP_DICT = 0         # hand out the instance's __dict__ (if not empty)
    IP_DICT_INTO = 1    # waiting for it, copied into the copy's own dict
    IP_DICT_SHARED = 2  # waiting for its copy, to update the copy's dict with
    IP_SLOTS = 3        # read the slots, then hand out their values
    IP_SLOT_VALUE = 4   # waiting for the copy of slot value pos


cdef inline TypeInfo* plain_verdict(Session s, PyObject* x) noexcept:
    """The verdict of x's type if x may take the instance frame: native
    memo, a plain class, and neither dispatch table holding an entry for it
    since they last changed; else NULL.  Runs no Python code."""
    cdef TypeInfo* info
    if s.memo_mode != MEMO_NATIVE:
        return NULL
    info = type_info_peek(Py_TYPE(x))
    if info == NULL or info.kind != KIND_PLAIN:
        return NULL
    if info.dispatch_epoch == 0 or info.dispatch_epoch != fc_dispatch_epoch():
        return NULL
    return info


cdef int instance_open(Session s, Frame* f, PyObject* x, TypeInfo* info) except -1:
    """Start copying the plain instance x into the zeroed frame f: 1, or 0
    with nothing done when it turns out to need the general path."""
    cdef PyTypeObject* tp = Py_TYPE(x)
    cdef PyObject* d = NULL
    cdef PyObject* y
    if not copyreg_newobj_intact():
        return 0                    # the stdlib would call the replacement
    if has_instance_dict(tp):
        # (May create the dict: an allocation, no Python code while the GC
        # is paused; the walk holds x.)
        d = PyObject_GenericGetDict(x, NULL)
        if has_protocol_name(d):
            decref(d)
            return 0
    y = fc_object_new_or_null(tp, <PyObject*>empty_tuple)
    if y == NULL:
        xdecref(d)
        return raise_current()
    s.work += 1
    f.kind = K_INSTANCE
    incref(x)
    f.src = x
    f.dst = y
    f.value = d
    f.memoized = True
    if info.slotnames != NULL and PyTuple_GET_SIZE(info.slotnames) != 0:
        # Held by the frame: a hook may replace the verdict meanwhile.
        incref(info.slotnames)
        f.items = info.slotnames
    f.phase = IP_DICT
    # (Native memo only, see plain_verdict.  The walk found no entry for x,
    # and no Python code has run since.)
    memo_native_add(s, x, y)
    f.memo_at = <uint32_t>(s.table.used - 1)
    return 1


cdef int instance_advance(Session s, Frame* f, PyObject** child) except -1:
    cdef PyObject* d
    cdef PyObject* value
    cdef PyObject* y
    if f.phase == IP_DICT:
        # (The frame keeps its reference to the dict in f.value until it is
        # handed out or used up, so that an error on the way releases it.)
        d = f.value
        if d != NULL and PyDict_GET_SIZE(d) != 0:
            if Py_REFCNT(d) <= 2 and s.memo_mode == MEMO_NATIVE:
                # Only x (and this frame) hold its dict, so no other path in
                # the graph leads to it: it is copied straight into y's own
                # dict, which then stands for it in the memo.
                f.key = PyObject_GenericGetDict(f.dst, NULL)
                if want_prescan(s, PyDict_GET_SIZE(d)) and prescan(s, d):
                    # Attributes that are all their own copies (the leaves
                    # of a graph): no frame of their own.
                    fc_update_dict_of_atomic(f.key, d, s.gc_paused)
                    memo_native_add_finished(s, d, f.key)
                    f.value = NULL
                    release(s, d)
                    s.work += 1
                    release(s, f.key)
                    f.key = NULL
                    f.phase = IP_SLOTS
                    return instance_advance(s, f, child)
                f.phase = IP_DICT_INTO
                # Not in the memo (which would hold a reference), and just
                # considered for a bulk copy: the walk skips both.
                f.child_checked = True
                f.child_scanned = True
            else:
                f.phase = IP_DICT_SHARED
                f.child_checked = False
                f.child_scanned = False
            # The frame's reference to the dict moves to the walk.
            f.value = NULL
            child[0] = d
            return ADVANCE_CHILD
        f.value = NULL
        xrelease(s, d)
        f.phase = IP_SLOTS
    if f.phase == IP_SLOTS:
        if f.items == NULL:
            return ADVANCE_DONE
        read_slots(s, f)
        f.pos = 0
        f.phase = IP_SLOT_VALUE
    # IP_SLOT_VALUE: values whose copy is known are stored here, the first
    # that must be copied goes to the walk.  (f.items is the frame's own
    # list: nothing else can change it.)
    while 2 * f.pos < PyList_GET_SIZE(f.items):
        value = PyList_GET_ITEM(f.items, 2 * f.pos + 1)
        f.pos += 1
        if known_or_bulk(s, f, value, &y) == MUST_COPY:
            return hand_out(f, value, child, True, f.child_scanned)
        incref(y)
        store_slot_copy(s, f, y)
    set_slots(s, f)
    return ADVANCE_DONE


cdef inline PyObject* instance_into(Frame* f) noexcept:
    """For the walk opening the frame of the child f handed out: the dict
    to fill instead of a new one (borrowed), or NULL."""
    if f.kind == K_INSTANCE and f.phase == IP_DICT_INTO:
        return f.key
    return NULL


cdef int instance_accept(Session s, Frame* f, PyObject* y) except -1:
    """Take the copy y (stolen) of the child last handed out."""
    cdef object y_dict
    if f.phase == IP_DICT_INTO:
        # y is the copy's own dict, filled in place (had the dict been found
        # in the memo instead, its copy is merged in).
        f.phase = IP_SLOTS
        try:
            if y != f.key:
                PyDict_Update(f.key, y)
        finally:
            release(s, y)
            release(s, f.key)
            f.key = NULL
        return 0
    if f.phase == IP_DICT_SHARED:
        f.phase = IP_SLOTS
        try:
            y_dict = steal(PyObject_GenericGetDict(f.dst, NULL))
            PyDict_Update(<PyObject*>y_dict, y)
        finally:
            release(s, y)
        return 0
    # IP_SLOT_VALUE
    return store_slot_copy(s, f, y)


cdef inline int store_slot_copy(Session s, Frame* f, PyObject* y) except -1:
    """The copy y (stolen) replaces slot value pos-1 in the frame's list."""
    cdef PyObject* old = PyList_GET_ITEM(f.items, 2 * f.pos - 1)
    PyList_SET_ITEM(f.items, 2 * f.pos - 1, y)
    release(s, old)
    return 0


cdef int read_slots(Session s, Frame* f) except -1:
    """Replace the frame's slot names with [name, value, ...] for the slots
    that are set, in slot-name order (what the default __getstate__ reads)."""
    cdef PyObject* names = f.items
    cdef list pairs = []
    cdef PyObject* value
    python_may_run(s)       # a class attribute may shadow a slot: getattr can run code
    for name in <tuple>names:
        value = PyObject_GetAttr(f.src, <PyObject*>name)
        if value == NULL:
            if not PyErr_ExceptionMatches(PyExc_AttributeError):
                return -1
            PyErr_Clear()
            continue
        owned = steal(value)        # owned first: append may fail
        pairs.append(name)
        pairs.append(owned)
    incref(<PyObject*>pairs)
    f.items = <PyObject*>pairs
    release(s, names)
    return 0


cdef int set_slots(Session s, Frame* f) except -1:
    """setattr(y, name, copy) for each slot read, in the same order."""
    cdef Py_ssize_t i
    python_may_run(s)
    for i in range(0, PyList_GET_SIZE(f.items), 2):
        PyObject_SetAttr(f.dst, PyList_GET_ITEM(f.items, i), PyList_GET_ITEM(f.items, i + 1))
    return 0


cdef PyObject* instance_finish(Session s, Frame* f) except NULL:
    if s.memo_mode == MEMO_MAPPING:
        # A hook turned the memo into a dict meanwhile: finish as the
        # stdlib's deepcopy() does.
        memo_record_again(s, f.src, f.dst)
        memo_keep_alive(s, f.src)
    else:
        native_keep_alive_at(s, f.src, f.memo_at)
    incref(f.dst)
    return f.dst


cdef object deep_plain(Session s, object x, TypeInfo* info):
    """Copy a plain instance x (native memo) with the walk, or return
    NotImplemented if it turns out to need the general path (before
    anything is done)."""
    cdef PyObject* y = walk(s, <PyObject*>x, K_INSTANCE, False)
    return steal(y)
