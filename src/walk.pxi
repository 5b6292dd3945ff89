# The container walk: exact list, dict, tuple, set, frozenset and (3.15+)
# frozendict are copied
# with an explicit stack of frames instead of C recursion, so nesting depth is
# bounded by memory, not by the C stack.  Mirrors the frame classes of
# fastcopy/_pure.py.
#
# frame_advance() copies the items that need no Python code - atomic
# objects, and (with the native memo) objects already in the memo - in a
# tight loop, and stops at the first item that needs the general path: a
# nested container (pushed as a new frame), or anything else (deep_other).
# Since no Python code runs inside that loop, the containers cannot change
# under it (a list or dict of atomic values copied whole from the loop is
# allocated with the cyclic GC held off, so no finalizer runs either).
#
# Every PyObject* field of a frame is a strong reference or NULL;
# frame_clear() releases them, so a frame can be abandoned at any point when
# an exception unwinds the walk.

from libc.stdlib cimport malloc, realloc
from libc.string cimport memcpy, memset


cdef enum Kind:
    K_NONE = -1
    K_LIST = 0
    K_DICT = 1
    K_TUPLE = 2
    K_SET = 3
    K_FROZENSET = 4
    K_FROZENDICT = 5    # walked as a dict into a new dict, frozen at the end


cdef struct Frame:
    int kind
    bint memoized       # list/dict: the copy is in the memo (see note_copy);
                        # frozendict: always set, its copy is only recorded
                        # after its items, as a tuple's
    PyObject* src       # the original container
    PyObject* dst       # its copy being filled; for a tuple NULL until an item differs
    PyObject* items     # set/frozenset: snapshot list of the original items
    PyObject* key       # dict: original key whose value is being copied
    PyObject* value     # dict: copied value waiting for its key's copy
    Py_ssize_t pos
    Py_ssize_t size     # dict: size when the copy began
    Py_ssize_t left     # dict: items not yet yielded
    int phase           # dict: see DictPhase
    bint child_checked  # the child last handed out is known to be neither
                        # its own copy nor in the (native) memo
    bint child_scanned  # ... and bulk_copy() has declined it


cdef enum DictPhase:
    # Where a dict frame is in copying one item.  The value is copied first,
    # then the key, as in `y[deepcopy(key)] = deepcopy(value)`.
    PH_NEXT = 0         # fetch the next item
    PH_VALUE = 1        # waiting for the value's copy; the key is copied next
    PH_VALUE_KEY_OWN = 2    # waiting for the value's copy; the key is its own
                            # copy and is stored as it is
    PH_KEY_NEXT = 3     # the value is copied; hand out the key next
    PH_KEY = 4          # waiting for the key's copy


cdef enum:
    INLINE_FRAMES = 8     # on the C stack; deeper nesting moves to the heap


cdef inline int container_kind(PyTypeObject* tp) except -2:
    if tp == T_LIST:
        return K_LIST
    if tp == T_DICT:
        return K_DICT
    if tp == T_TUPLE:
        return K_TUPLE
    if tp == T_FROZENDICT:
        return K_FROZENDICT     # never equal while T_FROZENDICT is NULL
    # The stdlib copies sets through __reduce_ex__, which a copyreg entry
    # overrides; only the unregistered exact types take the native path.
    if tp == T_SET:
        return K_NONE if in_dispatch_table(tp) else K_SET
    if tp == T_FROZENSET:
        return K_NONE if in_dispatch_table(tp) else K_FROZENSET
    return K_NONE


cdef inline void frame_zero(Frame* f) noexcept:
    f.memoized = False
    f.src = NULL
    f.dst = NULL
    f.items = NULL
    f.key = NULL
    f.value = NULL
    f.pos = 0
    f.phase = PH_NEXT
    f.child_checked = False
    f.child_scanned = False


cdef inline void frame_clear(Frame* f) noexcept:
    xdecref(f.src)
    xdecref(f.dst)
    xdecref(f.items)
    xdecref(f.key)
    xdecref(f.value)
    frame_zero(f)


