# The memo of one deepcopy call.
#
# With no memo from the caller, copies are recorded in a native hash table
# keyed by object address (no id() ints are created).  The table holds a
# strong reference to each original as well as to its copy: an original that
# is a temporary (say, an item of a reduce value) must stay alive so that its
# address is not reused by another object during the same copy - the job the
# stdlib's keep-alive list `memo[id(memo)]` does.
#
# The first time a hook needs a real memo (`__deepcopy__(memo)` or a copier
# registered in copy._deepcopy_dispatch), the table is turned into a dict
# filled as the stdlib would have filled it, and the rest of the copy uses
# that dict: entries a hook adds are then seen by the core and vice versa.

from cpython.mem cimport PyMem_Calloc, PyMem_Free


cdef struct MemoEntry:
    PyObject* key       # the original (strong reference), NULL for a free slot
    PyObject* value     # its copy (strong reference)


cdef struct MemoTable:
    MemoEntry* slots
    int bits            # capacity is 1 << bits
    Py_ssize_t used


cdef enum:
    MEMO_INITIAL_BITS = 5


cdef inline PyObject* table_get(MemoTable* t, PyObject* key):
    """The copy recorded for key (a borrowed reference), or NULL."""
    if t.slots == NULL:
        return NULL
    cdef Py_ssize_t mask = (<Py_ssize_t>1 << t.bits) - 1
    cdef Py_ssize_t i = fc_address_slot(key, t.bits)
    while True:
        if t.slots[i].key == key:
            return t.slots[i].value
        if t.slots[i].key == NULL:
            return NULL
        i = (i + 1) & mask


cdef int table_grow(MemoTable* t) except -1:
    cdef int bits = t.bits + 1 if t.slots != NULL else MEMO_INITIAL_BITS
    cdef MemoEntry* slots = <MemoEntry*>PyMem_Calloc(<size_t>1 << bits, sizeof(MemoEntry))
    if slots == NULL:
        raise MemoryError()
    cdef MemoEntry* old = t.slots
    cdef Py_ssize_t n = (<Py_ssize_t>1 << t.bits) if old != NULL else 0
    cdef Py_ssize_t mask = (<Py_ssize_t>1 << bits) - 1
    cdef Py_ssize_t i, j
    for i in range(n):
        if old[i].key != NULL:
            j = fc_address_slot(old[i].key, bits)
            while slots[j].key != NULL:
                j = (j + 1) & mask
            slots[j] = old[i]       # the references move with the entry
    t.slots = slots
    t.bits = bits
    PyMem_Free(old)
    return 0


cdef int table_set(MemoTable* t, PyObject* key, PyObject* value) except -1:
    """Record value as the copy of key; both references are taken (not stolen)."""
    if t.slots == NULL or 2 * (t.used + 1) > (<Py_ssize_t>1 << t.bits):
        table_grow(t)
    cdef Py_ssize_t mask = (<Py_ssize_t>1 << t.bits) - 1
    cdef Py_ssize_t i = fc_address_slot(key, t.bits)
    cdef PyObject* old
    while t.slots[i].key != NULL:
        if t.slots[i].key == key:
            # Replacing: incref first, the old value may be the same object.
            incref(value)
            old = t.slots[i].value
            t.slots[i].value = value
            decref(old)
            return 0
        i = (i + 1) & mask
    incref(key)
    incref(value)
    t.slots[i].key = key
    t.slots[i].value = value
    t.used += 1
    return 0


cdef void table_clear(MemoTable* t):
    """Drop every entry and the storage.  Safe to call twice."""
    cdef MemoEntry* slots = t.slots
    cdef Py_ssize_t n = (<Py_ssize_t>1 << t.bits) if slots != NULL else 0
    cdef Py_ssize_t i
    # Detach first: a decref below may run arbitrary code (a __del__).
    t.slots = NULL
    t.used = 0
    for i in range(n):
        if slots[i].key != NULL:
            decref(slots[i].key)
            decref(slots[i].value)
    PyMem_Free(slots)


