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

/* The built-in __new__ of a class.  Every static type's __new__ attribute is
   a built-in function around one C function, tp_new_wrapper (object.__new__,
   tuple.__new__, dict.__new__ ... share it), which calls the type's tp_new
   slot; a class that defines __new__ in Python has slot_tp_new as its
   tp_new.  Both are read once at import, from object.__new__ and from a
   class defining __new__ (fc_builtin_new_init). */
static PyCFunction fc_tp_new_wrapper = NULL;
static newfunc fc_slot_tp_new = NULL;

static inline void fc_builtin_new_init(PyObject *object_new, PyTypeObject *defines_new)
{
    if (PyCFunction_Check(object_new))
        fc_tp_new_wrapper = PyCFunction_GET_FUNCTION(object_new);
    fc_slot_tp_new = defines_new->tp_new;
}

/* When getattr(cls, "__new__") is a built-in type's __new__ that accepts
   cls: the tp_new it would call, as it calls it - tp_new(cls, args, NULL)
   for cls.__new__(cls, *args) - after the checks it makes (cls a subclass
   of that type; the most derived base not defined in Python has the same
   tp_new, or "X.__new__(cls) is not safe").  Else NULL, and the caller
   takes the general path, which raises what the stdlib raises.  Runs no
   Python code. */
static inline newfunc fc_builtin_new(PyTypeObject *cls, PyObject *new_name)
{
    PyObject *found, *self;
    PyTypeObject *type, *staticbase;
    newfunc result = NULL;
    /* With type's own attribute lookup, getattr(cls, "__new__") is what the
       MRO holds (a built-in function is no descriptor). */
    if (fc_tp_new_wrapper == NULL || !fc_has_type_getattr(Py_TYPE(cls)))
        return NULL;
    found = fc_class_lookup(cls, new_name);
    if (found == NULL)
        return NULL;
    if (PyCFunction_CheckExact(found) && PyCFunction_GET_FUNCTION(found) == fc_tp_new_wrapper) {
        self = PyCFunction_GET_SELF(found);
        if (self != NULL && PyType_Check(self) && PyType_IsSubtype(cls, (PyTypeObject *)self)) {
            type = (PyTypeObject *)self;
            staticbase = cls;
            while (staticbase != NULL && staticbase->tp_new == fc_slot_tp_new)
                staticbase = staticbase->tp_base;
            if (staticbase == NULL || staticbase->tp_new == type->tp_new)
                result = type->tp_new;
        }
    }
    Py_DECREF(found);       /* (the class's dict holds it, and cls the type) */
    return result;
}

/* object.__new__(tp): what copyreg.__newobj__(tp) runs for a class that
   keeps object's __new__. */
static inline PyObject *fc_object_new(PyTypeObject *tp, PyObject *empty_args)
{
    return PyBaseObject_Type.tp_new(tp, empty_args, NULL);
}

#endif
