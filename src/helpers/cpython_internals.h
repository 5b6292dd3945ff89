/* Every private CPython layout or function the core reads, in one file.
 *
 * function                 private field or function      versions        fallback
 * ------------------------ ------------------------------ --------------- ---------------------------
 * fc_dict_scan_atomic      PyDictKeysObject: dk_kind,     3.10 (dk_size), "don't know": the caller
 *                          dk_nentries, index size,       3.11-3.15,      scans with PyDict_Next
 *                          entries (hash, key, value)     GIL builds
 * fc_peek_instance_dict    managed dict pointer at        3.11-3.15,      "can't tell": the caller
 *                          FC_MANAGED_DICT_OFFSET;        GIL builds      takes the stdlib's lookups
 *                          inline values (valid flag)
 *                          after the header (3.13) or
 *                          at tp_basicsize (3.14+);
 *                          values pointer (3.11, 3.12)
 * fc_shared_keys_lack      ht_cached_keys entries         3.11-3.15, GIL  "may hold it"
 * fc_dict_surely_lacks_str PyDictKeysObject.dk_kind, the   3.11-3.15, GIL  scan with PyDict_Next
 * fc_str_keys_hold         probe sequence of str keys
 * fc_dict_cursor,          the entries, in place          3.10-3.15, GIL  PyDict_Next
 * fc_dict_next
 * fc_dict_probe_address    PyDictKeysObject indices and   3.10-3.15, GIL  "can't tell": a lookup
 *                          entries, the probe sequence                    with the int id(x)
 * fc_dict_find_address,    the same, and an entry's       3.10-3.15, GIL  "can't tell": a probe
 * fc_dict_entry_value      position (dk_nentries)
 * fc_set_next_key          PySetObject table (public      all, GIL        PyObject_GetIter
 *                          struct), dummy hash -1
 * fc_class_lookup          _PyType_Lookup()               GIL builds      FC_CLASS_LOOKUP 0: getattr
 * fc_dict_tag_address      PyDictObject.ma_version_tag    3.10, 3.11      (3.12+: a dict watcher)
 * fc_list_append_steal     PyListObject.allocated         all             -
 * fc_dict_with_capacity    _PyDict_NewPresized()          3.10-3.15       PyDict_New()
 *
 * A new CPython version is mirrored only after its headers
 * (Include/internal/pycore_dict.h, pycore_object.h) have been checked;
 * until then the fallbacks apply.
 */
#ifndef FASTCOPY_CPYTHON_INTERNALS_H
#define FASTCOPY_CPYTHON_INTERNALS_H

/* Named offsets and flags of the managed-dict layout (GIL builds). */
#define FC_MANAGED_DICT_OFFSET (-3 * (Py_ssize_t)sizeof(PyObject *))
#define FC_311_VALUES_OFFSET (-4 * (Py_ssize_t)sizeof(PyObject *))
#define FC_VALUES_VALID_BYTE 3      /* struct _dictvalues: capacity, size,
                                       embedded, valid, values[] */
#define FC_DICT_KEYS_GENERAL 0
#define FC_DICT_KEYS_UNICODE 1
#define FC_DICT_KEYS_SPLIT 2

/* Reading a dict's entries in place, for the scan that decides whether a
 * dict of atomic values can be copied whole.  PyDict_Next costs a call and
 * several checks per item, more than copying the table; these mirror the
 * private layout of the keys object (Objects/dict-common.h in 3.10,
 * Include/internal/pycore_dict.h in 3.11-3.15, unchanged from 3.11 to 3.15
 * in GIL builds).  Other versions and free-threaded builds (whose keys
 * object has a lock in the middle) are not mirrored: the scan answers
 * "don't know" and the caller uses PyDict_Next. */
#if !defined(Py_GIL_DISABLED) && FC_AT_LEAST(FC_PY_3_11) && !FC_AT_LEAST(FC_PY_3_16)
#define FC_DICT_LAYOUT 311
typedef struct {
    Py_ssize_t dk_refcnt;
    uint8_t dk_log2_size;
    uint8_t dk_log2_index_bytes;
    uint8_t dk_kind;            /* 0 general, 1 all keys exact str, 2 split */
    uint32_t dk_version;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];          /* then the entries */
} fc_dict_keys;
#elif !FC_AT_LEAST(FC_PY_3_11)
#define FC_DICT_LAYOUT 310
typedef struct {
    Py_ssize_t dk_refcnt;
    Py_ssize_t dk_size;
    void *dk_lookup;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];
} fc_dict_keys;
#endif