cdef inline int note_copy(Session s, Frame* f) except -1:
    """Record a list/dict copy in the memo before anything can look for it.

    With the native memo this is done lazily: only once an item is met that
    is not atomic (it may refer back to the container).  A container of
    atomic values is recorded when it is finished.  No Python code runs in
    between, so nobody can tell the difference.
    """
    # (The check is split from the recording so that it is inlined into the
    # item loops, which call this for every item.)
    if not f.memoized:
        note_copy_now(s, f)
    return 0


cdef int note_copy_now(Session s, Frame* f) except -1:
    f.memoized = True
    if s.memo is None:
        # New: it was not in the memo when its frame was opened.
        table_add_new(&s.table, f.src, f.dst)
    else:
        memoize(s, f.src, f.dst)
    return 0


cdef bint all_own_copies_dict(PyObject* d) except -1:
    cdef Py_ssize_t pos = 0
    cdef PyObject* k
    cdef PyObject* v
    # The quick scan reads the entries in place; it settles most dicts.
    cdef int quick = fc_dict_scan_atomic(d)
    if quick >= 0:
        return quick
    while PyDict_Next(d, &pos, &k, &v):
        if not own_copy(k) or not own_copy(v):
            return False
    return True


cdef enum:
    # Lists and dicts this large are always scanned for a bulk copy; smaller
    # ones are (mostly) not after this many failed scans in a row.
    PRESCAN_ALWAYS_SIZE = 16
    PRESCAN_MISSES = 4


cdef inline bint want_prescan(Session s, Py_ssize_t size) noexcept:
    """Is it worth scanning a list or dict of this size for a bulk copy?
    The scan pays off for containers of atomic values and is wasted on the
    others; a copy whose small containers keep failing it stops scanning
    them but for one in 16 (so a change of pattern is noticed)."""
    if size >= PRESCAN_ALWAYS_SIZE or s.prescan_misses < PRESCAN_MISSES:
        return True
    s.prescan_misses += 1
    return (s.prescan_misses & 15) == 0


cdef inline bint prescan_dict(Session s, PyObject* d) except -1:
    """all_own_copies_dict(d), keeping count of misses in a row."""
    if all_own_copies_dict(d):
        s.prescan_misses = 0
        return True
    s.prescan_misses += 1
    return False


cdef inline bint prescan_list(Session s, PyObject* l) except -1:
    """all_own_copies_list(l), keeping count of misses in a row."""
    if all_own_copies_list(l):
        s.prescan_misses = 0
        return True
    s.prescan_misses += 1
    return False


cdef bint all_own_copies_set(PyObject* st) except -1:
    """Are all items of the set (or frozenset) st their own copies?  Runs
    no Python code, so st cannot change while it is iterated."""
    cdef PyObject* it = PyObject_GetIter(st)
    cdef PyObject* item
    cdef bint result = True
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


cdef inline bint bulk_candidate(PyObject* x) noexcept:
    return Py_TYPE(x) == T_LIST or Py_TYPE(x) == T_DICT


cdef inline bint bulk_worth_trying(Session s, PyObject* x) noexcept:
    """For a bulk_candidate x: is it worth scanning for a bulk copy?"""
    cdef Py_ssize_t n
    if Py_TYPE(x) == T_LIST:
        n = PyList_GET_SIZE(x)
        return n == 0 or want_prescan(s, n)
    n = PyDict_GET_SIZE(x)
    return n == 0 or (n >= 2 and want_prescan(s, n))


cdef int bulk_copy(Session s, PyObject* x, PyObject** out) except -1:
    """With the native memo, for a bulk_candidate x (not in the memo) whose
    items are all their own copies: copy it whole, memoize it, set *out to
    the copy (borrowed: the memo owns it, so to callers it is a memo hit)
    and return 1; else return 0.  Such lists and dicts are copied without a
    frame of their own (JSON-like data is full of them)."""
    cdef PyObject* y
    # (The copies are made with the GC held off: see fastcopy_helpers.h.  A
    # caller's tight loop relies on it: no Python code runs in here.)
    if Py_TYPE(x) == T_LIST:
        if PyList_GET_SIZE(x) != 0 and not prescan_list(s, x):
            return 0
        y = fc_copy_list_of_atomic(x)
    else:
        if PyDict_GET_SIZE(x) != 0 and not prescan_dict(s, x):
            return 0
        y = fc_copy_dict_of_atomic(x)
    s.work += 1
    try:
        table_add_new(&s.table, x, y)
    finally:
        decref(y)                   # the table holds it from here on
    out[0] = y
    return 1


