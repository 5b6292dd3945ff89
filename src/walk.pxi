# The container walk: exact list, dict, tuple, set, frozenset, (3.15+)
# frozendict and instances of plain classes (instances.pxi) are copied with
# an explicit stack of frames instead of C recursion, so nesting depth is
# bounded by memory, not by the C stack.
# Mirrors _walk() and the frame classes of fastcopy/_pure.py.
#
# Each kind of container has its own open / advance / accept / finish
# functions: list, tuple, set and frozenset in list_copy.pxi, dict and
# frozendict in dict_copy.pxi.  This file holds the frame, the functions that
# pick the kind's, and the stack machine.
#
# A tuple met with the native memo is copied by recursion instead, while the
# C stack has room (tuple_copy_nested, list_copy.pxi).
#
# A kind's advance copies the items that need no work - with the native memo,
# those dispatch.pxi's known_native() answers - in a tight loop, and stops at
# the first item that must be copied: hand_out() gives it to the walk, which
# asks the dispatcher for its route (a nested container is pushed as a new
# frame, anything else goes to the copy protocol).  With a mapping memo every
# item is handed out (the memo is consulted first).
#
# The rule of the tight loops: they hold borrowed items and cached sizes, so
# no Python code may run inside them - no lookup that can call a key's
# __eq__ or __hash__, no allocation of a GC-tracked object while the GC can
# collect (its finalizers are Python code), no decref of an object whose last
# reference it may be, no signal handler.  Every helper they call says "runs
# no Python code"; anything else returns to the walk first (hand_out, or
# ADVANCE_YIELD to let signal handlers run), and the loop re-reads the
# container when it is called again.
#
# Every PyObject* field of a frame is a strong reference or NULL;
# frame_clear() releases them, so a frame can be abandoned at any point when
# an exception unwinds the walk.

from libc.stdlib cimport malloc, realloc
from libc.string cimport memcpy


cdef enum Kind:
    K_NONE = -1
    K_LIST = 0
    K_DICT = 1
    K_TUPLE = 2
    K_SET = 3
    K_FROZENSET = 4
    K_FROZENDICT = 5    # walked as a dict into a new dict, frozen at the end
    K_INSTANCE = 6      # an instance of a plain class (instances.pxi)


cdef struct Frame:
    int kind
    bint memoized       # the copy is in the memo, or is recorded only at the
                        # end (tuple, sets, frozendict): see note_copy
    PyObject* src       # the original container
    PyObject* dst       # its copy being filled; for a tuple NULL until an item differs
    PyObject* items     # set/frozenset: snapshot list of the original items
    PyObject* key       # dict: original key whose value is being copied
    PyObject* value     # dict: copied value waiting for its key's copy
    Py_ssize_t pos      # next item; -1: the copy was made whole at open
    Py_ssize_t size     # dict: size when the copy began
    Py_ssize_t left     # dict: items not yet yielded
    int phase           # dict: see DictPhase
    bint child_checked  # the child last handed out is known to be neither
                        # its own copy nor in the (native) memo
    bint child_scanned  # ... and bulk_copy() has declined it
    uint32_t memo_at    # native memo: where the copy is in the table, once
                        # recorded (set by note_copy_now and instance_open)


cdef enum:
    INLINE_FRAMES = 8     # on the C stack; deeper nesting moves to the heap

cdef enum Advance:
    # What a kind's advance returns (or -1 with an exception).
    ADVANCE_DONE = 0      # no items left
    ADVANCE_CHILD = 1     # *child is an item for the walk to copy
    ADVANCE_YIELD = 2     # time to check for signals; call again after


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
        return K_SET if sets_unregistered() else K_NONE
    if tp == T_FROZENSET:
        return K_FROZENSET if sets_unregistered() else K_NONE
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


cdef inline void frame_clear(Session s, Frame* f) noexcept:
    # (A hook may have removed src from its container: the frame's may be
    # the last reference, to any of these.)
    xrelease(s, f.src)
    xrelease(s, f.dst)
    xrelease(s, f.items)
    xrelease(s, f.key)
    xrelease(s, f.value)
    frame_zero(f)