#ifdef FC_DICT_LAYOUT
/* The width of one of a keys object's indices, and where its entries start
   (after the indices). */
static inline int fc_keys_index_bytes(const fc_dict_keys *dk)
{
#if FC_DICT_LAYOUT == 311
    return 1 << (dk->dk_log2_index_bytes - dk->dk_log2_size);
#else
    Py_ssize_t size = dk->dk_size;
    return size <= 0xff ? 1 : size <= 0xffff ? 2 : (uint64_t)size <= 0xffffffffu ? 4 : 8;
#endif
}

static inline const char *fc_keys_entries(const fc_dict_keys *dk)
{
#if FC_DICT_LAYOUT == 311
    return dk->dk_indices + ((size_t)1 << dk->dk_log2_index_bytes);
#else
    return dk->dk_indices + (size_t)dk->dk_size * fc_keys_index_bytes(dk);
#endif
}
#endif

/* CPython's probe sequence: an empty index slot, the perturbation shift. */
#define FC_DKIX_EMPTY (-1)
#define FC_PERTURB_SHIFT 5

typedef struct { Py_hash_t hash; PyObject *key; PyObject *value; } fc_general_entry;
typedef struct { PyObject *key; PyObject *value; } fc_str_key_entry;

/* The instance's own __dict__, looked at without creating it: 1 with *dict
   set (borrowed; NULL when there is none yet), or 0 when that cannot be
   told without creating it.  An instance of a Python class since 3.11 keeps
   its attributes outside any dict object until __dict__ is asked for
   ("inline values", named by the class's shared keys): then *dict is NULL
   and *shared_keys is those keys (the names the values may be under).  The
   managed-dict layout is mirrored for 3.11-3.15 with the GIL (see
   Include/internal/pycore_object.h); elsewhere such instances answer 0. */
static inline int fc_peek_instance_dict(PyObject *x, PyObject **dict, void **shared_keys)
{
    PyTypeObject *tp = Py_TYPE(x);
    *dict = NULL;
    *shared_keys = NULL;
#ifdef Py_TPFLAGS_MANAGED_DICT
    if (tp->tp_flags & Py_TPFLAGS_MANAGED_DICT) {
#if defined(FC_DICT_LAYOUT) && FC_DICT_LAYOUT == 311
        void *keys;
        if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE))
            return 0;           /* shared keys live in the heap type object */
        keys = ((PyHeapTypeObject *)tp)->ht_cached_keys;
#if FC_AT_LEAST(FC_PY_3_13)
        /* 3.13-3.15: the dict pointer three words before the object; the
           values (struct _dictvalues, whose fourth byte is the `valid` flag)
           right after the object header in 3.13, at tp_basicsize from 3.14
           on (after any __slots__). */
        uint8_t *values;
        *dict = *(PyObject **)((char *)x + FC_MANAGED_DICT_OFFSET);
        if (*dict != NULL)
            return 1;
        if (!(tp->tp_flags & Py_TPFLAGS_INLINE_VALUES))
            return 1;           /* no attributes yet */
#if FC_AT_LEAST(FC_PY_3_14)
        values = (uint8_t *)x + tp->tp_basicsize;
#else
        if (tp->tp_basicsize != sizeof(PyObject))
            return 0;
        values = (uint8_t *)x + sizeof(PyObject);
#endif
        if (keys == NULL || !values[FC_VALUES_VALID_BYTE])
            return 0;
        *shared_keys = keys;
        return 1;
#elif FC_AT_LEAST(FC_PY_3_12)
        /* 3.12: three words before the object, the dict or (tagged with
           the low bit) the values. */
        uintptr_t dict_or_values = *(uintptr_t *)((char *)x + FC_MANAGED_DICT_OFFSET);
        if (dict_or_values & 1) {
            if (keys == NULL)
                return 0;
            *shared_keys = keys;
        } else {
            *dict = (PyObject *)dict_or_values;
        }
        return 1;
#else
        /* 3.11: the dict three words before the object, the values four. */
        *dict = *(PyObject **)((char *)x + FC_MANAGED_DICT_OFFSET);
        if (*dict == NULL && *(void **)((char *)x + FC_311_VALUES_OFFSET) != NULL) {
            if (keys == NULL)
                return 0;
            *shared_keys = keys;
        }
        return 1;