cdef bint all_native_hash(PyObject* l) noexcept:
    cdef Py_ssize_t i
    for i in range(PyList_GET_SIZE(l)):
        if not native_hash(PyList_GET_ITEM(l, i)):
            return False
    return True


cdef bint all_own_copies_list(PyObject* l) except -1:
    cdef Py_ssize_t i
    for i in range(PyList_GET_SIZE(l)):
        if not own_copy(PyList_GET_ITEM(l, i)):
            return False
    return True


cdef int frame_open(Session s, Frame* f, PyObject* src, int kind,
                    PyObject* into=NULL, bint scanned=False) except -1:
    """Start copying src into f (which must be zeroed).

    into: for a dict, an existing empty dict to fill instead of a new one.
    scanned: src was already considered for a bulk copy (and declined).
    """
    cdef bint native = s.memo is None
    s.work += 1
    f.kind = kind
    incref(src)
    f.src = src
    if kind == K_LIST:
        f.dst = fc_list_with_capacity(PyList_GET_SIZE(src))
        if not native:
            note_copy(s, f)         # a mapping memo is filled as the stdlib does
    elif kind == K_DICT:
        if native and not scanned and PyDict_GET_SIZE(src) >= 2 and \
                want_prescan(s, PyDict_GET_SIZE(src)) and \
                prescan_dict(s, src):
            # Nothing to copy inside: the same result as inserting every
            # item, made by copying the table.
            if into == NULL:
                f.dst = fc_copy_dict_of_atomic(src)
            else:
                incref(into)
                f.dst = into
                fc_update_dict_of_atomic(into, src)
            f.pos = -1              # done
            return 0
        if into == NULL:
            f.dst = fc_dict_with_capacity(PyDict_GET_SIZE(src))
        else:
            incref(into)
            f.dst = into
        if not native:
            note_copy(s, f)
        # Sized after the memo entry, as the stdlib starts iterating after
        # it (this matters when the memo dict is itself being copied).
        f.size = PyDict_GET_SIZE(src)
        f.left = f.size
    elif kind == K_FROZENDICT:
        # Copied into a dict as the stdlib's _deepcopy_frozendict does;
        # frame_finish freezes it.  Not memoized before its items.
        f.memoized = True
        f.dst = fc_dict_with_capacity(PyDict_GET_SIZE(src))
        f.size = PyDict_GET_SIZE(src)
        f.left = f.size
    elif kind == K_SET or kind == K_FROZENSET:
        if native and all_own_copies_set(src):
            # The same set as rebuilding it from its items, made by copying
            # the hash table (stored hashes: no item is hashed or compared,
            # so no Python code runs).
            f.dst = fc_copy_set_of_atomic(src, kind == K_FROZENSET)
            f.pos = -1              # done
            return 0
        # As set.__reduce__ does: snapshot now, build the copy from the
        # copied items, memoize at the end.
        f.items = PySequence_List(src)
        if native and all_own_copies_list(f.items):
            if s.gc_paused and not all_native_hash(f.items):
                gc_resume(s)
            f.dst = PySet_New(f.items) if kind == K_SET else PyFrozenSet_New(f.items)
            f.pos = PyList_GET_SIZE(f.items)   # done
        else:
            f.dst = PySet_New(NULL) if kind == K_SET else PyFrozenSet_New(NULL)
    # K_TUPLE: dst stays NULL while every copied item is the original.
    return 0


cdef inline int tuple_store(Frame* f, PyObject* y) except -1:
    """Store y (stolen) as the copy of item pos-1 of a tuple frame."""
    cdef PyObject* original
    cdef Py_ssize_t i
    if f.dst == NULL:
        original = PyTuple_GET_ITEM(f.src, f.pos - 1)
        if y == original:
            decref(y)
            return 0
        # First changed item: from here on the tuple needs a copy.
        try:
            f.dst = PyTuple_New(PyTuple_GET_SIZE(f.src))
        except BaseException:
            decref(y)
            raise
        for i in range(f.pos - 1):
            original = PyTuple_GET_ITEM(f.src, i)
            incref(original)
            PyTuple_SET_ITEM(f.dst, i, original)
    PyTuple_SET_ITEM(f.dst, f.pos - 1, y)
    return 0


