# The memo of one deepcopy call, in one of two modes (Session.memo_mode):
#
#   MEMO_NATIVE   no memo from the caller: copies are recorded in a native
#                 hash table keyed by object address (no id() ints are made)
#   MEMO_MAPPING  the caller's memo, or the dict the native table was turned
#                 into for a hook: read and filled exactly as the stdlib does
#
# The rest of the core uses the functions at the end of this file, never the
# table or the mapping directly.
#
# The native table holds a strong reference to each original as well as to
# its copy: an original that is a temporary (say, an item of a reduce value)
# must stay alive so that its address is not reused by another object during
# the same copy - the job the stdlib's keep-alive list `memo[id(memo)]` does.
#
# The first time a hook needs a real memo (`__deepcopy__(memo)` or a copier
# registered in copy._deepcopy_dispatch), memo_as_dict() turns the table into
# a dict filled as the stdlib would have filled it, and the rest of the copy
# uses that dict: entries a hook adds are then seen by the core and vice
# versa.

# The table's storage comes from the C allocator (like any C library's
# private buffers); tracemalloc does not see it, RSS does.
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy, memset


cdef struct MemoEntry:
    PyObject* key       # the original (strong reference)
    PyObject* value     # its copy (strong reference)


cdef enum:
    # Up to this many entries live inside the session and are found by a
    # linear scan; beyond it the entries move to the heap with a hash index.
    SMALL_MEMO = 8
    INDEX_INITIAL_BITS = 6

# An index slot is 0 when free, else (tag << 32) | (entry position + 1): the
# tag is the low half of the key's address hash (the slot number comes from
# the high half), so a probe tells most keys apart without touching the
# entries - with a large memo, every touch of another cache line costs.
ctypedef uint64_t IndexSlot
# Positions + 1 must fit in 32 bits, and a table size in 30 (FinishLog).
cdef Py_ssize_t MAX_ENTRIES = (<Py_ssize_t>1 << 30) - 1


cdef struct MemoTable:
    MemoEntry* entries      # dense, in insertion order (`small` while few)
    Py_ssize_t used
    Py_ssize_t capacity     # room in `entries`
    IndexSlot* index        # open addressing, 1 << bits slots; NULL while
                            # `small` is in use
    int bits
    MemoEntry small[SMALL_MEMO]


cdef inline IndexSlot index_slot(uint64_t hash, Py_ssize_t position) noexcept:
    return (hash << 32) | <IndexSlot>(position + 1)


cdef inline MemoEntry* slot_entry(MemoTable* t, IndexSlot slot, uint32_t tag) noexcept:
    """The entry of a used slot if its tag matches, else NULL."""
    if <uint32_t>(slot >> 32) != tag:
        return NULL
    return &t.entries[<Py_ssize_t><uint32_t>slot - 1]


cdef inline MemoEntry* table_find(MemoTable* t, PyObject* key, uint64_t* h,
                                  Py_ssize_t* free_slot) noexcept:
    """The entry for key, or NULL.  With an index, *h is the key's address
    hash and *free_slot the empty slot the probe stopped at."""
    cdef Py_ssize_t i, mask
    cdef IndexSlot slot
    cdef MemoEntry* e
    if t.index == NULL:
        for i in range(t.used):
            if t.entries[i].key == key:
                return &t.entries[i]
        return NULL
    mask = (<Py_ssize_t>1 << t.bits) - 1
    h[0] = fc_address_hash(key)
    i = <Py_ssize_t>(h[0] >> (64 - t.bits))
    while True:
        slot = t.index[i]
        if slot == 0:
            free_slot[0] = i
            return NULL
        e = slot_entry(t, slot, <uint32_t>h[0])
        if e != NULL and e.key == key:
            return e
        i = (i + 1) & mask


cdef inline PyObject* table_get(MemoTable* t, PyObject* key) noexcept:
    """The copy recorded for key (a borrowed reference), or NULL."""
    cdef uint64_t h
    cdef Py_ssize_t free_slot
    if fc_sole_reference(key):
        return NULL                 # the table would hold a reference too
    cdef MemoEntry* e = table_find(t, key, &h, &free_slot)
    return e.value if e != NULL else NULL


