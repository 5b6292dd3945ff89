/* Small C helpers for the Cython core that are awkward to express in Cython. */
#ifndef FASTCOPY_HELPERS_H
#define FASTCOPY_HELPERS_H

#include <Python.h>
#include <stdint.h>

#if defined(_WIN32)
#  include <windows.h>
#else
#  include <pthread.h>
#endif

/* Py_EnterRecursiveCall returns "non-zero" on error (1 on some versions,
   -1 on others); normalise to -1 so Cython can declare `except -1`. */
static inline int fc_enter_recursive_call(const char *where)
{
    return Py_EnterRecursiveCall(where) ? -1 : 0;
}


/* C stack guard.
 *
 * Built-in containers are walked without C recursion, but hooks and the
 * reduce protocol nest (a linked list of instances copies node inside node),
 * and every level takes some C stack.  Py_EnterRecursiveCall bounds the
 * depth by a count, which does not know how big the thread's stack is (a
 * thread made with threading.stack_size(64 * 1024) has very little).  So each
 * level also checks the address of a local variable against the lowest
 * address of the thread's stack plus a margin, and raises RecursionError
 * instead of overflowing.  The bounds are looked up once per thread.
 */
#define FC_STACK_MARGIN (20 * 1024)

#if defined(_MSC_VER)
#  define FC_THREAD_LOCAL __declspec(thread)
#else
#  define FC_THREAD_LOCAL __thread
#endif

static FC_THREAD_LOCAL char *fc_stack_floor = NULL;   /* NULL: unknown */
static FC_THREAD_LOCAL int fc_stack_looked_up = 0;

static void fc_stack_lookup(void)
{
    char *low = NULL;
    size_t size = 0;
#if defined(_WIN32)
    ULONG_PTR lo, hi;
    GetCurrentThreadStackLimits(&lo, &hi);
    low = (char *)lo;
    size = (size_t)(hi - lo);
#elif defined(__APPLE__)
    char *high = (char *)pthread_get_stackaddr_np(pthread_self());
    size = pthread_get_stacksize_np(pthread_self());
    low = high - size;
#elif defined(__linux__) || defined(__FreeBSD__)
    pthread_attr_t attr;
    void *addr;
#  if defined(__FreeBSD__)
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_get_np(pthread_self(), &attr) == 0
#  else
    {
        if (pthread_getattr_np(pthread_self(), &attr) == 0
#  endif
                && pthread_attr_getstack(&attr, &addr, &size) == 0) {
            low = (char *)addr;
        }
        pthread_attr_destroy(&attr);
    }
#endif
    if (low != NULL && size > FC_STACK_MARGIN)
        fc_stack_floor = low + FC_STACK_MARGIN;
    fc_stack_looked_up = 1;
}

/* The lowest safe stack address of this thread, NULL if unknown.  Reading
   a thread-local from a shared library is a function call, so a deepcopy()
   call reads it at most once, when a hook level first needs it, and keeps
   it (in its Session). */
static inline char *fc_thread_stack_floor(void)
{
    if (!fc_stack_looked_up)
        fc_stack_lookup();
    return fc_stack_floor;
}

/* 0, or -1 with RecursionError set when the C stack is nearly exhausted
   (below floor, from fc_thread_stack_floor() of this thread). */
static inline int fc_check_stack(const char *floor)
{
    char here;
    if (floor != NULL && &here < floor) {
        PyErr_SetString(PyExc_RecursionError,
                        "maximum recursion depth exceeded while deep-copying "
                        "(the thread's C stack is nearly exhausted)");
        return -1;
    }
    return 0;
}

/* Has one of the dicts the copy protocol consults changed?
 * (copy._deepcopy_dispatch, copyreg.dispatch_table, copyreg's namespace,
 * where object.__reduce_ex__ finds __newobj__, and sys.modules, where it
 * finds copyreg.)
 *
 * fc_dispatch_epoch() is a number that changes whenever one of them does,
 * or 0 when that cannot be told; answers such as "does a table hold this
 * type?" are kept with the epoch they were found in.  Before 3.12 every
 * change of a dict gives it a new version tag from one global counter, so
 * the sum of the tags grows with every change.  From 3.12 on the tags are
 * deprecated, and a dict watcher counts the changes instead.
 */
#define FC_WATCHED_DICTS 4
static PyObject *fc_watched[FC_WATCHED_DICTS];

#if PY_VERSION_HEX >= 0x030C0000
static uint64_t fc_dispatch_changes = 1;
static int fc_dispatch_watcher = -1;

static int fc_on_dispatch_change(PyDict_WatchEvent event, PyObject *dict,
                                 PyObject *key, PyObject *new_value)
{
    (void)event; (void)dict; (void)key; (void)new_value;
    fc_dispatch_changes++;
    return 0;
}
#endif

/* Start watching the dicts (once, at import; they live as long as the
   interpreter).  Never fails: without a watcher the epoch is 0 and nothing
   is cached. */
