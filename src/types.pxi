# Per-type verdicts: how instances of a type are deep-copied.
#
#   KIND_GENERAL  the general path (hooks, reduce protocol)
#   KIND_PLAIN    instances.pxi's native path: the class keeps every default
#                 of the copy protocol
#   KIND_SELF     deepcopy returns the object itself without using the memo:
#                 the class's __deepcopy__ is a known "return self" (Enum,
#                 and the exact Decimal, Fraction, re.Pattern and re.Match)
#
# A cache keyed by type address, of 128 sets of 4 entries ("ways"): types
# whose addresses hash to one set share it, so that a few hot types that
# happen to collide (addresses differ from process to process) do not evict
# each other at every object and have their verdicts worked out again in
# Python each time.  It holds no reference to the type: an entry is trusted
# only while the address and the version tag both match, and a modified
# (or new) type gets a new tag.

import sys

cdef object object_reduce_ex = object.__reduce_ex__
cdef object object_reduce = object.__reduce__
cdef object object_getstate = getattr(object, "__getstate__", None)
cdef object copyreg_slotnames = copyreg._slotnames


cdef inline bint uses_object_new(PyTypeObject* tp) noexcept:
    """Instances are made by object.__new__ (no __new__ anywhere in the MRO
    but object's), so cls.__new__(cls) is object.__new__(cls)."""
    return tp.tp_new == (<PyTypeObject*>object).tp_new


cdef inline bint is_list_or_dict(PyTypeObject* tp) noexcept:
    """A subclass of list or dict (or either)."""
    return tp.tp_flags & (Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_DICT_SUBCLASS) != 0


cdef inline bint has_instance_dict(PyTypeObject* tp) noexcept:
    return tp.tp_dictoffset != 0


cdef enum TypeKind:
    KIND_GENERAL = 0
    KIND_PLAIN = 1
    KIND_SELF = 2


cdef enum ReduceKind:
    # How the general path may find an instance's reduce value, when the
    # instance's own __dict__ does not hold a __reduce_ex__.
    RK_LOOKUP = 0           # getattr(x, "__reduce_ex__")(4) ... (stdlib order)
    RK_OBJECT = 1           # the class keeps object.__reduce_ex__ and
                            # object.__reduce__: call object.__reduce_ex__(x, 4)
    RK_REDUCE = 2           # object.__reduce_ex__ with an overridden __reduce__,
                            # which it would call: call x.__reduce__()
    RK_GETSTATE = 3         # RK_OBJECT, for a class of Python classes whose
                            # instances are made by object.__new__, with no
                            # __getnewargs(_ex)__ and a __getstate__ written
                            # in Python: object.__reduce_ex__(x, 4) would be
                            # (copyreg.__newobj__, (cls,), x.__getstate__(),
                            # None, None), which getstate_reduce_value() makes
                            # without its lookups
    RK_NEWARGS = 4          # RK_OBJECT (3.11+), for a class with no
                            # __getnewargs_ex__, a __getstate__ (object's or
                            # another), and a __getnewargs__ (a function or a
                            # built-in type's method: int's, tuple's, a
                            # namedtuple's) or none in a list or dict subclass:
                            # object.__reduce_ex__(x, 4) would be
                            # (copyreg.__newobj__, (cls, *x.__getnewargs__()),
                            # x.__getstate__(), iter(x) for a list,
                            # iter(x.items()) for a dict), which
                            # newargs_reduce_value() makes without its lookups


cdef struct TypeInfo:
    PyTypeObject* tp        # borrowed: checked against the version tag
    unsigned int version    # the type's version tag when the verdict was made
    int kind
    PyObject* slotnames     # KIND_PLAIN: tuple of slot names (strong reference)
    int reduce_kind         # a ReduceKind
    bint no_deepcopy_attr   # getattr(x, "__deepcopy__") only looks in the
                            # class (which has none) and x.__dict__: no code runs
    bint deepcopy_function  # the class's __deepcopy__, found by the generic
                            # getattr, is a function written in Python or a
                            # method of a built-in type (array, numpy)
    # fc_dispatch_epoch() when neither dispatch table had an entry for the
    # type (0: not known)
    uint64_t dispatch_epoch
    # fc_dispatch_epoch() when copy._deepcopy_dispatch had no copier for the
    # type and copyreg had a reductor (0: not known)
    uint64_t registered_epoch
    # fc_deep_dispatch_epoch() when copy._deepcopy_dispatch had no copier
    # for the type: for KIND_SELF and root_hook() (a copyreg reductor does
    # not matter: the stdlib asks copyreg only for a class without
    # __deepcopy__; re.Pattern has one)
    uint64_t self_epoch


cdef enum:
    TYPE_CACHE_SET_BITS = 7
    TYPE_CACHE_SETS = 1 << TYPE_CACHE_SET_BITS
    TYPE_CACHE_WAYS = 4