cdef inline int dict_fetch(Frame* f, PyObject** k, PyObject** v) except -1:
    """The next item of a dict frame's source as borrowed references: 1, or
    0 at the end.  With the checks of dict iteration, so a hook that resizes
    the dict gets the stdlib's RuntimeError."""
    if PyDict_GET_SIZE(f.src) != f.size:
        f.size = -1                 # like the stdlib iterator: stays broken
        raise RuntimeError("dictionary changed size during iteration")
    if not PyDict_Next(f.src, &f.pos, k, v):
        return 0
    if f.left == 0:
        raise RuntimeError("dictionary keys changed during iteration")
    f.left -= 1
    return 1


cdef inline int dict_yield_value(Frame* f, PyObject* k, PyObject* v, PyObject** child,
                                 int phase) noexcept:
    """Start the general path for a dict item: the value is handed out,
    the key waits in the frame (phase PH_VALUE or PH_VALUE_KEY_OWN)."""
    incref(k)
    incref(v)
    f.key = k
    child[0] = v
    f.phase = phase
    return 1


cdef int frame_advance(Session s, Frame* f, PyObject** child) except -1:
    """Copy items until one needs the general path: set *child to a new
    reference to it and return 1; return 0 when the container is done."""
    if s.memo is not None:
        # A mapping memo is consulted for every item, first (stdlib order).
        return frame_next_general(f, child)
    cdef PyObject* item
    cdef PyObject* k
    cdef PyObject* v
    cdef PyObject* hit
    cdef Py_ssize_t n
    if f.kind == K_LIST:
        n = PyList_GET_SIZE(f.src)
        while f.pos < n:
            item = PyList_GET_ITEM(f.src, f.pos)
            if not own_copy(item):
                note_copy(s, f)
                hit = table_get(&s.table, item)
                if hit == NULL:
                    f.child_scanned = bulk_candidate(item)
                    if not (f.child_scanned and bulk_worth_trying(s, item)
                            and bulk_copy(s, item, &hit)):
                        incref(item)
                        f.pos += 1
                        child[0] = item
                        f.child_checked = True
                        return 1
                item = hit
            f.pos += 1
            incref(item)
            fc_list_append_steal(f.dst, item)
        return 0
    if f.kind == K_TUPLE:
        n = PyTuple_GET_SIZE(f.src)
        while f.pos < n:
            item = PyTuple_GET_ITEM(f.src, f.pos)
            if not own_copy(item):
                hit = table_get(&s.table, item)
                if hit == NULL:
                    incref(item)
                    f.pos += 1
                    child[0] = item
                    f.child_checked = True
                    f.child_scanned = False
                    return 1
                item = hit
            f.pos += 1
            incref(item)
            tuple_store(f, item)
        return 0
    if f.kind == K_DICT or f.kind == K_FROZENDICT:
        if f.pos < 0:
            return 0                # copied whole by frame_open
        if f.phase != PH_NEXT:
            return frame_next_general(f, child)
        while dict_fetch(f, &k, &v):
            note_copy(s, f)
            if not own_copy(k):
                f.child_checked = False
                f.child_scanned = False
                return dict_yield_value(f, k, v, child, PH_VALUE)
            if not own_copy(v):
                hit = table_get(&s.table, v)
                if hit == NULL:
                    f.child_scanned = bulk_candidate(v)
                    if not (f.child_scanned and bulk_worth_trying(s, v)
                            and bulk_copy(s, v, &hit)):
                        f.child_checked = True
                        return dict_yield_value(f, k, v, child, PH_VALUE_KEY_OWN)
                v = hit
            if native_hash(k):
                # Hashing and comparing k run no code, and f.dst (new) has
                # no equal key whose old value an insertion would release.
                PyDict_SetItem(f.dst, k, v)
                continue
            # Held across the insertion: hashing k can run code (a weakref
            # hashes its referent) that could drop them.
            incref(k)
            incref(v)
            dict_store_stealing(s, f.dst, k, v)
        return 0
    # K_SET, K_FROZENSET
    if f.pos < 0:
        return 0                    # copied whole by frame_open
    n = PyList_GET_SIZE(f.items)
    while f.pos < n:
        item = PyList_GET_ITEM(f.items, f.pos)
        if not own_copy(item):
            hit = table_get(&s.table, item)
            if hit == NULL:
                incref(item)
                f.pos += 1
                child[0] = item
                f.child_checked = True
                f.child_scanned = False
                return 1
            item = hit
        f.pos += 1
        if s.gc_paused and not native_hash(item):
            gc_resume(s)
        PySet_Add(f.dst, item)
    return 0


