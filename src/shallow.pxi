# copy.copy: native for the built-in types, the stdlib's protocol otherwise.
# Mirrors copy() in fastcopy/_pure.py.


def copy(x):
    """Shallow copy operation on arbitrary Python objects (as copy.copy)."""
    return shallow_copy(x)


cdef object shallow_copy(object x):
    """copy(x): what both entry points (entry.pxi) call."""
    cdef PyTypeObject* tp = Py_TYPE(<PyObject*>x)
    if not copy_rules_intact():
        return stdlib_copy(x)
    if is_shallow_atomic(tp):
        return x
    cls = type(x)
    if in_table(&shallow_container_table, tp):
        # What cls.copy(x) does, for those with a C-level equivalent.
        if tp == T_LIST:
            return steal(PyList_GetSlice(<PyObject*>x, 0, PyList_GET_SIZE(<PyObject*>x)))
        if tp == T_DICT:
            return steal(PyDict_Copy(<PyObject*>x))
        if tp == T_SET:
            return steal(PySet_New(<PyObject*>x))
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