cdef TypeInfo type_cache[TYPE_CACHE_SETS][TYPE_CACHE_WAYS]
cdef unsigned char type_cache_next_victim[TYPE_CACHE_SETS]


cdef bint made_of_python_classes(object cls) except -1:
    """Are cls and its bases, object aside, classes defined in Python (no
    C-level state to reduce, not a list or dict), with instances made by
    object.__new__ and attributes found by the generic lookup?"""
    cdef PyTypeObject* tp = <PyTypeObject*>cls
    mro = cls.__mro__
    if mro[len(mro) - 1] is not object:
        return False
    for klass in mro[:len(mro) - 1]:
        if not (klass.__flags__ & (1 << 9)):          # Py_TPFLAGS_HEAPTYPE
            return False
    return uses_object_new(tp) and tp.tp_itemsize == 0 and fc_has_generic_getattr(tp)


cdef bint compute_plain(object cls, tuple slotnames) except -1:
    cdef PyTypeObject* tp = <PyTypeObject*>cls
    if not made_of_python_classes(cls):
        return False
    # Slots are restored with setattr(); a dict is updated in place, which a
    # custom __setattr__ (say, of a frozen dataclass) does not see.
    if slotnames and not fc_has_generic_setattr(tp):
        return False
    if cls.__reduce_ex__ is not object_reduce_ex or cls.__reduce__ is not object_reduce:
        return False
    if getattr(cls, "__getstate__", None) is not object_getstate:
        return False
    for name in ("__deepcopy__", "__setstate__", "__getnewargs_ex__", "__getnewargs__"):
        if hasattr(cls, name):
            return False
    return True


cdef bint mro_defines(object cls, str name) except -1:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return True
    return False


cdef int compute_reduce_kind(object cls) except -1:
    cdef PyTypeObject* tp = <PyTypeObject*>cls
    # Attribute lookups must be the generic ones, on the instance and on the
    # class, for the class attributes below to be what the lookups find.
    if not fc_has_generic_getattr(tp) or not fc_has_type_getattr(Py_TYPE(<PyObject*>cls)):
        return RK_LOOKUP
    if cls.__reduce_ex__ is not object_reduce_ex:
        return RK_LOOKUP
    if cls.__reduce__ is not object_reduce:
        return RK_REDUCE
    if (FC_CLASS_LOOKUP and made_of_python_classes(cls)
            and not hasattr(cls, "__getnewargs_ex__") and not hasattr(cls, "__getnewargs__")
            and type(getattr(cls, "__getstate__", None)) is FunctionType):
        return RK_GETSTATE
    # (Without new-arguments, object.__reduce_ex__ asks a list or dict for
    # the same state as object.__getstate__ gives, anything else for more.)
    getnewargs = getattr(cls, "__getnewargs__", None)
    if (FC_CLASS_LOOKUP and object_getstate is not None and tp.tp_new != NULL
            and not hasattr(cls, "__getnewargs_ex__")
            and (is_unbound_callable(getnewargs) or (getnewargs is None and is_list_or_dict(tp)))
            and is_unbound_callable(getattr(cls, "__getstate__", None))):
        return RK_NEWARGS
    return RK_OBJECT


cdef bint compute_self_copy(object cls) except -1:
    """Is cls's __deepcopy__ one known to return the object itself?"""
    if not fc_has_generic_getattr(<PyTypeObject*>cls):
        return False
    hook = getattr(cls, "__deepcopy__", None)
    if hook is None:
        return False
    enum = sys.modules.get("enum")
    if enum is not None and hook is getattr(enum.Enum, "__deepcopy__", 0):
        return True             # def __deepcopy__(self, memo): return self
    # These return self only for the exact class.
    for module, name in (("decimal", "Decimal"), ("fractions", "Fraction"),
                         ("re", "Pattern"), ("re", "Match")):
        mod = sys.modules.get(module)
        if mod is not None and cls is getattr(mod, name, None):
            return hook is getattr(cls, "__deepcopy__")
    return False


cdef inline TypeInfo* type_cache_entry_of(TypeInfo* ways, PyTypeObject* tp) noexcept:
    """The entry of the set `ways` that holds tp (its verdict maybe out of
    date), or NULL."""
    cdef int i
    for i in range(TYPE_CACHE_WAYS):
        if ways[i].tp == tp:
            return &ways[i]
    return NULL


cdef inline TypeInfo* type_info_peek(PyTypeObject* tp) noexcept:
    """The cached verdict for tp, or NULL.  Runs no Python code."""
    cdef TypeInfo* entry = type_cache_entry_of(
        &type_cache[fc_address_slot(tp, TYPE_CACHE_SET_BITS)][0], tp)
    cdef unsigned int version
    if entry == NULL:
        return NULL
    version = fc_type_version(tp)
    if version == 0 or entry.version != version:
        return NULL
    return entry