#endif
#else
        return 0;
#endif
    }
#endif
    if (tp->tp_dictoffset == 0)
        return 1;
    if (tp->tp_dictoffset < 0) {
        /* At the end of a variable-size object (a subclass of int, tuple,
           bytes... without a managed dict): CPython's own arithmetic, which
           for such a type only computes the address. */
        PyObject **dictptr = _PyObject_GetDictPtr(x);
        if (dictptr == NULL)
            return 0;
        *dict = *dictptr;
        return 1;
    }
    *dict = *(PyObject **)((char *)x + tp->tp_dictoffset);
    return 1;
}

/* A combined table's entries, read in place: where they start, how many
   there are (deleted ones included) and their kind.  entries is NULL for a
   split table (values kept apart) or a layout not mirrored here. */
typedef struct {
    const char *entries;
    Py_ssize_t n;
    int str_keys;               /* entries are fc_str_key_entry */
} fc_dict_entries;

static inline void fc_dict_entries_of(PyObject *d, fc_dict_entries *t)
{
    t->entries = NULL;
    t->n = 0;
    t->str_keys = 0;
#ifdef FC_DICT_LAYOUT
    PyDictObject *mp = (PyDictObject *)d;
    fc_dict_keys *dk = (fc_dict_keys *)mp->ma_keys;
    if (mp->ma_values != NULL)
        return;
#if FC_DICT_LAYOUT == 311
    if (dk->dk_kind != FC_DICT_KEYS_GENERAL && dk->dk_kind != FC_DICT_KEYS_UNICODE)
        return;
    t->str_keys = dk->dk_kind == FC_DICT_KEYS_UNICODE;
#endif
    t->entries = fc_keys_entries(dk);
    t->n = dk->dk_nentries;
#else
    (void)d;
#endif
}

/* PyDict_Next over entries found by fc_dict_entries_of: the item at or
   after *pos (not negative) that is not deleted, *pos then just past it; 0
   at the end. */
static inline int fc_dict_entries_next(const fc_dict_entries *t, Py_ssize_t *pos,
                                       PyObject **key, PyObject **value)
{
    Py_ssize_t i;
    for (i = *pos; i < t->n; i++) {
        PyObject *k, *v;
        if (t->str_keys) {
            const fc_str_key_entry *e = (const fc_str_key_entry *)t->entries + i;
            k = e->key;
            v = e->value;
        }
        else {
            const fc_general_entry *e = (const fc_general_entry *)t->entries + i;
            k = e->key;
            v = e->value;
        }
        if (v != NULL) {        /* NULL: a deleted entry */
            *key = k;
            *value = v;
            *pos = i + 1;
            return 1;
        }
    }
    return 0;
}

/* PyDict_Next(d, pos, key, value), a combined table's entries read in
   place: the same items, positions and end.  For loops that let code run
   between items (the walk's dict frames): the layout is read at each call. */
static inline int fc_dict_next(PyObject *d, Py_ssize_t *pos, PyObject **key, PyObject **value)
{
    fc_dict_entries t;
    fc_dict_entries_of(d, &t);
    if (t.entries == NULL)
        return PyDict_Next(d, pos, key, value);
    if (*pos < 0)
        return 0;               /* as PyDict_Next (a cursor never has one) */
    return fc_dict_entries_next(&t, pos, key, value);
}

/* A dict's items read in place, in order, as PyDict_Next gives them but
   without its call and checks per item: fc_dict_cursor_init(), then
   fc_dict_cursor_next() until it answers 0.  Valid while no code can
   change the dict: the layout is read once. */
typedef struct {
    PyObject *dict;
    fc_dict_entries table;
    Py_ssize_t i;
} fc_dict_cursor;

static inline void fc_dict_cursor_init(fc_dict_cursor *c, PyObject *d)
{
    c->dict = d;
    c->i = 0;
    fc_dict_entries_of(d, &c->table);
}

/* 1 with the next item's key and value (borrowed), 0 after the last. */
static inline int fc_dict_cursor_next(fc_dict_cursor *c, PyObject **key, PyObject **value)
{
    if (c->table.entries == NULL)
        return PyDict_Next(c->dict, &c->i, key, value);
    return fc_dict_entries_next(&c->table, &c->i, key, value);
}