cdef inline Py_ssize_t index_free_slot(IndexSlot* index, int bits, uint64_t h) noexcept:
    """The free slot a key of address hash h goes in (no key compares: for
    a key known not to be in the index)."""
    cdef Py_ssize_t mask = (<Py_ssize_t>1 << bits) - 1
    cdef Py_ssize_t i = <Py_ssize_t>(h >> (64 - bits))
    while index[i] != 0:
        i = (i + 1) & mask
    return i


cdef void index_fill(IndexSlot* index, int bits, MemoEntry* entries, Py_ssize_t used) noexcept:
    """Index these entries in an index with every slot free."""
    cdef Py_ssize_t i
    cdef uint64_t h
    for i in range(used):
        h = fc_address_hash(entries[i].key)
        index[index_free_slot(index, bits, h)] = index_slot(h, i)


cdef int index_build(MemoTable* t, int bits) except -1:
    """(Re)build the hash index over the entries with 1 << bits slots."""
    cdef IndexSlot* index = <IndexSlot*>calloc(<size_t>1 << bits, sizeof(IndexSlot))
    if index == NULL:
        raise MemoryError()
    index_fill(index, bits, t.entries, t.used)
    free(t.index)
    t.index = index
    t.bits = bits
    return 0


cdef int entries_reserve(MemoTable* t) except -1:
    """Room for one more entry."""
    cdef MemoEntry* grown
    cdef Py_ssize_t capacity
    if t.entries == NULL:
        t.entries = t.small
        t.capacity = SMALL_MEMO
        return 0
    if t.used < t.capacity:
        return 0
    if t.used >= MAX_ENTRIES:
        raise MemoryError("too many objects in one deepcopy() call")
    if t.entries == t.small and spare_take(t):
        return 0
    capacity = 4 * t.capacity if t.capacity < 65536 else 2 * t.capacity
    if capacity > MAX_ENTRIES:
        capacity = MAX_ENTRIES      # (the check above is made only when full)
    if t.entries == t.small:
        grown = <MemoEntry*>malloc(capacity * sizeof(MemoEntry))
        if grown != NULL:
            memcpy(grown, t.small, t.used * sizeof(MemoEntry))
    else:
        grown = <MemoEntry*>realloc(t.entries, capacity * sizeof(MemoEntry))
    if grown == NULL:
        raise MemoryError()
    t.entries = grown
    t.capacity = capacity
    return 0


cdef inline int entries_append(MemoTable* t, PyObject* key, PyObject* value) except -1:
    """Add an entry at the end (the index, if any, is the caller's job)."""
    entries_reserve(t)
    incref(key)
    incref(value)
    t.entries[t.used].key = key
    t.entries[t.used].value = value
    t.used += 1
    return 0


cdef inline int index_appended(MemoTable* t, uint64_t h, Py_ssize_t free_slot) except -1:
    """Index the entry just appended: h is its key's address hash (read
    only if there is an index), free_slot the empty slot a probe for it
    stopped at, or -1.  The index is made, or grown, when the entries
    outgrow it."""
    if t.index == NULL:
        if t.used > SMALL_MEMO:
            index_build(t, INDEX_INITIAL_BITS)
        return 0
    # Filled up to two thirds: a probe reads only the slots (their tags tell
    # most keys apart), and a large copy's peak memory is that of the index
    # as much as of the entries.
    if 3 * t.used > 2 * (<Py_ssize_t>1 << t.bits):
        return index_build(t, t.bits + (2 if t.bits < 16 else 1))
    if free_slot < 0:
        free_slot = index_free_slot(t.index, t.bits, h)
    t.index[free_slot] = index_slot(h, t.used - 1)
    return 0


