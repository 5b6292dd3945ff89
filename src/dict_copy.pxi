# Frames for dict and (3.15+) frozendict (see walk.pxi for the frame
# protocol).  Mirrors _DictFrame and _FrozenDictFrame in fastcopy/_pure.py.
#
# An item is copied as `y[deepcopy(key)] = deepcopy(value)` evaluates it: the
# value first, then the key.  A frozendict is copied into a new dict the same
# way and frozen at the end, as the stdlib's _deepcopy_frozendict does.


cdef enum DictPhase:
    # Where a dict frame is in copying one item.
    PH_NEXT = 0         # fetch the next item
    PH_VALUE = 1        # waiting for the value's copy; the key is copied next
                        # (or, with a mapping memo, stored as it is if its
                        # copy is itself: key_copy_is_itself)
    PH_VALUE_KEY_OWN = 2    # waiting for the value's copy; the key is its own
                            # copy and is stored as it is
    PH_KEY_NEXT = 3     # the value is copied; hand out the key next
    PH_KEY = 4          # waiting for the key's copy


# -- dict: recorded before its items, as the stdlib's _deepcopy_dict ---------

cdef int dict_open(Session s, Frame* f, PyObject* into, bint scanned) except -1:
    """into: an existing empty dict to fill instead of a new one.
    scanned: src was already considered for a bulk copy (and declined)."""
    cdef PyObject* src = f.src
    if s.memo_mode == MEMO_NATIVE and not scanned and PyDict_GET_SIZE(src) >= 2 and \
            want_prescan(s, PyDict_GET_SIZE(src)) and prescan(s, src):
        # Nothing to copy inside: the same result as inserting every item,
        # made by copying the table.
        if into == NULL:
            f.dst = fc_copy_dict_of_atomic(src, s.gc_paused)
        else:
            incref(into)
            f.dst = into
            fc_update_dict_of_atomic(into, src, s.gc_paused)
        f.pos = -1                  # done
        return 0
    if into == NULL:
        f.dst = fc_dict_with_capacity(PyDict_GET_SIZE(src))
    else:
        incref(into)
        f.dst = into
    if s.memo_mode == MEMO_MAPPING:
        note_copy(s, f)
    # Sized after the memo entry, as the stdlib starts iterating after it
    # (this matters when the memo dict is itself being copied).
    f.size = PyDict_GET_SIZE(src)
    f.left = f.size
    return 0


cdef int dict_advance(Session s, Frame* f, PyObject** child) except -1:
    """Also for frozendict frames."""
    cdef PyObject* k
    cdef PyObject* v
    cdef PyObject* y
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    cdef int found
    if f.pos < 0:
        return ADVANCE_DONE         # copied whole by dict_open
    if s.memo_mode == MEMO_MAPPING or f.phase != PH_NEXT:
        return dict_next_general(s, f, child)
    while True:
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        if not dict_fetch(f, &k, &v):
            return ADVANCE_DONE
        note_copy(s, f)
        if not own_copy(k):
            # The key goes to the walk after the value.
            return dict_hand_out_value(f, k, v, child, PH_VALUE, False, False)
        found = known_or_bulk(s, f, v, &y)
        if found == MUST_COPY:
            return dict_hand_out_value(f, k, v, child, PH_VALUE_KEY_OWN, True,
                                       f.child_scanned)
        if native_hash(k):
            # Hashing and comparing k run no code, and f.dst (new) has no
            # equal key whose old value an insertion would release.
            PyDict_SetItem(f.dst, k, y)
        else:
            # Held across the insertion: hashing k can run code (a weakref
            # hashes its referent) that could drop them.  (dict_fetch
            # re-checks the source afterwards.)
            incref(k)
            incref(y)
            dict_store_stealing(s, f.dst, k, y)
        if found == BULK_COPIED and signals_due(s):
            return ADVANCE_YIELD


cdef int dict_next_general(Session s, Frame* f, PyObject** child) except -1:
    """With a mapping memo, and for the key of an item on the general path:
    the next item to go to the walk, its value, then its key.  (With a
    mapping memo, items whose key and value are atomic objects the memo has
    no entry for are stored here; dict_accept() stores such a key with its
    value's copy.)"""
    cdef PyObject* k
    cdef PyObject* v
    cdef Py_ssize_t left = ITEMS_PER_SLICE
    cdef Py_ssize_t size
    cdef fc_address_probe memo_probe
    if f.pos < 0:
        return ADVANCE_DONE         # copied whole by dict_open
    if f.phase == PH_KEY_NEXT:
        # The frame's reference to the key moves to the walk.
        child[0] = f.key
        f.key = NULL
        f.phase = PH_KEY
        f.child_checked = False
        f.child_scanned = False
        return ADVANCE_CHILD
    memo_probe_init(s, &memo_probe)
    while True:
        if left == 0:
            return ADVANCE_YIELD    # signals: see session.pxi
        left -= 1
        if not dict_fetch(f, &k, &v):
            return ADVANCE_DONE
        # (The value first, as `y[deepcopy(key)] = deepcopy(value)` evaluates;
        # the probes only read the memo.)
        if not (s.memo_mode == MEMO_MAPPING and known_atom_mapped(s, &memo_probe, v)
                and known_atom_mapped(s, &memo_probe, k)):
            return dict_hand_out_value(f, k, v, child, PH_VALUE, False, False)
        # Both are their own copies and k's hash is native.
        size = PyDict_GET_SIZE(f.dst)
        PyDict_SetItem(f.dst, k, v)
        if PyDict_GET_SIZE(f.dst) == size:
            # An equal key - the copy of another key - was there: its value,
            # released, may have run code.  Nothing borrowed is used after
            # it; the next fetch re-checks the source, the probe is renewed.
            memo_probe_init(s, &memo_probe)


