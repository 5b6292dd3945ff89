# copy.copy: native for the built-in types, the stdlib's protocol otherwise.
# Mirrors copy() in fastcopy/_pure.py.


def copy(x):
    """Shallow copy operation on arbitrary Python objects (as copy.copy)."""
    return shallow_copy(x)


cdef object shallow_copy(object x):
    """copy(x): what both entry points (entry.pxi) call."""
    if not copy_rules_intact():
        return stdlib_copy(x)
    if is_hot_atomic(Py_TYPE(<PyObject*>x)):
        return x
    return shallow_copy_past_hot(<PyObject*>x)


cdef object shallow_copy_past_hot(PyObject* p):
    """copy(x) with the copy module's rules found intact and x none of the
    hot atoms (by fc_copy_fastcall in helpers/entry.h, or shallow_copy())."""
    cdef PyTypeObject* tp = Py_TYPE(p)
    # What cls.copy(x) does, for the containers with a C-level equivalent;
    # lists and dicts first, before any table probe (while the rules are
    # intact, the container table holds them).
    if tp == T_LIST:
        return steal(PyList_GetSlice(p, 0, PyList_GET_SIZE(p)))
    if tp == T_DICT:
        return steal(PyDict_Copy(p))
    cdef object x = <object>p
    if in_table(&shallow_atomic_table, tp):
        return x
    cls = type(x)
    if in_table(&shallow_container_table, tp):
        if tp == T_SET:
            return steal(PySet_New(p))
        return cls.copy(x)
    copier = foreign_copier(copy_shallow_dispatch, stdlib_shallow_dispatch, cls)
    if copier is not None:
        return copier(x)
    if PyType_Check(<PyObject*>x):
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = reduce_value(x, tp, "shallow")
    if isinstance(rv, str):
        return x
    return reconstruct(None, x, rv)