cdef int table_set(MemoTable* t, PyObject* key, PyObject* value) except -1:
    """Record value as the copy of key; both references are taken (not stolen)."""
    cdef Py_ssize_t i = 0
    cdef uint64_t h = 0
    cdef PyObject* old
    cdef bint indexed = t.index != NULL
    cdef MemoEntry* e = table_find(t, key, &h, &i)
    if e != NULL:
        # An existing entry is replaced (the stdlib records some copies twice).
        incref(value)               # first: the old value may be the same object
        old = e.value
        e.value = value
        decref(old)
        return 0
    entries_append(t, key, value)
    if not indexed:
        # (No probe was made; the append may have taken the spare index.)
        return index_appended(t, fc_address_hash(key), -1)
    return index_appended(t, h, i)


cdef inline int table_add_new(MemoTable* t, PyObject* key, PyObject* value) except -1:
    """table_set for a key known not to be in the table yet: no lookup."""
    entries_append(t, key, value)
    return index_appended(t, fc_address_hash(key), -1)


cdef void table_clear(MemoTable* t) noexcept:
    """Drop every entry; the storage becomes the spare (or is freed).  Safe
    to call twice."""
    cdef MemoEntry* entries = t.entries
    cdef Py_ssize_t used = t.used
    cdef Py_ssize_t capacity = t.capacity
    cdef IndexSlot* index = t.index
    cdef int bits = t.bits
    cdef Py_ssize_t i
    # Detach first: a decref below may run arbitrary code (a __del__, which
    # may copy, and take or leave a spare meanwhile).
    t.index = NULL
    t.entries = NULL
    t.used = 0
    t.capacity = 0
    if index != NULL:
        index_empty(index, bits, entries, used)     # (reads only addresses)
    for i in range(used):
        decref(entries[i].key)
        decref(entries[i].value)
    if entries != t.small and entries != NULL:
        spare_leave(entries, capacity, index, bits)
    else:
        free(index)


# -- the spare storage ------------------------------------------------------
#
# A copy of more than SMALL_MEMO objects allocates the entries and grows the
# index step by step (64, 256, 1024... slots, each rebuilt from the entries);
# copying data of the same size again would do all that again.  The storage
# of the last such copy is kept instead, its index emptied, in a slot
# shared by the process (one exchange to take or leave it, see
# spare_slot.h), and the next copy that outgrows SMALL_MEMO starts with it.
# Storage larger than the caps is freed as before.

cdef struct SpareStorage:
    MemoEntry* entries
    Py_ssize_t capacity
    IndexSlot* index            # all slots free
    int bits

cdef enum:
    SPARE_MAX_CAPACITY = 1 << 14    # entries: 256 KiB
    SPARE_MAX_BITS = 15             # index slots: 256 KiB


cdef void index_empty(IndexSlot* index, int bits, MemoEntry* entries, Py_ssize_t used) noexcept:
    """Free every slot of an index over these entries: each entry's own
    slot when the index is mostly free already, else the whole index."""
    cdef Py_ssize_t size = <Py_ssize_t>1 << bits
    cdef Py_ssize_t mask = size - 1
    cdef Py_ssize_t i, j, probes
    cdef uint64_t h
    cdef IndexSlot mine
    if 8 * used < size:
        for i in range(used):
            h = fc_address_hash(entries[i].key)
            mine = index_slot(h, i)
            j = <Py_ssize_t>(h >> (64 - bits))
            probes = 0
            while index[j] != mine and probes < size:
                j = (j + 1) & mask
                probes += 1
            if probes == size:
                break               # not indexed (a failed growth): clear all
            index[j] = 0
        else:
            return
    memset(index, 0, size * sizeof(IndexSlot))


cdef void spare_leave(MemoEntry* entries, Py_ssize_t capacity, IndexSlot* index, int bits) noexcept:
    """Keep this storage (an index emptied by index_empty, or NULL) as the
    spare, or free it."""
    cdef SpareStorage* spare = NULL
    if index != NULL and capacity <= SPARE_MAX_CAPACITY and bits <= SPARE_MAX_BITS:
        spare = <SpareStorage*>malloc(sizeof(SpareStorage))
    if spare == NULL:
        free(index)
        free(entries)
        return
    spare.entries = entries
    spare.capacity = capacity
    spare.index = index
    spare.bits = bits
    spare_free(<SpareStorage*>fc_spare_slot_exchange(spare))    # the one it replaces


