# A native path for "plain" instances: objects whose class keeps every
# default of the copy protocol (no __deepcopy__, __reduce_ex__, __reduce__,
# __getstate__, __setstate__, __getnewargs(_ex)__, __getattr__, no copyreg
# entry), which covers most user classes and dataclasses.  For them the
# stdlib ends up doing:
#
#     y = cls.__new__(cls); memo[id(x)] = y
#     state = deepcopy(x.__dict__ or None, plus set slots)
#     y.__dict__.update(state); setattr(y, slot, value) ...
#
# and this file does the same without building the reduce tuple, calling
# copyreg.__newobj__ or going through Python-level attribute lookups.
# Mirrors nothing in fastcopy/_pure.py, which always takes the general path
# (the results are the same).

cdef object empty_tuple = ()

# Names that, found in an instance's own __dict__, take part in the
# protocol (getattr(x, name) sees them): such an instance is not plain.
cdef tuple PROTOCOL_NAMES = (
    "__deepcopy__", "__reduce_ex__", "__reduce__", "__getstate__",
    "__getnewargs_ex__", "__getnewargs__")


cdef inline bint has_protocol_name(PyObject* d) noexcept:
    """Might the instance dict d hold a key the copy protocol would see?
    Runs no code (a lookup could call a key's __eq__ while the GC is
    paused): a key that is not an exact str answers yes, and the instance
    takes the general path, which does the stdlib's lookups."""
    cdef Py_ssize_t pos = 0
    cdef PyObject* k
    cdef PyObject* v
    while PyDict_Next(d, &pos, &k, &v):
        if not PyUnicode_CheckExact(k):
            return True
        if (PyUnicode_GET_LENGTH(k) > 4 and PyUnicode_READ_CHAR(k, 0) == u'_'
                and PyUnicode_READ_CHAR(k, 1) == u'_'):
            for name in PROTOCOL_NAMES:
                if PyUnicode_Compare(k, <PyObject*>name) == 0:
                    return True
    return False


cdef object deep_plain(Session s, object x, TypeInfo* info):
    """Copy a plain instance x (native memo), or return NotImplemented if
    it turns out to need the general path (before anything is done)."""
    cdef PyObject* px = <PyObject*>x
    cdef PyTypeObject* tp = Py_TYPE(px)
    cdef object slotnames = <object>info.slotnames
    cdef object d = None
    cdef object y
    cdef object d_copy
    cdef PyObject* value
    if not copyreg_newobj_intact():
        return NotImplemented       # the stdlib would call the replacement
    if has_instance_dict(tp):
        d = steal(PyObject_GenericGetDict(px, NULL))
        if has_protocol_name(<PyObject*>d):
            return NotImplemented
    y = steal(fc_object_new(tp, <PyObject*>empty_tuple))
    s.work += 1
    memo_record(s, px, <PyObject*>y)
    if d is not None and len(<dict>d) != 0:
        if Py_REFCNT(<PyObject*>d) <= 2 and s.memo_mode == MEMO_NATIVE:
            # Only x (and this function) hold its dict, so no other path in
            # the graph leads to it: copy it straight into y's own dict,
            # which then stands for it in the memo.
            y_dict = steal(PyObject_GenericGetDict(<PyObject*>y, NULL))
            decref(walk(s, <PyObject*>d, K_DICT, False, <PyObject*>y_dict))
        else:
            d_copy = deep_any(s, d)
            PyDict_Update(PyObject_GenericGetDict_borrowed(y), <PyObject*>d_copy)
    if slotnames:
        python_may_run(s)   # a class attribute may shadow a slot: getattr can run code
        copy_slots(s, x, y, slotnames)
    if s.memo_mode == MEMO_MAPPING:
        # A hook turned the memo into a dict meanwhile: finish as the
        # stdlib's deepcopy() does.
        memo_record(s, px, <PyObject*>y)
        memo_keep_alive(s, px)
    return y


cdef inline PyObject* PyObject_GenericGetDict_borrowed(object o) except NULL:
    # y's dict stays alive as long as y: borrowing is safe here.
    cdef PyObject* d = PyObject_GenericGetDict(<PyObject*>o, NULL)
    decref(d)
    return d


cdef int copy_slots(Session s, object x, object y, tuple slotnames) except -1:
    """The slot half of the default state: the slots that are set, copied
    in slot-name order, then set on y in the same order."""
    cdef list values = []
    cdef list names = []
    cdef PyObject* value
    cdef Py_ssize_t i
    for name in slotnames:
        value = PyObject_GetAttr(<PyObject*>x, <PyObject*>name)
        if value == NULL:
            if not PyErr_ExceptionMatches(PyExc_AttributeError):
                return -1
            PyErr_Clear()
            continue
        owned = steal(value)        # owned first: append may fail
        names.append(name)
        values.append(owned)
    for i in range(len(values)):
        values[i] = deep_any(s, values[i])
    for i in range(len(values)):
        PyObject_SetAttr(<PyObject*>y, <PyObject*>names[i], <PyObject*>values[i])
    return 0