cdef inline int dict_fetch(Frame* f, PyObject** k, PyObject** v) except -1:
    """The next item of a dict frame's source as borrowed references: 1, or
    0 at the end.  With the checks of dict iteration, so a hook that resizes
    the dict gets the stdlib's RuntimeError."""
    if PyDict_GET_SIZE(f.src) != f.size:
        return dict_changed(f, True)
    if not fc_dict_next(f.src, &f.pos, k, v):
        return 0
    if f.left == 0:
        return dict_changed(f, False)
    f.left -= 1
    return 1


cdef int dict_changed(Frame* f, bint size) except -1:
    # (Out of line: keeps dict_fetch small enough to be inlined.)
    if size:
        f.size = -1                 # like the stdlib iterator: stays broken
        raise RuntimeError("dictionary changed size during iteration")
    raise RuntimeError("dictionary keys changed during iteration")


cdef inline int dict_hand_out_value(Frame* f, PyObject* k, PyObject* v, PyObject** child,
                                    int phase, bint checked, bint scanned) noexcept:
    """Hand out an item's value; the frame holds its key meanwhile (a hook
    may remove the item from the dict)."""
    incref(k)
    f.key = k
    f.phase = phase
    return hand_out(f, v, child, checked, scanned)


cdef int dict_accept(Session s, Frame* f, PyObject* y) except -1:
    cdef PyObject* value
    cdef PyObject* key
    if f.phase == PH_VALUE or (f.phase == PH_VALUE_KEY_OWN and s.memo_mode == MEMO_MAPPING):
        # (A hook that ran while the value was copied may have turned the
        # memo into a dict: then the key is looked up in it, as the stdlib
        # does for every key.)
        if s.memo_mode == MEMO_MAPPING and key_copy_is_itself(s, f.key):
            # The key's copy is the key: stored now, without a turn of the
            # walk (the stdlib's deepcopy(key, memo) would return it and
            # record nothing).
            key = f.key
            f.key = NULL
            f.phase = PH_NEXT
            return dict_store_stealing(s, f.dst, key, y)
        f.value = y
        f.phase = PH_KEY_NEXT
        return 0
    if FASTCOPY_DEBUG:
        # The frame has held the item's key (or value) while the other was
        # copied, which may have run hooks that removed the item.
        assert (f.key != NULL and Py_REFCNT(f.key) >= 1) if f.phase == PH_VALUE_KEY_OWN \
            else (f.value != NULL and Py_REFCNT(f.value) >= 1)
    if f.phase == PH_VALUE_KEY_OWN:
        # y is the value; the key (its own copy) is stored as it is.
        key = f.key
        f.key = NULL
        f.phase = PH_NEXT
        return dict_store_stealing(s, f.dst, key, y)
    value = f.value
    f.value = NULL
    f.phase = PH_NEXT
    return dict_store_stealing(s, f.dst, y, value)


cdef inline bint key_copy_is_itself(Session s, PyObject* key) noexcept:
    """With a mapping memo, once the value is copied: is key's copy itself
    (known_atom_mapped)?  On 3.10-3.13, a hot atom that a dict memo has no
    entry for - probed now, since copying the value may have run hooks that
    added entries (a memo that is not a dict is asked by the walk); on
    3.14+, any hot atom (atoms come before the memo).  Runs no Python
    code."""
    cdef fc_address_probe memo_probe
    memo_probe_init(s, &memo_probe)
    return known_atom_mapped(s, &memo_probe, key)


cdef inline int dict_store_stealing(Session s, PyObject* d, PyObject* key,
                                    PyObject* value) except -1:
    """d[key] = value, taking over the references to key and value (released
    after the insertion, also when it fails)."""
    if s.gc_paused and not native_hash(key):
        python_may_run(s)           # its __hash__ may be Python code
    if FASTCOPY_DEBUG:
        assert native_hash(key) or not s.gc_paused
    cdef int status = dict_set_status(d, key, value)
    release(s, key)
    release(s, value)
    return status if status == 0 else raise_current()


# -- a dict of atomic values is copied whole ---------------------------------

cdef bint all_own_copies_dict(PyObject* d) except -1:
    cdef fc_dict_cursor items
    cdef PyObject* k
    cdef PyObject* v
    cdef PyTypeObject* atomic_key_type = NULL
    cdef PyTypeObject* atomic_value_type = NULL
    # The quick scan reads the entries in place; it settles most dicts.
    cdef int quick = fc_dict_scan_atomic(d)
    if quick >= 0:
        return quick
    fc_dict_cursor_init(&items, d)
    while fc_dict_cursor_next(&items, &k, &v):
        if not (own_copy_in_scan(k, &atomic_key_type)
                and own_copy_in_scan(v, &atomic_value_type)):
            return False
    return True


# -- frozendict: recorded after its items; always a new one -------------------

cdef int frozendict_open(Session s, Frame* f) except -1:
    f.memoized = True               # nothing to record before the items
    f.dst = fc_dict_with_capacity(PyDict_GET_SIZE(f.src))
    f.size = PyDict_GET_SIZE(f.src)
    f.left = f.size
    return 0


cdef PyObject* frozendict_finish(Session s, Frame* f, bint last) except NULL:
    # A cycle through it may already have produced its copy: use that one.
    cdef PyObject* y = memo_subscript(s, f.src)
    if y == NULL:
        y = fc_frozendict_new(f.dst)
    return finish_recorded_after(s, f.src, y, last)