cdef void spare_free(SpareStorage* spare) noexcept:
    if spare != NULL:
        free(spare.index)
        free(spare.entries)
        free(spare)


cdef bint spare_take(MemoTable* t) noexcept:
    """For a table outgrowing `small`: move to the spare storage, if there
    is one, with the entries so far indexed.  False if there is none."""
    cdef SpareStorage* spare = <SpareStorage*>fc_spare_slot_exchange(NULL)
    if spare == NULL:
        return False
    memcpy(spare.entries, t.small, t.used * sizeof(MemoEntry))
    t.entries = spare.entries
    t.capacity = spare.capacity
    t.index = spare.index
    t.bits = spare.bits
    free(spare)
    index_fill(t.index, t.bits, t.entries, t.used)
    return True


# -- the finish log -----------------------------------------------------------
#
# The stdlib appends each object it copied to memo[id(memo)] when its copy is
# done.  The native table already owns every original, so that list is needed
# only if a hook is later handed the memo as a dict (memo_as_dict), which must
# then hold the objects finished so far, in the order they finished.  The log
# keeps that order in a few bits per entry:
#
#   - a "leaf" finish, of the entry recorded last with nothing else finished
#     since it was recorded (a container whose items were all atoms, a
#     tuple, an instance whose only attributes are slots holding atoms),
#     sets the entry's bit in `leaves`: it finished just after it was
#     recorded;
#   - any other finish appends the entry's position to `words`, after a mark
#     word FINISH_MARK | table size if entries were recorded since the last
#     word.  A mark places the leaves: the ones recorded before it finished
#     before it, the others after it.  The two fit in one FINISH_PACKED word
#     (position, and the table size as a gap above it) when the gap - the
#     entries recorded while the entry's copy was made - is small.

cdef enum:
    FINISH_INLINE = 8       # words, and bytes of leaf bits, in the session
    FINISH_GAP_SHIFT = 24
    FINISH_GAP_MAX = 127
    FINISH_PACKED_AT_MAX = (1 << 24) - 1

# A word: a position (top bits 00), a mark, or a packed mark and position.
cdef uint32_t FINISH_PACKED = 0x80000000
cdef uint32_t FINISH_MARK = 0x40000000


cdef struct FinishLog:
    uint32_t* words         # positions and marks, in finish order
    Py_ssize_t n
    Py_ssize_t capacity
    uint8_t* leaves         # bit p: entry p finished as a leaf
    Py_ssize_t leaf_room    # bits in `leaves`; 0 until the first finish
    Py_ssize_t words_at     # the table's size when the last word was written
    Py_ssize_t first_at     # the table's size at the first finish
    uint32_t inline_words[FINISH_INLINE]
    uint8_t inline_leaves[FINISH_INLINE]


cdef inline bint finish_leaf_set(FinishLog* log, Py_ssize_t p) noexcept:
    """Note entry p, the last one, as finished as a leaf if it is one (no
    word written since it was recorded, not finished before) and its bit
    has room: True, else False."""
    cdef uint8_t bit = <uint8_t>(1 << (p & 7))
    if p < log.leaf_room and log.words_at <= p and not (log.leaves[p >> 3] & bit):
        log.leaves[p >> 3] |= bit
        return True
    return False


cdef inline int finish_log_note(FinishLog* log, MemoTable* t, PyObject* x) except -1:
    """Log that the copy of x, a key of the table, is done."""
    cdef Py_ssize_t p = t.used - 1
    if p >= 0 and t.entries[p].key == x:
        return finish_log_note_at(log, t, x, p)
    return finish_log_add(log, t, x, -1)


cdef inline int finish_log_note_new(FinishLog* log, MemoTable* t) except -1:
    """finish_log_note() for the entry appended last, just now: nothing can
    have finished since, so it is a leaf."""
    cdef Py_ssize_t p = t.used - 1
    if FASTCOPY_DEBUG:
        assert log.words_at <= p and not finish_is_leaf(log, p)
    if p < log.leaf_room:
        log.leaves[p >> 3] |= <uint8_t>(1 << (p & 7))
        return 0
    return finish_log_add(log, t, t.entries[p].key, p)