/* Could the exact str key equal the str name (not known to differ)?  Equal
   strs have equal hashes, and both hashes are known: a dict's (or shared
   keys') key had its hash computed when it was inserted, and name is an
   identifier.  Compares no characters for keys whose hash differs. */
static inline int fc_str_may_equal(PyObject *key, PyObject *name)
{
    Py_hash_t key_hash = ((PyASCIIObject *)key)->hash;
    Py_hash_t name_hash = ((PyASCIIObject *)name)->hash;
    if (key == name)
        return 1;
    if (key_hash != -1 && name_hash != -1 && key_hash != name_hash)
        return 0;
    return PyUnicode_GET_LENGTH(key) == PyUnicode_GET_LENGTH(name)
        && PyUnicode_Compare(key, name) == 0;
}

/* An entry's position from a table's indices of index_bytes bytes each
   (negative: empty, -1, or a deleted entry). */
static inline Py_ssize_t fc_index_at(const char *indices, int index_bytes, size_t i)
{
    switch (index_bytes) {
    case 1: return ((const int8_t *)indices)[i];
    case 2: return ((const int16_t *)indices)[i];
    case 4: return ((const int32_t *)indices)[i];
    default: return (Py_ssize_t)((const int64_t *)indices)[i];
    }
}

#if defined(FC_DICT_LAYOUT) && FC_DICT_LAYOUT == 311
/* For keys whose every key is an exact str (the unicode and split kinds):
   1 if one equals the str name, 0 if none does.  The probe CPython's lookup
   makes for name's hash (computed: a name is an identifier; a key's was
   computed when it was inserted); keys of another hash are not compared. */