cdef TypeInfo* type_cache_entry_for(PyTypeObject* tp) noexcept:
    """The entry to fill with tp's verdict: tp's own (out of date), else
    an empty one of its set, else the set's entries in turn.  Filling one
    never moves another, so a verdict a caller points to stays put until
    its own entry is taken."""
    cdef Py_ssize_t set_index = fc_address_slot(tp, TYPE_CACHE_SET_BITS)
    cdef TypeInfo* ways = &type_cache[set_index][0]
    cdef TypeInfo* own = type_cache_entry_of(ways, tp)
    cdef int i
    if own != NULL:
        return own
    for i in range(TYPE_CACHE_WAYS):
        if ways[i].tp == NULL:
            return &ways[i]
    i = type_cache_next_victim[set_index]
    type_cache_next_victim[set_index] = (i + 1) % TYPE_CACHE_WAYS
    return &ways[i]


cdef TypeInfo* type_info(PyTypeObject* tp) except NULL:
    """The verdict for tp, computed (running Python code) if not cached."""
    cdef TypeInfo* entry = type_info_peek(tp)
    if entry != NULL:
        return entry
    # Python code runs below: callers resume the GC before calling this.
    cls = <object>tp
    # Slot names first: copyreg caches them on the class, which changes its
    # version tag.
    slotnames = tuple(copyreg_slotnames(cls))
    kind = KIND_GENERAL
    if compute_plain(cls, slotnames):
        kind = KIND_PLAIN
    elif compute_self_copy(cls):
        kind = KIND_SELF
    reduce_kind = compute_reduce_kind(cls)
    no_deepcopy_attr = (fc_has_generic_getattr(tp)
                        and not mro_defines(cls, "__deepcopy__"))
    deepcopy_function = (FC_CLASS_LOOKUP and fc_has_generic_getattr(tp)
                         and is_unbound_callable(getattr(cls, "__deepcopy__", None)))
    cdef unsigned int version = fc_type_version(tp)
    # (Chosen once no more Python code runs: an entry filled meanwhile, by
    # a copy made in that code, is not overwritten needlessly.)
    entry = type_cache_entry_for(tp)
    xdecref(entry.slotnames)
    entry.slotnames = NULL
    entry.tp = tp
    entry.version = version
    # Without a version tag a verdict could not be checked later.
    if version == 0:
        kind = KIND_GENERAL
        reduce_kind = RK_LOOKUP
        no_deepcopy_attr = False
        deepcopy_function = False
    entry.kind = kind
    entry.reduce_kind = reduce_kind
    entry.no_deepcopy_attr = no_deepcopy_attr
    entry.deepcopy_function = deepcopy_function
    entry.dispatch_epoch = 0
    entry.registered_epoch = 0
    entry.self_epoch = 0
    if entry.kind == KIND_PLAIN:
        entry.slotnames = <PyObject*>slotnames
        incref(entry.slotnames)
    return entry


cdef bint instance_overrides(PyObject* x, PyObject* name) except -1:
    """Does x's own __dict__ hold `name` (which getattr(x, name) would find
    before the class attribute)?  May run code (creating the dict allocates;
    a key's __eq__): only where Python code may run, with x held."""
    if not has_instance_dict(Py_TYPE(x)):
        return False
    cdef object d = steal(PyObject_GenericGetDict(x, NULL))
    if PyDict_GetItemWithError(<PyObject*>d, name) != NULL:
        return True
    return PyErr_Occurred() != NULL and raise_current()


cdef inline bint surely_not_in_instance_dict(PyObject* x, PyObject* name) noexcept:
    """Is it certain, without creating x's __dict__ (which a C type like
    functools.partial would then report in its reduce value), that the
    dict does not hold `name`?  Runs no code: the dict is only peeked at
    (borrowed), so nothing may run that could replace it meanwhile - a
    lookup could call a key's __eq__, which could rebind x.__dict__."""
    return fc_instance_dict_surely_lacks(x, name)


cdef inline bint native_hash(PyObject* o) noexcept:
    """Hashing o (and comparing it for equality) runs no Python code: an
    atomic object other than a weakref (which hashes its referent), or a
    tuple of such objects."""
    cdef PyTypeObject* tp = Py_TYPE(o)
    if tp == T_STR or tp == T_INT or tp == T_FLOAT or tp == T_NONE or tp == T_BOOL:
        return True
    return native_hash_slow(o)


cdef bint native_hash_slow(PyObject* o) noexcept:
    cdef PyTypeObject* tp = Py_TYPE(o)
    cdef Py_ssize_t i
    if tp == T_TUPLE:
        for i in range(PyTuple_GET_SIZE(o)):
            if not native_hash(PyTuple_GET_ITEM(o, i)):
                return False
        return True
    # (A class third-party code listed as atomic may hash in Python.)
    return (tp != T_WEAKREF and is_deep_atomic(tp)
            and not (tp.tp_flags & Py_TPFLAGS_HEAPTYPE))