cdef inline int finish_log_note_at(FinishLog* log, MemoTable* t, PyObject* x,
                                   Py_ssize_t at) except -1:
    """finish_log_note() for x known to be entry `at` (a container's frame
    notes where its copy was recorded): a container finishing after its
    items costs no lookup."""
    if FASTCOPY_DEBUG:
        assert t.entries[at].key == x
    if at == t.used - 1:
        if finish_leaf_set(log, at):
            return 0
    elif log.n + 2 <= log.capacity:
        finish_words_put(log, t.used, at)
        return 0
    return finish_log_add(log, t, x, at)


cdef inline void finish_words_put(FinishLog* log, Py_ssize_t used, Py_ssize_t at) noexcept:
    """Append the words for entry `at` finishing with `used` entries in
    the table (room for two words is the caller's job)."""
    cdef Py_ssize_t gap
    if log.words_at != used:
        log.words_at = used
        gap = used - at
        if gap <= FINISH_GAP_MAX and at <= FINISH_PACKED_AT_MAX:
            log.words[log.n] = (FINISH_PACKED | <uint32_t>(gap << FINISH_GAP_SHIFT)
                                | <uint32_t>at)
            log.n += 1
            return
        log.words[log.n] = FINISH_MARK | <uint32_t>used
        log.n += 1
    log.words[log.n] = <uint32_t>at
    log.n += 1


cdef int finish_log_add(FinishLog* log, MemoTable* t, PyObject* x, Py_ssize_t at) except -1:
    """finish_log_note() for the first finish, a leaf beyond the bits, an
    entry finished twice (the stdlib then lists it twice) and the rest.
    at: x's position in the table, or -1 if not known."""
    cdef Py_ssize_t p = t.used - 1
    cdef uint64_t h
    cdef Py_ssize_t free_slot
    cdef MemoEntry* e
    if log.leaf_room == 0:
        log.first_at = t.used
        log.leaves = log.inline_leaves
        log.leaf_room = 8 * FINISH_INLINE
        log.words = log.inline_words
        log.capacity = FINISH_INLINE
    if log.words_at <= p and t.entries[p].key == x:
        if p >= log.leaf_room:
            finish_leaves_grow(log, t.capacity)
        if finish_leaf_set(log, p):
            return 0
    if at < 0:
        e = table_find(t, x, &h, &free_slot)
        if FASTCOPY_DEBUG:
            assert e != NULL, "a finished object is not in the memo"
        if e == NULL:
            return 0                # (never: every caller recorded x first)
        at = e - t.entries
    finish_words_grow(log, t.capacity)
    finish_words_put(log, t.used, at)
    return 0


cdef int finish_words_grow(FinishLog* log, Py_ssize_t table_capacity) except -1:
    """Room for two more words, if there is not.  The room grows in a few large steps, to
    half a word per entry the table has room for at least (storage not
    written to costs no memory)."""
    cdef uint32_t* grown
    cdef Py_ssize_t capacity
    if log.n + 2 > log.capacity:
        capacity = max(2 * log.capacity, table_capacity >> 1)
        if log.words == log.inline_words:
            grown = <uint32_t*>malloc(capacity * sizeof(uint32_t))
            if grown != NULL:
                memcpy(grown, log.inline_words, log.n * sizeof(uint32_t))
        else:
            grown = <uint32_t*>realloc(log.words, capacity * sizeof(uint32_t))
        if grown == NULL:
            raise MemoryError()
        log.words = grown
        log.capacity = capacity
    return 0


