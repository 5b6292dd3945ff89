# Raw C-API bindings for the core.  Unlike Cython's `cpython.*` modules these
# take and return bare PyObject* so the hot loops manage references by hand
# (every incref/decref is spelled out) and a NULL can be checked without
# Cython raising on it.

from cpython.object cimport PyObject, PyTypeObject
from libc.stdint cimport uint8_t, uint32_t, uint64_t

cdef extern from "Python.h":
    void incref "Py_INCREF" (PyObject* o)
    void decref "Py_DECREF" (PyObject* o)
    void xdecref "Py_XDECREF" (PyObject* o)
    PyTypeObject* Py_TYPE(PyObject* o)
    bint PyType_Check(PyObject* o)
    bint PyList_Check(PyObject* o)
    bint PyDict_Check(PyObject* o)
    unsigned long Py_TPFLAGS_HEAPTYPE
    unsigned long Py_TPFLAGS_IMMUTABLETYPE
    unsigned long Py_TPFLAGS_LIST_SUBCLASS
    unsigned long Py_TPFLAGS_DICT_SUBCLASS

    PyObject* PyErr_Occurred()

    # lists and tuples: borrowed items, no bounds checks
    PyObject* PyList_New(Py_ssize_t n) except NULL
    Py_ssize_t PyList_GET_SIZE(PyObject* l)
    PyObject* PyList_GET_ITEM(PyObject* l, Py_ssize_t i)
    void PyList_SET_ITEM(PyObject* l, Py_ssize_t i, PyObject* item)  # steals
    int PyList_Append(PyObject* l, PyObject* item) except -1
    PyObject* PyList_GetSlice(PyObject* l, Py_ssize_t lo, Py_ssize_t hi) except NULL
    PyObject* PyTuple_New(Py_ssize_t n) except NULL
    # The same, NULL with an exception set on failure, for callers that
    # must release something first (a try/except would save and restore
    # the thread's exception state on every call, failing or not).
    PyObject* PyTuple_New_or_null "PyTuple_New"(Py_ssize_t n)
    Py_ssize_t PyTuple_GET_SIZE(PyObject* t)
    PyObject* PyTuple_GET_ITEM(PyObject* t, Py_ssize_t i)
    void PyTuple_SET_ITEM(PyObject* t, Py_ssize_t i, PyObject* item)  # steals
    # either a list or a tuple
    Py_ssize_t PySequence_Fast_GET_SIZE(PyObject* o)
    PyObject* PySequence_Fast_GET_ITEM(PyObject* o, Py_ssize_t i)
    PyObject** PySequence_Fast_ITEMS(PyObject* o)      # the item array

    # dicts: GetItemWithError returns a borrowed reference or NULL
    PyObject* PyDict_New() except NULL
    Py_ssize_t PyDict_GET_SIZE(PyObject* d)
    bint PyDict_Next(PyObject* d, Py_ssize_t* pos, PyObject** key, PyObject** value)
    PyObject* PyDict_GetItemWithError(PyObject* d, PyObject* key)
    int PyDict_SetItem(PyObject* d, PyObject* key, PyObject* value) except -1
    # the same, returning -1 with the error set instead of raising it
    int dict_set_status "PyDict_SetItem"(PyObject* d, PyObject* key, PyObject* value)
    PyObject* PyDict_Copy(PyObject* d) except NULL

    # sets: PySet_Add also fills a brand-new frozenset before it is shared
    PyObject* PySet_New(PyObject* iterable) except NULL
    PyObject* PyFrozenSet_New(PyObject* iterable) except NULL
    int PySet_Add(PyObject* s, PyObject* key) except -1
    int set_add_status "PySet_Add"(PyObject* s, PyObject* key)

    PyObject* PySequence_List(PyObject* o) except NULL
    int PyGC_Enable()
    int PyGC_Disable()
    int PyGC_IsEnabled()
    Py_ssize_t Py_REFCNT(PyObject* o)
    int PyErr_CheckSignals() except -1
    int PyUnicode_Compare(PyObject* a, PyObject* b) except? -1
    PyObject* PyObject_GenericGetDict(PyObject* o, void* context) except NULL
    int PyObject_GenericSetDict(PyObject* o, PyObject* value, void* context) except -1
    PyObject* PyObject_GetAttr(PyObject* o, PyObject* name)
    PyObject* PyObject_Call(PyObject* f, PyObject* args, PyObject* kwargs) except NULL
    PyObject* PyObject_CallNoArgs(PyObject* f) except NULL
    PyObject* PyObject_CallOneArg(PyObject* f, PyObject* arg) except NULL
    PyObject* PyImport_GetModuleDict()     # borrowed
    int PyObject_IsTrue(PyObject* o) except -1
    int PyObject_SetAttr(PyObject* o, PyObject* name, PyObject* value) except -1
    bint PyErr_ExceptionMatches(PyObject* exc)
    void PyErr_Clear()
    PyObject* PyExc_AttributeError
    PyObject* PyExc_TypeError
    PyObject* PyErr_Format(PyObject* exc, const char* fmt, ...)
    PyObject* PyImport_ImportModule(const char* name) except NULL
    int PyDict_Update(PyObject* a, PyObject* b) except -1
    bint PyUnicode_CheckExact(PyObject* o)
    Py_ssize_t PyUnicode_GET_LENGTH(PyObject* o)
    Py_UCS4 PyUnicode_READ_CHAR(PyObject* o, Py_ssize_t index)
    PyObject* PyLong_FromVoidPtr(void* p) except NULL
    PyObject* PyObject_GetIter(PyObject* o) except NULL
    PyObject* PyIter_Next(PyObject* o)     # NULL at the end (error or not)
    PyObject* PyObject_GetItem(PyObject* o, PyObject* key)
    int PyObject_SetItem(PyObject* o, PyObject* key, PyObject* value) except -1

