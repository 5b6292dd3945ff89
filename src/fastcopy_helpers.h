/* Small C helpers for the Cython core that are awkward to express in Cython. */
#ifndef FASTCOPY_HELPERS_H
#define FASTCOPY_HELPERS_H

#include <Python.h>
#include <stdint.h>

/* Py_EnterRecursiveCall returns "non-zero" on error (1 on some versions,
   -1 on others); normalise to -1 so Cython can declare `except -1`. */
static inline int fc_enter_recursive_call(const char *where)
{
    return Py_EnterRecursiveCall(where) ? -1 : 0;
}

/* Fibonacci hashing of an object address into a table of 2**bits slots.
   Object addresses are 16-byte aligned, so the low bits carry nothing. */
static inline Py_ssize_t fc_address_slot(const void *p, int bits)
{
    uint64_t h = ((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL;
    return (Py_ssize_t)(h >> (64 - bits));
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
#if PY_VERSION_HEX < 0x030E0000
    return _PyDict_NewPresized(n);
#else
    (void)n;
    return PyDict_New();
#endif
}

#endif