static inline int fc_str_keys_hold(const fc_dict_keys *dk, PyObject *name)
{
    Py_hash_t hash = ((PyASCIIObject *)name)->hash;
    size_t mask = ((size_t)1 << dk->dk_log2_size) - 1, perturb = (size_t)hash, i;
    int index_bytes = fc_keys_index_bytes(dk);
    const fc_str_key_entry *entries = (const fc_str_key_entry *)fc_keys_entries(dk);
    if (hash == -1)
        return 1;               /* not computed: "may" */
    i = (size_t)hash & mask;
    for (;;) {
        Py_ssize_t ix = fc_index_at(dk->dk_indices, index_bytes, i);
        if (ix == FC_DKIX_EMPTY)
            return 0;
        if (ix >= 0 && fc_str_may_equal(entries[ix].key, name))
            return 1;
        perturb >>= FC_PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}
#endif

/* 1 if the shared keys of a class (from fc_peek_instance_dict) surely do
   not include the str `name`, 0 if they may. */
static inline int fc_shared_keys_lack(void *shared_keys, PyObject *name)
{
#if defined(FC_DICT_LAYOUT) && FC_DICT_LAYOUT == 311
    fc_dict_keys *dk = (fc_dict_keys *)shared_keys;
    return dk->dk_kind == FC_DICT_KEYS_SPLIT && !fc_str_keys_hold(dk, name);
#else
    (void)shared_keys; (void)name;
    return 0;
#endif
}

/* An exact str, int, float, bool or None: its own deep copy. */
static inline int fc_plainly_atomic(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    return tp == &PyUnicode_Type || tp == &PyLong_Type || tp == &PyFloat_Type
        || o == Py_None || tp == &PyBool_Type;
}

/* The scan reads the type of every key and value object: in a dict too
   large for the caches, a miss each unless they are asked for some entries
   ahead (not worth its instructions in a smaller one). */
#define FC_SCAN_AHEAD 16
#define FC_SCAN_PREFETCH_FROM 32768
#if defined(__GNUC__) || defined(__clang__)
#define FC_PREFETCH(p) __builtin_prefetch((const void *)(p))
#else
#define FC_PREFETCH(p) ((void)0)
#endif

/* 1: every key and value of dict is plainly atomic; 0: a value or key is an
 * exact list or dict (never its own copy); -1: don't know (another type, or
 * a layout not mirrored here). Reads only; runs no code. */
static inline int fc_dict_scan_atomic(PyObject *dict)
{
#ifdef FC_DICT_LAYOUT
    PyDictObject *mp = (PyDictObject *)dict;
    fc_dict_keys *dk = (fc_dict_keys *)mp->ma_keys;
    Py_ssize_t i, n = dk->dk_nentries;
    Py_ssize_t ahead = n >= FC_SCAN_PREFETCH_FROM ? FC_SCAN_AHEAD : n;
    int result = 1;
    if (mp->ma_values != NULL)
        return -1;              /* split table: values kept apart */
    const char *entries = fc_keys_entries(dk);
#if FC_DICT_LAYOUT == 311
    if (dk->dk_kind == FC_DICT_KEYS_UNICODE) {
        /* Keys are all exact str (the dict turns general otherwise). */
        const fc_str_key_entry *e = (const fc_str_key_entry *)entries;
        for (i = 0; i < n; i++) {
            PyObject *v = e[i].value;
            if (i + ahead < n)
                FC_PREFETCH(e[i + ahead].value);
            if (v == NULL || fc_plainly_atomic(v))
                continue;       /* NULL: a deleted entry */
            if (PyList_CheckExact(v) || PyDict_CheckExact(v))
                return 0;
            result = -1;
        }
        return result;
    }
    if (dk->dk_kind != FC_DICT_KEYS_GENERAL)
        return -1;
#endif
    const fc_general_entry *g = (const fc_general_entry *)entries;
    for (i = 0; i < n; i++) {
        PyObject *k = g[i].key, *v = g[i].value;
        if (i + ahead < n) {
            FC_PREFETCH(g[i + ahead].key);
            FC_PREFETCH(g[i + ahead].value);
        }
        if (v == NULL || (fc_plainly_atomic(k) && fc_plainly_atomic(v)))
            continue;
        if (PyList_CheckExact(v) || PyDict_CheckExact(v))
            return 0;
        result = -1;
    }
    return result;
#else
    (void)dict;
    return -1;
#endif
}

/* Where the dict keeps its version tag (3.10, 3.11: it changes with every
   change of the dict, from one global counter). */
#if !FC_AT_LEAST(FC_PY_3_12)
static inline const uint64_t *fc_dict_tag_address(PyObject *d)
{
    return &((PyDictObject *)d)->ma_version_tag;
}
#endif

/* What instances of tp find as `name` in their class (the MRO lookup of
   the generic getattr), as a new reference, or NULL (no exception set) if
   there is none.  Free-threaded builds have no lookup that returns a
   borrowed reference safely; there FC_CLASS_LOOKUP is 0 and callers take
   another path. */
#ifdef Py_GIL_DISABLED
#define FC_CLASS_LOOKUP 0
static inline PyObject *fc_class_lookup(PyTypeObject *tp, PyObject *name)
{
    (void)tp; (void)name;
    return NULL;
}
#else
#define FC_CLASS_LOOKUP 1
static inline PyObject *fc_class_lookup(PyTypeObject *tp, PyObject *name)
{
    PyObject *found = _PyType_Lookup(tp, name);
    Py_XINCREF(found);
    return found;
}
#endif


/* memo.get(id(x)) for a dict memo, without making the int id(x): the
   dict's hash table probed the way CPython's lookup probes it, with the
   hash an int equal to the address has.  1 with *value set (borrowed) when
   an exact int key equal to the address is found; 0 when the key is surely
   not there; -1 when that cannot be told without a real lookup (a key with
   the same hash that is not an exact int, whose __eq__ would be asked; a
   layout not mirrored here).  Runs no code and sets no exception. */
#ifdef PyHASH_MODULUS
#define FC_HASH_MODULUS PyHASH_MODULUS
#else
#define FC_HASH_MODULUS _PyHASH_MODULUS
#endif

/* The probe in two steps, so that a loop probing one dict for many
   addresses reads the table's layout once: fc_address_probe_init(), then
   fc_address_probe_find() for each address, valid for as long as no code
   can change the dict (no Python code runs in between).  The find answers
   as fc_dict_probe_address() does. */
typedef struct {
    const char *indices;            /* NULL: every find answers -1 (or 0) */
    const fc_general_entry *entries;
    size_t mask;
    int index_bytes;
    int no_int_keys;                /* every key an exact str: finds answer 0 */
} fc_address_probe;

static inline void fc_address_probe_init(fc_address_probe *p, PyObject *d)
{
    p->indices = NULL;
    p->no_int_keys = 0;
#if defined(FC_DICT_LAYOUT)
    fc_dict_keys *dk = (fc_dict_keys *)((PyDictObject *)d)->ma_keys;
#if FC_DICT_LAYOUT == 311
    if (dk->dk_kind == FC_DICT_KEYS_UNICODE) {
        p->no_int_keys = 1;         /* no int equals a str */
        return;
    }
    if (dk->dk_kind != FC_DICT_KEYS_GENERAL)
        return;
    p->mask = ((size_t)1 << dk->dk_log2_size) - 1;
#else
    if (((PyDictObject *)d)->ma_values != NULL)
        return;                     /* a split table */
    p->mask = (size_t)dk->dk_size - 1;
#endif
    p->index_bytes = fc_keys_index_bytes(dk);
    p->entries = (const fc_general_entry *)fc_keys_entries(dk);
    p->indices = dk->dk_indices;
#else
    (void)d;
#endif
}

static inline Py_ssize_t fc_probe_index(const fc_address_probe *p, size_t i)
{
    return fc_index_at(p->indices, p->index_bytes, i);
}

/* The find: also tells where a found entry is, its position in the
   table's entries (for fc_dict_entry_value). */
static inline int fc_address_probe_find_at(const fc_address_probe *p, const void *address,
                                           PyObject **value, Py_ssize_t *position)
{
    /* An int's hash is its value modulo FC_HASH_MODULUS (2**61 - 1 on
       64-bit builds, above any user-space address: no division there). */
    size_t a = (size_t)(uintptr_t)address;
    Py_hash_t hash = (Py_hash_t)(a < (size_t)FC_HASH_MODULUS ? a : a % (size_t)FC_HASH_MODULUS);
    size_t perturb = (size_t)hash, i;
    if (p->indices == NULL)
        return p->no_int_keys ? 0 : -1;
    if (hash == -1)
        return -1;
    i = (size_t)hash & p->mask;
    for (;;) {
        Py_ssize_t ix = fc_probe_index(p, i);
        if (ix == FC_DKIX_EMPTY)
            return 0;
        if (ix >= 0 && p->entries[ix].hash == hash) {
            PyObject *key = p->entries[ix].key;
            void *found;
            if (!PyLong_CheckExact(key))
                return -1;      /* its __eq__ decides */
            found = PyLong_AsVoidPtr(key);
            if (found == NULL && PyErr_Occurred()) {
                PyErr_Clear();
                return -1;
            }
            if (found == address) {
                *value = p->entries[ix].value;
                *position = ix;
                return 1;
            }
        }
        perturb >>= FC_PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & p->mask;
    }
}

static inline int fc_address_probe_find(const fc_address_probe *p, const void *address,
                                        PyObject **value)
{
    Py_ssize_t position;
    return fc_address_probe_find_at(p, address, value, &position);
}

static inline int fc_dict_probe_address(PyObject *d, const void *address, PyObject **value)
{
    fc_address_probe p;
    fc_address_probe_init(&p, d);
    return fc_address_probe_find(&p, address, value);
}

/* fc_dict_probe_address() that also tells where a found entry is, and its
   key (borrowed). */
static inline int fc_dict_find_address(PyObject *d, const void *address, PyObject **value,
                                       Py_ssize_t *position, PyObject **key)
{
    fc_address_probe p;
    int found;
    fc_address_probe_init(&p, d);
    found = fc_address_probe_find_at(&p, address, value, position);
    if (found == 1)
        *key = p.entries[*position].key;
    return found;
}

/* The value (borrowed) of the entry at `position` of the dict's entries if
   that entry's key is the object `key`, else NULL (also where the layout is
   not mirrored).  The caller holds a reference to key: no other object can
   have its address, so an entry with that key is the dict's one entry for
   it, wherever the table has been rebuilt or changed since the position was
   found.  Reads no key's value and runs no code. */
static inline PyObject *fc_dict_entry_value(PyObject *d, Py_ssize_t position, PyObject *key)
{
#if defined(FC_DICT_LAYOUT)
    fc_address_probe p;
    fc_address_probe_init(&p, d);
    if (p.indices == NULL || position < 0
            || position >= ((fc_dict_keys *)((PyDictObject *)d)->ma_keys)->dk_nentries)
        return NULL;
    return p.entries[position].key == key ? p.entries[position].value : NULL;
#else
    (void)d; (void)position; (void)key;
    return NULL;
#endif
}


/* 1 if the dict d surely holds no key equal to the str `name`, found
   without running any code (no __eq__ or __hash__ of a key, no allocation,
   so no collection and no finalizer); 0 if it may hold one.  Callers inside
   the tight loops, which hold borrowed items and cached sizes, rely on that.
   A 1 also means that every key of d is an exact str, which compares with
   any name without code: the reduce paths that skip the other lookups of
   object.__reduce_ex__ (of __reduce__, __getstate__...) rely on that.  A
   dict whose keys are all exact str (dk_kind not general, 3.11+) is probed
   in place; otherwise (3.10, or a general table) every entry is read, and
   a key that is not an exact str answers "may". */
static inline int fc_dict_surely_lacks_str(PyObject *d, PyObject *name)
{
    fc_dict_cursor entries;
    PyObject *key, *value;
#if defined(FC_DICT_LAYOUT) && FC_DICT_LAYOUT == 311
    const fc_dict_keys *dk = (const fc_dict_keys *)((PyDictObject *)d)->ma_keys;
    if (dk->dk_kind != FC_DICT_KEYS_GENERAL)
        return !fc_str_keys_hold(dk, name);     /* every key an exact str */
#endif
    fc_dict_cursor_init(&entries, d);
    while (fc_dict_cursor_next(&entries, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || fc_str_may_equal(key, name))
            return 0;
    }
    return 1;
}

/* 1 if x's own __dict__ surely holds no key equal to the str `name`, told
   without creating the dict and without running any code (see
   fc_dict_surely_lacks_str); 0 if it may, or if that cannot be told.
   (Out of line: inlined, its registers would be saved at every call of
   the callers' fast paths, which do not get this far.) */
static FC_NO_INLINE int fc_instance_dict_surely_lacks(PyObject *x, PyObject *name)
{
    PyObject *dict;
    void *shared_keys;
    if (!fc_peek_instance_dict(x, &dict, &shared_keys))
        return 0;
    if (dict == NULL)
        return shared_keys == NULL || fc_shared_keys_lack(shared_keys, name);
    if (!PyDict_CheckExact(dict))
        return 0;
    return fc_dict_surely_lacks_str(dict, name);
}

/* Walking a set's hash table in place: the next key at or after *pos
   (borrowed), or NULL after the last.  Allocates nothing and runs no code
   (PyObject_GetIter would allocate an iterator, whose allocation can start
   a collection, and so run finalizers).  An entry whose key was removed
   holds a dummy key with hash -1, a hash no live key has.  The caller
   must not let code run between calls.  In free-threaded builds another
   thread may resize the table meanwhile: there FC_SET_TABLE_WALK is 0 and
   callers iterate the set instead. */
#ifdef Py_GIL_DISABLED
#define FC_SET_TABLE_WALK 0
#else
#define FC_SET_TABLE_WALK 1
#endif
static inline PyObject *fc_set_next_key(PyObject *set, Py_ssize_t *pos)
{
    PySetObject *so = (PySetObject *)set;
    while (*pos <= so->mask) {
        setentry *entry = &so->table[*pos];
        *pos += 1;
        if (entry->key != NULL && entry->hash != -1)
            return entry->key;
    }
    return NULL;
}


/* Append to a list, stealing the reference to item.  Writes straight into
   spare capacity (a list made by fc_list_with_capacity) and falls back to
   PyList_Append when there is none.  The list stays a valid list after every
   call, so Python code that sees it between calls (a hook reading the memo)
   sees an ordinary, partly filled list. */
static inline int fc_list_append_steal(PyObject *list, PyObject *item)
{
    PyListObject *l = (PyListObject *)list;
    Py_ssize_t n = Py_SIZE(l);
    if (n < l->allocated) {
        PyList_SET_ITEM(list, n, item);
        Py_SET_SIZE(l, n + 1);
        return 0;
    }
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* An empty list with room for n items. */
static inline PyObject *fc_list_with_capacity(Py_ssize_t n)
{
    PyObject *list = PyList_New(n);     /* n NULL slots */
    if (list != NULL)
        Py_SET_SIZE((PyListObject *)list, 0);
    return list;
}

/* A dict sized for n items, so filling it does not resize it. */
static inline PyObject *fc_dict_with_capacity(Py_ssize_t n)
{
#if !FC_AT_LEAST(FC_PY_3_16)
    return _PyDict_NewPresized(n);
#else
    (void)n;
    return PyDict_New();
#endif
}

#endif
