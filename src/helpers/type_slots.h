/* Type-slot checks and small calls: what the per-type verdicts and the
   protocol path ask about a type, and the address hash of the memo table. */
#ifndef FASTCOPY_TYPE_SLOTS_H
#define FASTCOPY_TYPE_SLOTS_H

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
#if !FC_AT_LEAST(FC_PY_3_12)
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

/* f(a, b), without a tuple for the arguments. */
static inline PyObject *fc_call2(PyObject *f, PyObject *a, PyObject *b)
{
    PyObject *args[2] = {a, b};
    return PyObject_Vectorcall(f, args, 2, NULL);
}

/* object.__new__(tp): what copyreg.__newobj__(tp) runs for a class that
   keeps object's __new__. */
static inline PyObject *fc_object_new(PyTypeObject *tp, PyObject *empty_args)
{
    return PyBaseObject_Type.tp_new(tp, empty_args, NULL);
}

#endif