cdef inline int note_copy(Session s, Frame* f) except -1:
    """Record a list/dict copy in the memo before anything can look for it.

    With the native memo this is done lazily: only once an item is met that
    is not atomic (it may refer back to the container).  A container of
    atomic values is recorded when it is finished.  No Python code runs in
    between, so nobody can tell the difference.  Kinds that the stdlib
    records only after their items have `memoized` set from the start.
    """
    # (The check is split from the recording so that it is inlined into the
    # item loops, which call this for every item.)
    if not f.memoized:
        note_copy_now(s, f)
    return 0


cdef int note_copy_now(Session s, Frame* f) except -1:
    f.memoized = True
    if s.memo_mode == MEMO_NATIVE:
        # New: it was not in the memo when its frame was opened.
        memo_native_add(s, f.src, f.dst)
        f.memo_at = <uint32_t>(s.table.used - 1)
    else:
        memo_record(s, f.src, f.dst)
    return 0


# -- handing items out ----------------------------------------------------------

cdef inline int hand_out(Frame* f, PyObject* item, PyObject** child,
                         bint checked, bint scanned) noexcept:
    """Give the walk a new reference to item, the next child to copy.
    checked: known_native() has found it needs copying; scanned: and
    bulk_copy() has declined it."""
    incref(item)
    child[0] = item
    f.child_checked = checked
    f.child_scanned = scanned
    return ADVANCE_CHILD


cdef enum:
    # What known_or_bulk() found.  MUST_COPY and KNOWN must stay known_native's
    # 0 and 1: known_or_bulk_other() passes its answer through.
    MUST_COPY = 0       # the item goes to the walk
    KNOWN = 1           # its copy is known
    BULK_COPIED = 2     # it was copied whole (bulk_copy)