cdef int finish_leaves_grow(FinishLog* log, Py_ssize_t table_capacity) except -1:
    """Room for a bit per entry the table has room for."""
    cdef Py_ssize_t size = log.leaf_room >> 3
    cdef Py_ssize_t grown_size = max(2 * size, (table_capacity + 7) >> 3)
    cdef uint8_t* grown
    if log.leaves == log.inline_leaves:
        grown = <uint8_t*>malloc(grown_size)
        if grown != NULL:
            memcpy(grown, log.inline_leaves, size)
    else:
        grown = <uint8_t*>realloc(log.leaves, grown_size)
    if grown == NULL:
        raise MemoryError()
    memset(grown + size, 0, grown_size - size)
    log.leaves = grown
    log.leaf_room = 8 * grown_size
    return 0


cdef list finish_log_objects(FinishLog* log, MemoTable* t):
    """The originals logged, in the order they finished: the stdlib's
    memo[id(memo)] by now."""
    cdef list finished = []
    cdef Py_ssize_t i
    cdef Py_ssize_t p = 0           # the next entry that may be a leaf
    cdef Py_ssize_t upto, at
    cdef uint32_t word
    for i in range(log.n):
        word = log.words[i]
        if word & FINISH_PACKED:
            at = word & FINISH_PACKED_AT_MAX
            upto = at + ((word >> FINISH_GAP_SHIFT) & FINISH_GAP_MAX)
        elif word & FINISH_MARK:
            at = -1
            upto = word & ~FINISH_MARK
        else:
            at = word
            upto = 0
        while p < upto:             # the leaves that finished before
            if finish_is_leaf(log, p):
                finished.append(<object>t.entries[p].key)
            p += 1
        if at >= 0:
            finished.append(<object>t.entries[at].key)
    while p < t.used:
        if finish_is_leaf(log, p):
            finished.append(<object>t.entries[p].key)
        p += 1
    return finished


cdef inline bint finish_is_leaf(FinishLog* log, Py_ssize_t p) noexcept:
    return p < log.leaf_room and (log.leaves[p >> 3] & (1 << (p & 7))) != 0


cdef void finish_log_clear(FinishLog* log) noexcept:
    """Empty the log and free its storage (safe to call twice)."""
    if log.words != NULL and log.words != log.inline_words:
        free(log.words)
    if log.leaves != NULL and log.leaves != log.inline_leaves:
        free(log.leaves)
    log.words = NULL
    log.leaves = NULL
    log.n = 0
    log.capacity = 0
    log.leaf_room = 0
    log.words_at = 0
    log.first_at = 0


# -- the memo API -----------------------------------------------------------

cdef enum MemoMode:
    MEMO_NATIVE = 0
    MEMO_MAPPING = 1


cdef inline bint memo_native(Session s) noexcept:
    return s.memo_mode == MEMO_NATIVE


cdef inline PyObject* memo_native_get(Session s, PyObject* x) noexcept:
    """MEMO_NATIVE: the copy recorded for x (borrowed: the table holds it
    until the session ends), or NULL.  Runs no Python code."""
    if FASTCOPY_DEBUG:
        assert s.memo_mode == MEMO_NATIVE
    return table_get(&s.table, x)


cdef inline int memo_native_add(Session s, PyObject* x, PyObject* y) except -1:
    """MEMO_NATIVE: record y as the copy of x, which has no entry yet."""
    if FASTCOPY_DEBUG:
        assert s.memo_mode == MEMO_NATIVE and table_get(&s.table, x) == NULL
    return table_add_new(&s.table, x, y)


cdef inline int memo_native_add_finished(Session s, PyObject* x, PyObject* y) except -1:
    """MEMO_NATIVE: memo_native_add(), and x's copy is done (native_keep_alive)."""
    memo_native_add(s, x, y)
    return finish_log_note_new(&s.kept, &s.table)