cdef int frame_next_general(Frame* f, PyObject** child) except -1:
    """The next item, whatever it is (for a mapping memo, and for the key of
    a dict item on the general path)."""
    cdef PyObject* k
    cdef PyObject* v
    cdef PyObject* seq
    f.child_checked = False
    f.child_scanned = False
    if f.kind != K_DICT and f.kind != K_FROZENDICT:
        # Index-based like list iteration: items appended by a hook are
        # copied too, a list cleared by a hook ends the loop.  Sets walk
        # their snapshot list.
        seq = f.items if f.kind == K_SET or f.kind == K_FROZENSET else f.src
        if f.pos < 0:
            return 0                # copied whole by frame_open
        if f.pos < PySequence_Fast_GET_SIZE(seq):
            child[0] = PySequence_Fast_GET_ITEM(seq, f.pos)
            incref(child[0])
            f.pos += 1
            return 1
        return 0
    if f.pos < 0:
        return 0                    # copied whole by frame_open
    if f.phase == PH_KEY_NEXT:
        child[0] = f.key            # the frame's reference moves to the caller
        f.key = NULL
        f.phase = PH_KEY
        return 1
    if not dict_fetch(f, &k, &v):
        return 0
    return dict_yield_value(f, k, v, child, PH_VALUE)


cdef inline int dict_store_stealing(Session s, PyObject* d, PyObject* key,
                                    PyObject* value) except -1:
    """d[key] = value, taking over the references to key and value (released
    after the insertion, also when it fails)."""
    if s.gc_paused and not native_hash(key):
        gc_resume(s)                # its __hash__ may be Python code
    cdef int status = dict_set_status(d, key, value)
    decref(key)
    decref(value)
    return status if status == 0 else raise_current()


cdef int frame_accept(Session s, Frame* f, PyObject* y) except -1:
    """Take the copy y (a reference that is stolen, also on error) of the
    child frame_advance last returned."""
    cdef PyObject* value
    cdef PyObject* key
    cdef int status     # of an insertion; the reference goes first, then its error
    if f.kind == K_LIST:
        return fc_list_append_steal(f.dst, y)
    if f.kind == K_TUPLE:
        return tuple_store(f, y)
    if f.kind == K_SET or f.kind == K_FROZENSET:
        if s.gc_paused and not native_hash(y):
            gc_resume(s)            # its __hash__ may be Python code
        status = set_add_status(f.dst, y)
        decref(y)
        return status if status == 0 else raise_current()
    # K_DICT, K_FROZENDICT
    if f.phase == PH_VALUE or (f.phase == PH_VALUE_KEY_OWN and s.memo is not None):
        # (A hook that ran while the value was copied may have turned the
        # memo into a dict: then the key is looked up in it, as the stdlib
        # does for every key.)
        f.value = y
        f.phase = PH_KEY_NEXT
        return 0
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


cdef PyObject* frame_finish(Session s, Frame* f, bint last) except NULL:
    """The finished copy (a new reference), recorded in the memo.

    last: this is the root of a top-level call with the native memo, whose
    memo is thrown away next, so it need not be recorded.
    """
    cdef PyObject* y
    if f.kind == K_LIST or f.kind == K_DICT:
        if s.memo is not None:
            # The stdlib records the copy again when deepcopy() returns.
            memoize(s, f.src, f.dst)
            keep_alive(s, f.src)
        elif not last:
            note_copy(s, f)
        incref(f.dst)
        return f.dst
    if f.kind == K_TUPLE or f.kind == K_FROZENDICT:
        # Memoized only after its items, so a cycle through it may already
        # have produced its copy: use that one, as the stdlib.
        y = memo_subscript(s, f.src)
        if y == NULL:
            if f.kind == K_FROZENDICT:
                y = fc_frozendict_new(f.dst)    # always a new one
            else:
                y = f.dst if f.dst != NULL else f.src
                incref(y)
    else:
        y = f.dst
        incref(y)
    if y != f.src and not (last and s.memo is None):
        try:
            memoize(s, f.src, y)
            keep_alive(s, f.src)
        except BaseException:
            decref(y)
            raise
    return y