static int fc_watch_dispatch_tables(PyObject *a, PyObject *b, PyObject *c, PyObject *d)
{
    int i;
    fc_watched[0] = a;
    fc_watched[1] = b;
    fc_watched[2] = c;
    fc_watched[3] = d;
#if PY_VERSION_HEX >= 0x030C0000
    int id = PyDict_AddWatcher(fc_on_dispatch_change);
    if (id < 0) {
        PyErr_Clear();
        return 0;
    }
    for (i = 0; i < FC_WATCHED_DICTS; i++) {
        if (PyDict_Watch(id, fc_watched[i]) < 0) {
            PyErr_Clear();
            (void)PyDict_ClearWatcher(id);
            PyErr_Clear();
            return 0;
        }
    }
    fc_dispatch_watcher = id;
#else
    (void)i;
#endif
    return 0;
}

static inline uint64_t fc_dispatch_epoch(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return fc_dispatch_watcher >= 0 ? fc_dispatch_changes : 0;
#else
    uint64_t sum = 0;
    int i;
    for (i = 0; i < FC_WATCHED_DICTS; i++)
        sum += ((PyDictObject *)fc_watched[i])->ma_version_tag;
    return sum;
#endif
}

/* Fibonacci hashing of an object address into a table of 2**bits slots.
   Object addresses are 16-byte aligned, so the low bits carry nothing. */