cdef inline int known_or_bulk(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """known_native(), then - for a list or dict of atomic values - a copy
    made whole (bulk_copy): KNOWN or BULK_COPIED with *y the item's copy
    (borrowed), or MUST_COPY with f.child_scanned telling whether the bulk
    copy was tried."""
    if is_hot_atomic(Py_TYPE(item)):
        y[0] = item                 # (the most frequent case first, inlined)
        return KNOWN
    return known_or_bulk_other(s, f, item, y)


cdef int known_or_bulk_other(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    if not bulk_candidate(item):
        f.child_scanned = False
        # (known_or_bulk() has found it none of the hot atoms.  Its answer
        # passes through: see KNOWN and MUST_COPY.)
        return known_native_past_hot(s, f, item, y)
    return known_or_bulk_container(s, f, item, y)


cdef int known_or_bulk_container(Session s, Frame* f, PyObject* item, PyObject** y) except -1:
    """known_or_bulk() for a list or dict."""
    if known_in_table(s, f, item, y):
        return KNOWN
    f.child_scanned = True
    if bulk_worth_trying(s, item) and bulk_copy(s, item, y):
        return BULK_COPIED
    return MUST_COPY


cdef inline bint signals_due(Session s) noexcept:
    """After a bulk copy in a tight loop: is a check for signals due?"""
    return s.steps >= SIGNAL_CHECK_STEPS


cdef inline bint bulk_candidate(PyObject* x) noexcept:
    return Py_TYPE(x) == T_LIST or Py_TYPE(x) == T_DICT


cdef inline bint bulk_worth_trying(Session s, PyObject* x) noexcept:
    """For a bulk_candidate x: is it worth scanning for a bulk copy?"""
    cdef Py_ssize_t n
    if Py_TYPE(x) == T_LIST:
        n = PyList_GET_SIZE(x)
        return n == 0 or want_prescan(s, n)
    n = PyDict_GET_SIZE(x)
    return n == 0 or want_prescan(s, n)


cdef int bulk_copy(Session s, PyObject* x, PyObject** out) except -1:
    """With the native memo, for a bulk_candidate x (not in the memo) whose
    items are all their own copies: copy it whole, memoize it, set *out to
    the copy (borrowed: the memo owns it, so to callers it is a memo hit)
    and return 1; else return 0.  Such lists and dicts are copied without a
    frame of their own (JSON-like data is full of them)."""
    cdef PyObject* y
    cdef Py_ssize_t n = PyList_GET_SIZE(x) if Py_TYPE(x) == T_LIST else PyDict_GET_SIZE(x)
    if n != 0 and not prescan(s, x):
        return 0
    y = copy_whole(s, x)
    try:
        memo_native_add_finished(s, x, y)
    finally:
        decref(y)                   # the table holds it from here on
    out[0] = y
    return 1


cdef inline PyObject* copy_whole(Session s, PyObject* x) except NULL:
    """The copy (a new reference) of a bulk_candidate x whose items are all
    their own copies, counted as one container made and, for signals, a
    step per 16 items.  (The copy is made with the GC held off: see
    bulk_copy.h.  A caller's tight loop relies on it: no Python code runs
    in here.)"""
    cdef PyObject* y
    if Py_TYPE(x) == T_LIST:
        y = fc_copy_list_of_atomic(x, s.gc_paused)
        s.steps += PyList_GET_SIZE(x) >> 4      # (signals: see session.pxi)
    else:
        y = fc_copy_dict_of_atomic(x, s.gc_paused)
        s.steps += PyDict_GET_SIZE(x) >> 4
    s.work += 1
    return y


cdef inline bint mapped_bulk_copied(Session s, PyObject* x, PyObject** out) except -1:
    """With a dict memo, x a list or dict worth scanning: mapped_bulk_copy().
    (The checks inline, for the walk's children of every kind.)"""
    return (s.memo_is_dict and bulk_candidate(x) and bulk_worth_trying(s, x)
            and mapped_bulk_copy(s, x, out))


cdef int mapped_bulk_copy(Session s, PyObject* x, PyObject** out) except -1:
    """bulk_copy() for a dict memo, for a bulk_candidate x (not in the
    memo) whose items - and keys - are atoms with no memo entry (the small
    lists and dicts that hooks pass on): copy it whole, record it as the
    stdlib's deepcopy() leaves it (memo[id(x)] = copy, x kept alive), set
    *out to a new reference to the copy and return 1; else return 0.  The
    stdlib's copy would record the same, in the same order: its items are
    atoms, which are never recorded."""
    if not atoms_unmapped(s, x):
        s.prescan_misses += 1
        return 0
    s.prescan_misses = 0
    # (`owned` releases the copy if recording fails.)
    cdef object owned = steal(copy_whole(s, x))
    memo_record(s, x, <PyObject*>owned)
    memo_keep_alive(s, x)
    incref(<PyObject*>owned)
    out[0] = <PyObject*>owned
    return 1


cdef bint atoms_unmapped(Session s, PyObject* x) noexcept:
    """Are the items (and keys) of the list or dict x all atoms that a dict
    memo has no entry for (known_atom_mapped)?  Runs no Python code, so the
    probe stays valid through the scan."""
    cdef fc_address_probe memo_probe
    cdef fc_dict_cursor items
    cdef Py_ssize_t i
    cdef PyObject* key
    cdef PyObject* value
    memo_probe_init(s, &memo_probe)
    if Py_TYPE(x) == T_LIST:
        for i in range(PyList_GET_SIZE(x)):
            if not known_atom_mapped(s, &memo_probe, PyList_GET_ITEM(x, i)):
                return False
        return True
    fc_dict_cursor_init(&items, x)
    while fc_dict_cursor_next(&items, &key, &value):
        if not (known_atom_mapped(s, &memo_probe, value)
                and known_atom_mapped(s, &memo_probe, key)):
            return False
    return True


cdef enum:
    # Lists and dicts this large are always scanned for a bulk copy; smaller
    # ones are (mostly) not after this many failed scans in a row.
    PRESCAN_ALWAYS_SIZE = 16
    PRESCAN_MISSES = 4


cdef inline bint prescan(Session s, PyObject* x) except -1:
    """Are all items of the list or dict x their own copies?  Keeps count
    of misses in a row (see want_prescan)."""
    if all_own_copies_list(x) if Py_TYPE(x) == T_LIST else all_own_copies_dict(x):
        s.prescan_misses = 0
        return True
    s.prescan_misses += 1
    return False


cdef inline bint want_prescan(Session s, Py_ssize_t size) noexcept:
    """Is it worth scanning a list or dict of this size for a bulk copy?
    The scan pays off for containers of atomic values and is wasted on the
    others; a copy whose small containers keep failing it stops scanning
    them but for one in 16 (so a change of pattern is noticed)."""
    if size >= PRESCAN_ALWAYS_SIZE or s.prescan_misses < PRESCAN_MISSES:
        return True
    s.prescan_misses += 1
    return (s.prescan_misses & 15) == 0


# -- one frame, by kind ------------------------------------------------------

cdef int frame_open(Session s, Frame* f, PyObject* src, int kind,
                    PyObject* into=NULL, bint scanned=False) except -1:
    """Start copying src into f (which must be zeroed): 1, or 0 with
    nothing done if an instance turns out to need the general path.

    into: for a dict, an existing empty dict to fill instead of a new one.
    scanned: src was already considered for a bulk copy (and declined).
    """
    cdef TypeInfo* info
    if kind == K_INSTANCE:
        info = type_info_peek(Py_TYPE(src))
        if info == NULL or info.kind != KIND_PLAIN:
            return 0
        return instance_open(s, f, src, info)
    s.work += 1
    f.kind = kind
    incref(src)
    f.src = src
    if kind == K_LIST:
        list_open(s, f)
    elif kind == K_DICT:
        dict_open(s, f, into, scanned)
    elif kind == K_TUPLE:
        tuple_open(s, f)
    elif kind == K_FROZENDICT:
        frozendict_open(s, f)
    else:
        set_open(s, f)              # K_SET, K_FROZENSET
    return 1


cdef inline int frame_advance(Session s, Frame* f, PyObject** child) except -1:
    """Copy items until one must be copied by the walk: set *child to a new
    reference to it and return ADVANCE_CHILD; ADVANCE_DONE when the
    container is done; ADVANCE_YIELD when signals are to be checked."""
    if f.kind == K_LIST:
        return list_advance(s, f, child)
    if f.kind == K_DICT or f.kind == K_FROZENDICT:
        return dict_advance(s, f, child)
    if f.kind == K_TUPLE:
        return tuple_advance(s, f, child)
    if f.kind == K_INSTANCE:
        return instance_advance(s, f, child)
    return set_advance(s, f, child)


cdef int frame_accept(Session s, Frame* f, PyObject* y) except -1:
    """Take the copy y (a reference that is stolen, also on error) of the
    child frame_advance last returned."""
    if f.kind == K_LIST:
        return fc_list_append_steal(f.dst, y)
    if f.kind == K_DICT or f.kind == K_FROZENDICT:
        return dict_accept(s, f, y)
    if f.kind == K_TUPLE:
        return tuple_store(f, y)
    if f.kind == K_INSTANCE:
        return instance_accept(s, f, y)
    return set_accept(s, f, y)


cdef PyObject* frame_finish(Session s, Frame* f, bint last) except NULL:
    """The finished copy (a new reference), recorded in the memo.

    last: this is the root of a top-level call with the native memo, whose
    memo is thrown away next, so it need not be recorded.
    """
    if f.kind == K_LIST or f.kind == K_DICT:
        return mutable_finish(s, f, last)
    if f.kind == K_TUPLE:
        return tuple_finish(s, f, last)
    if f.kind == K_FROZENDICT:
        return frozendict_finish(s, f, last)
    if f.kind == K_INSTANCE:
        return instance_finish(s, f)
    return set_finish(s, f, last)


cdef PyObject* mutable_finish(Session s, Frame* f, bint last) except NULL:
    """A list or dict: recorded before its items (or lazily, note_copy)."""
    if s.memo_mode == MEMO_MAPPING:
        # The stdlib records the copy again when deepcopy() returns.
        memo_record_again(s, f.src, f.dst)
        memo_keep_alive(s, f.src)
    elif not last:
        if f.memoized:
            native_keep_alive_at(s, f.src, f.memo_at)
        else:
            # Recorded only now (no item needed it first): a leaf.
            memo_native_add_finished(s, f.src, f.dst)
    incref(f.dst)
    return f.dst


cdef PyObject* finish_recorded_after(Session s, PyObject* src, PyObject* y,
                                     bint last) except NULL:
    """y (a new reference), the copy of a container src the stdlib records
    only after its items (tuple, set, frozendict), recorded now."""
    if y == src or (last and s.memo_mode == MEMO_NATIVE):
        return y
    # (`owned` releases y if recording fails.)
    cdef object owned = steal(y)
    memo_record(s, src, y)
    memo_keep_alive(s, src)
    incref(y)
    return y


# -- the stack machine --------------------------------------------------------

cdef PyObject* walk(Session s, PyObject* root, int kind, bint top_level,
                    PyObject* into=NULL, bint scanned=False) except NULL:
    """Deep-copy the container root (of the given kind, not in the memo).

    top_level: root is the object passed to deepcopy() and the session ends
    with this walk.  into, scanned: see frame_open.  A new reference to
    NotImplemented if root is an instance that needs the general path.
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
    cdef int child_kind = K_NONE
    cdef int r
    cdef int advanced
    cdef int opened
    cdef bint done = False
    cdef bint child_scanned
    cdef bint paused_here = False
    cdef PyObject* into_hint
    cdef TypeInfo* plain
    frame_zero(&frames[0])
    try:
        if not frame_open(s, &frames[0], root, kind, into, scanned):
            done = True
            incref(<PyObject*>NotImplemented)
            return <PyObject*>NotImplemented
        while True:
            if paused_here:
                if not s.gc_paused:
                    gc_pause(s)     # resumed for Python code: pause again
            elif pause_is_due(s):
                paused_here = gc_pause(s)   # a large copy: pause from here on
            s.steps += 1
            if s.steps >= SIGNAL_CHECK_STEPS:
                check_signals(s)
            advanced = frame_advance(s, &frames[top], &child)
            if advanced == ADVANCE_YIELD:
                check_signals(s)
                continue
            if advanced == ADVANCE_DONE:
                y = frame_finish(s, &frames[top], top_level and top == 0)
                frame_clear(s, &frames[top])
                if top == 0:
                    done = True
                    return y
                top -= 1
                handoff = y             # frame_accept steals, even on error
                y = NULL
                frame_accept(s, &frames[top], handoff)
                continue

            # `child` is a new reference from here on; ask the dispatcher
            # (steps 1-3 already done when the tight loop checked it).
            if frames[top].child_checked:
                r = route_unknown(Py_TYPE(child), &child_kind)
            else:
                r = route(s, child, &y, &child_kind)
            if r == ROUTE_KNOWN:
                release(s, child)
                child = NULL
                handoff = y
                y = NULL
                frame_accept(s, &frames[top], handoff)
                continue
            if (r == ROUTE_WALK and child_kind == K_TUPLE
                    and may_recurse_into_tuple(s)):
                handoff = tuple_copy_nested(s, child, paused_here)
                release(s, child)
                child = NULL
                frame_accept(s, &frames[top], handoff)
                continue
            if r == ROUTE_WALK and mapped_bulk_copied(s, child, &y):
                release(s, child)
                child = NULL
                handoff = y
                y = NULL
                frame_accept(s, &frames[top], handoff)
                continue
            plain = NULL
            if r == ROUTE_PROTOCOL:
                plain = plain_verdict(s, child)
            if r == ROUTE_WALK or plain != NULL:
                if top + 1 == capacity:
                    if frames == inline_frames:
                        grown = <Frame*>malloc(4 * capacity * sizeof(Frame))
                        if grown != NULL:
                            memcpy(grown, inline_frames, capacity * sizeof(Frame))
                    else:
                        grown = <Frame*>realloc(frames, 4 * capacity * sizeof(Frame))
                    if grown == NULL:
                        raise MemoryError()
                    frames = grown
                    capacity *= 4
                # (Skip the scan for a bulk copy if bulk_copy() made it.)
                child_scanned = frames[top].child_checked and frames[top].child_scanned
                into_hint = instance_into(&frames[top])
                # The new frame is counted in before it is opened: if opening
                # fails half-way, the unwinding below releases what it holds.
                top += 1
                frame_zero(&frames[top])
                if plain != NULL:
                    opened = instance_open(s, &frames[top], child, plain)
                else:
                    opened = frame_open(s, &frames[top], child, child_kind,
                                        into_hint, child_scanned)
                if opened:
                    release(s, child)
                    child = NULL
                    continue
                # An instance that needs the general path after all (nothing
                # was opened).
                top -= 1
            if FASTCOPY_DEBUG:
                # The walk holds the child while the protocol (hooks) runs.
                assert Py_REFCNT(child) >= 1
            handoff = deep_other_ref(s, child)
            release(s, child)
            child = NULL
            frame_accept(s, &frames[top], handoff)
    finally:
        if paused_here:
            gc_resume(s)
        if not done:
            xrelease(s, child)
            xrelease(s, y)
            for i in range(top + 1):
                frame_clear(s, &frames[i])
        if FASTCOPY_DEBUG:
            # Every frame released what it held, whichever way the walk ended.
            for i in range(top + 1):
                assert frames[i].src == NULL and frames[i].dst == NULL \
                    and frames[i].items == NULL and frames[i].key == NULL \
                    and frames[i].value == NULL, "a frame was not cleared"
        if frames != inline_frames:
            free(frames)
