# The state of one deepcopy() call: its memo (memo.pxi), the pause of the
# cyclic GC, the calling thread's C stack floor and the walk's counters.


# Not tracked by the cyclic GC: nothing a session holds can refer back to
# it (hooks are handed the memo, never the session), so it is never part of
# a cycle, and tracking it would cost every call.
@cython.final
@cython.freelist(8)
@cython.no_gc
cdef class Session:
    # The memo (memo.pxi): MEMO_NATIVE, the address table below, or
    # MEMO_MAPPING, `memo` (the caller's, or the dict the table was turned
    # into for a hook).  Only ever moves from native to mapping.
    cdef int memo_mode
    cdef MemoTable table
    cdef FinishLog kept         # native mode: the order copies finished in
    cdef object memo
    cdef bint memo_is_dict      # memo is an exact dict: use the PyDict API
    cdef object keep_alive_key  # id(memo): made once, or the dict's own key
    # 1 + where memo[id(memo)] was found in a dict memo's entries, or 0
    cdef Py_ssize_t keep_alive_spot
    cdef PyObject* last_id_of   # the address last turned into an id() int
    cdef object last_id         # ...and that int (mapping memos only)

    cdef bint gc_paused         # this session disabled the cyclic GC
    cdef Py_ssize_t work        # containers and instances made so far
    cdef Py_ssize_t steps       # walk steps since signals were last checked
    cdef Py_ssize_t prescan_misses  # bulk-copy scans that failed in a row
    cdef const char* stack_floor    # fc_thread_stack_floor() of the calling
    cdef char* recursion_floor      # thread, and the bounds of the recursive
    cdef char* recursion_ceiling    # tuple copy, read when first needed
    cdef bint stack_floor_known
    cdef int tuple_levels           # tuple_copy_nested() calls in progress


# A session is made by deepcopy_fresh() and deepcopy_with_memo() (entry.pxi)
# only, which end it with session_end() in a finally clause.  (Not left to a
# __dealloc__: Cython saves and restores the exception state around one,
# which every call with a session would pay for.)
cdef inline Session native_session():
    return Session.__new__(Session)


cdef inline Session mapping_session(object memo):
    cdef Session s = Session.__new__(Session)
    s.memo_mode = MEMO_MAPPING
    s.memo = memo
    s.memo_is_dict = type(memo) is dict
    return s


cdef inline void session_end(Session s) noexcept:
    """Resume the GC if the session paused it, and release the native memo
    (its decrefs may run Python code: a finally clause has saved any
    exception in flight)."""
    gc_resume(s)
    finish_log_clear(&s.kept)
    if s.table.entries != NULL:
        table_clear(&s.table)


# -- the pause of the cyclic GC ------------------------------------------------
#
# The cyclic GC is paused while the walk runs native code only, and resumed
# by python_may_run() before anything that can run Python code (a hook, the
# reduce protocol, a __hash__ written in Python) and when the walk ends.  A
# large copy allocates many containers; with the GC running they trigger
# repeated collections (including full ones, over the whole heap) that find
# nothing to free.

cdef enum:
    # Copies smaller than this rarely meet a collection: not worth pausing.
    GC_PAUSE_AFTER = 256


cdef inline bint pause_is_due(Session s) noexcept:
    """Is the copy large enough for the walk (or the recursive tuple copy)
    to pause the GC?  Not with a memo that is not a dict: reading it runs
    Python code at every item."""
    return s.work >= GC_PAUSE_AFTER and (s.memo_mode == MEMO_NATIVE or s.memo_is_dict)


cdef inline bint gc_pause(Session s) noexcept:
    """Pause the GC if it is enabled; True if this call paused it."""
    if s.gc_paused or not PyGC_IsEnabled():
        return False
    PyGC_Disable()
    s.gc_paused = True
    return True


cdef inline void gc_resume(Session s) noexcept:
    if s.gc_paused:
        s.gc_paused = False
        PyGC_Enable()


cdef inline void python_may_run(Session s) noexcept:
    """Called before anything that may run Python code: the one place the
    walk's pause of the GC is lifted (the walk pauses it again when native
    work resumes)."""
    if s.gc_paused:
        gc_resume(s)


# release(s, o): decref(o) where the walk may have paused the GC.  If this is
# the last reference, freeing o can run Python code (a __del__ or weakref
# callback, of o or of what it holds): the pause is lifted first (as
# gc_resume() does), so that code sees the program's own GC setting - and a
# gc.disable() it makes is kept.  A C macro over a forced-inline helper: the
# walk releases several references per container.
cdef extern from *:
    """
    #define FC_SESSION_RELEASE(s, o) fc_release_unpausing((o), &(s)->gc_paused)
    """
    void release "FC_SESSION_RELEASE" (Session s, PyObject* o) noexcept


cdef inline void xrelease(Session s, PyObject* o) noexcept:
    if o != NULL:
        release(s, o)


cdef inline int check_gc_running(Session s) except -1:
    """Debug builds: Python code is about to run, so the GC must be on."""
    if FASTCOPY_DEBUG:
        assert not s.gc_paused, "the GC is paused while Python code runs"
    return 0


# -- signals ------------------------------------------------------------------
#
# Native copying never returns to the interpreter's loop, where signals are
# handled: the walk counts its steps (and bulk copies count their items), and
# every SIGNAL_CHECK_STEPS of them the signal handlers (Python code) get a
# chance to run, so that Ctrl-C interrupts a long copy within a millisecond
# or so.  The tight item loops hold borrowed items and cached sizes, where no
# Python code may run: they return to the walk (ADVANCE_YIELD) after at most
# ITEMS_PER_SLICE items, or after a bulk copy that made a check due.

cdef enum:
    SIGNAL_CHECK_STEPS = 1 << 12
    ITEMS_PER_SLICE = 1 << 15


cdef int check_signals(Session s) except -1:
    """Run pending signal handlers (a KeyboardInterrupt propagates from
    here and unwinds the walk)."""
    cdef bint was_paused = s.gc_paused
    s.steps = 0
    python_may_run(s)
    PyErr_CheckSignals()
    # Paused again at once: resumed, the GC would start a collection at the
    # copy's next allocation (everything allocated during the pause counts
    # towards it), every SIGNAL_CHECK_STEPS steps.  No allocation happens
    # between the two when no handler ran; a gc.disable() a handler made is
    # kept (gc_pause leaves a disabled GC alone).
    if was_paused:
        gc_pause(s)
    return 0


# -- the C stack ------------------------------------------------------------------

cdef enum:
    # Levels of the recursive tuple copy at most; deeper tuples go to frames.
    TUPLE_LEVELS_MAX = 1000


cdef inline void read_stack_floors(Session s) noexcept:
    if not s.stack_floor_known:
        s.stack_floor = fc_thread_stack_floor(&s.recursion_floor, &s.recursion_ceiling)
        s.stack_floor_known = True


cdef inline int enter_hook_level(Session s) except -1:
    """Check that the thread's C stack has room for one more level of hooks
    or reduce protocol (RecursionError if not; see stack_guard.h)."""
    read_stack_floors(s)
    return fc_check_stack(s.stack_floor)


cdef inline bint may_recurse_into_tuple(Session s) noexcept:
    """With the native memo, is there room on the C stack for one more
    level of the recursive tuple copy (tuple_copy_nested)?  When not, the
    tuple goes to the walk's frames."""
    if s.memo_mode != MEMO_NATIVE or s.tuple_levels >= TUPLE_LEVELS_MAX:
        return False
    read_stack_floors(s)
    return fc_stack_within(s.recursion_floor, s.recursion_ceiling)
