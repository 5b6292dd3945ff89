# The running interpreter's copy rules (fastcopy/_rules.py) as the core uses
# them: cdef aliases of the module-level objects the hot paths need (no
# global lookups), the type addresses they compare with, and the copy
# module's type tables as arrays of type addresses.

cdef dict dispatch_table = copyreg.dispatch_table
cdef object copyreg_newobj = copyreg.__newobj__
cdef dict copyreg_namespace = copyreg.__dict__
cdef dict copy_namespace = vars(_rules._copy)
cdef dict interpreter_modules = <dict>PyImport_GetModuleDict()  # sys.modules
cdef object MethodType = types.MethodType
cdef object _nil = object()
# The copy module's private dispatch tables (live; no shallow one from 3.14)
# and the stdlib's own entries in them (snapshot): entries that differ were
# added by third parties.
cdef dict copy_deep_dispatch = _rules.DEEP_DISPATCH
cdef dict copy_shallow_dispatch = _rules.SHALLOW_DISPATCH
cdef dict stdlib_deep_dispatch = _rules.STDLIB_DEEP_DISPATCH
cdef dict stdlib_shallow_dispatch = _rules.STDLIB_SHALLOW_DISPATCH
# The order of deepcopy's first two checks, and how a caller's memo is read.
cdef bint ATOMIC_BEFORE_MEMO = _rules.ATOMIC_BEFORE_MEMO
cdef bint MEMO_READ_BY_CONTAINS = _rules.MEMO_READ_BY_CONTAINS
cdef object FROZENDICT = _rules.FROZENDICT
cdef object NoneType = type(None)
cdef object FunctionType = types.FunctionType
cdef object MethodDescriptorType = types.MethodDescriptorType
cdef object WeakrefType = weakref.ref

# Builtin types live as long as the interpreter: borrowed pointers are safe.
# The hot atomic types, compared by address in the tightest loops; _rules
# has checked that the running copy module treats them as atomic.
cdef PyTypeObject* T_NONE = <PyTypeObject*>NoneType
cdef PyTypeObject* T_INT = <PyTypeObject*>int
cdef PyTypeObject* T_STR = <PyTypeObject*>str
cdef PyTypeObject* T_FLOAT = <PyTypeObject*>float
cdef PyTypeObject* T_BOOL = <PyTypeObject*>bool
cdef PyTypeObject* T_WEAKREF = <PyTypeObject*>WeakrefType
# Containers with native paths (T_FROZENDICT is NULL before 3.15).
cdef PyTypeObject* T_TUPLE = <PyTypeObject*>tuple
cdef PyTypeObject* T_FROZENSET = <PyTypeObject*>frozenset
cdef PyTypeObject* T_LIST = <PyTypeObject*>list
cdef PyTypeObject* T_DICT = <PyTypeObject*>dict
cdef PyTypeObject* T_SET = <PyTypeObject*>set
cdef PyTypeObject* T_BYTEARRAY = <PyTypeObject*>bytearray
cdef PyTypeObject* T_FROZENDICT = <PyTypeObject*>FROZENDICT if FROZENDICT is not None else NULL
# (Its list items are appended in runs: protocol.pxi.)
cdef object DequeType = _collections.deque     # (collections.deque; its import is lighter)
cdef PyTypeObject* T_DEQUE = <PyTypeObject*>DequeType


# The rest of the running copy module's type tables (_rules), as arrays of
# type addresses, and as a set of them:
# an open-addressed table hashed by address, more than half empty, where
# the lookup of a type that is not there (the usual question) mostly ends
# at its first slot.
cdef enum:
    MAX_TABLE_TYPES = 48
    TABLE_SLOT_BITS = 7
    TABLE_SLOTS = 128           # 2 ** TABLE_SLOT_BITS

cdef struct TypeTable:
    int size
    PyTypeObject* types[MAX_TABLE_TYPES]
    PyTypeObject* slots[TABLE_SLOTS]

cdef TypeTable deep_atomic_table         # deepcopy returns them unchanged
cdef TypeTable shallow_atomic_table      # copy returns them unchanged
cdef TypeTable shallow_container_table   # copy calls cls.copy(x)

# Strong references to every type in the tables (a table may hold a class
# that third-party code put in copy's sets before fastcopy was imported).
cdef list table_types = []