cdef object memo_as_dict(Session s):
    """The memo as a dict for a hook.  In native mode the table is turned
    into the dict the stdlib would have filled by now, and the session
    moves to mapping mode for good."""
    if s.memo_mode == MEMO_MAPPING:
        return s.memo
    # The one move between modes: native -> mapping, never back.
    cdef dict memo = {}
    cdef FinishLog* log = &s.kept
    cdef MemoEntry* entries = s.table.entries
    cdef Py_ssize_t i
    cdef list keep_alive = finish_log_objects(log, &s.table)
    # The entries in the order they were recorded, memo[id(memo)] among them
    # where the first object finished.
    for i in range(s.table.used + 1):
        if log.leaf_room != 0 and i == log.first_at:
            memo[id(memo)] = keep_alive
        if i < s.table.used:
            memo[id(<object>entries[i].key)] = <object>entries[i].value
    s.memo = memo
    s.memo_is_dict = True
    s.memo_mode = MEMO_MAPPING
    finish_log_clear(log)
    table_clear(&s.table)
    return memo


cdef int memo_lookup(Session s, PyObject* x, PyObject** y) except -1:
    """1 with *y a new reference to the recorded copy of x, or 0 if there
    is none (a miss, the usual answer, costs no check for an exception).

    Mapping memos are read as the running stdlib reads them:
    memo.get(id(x), nil), or (3.15) `id(x) in memo` then memo[id(x)].
    """
    cdef PyObject* found_ref
    if s.memo_mode == MEMO_NATIVE:
        found_ref = table_get(&s.table, x)
        if found_ref == NULL:
            return 0
        incref(found_ref)
        y[0] = found_ref
        return 1
    cdef int probed
    if s.memo_is_dict:
        # Most lookups are answered from the table, without making id(x).
        probed = fc_dict_probe_address(<PyObject*>s.memo, x, &found_ref)
        if probed == 0:
            return 0
        if probed == 1:
            incref(found_ref)
            y[0] = found_ref
            return 1
    cdef object key = memo_key(s, x)
    cdef object found
    if s.memo_is_dict:
        found_ref = PyDict_GetItemWithError(<PyObject*>s.memo, <PyObject*>key)
        if found_ref == NULL:
            if PyErr_Occurred() != NULL:
                raise_current()
            return 0
        incref(found_ref)
        y[0] = found_ref
        return 1
    if MEMO_READ_BY_CONTAINS:
        if key not in s.memo:
            return 0
        found = s.memo[key]
    else:
        found = s.memo.get(key, _nil)
        if found is _nil:
            return 0
    incref(<PyObject*>found)
    y[0] = <PyObject*>found
    return 1


cdef PyObject* memo_subscript(Session s, PyObject* x) except? NULL:
    """memo[id(x)] as a new reference, NULL on KeyError: how the stdlib
    looks for a tuple's (or frozendict's) copy made through a cycle."""
    cdef PyObject* y = NULL
    if s.memo_mode == MEMO_NATIVE or s.memo_is_dict:
        memo_lookup(s, x, &y)       # (for a dict, memo.get: the same answer)
        return y
    try:
        found = s.memo[PyLong_FromVoidPtr_obj(x)]
    except KeyError:
        return NULL
    incref(<PyObject*>found)
    return <PyObject*>found


cdef int memo_record(Session s, PyObject* x, PyObject* y) except -1:
    """memo[id(x)] = y."""
    if s.memo_mode == MEMO_NATIVE:
        return table_set(&s.table, x, y)
    cdef object key = memo_key(s, x)
    if s.memo_is_dict:
        return PyDict_SetItem(<PyObject*>s.memo, <PyObject*>key, y)
    return PyObject_SetItem(<PyObject*>s.memo, <PyObject*>key, y)


cdef int memo_keep_alive(Session s, PyObject* x) except -1:
    """The stdlib's _keep_alive: memo[id(memo)].append(x).

    The native table already owns x: the finish is only logged.
    """
    if s.memo_mode == MEMO_NATIVE:
        return native_keep_alive(s, x)
    cdef PyObject* holder
    if s.memo_is_dict:
        holder = keep_alive_list(s)
        if holder != NULL and Py_TYPE(holder) == T_LIST:
            return PyList_Append(holder, x)     # the usual case, found without id(memo)
    memo = s.memo
    if s.keep_alive_key is None:
        s.keep_alive_key = id(memo)
    key = s.keep_alive_key
    if s.memo_is_dict:
        holder = PyDict_GetItemWithError(<PyObject*>memo, <PyObject*>key)
        if holder == NULL:
            if PyErr_Occurred() != NULL:
                raise_current()
            memo[key] = [<object>x]
            return 0
        if Py_TYPE(holder) == T_LIST:
            return PyList_Append(holder, x)
        (<object>holder).append(<object>x)
        return 0
    try:
        found = memo[key]
    except KeyError:
        memo[key] = [<object>x]
        return 0
    found.append(<object>x)
    return 0