static inline uint64_t fc_address_hash(const void *p)
{
    return ((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL;
}

static inline Py_ssize_t fc_address_slot(const void *p, int bits)
{
    return (Py_ssize_t)(fc_address_hash(p) >> (64 - bits));
}

/* Is the caller's reference to o the only one?  (Then o cannot be a key of
   a memo table, which owns a reference to each key.)  Refcounts are not
   exact in the free-threaded build: there the answer is always "don't know". */
static inline int fc_sole_reference(PyObject *o)
{
#ifdef Py_GIL_DISABLED
    (void)o;
    return 0;
#else
    return Py_REFCNT(o) == 1;
#endif
}

/* The type's version tag, or 0 if it has none that is valid.  The tag
   changes whenever the type or one of its bases is modified, so it tells
   whether a cached verdict about the type still holds. */
static inline unsigned int fc_type_version(PyTypeObject *tp)
{
#if PY_VERSION_HEX < 0x030C0000
    if (!(tp->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG))
        return 0;
#endif
    return tp->tp_version_tag;
}

/* Plain attribute access: no __getattr__ or __getattribute__ ... */
static inline int fc_has_generic_getattr(PyTypeObject *tp)
{
    return tp->tp_getattro == PyObject_GenericGetAttr;
}

/* ... and no __setattr__ (frozen dataclasses have one). */
static inline int fc_has_generic_setattr(PyTypeObject *tp)
{
    return tp->tp_setattro == PyObject_GenericSetAttr;
}

/* A metaclass whose attribute lookup is type's own: getattr(cls, name)
   finds what the MRO holds. */
static inline int fc_has_type_getattr(PyTypeObject *meta)
{
    return meta->tp_getattro == PyType_Type.tp_getattro;
}

/* Instances are made by object.__new__ (no __new__ anywhere in the MRO but
   object's), so cls.__new__(cls) is object.__new__(cls). */
static inline int fc_uses_object_new(PyTypeObject *tp)
{
    return tp->tp_new == PyBaseObject_Type.tp_new;
}

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

/* f(a, b), without a tuple for the arguments. */
static inline PyObject *fc_call2(PyObject *f, PyObject *a, PyObject *b)
{
    PyObject *args[2] = {a, b};
    return PyObject_Vectorcall(f, args, 2, NULL);
}

/* Reading a dict's entries in place, for the scan that decides whether a
 * dict of atomic values can be copied whole.  PyDict_Next costs a call and
 * several checks per item, more than copying the table; these mirror the
 * private layout of the keys object (Objects/dict-common.h in 3.10,
 * Include/internal/pycore_dict.h in 3.11-3.15, unchanged from 3.11 to 3.15
 * in GIL builds).  Other versions and free-threaded builds (whose keys
 * object has a lock in the middle) are not mirrored: the scan answers
 * "don't know" and the caller uses PyDict_Next. */
#if !defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x03100000
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
#elif PY_VERSION_HEX >= 0x030A0000 && PY_VERSION_HEX < 0x030B0000
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
#if PY_VERSION_HEX >= 0x030D0000
        /* 3.13-3.15: the dict pointer three words before the object; the
           values (struct _dictvalues, whose fourth byte is the `valid` flag)
           right after the object header in 3.13, at tp_basicsize from 3.14
           on (after any __slots__). */
        uint8_t *values;
        *dict = *(PyObject **)((char *)x - 3 * sizeof(PyObject *));
        if (*dict != NULL)
            return 1;
        if (!(tp->tp_flags & Py_TPFLAGS_INLINE_VALUES))
            return 1;           /* no attributes yet */
#if PY_VERSION_HEX >= 0x030E0000
        values = (uint8_t *)x + tp->tp_basicsize;
#else
        if (tp->tp_basicsize != sizeof(PyObject))
            return 0;
        values = (uint8_t *)x + sizeof(PyObject);
#endif
        if (keys == NULL || !values[3])
            return 0;
        *shared_keys = keys;
        return 1;
#elif PY_VERSION_HEX >= 0x030C0000
        /* 3.12: three words before the object, the dict or (tagged with
           the low bit) the values. */
        uintptr_t dict_or_values = *(uintptr_t *)((char *)x - 3 * sizeof(PyObject *));
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
        *dict = *(PyObject **)((char *)x - 3 * sizeof(PyObject *));
        if (*dict == NULL && *(void **)((char *)x - 4 * sizeof(PyObject *)) != NULL) {
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
    if (tp->tp_dictoffset < 0)
        return 0;
    *dict = *(PyObject **)((char *)x + tp->tp_dictoffset);
    return 1;
}

/* 1 if the shared keys of a class (from fc_peek_instance_dict) surely do
   not include the str `name`, 0 if they may. */
static inline int fc_shared_keys_lack(void *shared_keys, PyObject *name)
{
#if defined(FC_DICT_LAYOUT) && FC_DICT_LAYOUT == 311
    fc_dict_keys *dk = (fc_dict_keys *)shared_keys;
    Py_ssize_t i, n = dk->dk_nentries, length = PyUnicode_GET_LENGTH(name);
    fc_str_key_entry *e;
    if (dk->dk_kind != 2)       /* not a split (shared) table */
        return 0;
    e = (fc_str_key_entry *)(dk->dk_indices + ((size_t)1 << dk->dk_log2_index_bytes));
    for (i = 0; i < n; i++) {
        PyObject *key = e[i].key;
        if (key == name)
            return 0;
        /* Keys are exact str; compare by value those that could be equal. */
        if (key != NULL && PyUnicode_GET_LENGTH(key) == length
                && PyUnicode_Compare(key, name) == 0)
            return 0;
    }
    return 1;
#else
    (void)shared_keys; (void)name;
    return 0;
#endif
}

static inline int fc_has_instance_dict(PyTypeObject *tp)
{
    return tp->tp_dictoffset != 0;
}

/* object.__new__(tp): what copyreg.__newobj__(tp) runs for a class that
   keeps object's __new__. */
static inline PyObject *fc_object_new(PyTypeObject *tp, PyObject *empty_args)
{
    return PyBaseObject_Type.tp_new(tp, empty_args, NULL);
}

/* Whole-container copies, made right after checking that every item is its
 * own copy.  The check runs no Python code, but allocating the copy can start
 * a collection of the cyclic GC, whose finalizers are Python code that can
 * let another thread run and change the container in between (or, inside a
 * frame's tight loop, free the items it is walking).  So the GC is held off
 * while the copy is made: then nothing can run. */

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
#if FC_DICT_LAYOUT == 311
    char *entries = dk->dk_indices + ((size_t)1 << dk->dk_log2_index_bytes);
    if (dk->dk_kind == 1) {
        /* Keys are all exact str (the dict turns general otherwise). */
        fc_str_key_entry *e = (fc_str_key_entry *)entries;
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
    if (dk->dk_kind != 0)
        return -1;
#else
    Py_ssize_t size = dk->dk_size;
    size_t index_bytes = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffff ? 4 : 8;
    char *entries = dk->dk_indices + (size_t)size * index_bytes;
#endif
    fc_general_entry *g = (fc_general_entry *)entries;
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

static inline PyObject *fc_copy_list_of_atomic(PyObject *list)
{
    int was_enabled = PyGC_Disable();
    PyObject *copy = PyList_GetSlice(list, 0, PyList_GET_SIZE(list));
    if (was_enabled)
        PyGC_Enable();
    return copy;
}

static inline PyObject *fc_copy_dict_of_atomic(PyObject *dict)
{
    int was_enabled = PyGC_Disable();
    PyObject *copy = PyDict_Copy(dict);
    if (was_enabled)
        PyGC_Enable();
    return copy;
}

static inline int fc_update_dict_of_atomic(PyObject *into, PyObject *dict)
{
    int was_enabled = PyGC_Disable();
    int result = PyDict_Update(into, dict);
    if (was_enabled)
        PyGC_Enable();
    return result;
}

static inline PyObject *fc_copy_set_of_atomic(PyObject *set, int frozen)
{
    int was_enabled = PyGC_Disable();
    PyObject *copy = frozen ? PyFrozenSet_New(set) : PySet_New(set);
    if (was_enabled)
        PyGC_Enable();
    return copy;
}

/* frozendict(d) for the dict d (3.15+). */
static inline PyObject *fc_frozendict_new(PyObject *d)
{
#if PY_VERSION_HEX >= 0x030F0000
    return PyFrozenDict_New(d);
#else
    (void)d;
    PyErr_SetString(PyExc_SystemError, "fastcopy: no frozendict before 3.15");
    return NULL;
#endif
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
#if PY_VERSION_HEX < 0x03100000
    return _PyDict_NewPresized(n);
#else
    (void)n;
    return PyDict_New();
#endif
}

#endif