cdef int fill_table(TypeTable* table, object types_, bint skip_hot) except -1:
    ordered = sorted(types_, key=lambda t: (t.__module__, t.__qualname__))
    if skip_hot:
        ordered = [t for t in ordered if t not in _rules.HOT_ATOMIC]
    if len(ordered) > MAX_TABLE_TYPES:
        raise ImportError("fastcopy: the copy module lists too many types")
    cdef Py_ssize_t i
    table.size = 0
    for i in range(TABLE_SLOTS):
        table.slots[i] = NULL
    for t in ordered:
        if not isinstance(t, type):
            raise ImportError("fastcopy: the copy module lists %r as a type" % (t,))
        table_types.append(t)
        table.types[table.size] = <PyTypeObject*>t
        table.size += 1
        i = fc_address_slot(<PyTypeObject*>t, TABLE_SLOT_BITS)
        while table.slots[i] != NULL:
            i = (i + 1) & (TABLE_SLOTS - 1)
        table.slots[i] = <PyTypeObject*>t
    return 0


fill_table(&deep_atomic_table, _rules.DEEP_ATOMIC, True)
fill_table(&shallow_atomic_table, _rules.SHALLOW_ATOMIC, True)
fill_table(&shallow_container_table, _rules.SHALLOW_CONTAINERS, False)


cdef list table_contents(TypeTable* table):
    return [<object>table.types[i] for i in range(table.size)]


cdef inline bint in_table(TypeTable* table, PyTypeObject* tp) noexcept:
    cdef Py_ssize_t i = fc_address_slot(tp, TABLE_SLOT_BITS)
    while table.slots[i] != NULL:
        if table.slots[i] == tp:
            return True
        i = (i + 1) & (TABLE_SLOTS - 1)
    return False


cdef inline bint is_hot_atomic(PyTypeObject* tp) noexcept:
    return tp == T_STR or tp == T_INT or tp == T_NONE or tp == T_FLOAT or tp == T_BOOL


cdef inline bint is_deep_atomic(PyTypeObject* tp) noexcept:
    """Does copy.deepcopy return instances of exactly tp unchanged?"""
    return is_hot_atomic(tp) or in_table(&deep_atomic_table, tp)


# -- third-party changes to the copy module's tables ----------------------------

cdef object stdlib_deepcopy = _rules.STDLIB_DEEPCOPY
cdef object stdlib_copy = _rules.STDLIB_COPY
cdef uint64_t rules_checked_epoch = 0   # the fc_rules_epoch() tables_intact() last ran in
cdef bint rules_intact = True           # ... and its answer


cdef inline bint copy_rules_intact() except -1:
    """_rules.tables_intact(), asked again only when a dict it reads (the
    copy module's namespace and dispatch tables: fc_rules_epoch) changes.
    When it is False the entry points hand the call to the stdlib's own
    algorithm, which reads the changed tables."""
    cdef uint64_t epoch = fc_rules_epoch()
    if epoch != 0 and epoch == rules_checked_epoch:
        return rules_intact
    return check_copy_rules(epoch)


cdef bint check_copy_rules(uint64_t epoch) except -1:
    global rules_checked_epoch, rules_intact
    rules_intact = _rules.tables_intact()
    rules_checked_epoch = epoch
    fc_note_rules_intact(epoch, rules_intact)     # for fc_rules_known_intact() (entry.h)
    return rules_intact


cdef inline bint in_dispatch_table(PyTypeObject* tp) except -1:
    cdef PyObject* r = PyDict_GetItemWithError(<PyObject*>dispatch_table, <PyObject*>tp)
    if r == NULL and PyErr_Occurred() != NULL:
        return raise_current()
    return r != NULL


cdef uint64_t sets_checked_epoch = 0   # the epoch they were found unregistered in


cdef bint sets_unregistered() except -1:
    """No copyreg reductor for set or frozenset (which would come before
    their native copy).  Asked again only when the dispatch tables change."""
    global sets_checked_epoch
    cdef uint64_t epoch = fc_dispatch_epoch()
    if epoch != 0 and epoch == sets_checked_epoch:
        return True
    if in_dispatch_table(T_SET) or in_dispatch_table(T_FROZENSET):
        return False
    sets_checked_epoch = epoch
    return True