@cython.final
@cython.freelist(8)
cdef class Session:
    """State of one deepcopy call: its memo.

    memo is None while the native table is in use; otherwise it is the memo
    mapping (the caller's own, or the dict the table was turned into).
    """
    cdef object memo
    cdef bint memo_is_dict      # memo is an exact dict: use the PyDict API
    cdef MemoTable table

    def __dealloc__(self):
        table_clear(&self.table)


cdef inline Session native_session():
    return Session.__new__(Session)


cdef inline Session mapping_session(object memo):
    cdef Session s = Session.__new__(Session)
    s.memo = memo
    s.memo_is_dict = type(memo) is dict
    return s


cdef object real_memo(Session s):
    """The memo as a dict for a hook, turning the native table into one."""
    if s.memo is not None:
        return s.memo
    cdef dict memo = {}
    cdef list keep_alive = []
    cdef MemoEntry* slots = s.table.slots
    cdef Py_ssize_t n = (<Py_ssize_t>1 << s.table.bits) if slots != NULL else 0
    cdef Py_ssize_t i
    for i in range(n):
        if slots[i].key != NULL:
            memo[id(<object>slots[i].key)] = <object>slots[i].value
            keep_alive.append(<object>slots[i].key)
    if keep_alive:
        memo[id(memo)] = keep_alive
    s.memo = memo
    s.memo_is_dict = True
    table_clear(&s.table)
    return memo


cdef PyObject* memo_lookup(Session s, PyObject* x) except? NULL:
    """The recorded copy of x as a new reference, or NULL if there is none.

    Mapping memos are read as the stdlib reads them: memo.get(id(x), nil).
    """
    cdef PyObject* y
    if s.memo is None:
        y = table_get(&s.table, x)
        if y != NULL:
            incref(y)
        return y
    cdef object key = PyLong_FromVoidPtr_obj(x)
    cdef object found
    if s.memo_is_dict:
        y = PyDict_GetItemWithError(<PyObject*>s.memo, <PyObject*>key)
        if y == NULL:
            if PyErr_Occurred() != NULL:
                raise_current()
            return NULL
        incref(y)
        return y
    found = s.memo.get(key, _nil)
    if found is _nil:
        return NULL
    incref(<PyObject*>found)
    return <PyObject*>found


cdef PyObject* memo_subscript(Session s, PyObject* x) except? NULL:
    """memo[id(x)] as a new reference, NULL on KeyError (the tuple check)."""
    if s.memo is None or s.memo_is_dict:
        return memo_lookup(s, x)
    try:
        found = s.memo[PyLong_FromVoidPtr_obj(x)]
    except KeyError:
        return NULL
    incref(<PyObject*>found)
    return <PyObject*>found


cdef int memoize(Session s, PyObject* x, PyObject* y) except -1:
    """memo[id(x)] = y."""
    if s.memo is None:
        return table_set(&s.table, x, y)
    cdef object key = PyLong_FromVoidPtr_obj(x)
    if s.memo_is_dict:
        return PyDict_SetItem(<PyObject*>s.memo, <PyObject*>key, y)
    return PyObject_SetItem(<PyObject*>s.memo, <PyObject*>key, y)


cdef int keep_alive(Session s, PyObject* x) except -1:
    """The stdlib's _keep_alive: memo[id(memo)].append(x).

    Nothing to do for the native table, which already owns x.
    """
    if s.memo is None:
        return 0
    memo = s.memo
    key = id(memo)
    try:
        holder = memo[key]
    except KeyError:
        memo[key] = [<object>x]
        return 0
    if type(holder) is list:
        return PyList_Append(<PyObject*>holder, x)
    holder.append(<object>x)
    return 0


cdef inline object PyLong_FromVoidPtr_obj(PyObject* x):
    # Same value as id(x).
    cdef PyObject* r = PyLong_FromVoidPtr(<void*>x)
    return steal(r)


cdef inline object steal(PyObject* p):
    """Wrap a new reference as an object without adding a reference."""
    cdef object o = <object>p   # +1
    decref(p)                   # back to the one reference we were given
    return o


cdef int raise_current() except -1:
    # Reached only with an exception set: returning -1 propagates it.
    return -1