cdef PyObject* walk(Session s, PyObject* root, int kind, bint top_level,
                    PyObject* into=NULL, bint scanned=False) except NULL:
    """Deep-copy the container root (of the given kind, not in the memo).

    top_level: root is the object passed to deepcopy() and the session ends
    with this walk.  into, scanned: see frame_open.
    """
    cdef Frame inline_frames[INLINE_FRAMES]
    cdef Frame* frames = inline_frames
    cdef Frame* grown
    cdef Py_ssize_t capacity = INLINE_FRAMES
    cdef Py_ssize_t top = 0
    cdef Py_ssize_t i
    cdef PyObject* child = NULL
    cdef PyObject* y = NULL
    cdef PyObject* handoff
    cdef PyTypeObject* tp
    cdef int child_kind
    cdef bint done = False
    cdef bint child_scanned
    cdef bint paused_here = False
    frame_zero(&frames[0])
    try:
        frame_open(s, &frames[0], root, kind, into, scanned)
        while True:
            if paused_here:
                if not s.gc_paused:
                    gc_pause(s)     # resumed for Python code: pause again
            elif s.work >= GC_PAUSE_AFTER:
                paused_here = gc_pause(s)   # a large copy: pause from here on
            if not frame_advance(s, &frames[top], &child):
                y = frame_finish(s, &frames[top], top_level and top == 0)
                frame_clear(&frames[top])
                if top == 0:
                    done = True
                    return y
                top -= 1
                handoff = y             # frame_accept steals, even on error
                y = NULL
                frame_accept(s, &frames[top], handoff)
                continue

            # `child` is a new reference from here on.
            tp = Py_TYPE(child)
            if s.memo is not None:
                # A mapping memo is consulted first, even for atomic objects
                # (3.14+: after them).
                if ATOMIC_BEFORE_MEMO and is_deep_atomic(tp):
                    y = child
                    incref(y)
                else:
                    y = memo_lookup(s, child)
                if y == NULL and is_deep_atomic(tp):
                    y = child
                    incref(y)
                if y != NULL:
                    decref(child)
                    child = NULL
                    handoff = y
                    y = NULL
                    frame_accept(s, &frames[top], handoff)
                    continue
            elif not frames[top].child_checked:
                # The key of a dict item on the general path: not looked at
                # yet (it may even be the item's value, copied just now).
                if own_copy(child):
                    handoff = child
                    child = NULL
                    frame_accept(s, &frames[top], handoff)
                    continue
                y = table_get(&s.table, child)
                if y != NULL:
                    incref(y)
                    decref(child)
                    child = NULL
                    handoff = y
                    y = NULL
                    frame_accept(s, &frames[top], handoff)
                    continue

            # child is neither its own copy nor in the memo.
            child_kind = container_kind(tp)
            if child_kind != K_NONE:
                if top + 1 == capacity:
                    if frames == inline_frames:
                        grown = <Frame*>malloc(2 * capacity * sizeof(Frame))
                        if grown != NULL:
                            memcpy(grown, inline_frames, capacity * sizeof(Frame))
                    else:
                        grown = <Frame*>realloc(frames, 2 * capacity * sizeof(Frame))
                    if grown == NULL:
                        raise MemoryError()
                    frames = grown
                    capacity *= 2
                # (Skip the scan for a bulk copy if bulk_copy() made it.)
                child_scanned = frames[top].child_checked and frames[top].child_scanned
                top += 1
                frame_zero(&frames[top])
                frame_open(s, &frames[top], child, child_kind, NULL, child_scanned)
                decref(child)
                child = NULL
                continue

            handoff = deep_other_ref(s, child)
            decref(child)
            child = NULL
            frame_accept(s, &frames[top], handoff)
    finally:
        if paused_here:
            gc_resume(s)
        if not done:
            xdecref(child)
            xdecref(y)
            for i in range(top + 1):
                frame_clear(&frames[i])
        if frames != inline_frames:
            free(frames)