cdef extern from "fastcopy_helpers.h":
    bint FASTCOPY_DEBUG     # a debug build: assert the core's invariants
    char* fc_thread_stack_floor(char** recursion_floor, char** recursion_ceiling)
    bint fc_stack_within(const char* floor, const char* ceiling)
    int fc_check_stack(const char* floor) except -1
    Py_ssize_t fc_address_slot(const void* p, int bits)
    uint64_t fc_address_hash(const void* p)
    void* fc_spare_slot_exchange(void* p) noexcept
    int fc_watch_dispatch_tables(PyObject* dicts, int rules_dicts) except -1
    uint64_t fc_dispatch_epoch()
    uint64_t fc_rules_epoch()
    uint64_t fc_deep_dispatch_epoch()
    bint fc_sole_reference(PyObject* o)
    unsigned int fc_type_version(PyTypeObject* tp)
    bint fc_has_generic_getattr(PyTypeObject* tp)
    bint fc_has_generic_setattr(PyTypeObject* tp)
    bint fc_has_type_getattr(PyTypeObject* meta)
    bint FC_CLASS_LOOKUP
    PyObject* fc_class_lookup(PyTypeObject* tp, PyObject* name)
    PyObject* fc_call2(PyObject* f, PyObject* a, PyObject* b) except NULL
    bint fc_peek_instance_dict(PyObject* x, PyObject** dict, void** shared_keys)
    bint fc_shared_keys_lack(void* shared_keys, PyObject* name)
    bint fc_dict_surely_lacks_str(PyObject* d, PyObject* name)
    bint fc_instance_dict_surely_lacks(PyObject* x, PyObject* name)
    PyObject* fc_object_new(PyTypeObject* tp, PyObject* empty_args) except NULL
    ctypedef PyObject* (*newfunc)(PyTypeObject* cls, PyObject* args, PyObject* kwargs)
    void fc_builtin_new_init(PyObject* object_new, PyTypeObject* defines_new)
    newfunc fc_builtin_new(PyTypeObject* cls, PyObject* new_name)
    PyObject* fc_object_new_or_null "fc_object_new"(PyTypeObject* tp, PyObject* empty_args)
    int fc_list_append_steal(PyObject* l, PyObject* item) except -1
    PyObject* fc_list_with_capacity(Py_ssize_t n) except NULL
    bint FC_SET_TABLE_WALK
    int fc_dict_probe_address(PyObject* d, const void* address, PyObject** value)
    int fc_dict_find_address(PyObject* d, const void* address, PyObject** value,
                             Py_ssize_t* position, PyObject** key)
    PyObject* fc_dict_entry_value(PyObject* d, Py_ssize_t position, PyObject* key)
    ctypedef struct fc_address_probe:
        pass
    void fc_address_probe_init(fc_address_probe* p, PyObject* d)
    int fc_address_probe_find(const fc_address_probe* p, const void* address, PyObject** value)
    PyObject* fc_set_next_key(PyObject* st, Py_ssize_t* pos)
    PyObject* fc_dict_with_capacity(Py_ssize_t n) except NULL
    PyObject* fc_copy_list_of_atomic(PyObject* l, bint gc_held) except NULL
    PyObject* fc_copy_dict_of_atomic(PyObject* d, bint gc_held) except NULL
    int fc_dict_scan_atomic(PyObject* d)
    ctypedef struct fc_dict_cursor:
        pass
    void fc_dict_cursor_init(fc_dict_cursor* c, PyObject* d) noexcept
    bint fc_dict_cursor_next(fc_dict_cursor* c, PyObject** key, PyObject** value) noexcept
    bint fc_dict_next(PyObject* d, Py_ssize_t* pos, PyObject** key, PyObject** value) noexcept
    int fc_update_dict_of_atomic(PyObject* into, PyObject* d, bint gc_held) except -1
    PyObject* fc_copy_set_of_atomic(PyObject* s, bint frozen, bint gc_held) except NULL
    void fc_release_unpausing(PyObject* o, bint* gc_paused)
    PyObject* fc_frozendict_new(PyObject* d) except NULL

cdef extern from "fastcopy_helpers.h":
    # entry.h: the public entry points, the patched functions' vectorcall
    int FC_ENTRY_DEEPCOPY
    int FC_ENTRY_COPY
    bint fc_is_memo_keyword_call(Py_ssize_t nargs, PyObject* kwnames)
    void fc_note_rules_intact(uint64_t epoch, bint intact)
    void fc_set_entry_core(int which, void* one, void* other)
    PyObject* fc_deepcopy_fastcall(PyObject* self, PyObject** args, Py_ssize_t nargs,
                                   PyObject* kwnames)
    PyObject* fc_copy_fastcall(PyObject* self, PyObject** args, Py_ssize_t nargs,
                               PyObject* kwnames)
    PyObject* fc_make_entry(int which, void* impl, PyObject* self,
                            PyObject* module_name) except NULL
    int fc_set_patch_vectorcall(int which, PyObject* func, PyObject* impl,
                                void* fast) except -1
    void fc_clear_patch_vectorcall(int which)
    PyObject* PyObject_Vectorcall(PyObject* f, PyObject** args, size_t nargsf,
                                  PyObject* kwnames) except NULL
    PyObject* PyByteArray_FromStringAndSize(const char* s, Py_ssize_t n) except NULL
    char* PyByteArray_AS_STRING(PyObject* o)
    Py_ssize_t PyByteArray_GET_SIZE(PyObject* o)
    Py_ssize_t PySet_GET_SIZE(PyObject* o)