cdef inline int native_keep_alive(Session s, PyObject* x) except -1:
    """MEMO_NATIVE: log that the copy of x, a key of the table, is done.
    The table owns x, so the stdlib's keep-alive list is needed only if a
    hook is handed the memo as a dict (memo_as_dict), which then finds the
    objects finished so far, in the order they finished."""
    return finish_log_note(&s.kept, &s.table, x)


cdef inline int native_keep_alive_at(Session s, PyObject* x, Py_ssize_t at) except -1:
    """native_keep_alive() for x recorded as entry `at` of the table."""
    return finish_log_note_at(&s.kept, &s.table, x, at)


cdef inline PyObject* keep_alive_list(Session s) noexcept:
    """memo[id(memo)] (borrowed) for a dict memo, found without making
    id(memo), or NULL if it cannot be told so.  The entry found is noted:
    the next call reads it back from the same place, its key held by the
    session, with no probe (hooks copying their __dict__ keep many objects
    alive, each through this)."""
    cdef PyObject* holder
    cdef PyObject* key
    cdef Py_ssize_t position
    if s.keep_alive_spot != 0:
        holder = fc_dict_entry_value(<PyObject*>s.memo, s.keep_alive_spot - 1,
                                     <PyObject*>s.keep_alive_key)
        if holder != NULL:
            return holder
    if fc_dict_find_address(<PyObject*>s.memo, <PyObject*>s.memo, &holder,
                            &position, &key) != 1:
        return NULL
    # The key is an int equal to id(memo): held from here on, as the
    # session's id(memo).
    s.keep_alive_key = <object>key
    s.keep_alive_spot = position + 1
    return holder


cdef inline int memo_record_copy(Session s, PyObject* x, PyObject* y) except -1:
    """What the stdlib's deepcopy() does with a copy before returning it:
    memo[id(x)] = y and keep x alive - unless y is x (an object that is its
    own copy is not memoized)."""
    if y != x:
        memo_record_again(s, x, y)
        memo_keep_alive(s, x)
    return 0


cdef inline int memo_record_again(Session s, PyObject* x, PyObject* y) except -1:
    """memo[id(x)] = y where the memo may already hold it (the stdlib's
    deepcopy() records every copy when it returns, containers and
    reconstructed objects a second time): storing the value a dict memo
    already has for the key changes nothing, and is skipped."""
    cdef PyObject* found
    if s.memo_is_dict and fc_dict_probe_address(<PyObject*>s.memo, x, &found) == 1 \
            and found == y:
        return 0
    return memo_record(s, x, y)


cdef inline object memo_key(Session s, PyObject* x):
    """id(x) for a mapping memo.  A miss is usually followed by recording
    the copy of the same object: the int made for the lookup serves both.
    (The int depends only on the address, so it stays right even if x has
    died since and another object lives there.)"""
    if s.last_id_of != x:           # NULL (and last_id None) in a new session
        s.last_id = PyLong_FromVoidPtr_obj(x)
        s.last_id_of = x
    return s.last_id


cdef inline object PyLong_FromVoidPtr_obj(PyObject* x):
    # Same value as id(x).
    cdef PyObject* r = PyLong_FromVoidPtr(<void*>x)
    return steal(r)


# steal(p): the new reference p as an object, without adding a reference (a
# C function returning `object` hands Cython a reference it then owns; NULL
# propagates the exception set with it).
cdef extern from *:
    """
    #define FC_STEAL(p) (p)
    """
    object steal "FC_STEAL" (PyObject* p)


cdef int raise_current() except -1:
    # Reached only with an exception set: returning -1 propagates it.
    return -1
