# Everything that is not a built-in container: the stdlib's dispatch order
# for hooks (__deepcopy__, copyreg.dispatch_table, __reduce_ex__(4),
# __reduce__) and reconstruction from a reduce value.  Mirrors
# the hook half of deepcopy() and _reduce / _reconstruct in fastcopy/_pure.py.


cdef PyObject* deep_other_ref(Session s, PyObject* x) except NULL:
    cdef object y = deep_other(s, <object>x)
    incref(<PyObject*>y)            # handed to the caller as a new reference
    return <PyObject*>y


cdef object deep_other(Session s, object x):
    """Copy an object that is neither atomic nor a built-in container."""
    # Hooks and reduce values can nest without bound (a linked list of
    # objects with __deepcopy__): this level must find room on the thread's
    # C stack.
    enter_hook_level(s)
    return deep_other_unguarded(s, x)


cdef inline object foreign_copier(dict current, dict stdlib, object cls):
    """A copier registered by third-party code in one of the copy module's
    private dispatch tables (current), or None."""
    if current is None:
        return None                 # no such table on this Python
    cdef PyObject* found = PyDict_GetItemWithError(<PyObject*>current, <PyObject*>cls)
    if found == NULL:
        if PyErr_Occurred() != NULL:
            raise_current()
        return None
    if PyDict_GetItemWithError(<PyObject*>stdlib, <PyObject*>cls) == found:
        return None
    return <object>found


cdef object deep_other_unguarded(Session s, object x):
    cdef PyTypeObject* tp = Py_TYPE(<PyObject*>x)
    cdef object cls = <object>tp
    cdef object y
    cdef bint registered
    # Read first: if the dispatch tables change while this runs, the epoch
    # stored below is already out of date, never wrongly current.
    cdef uint64_t epoch = fc_dispatch_epoch()
    cdef uint64_t deep_epoch
    cdef TypeInfo* info = type_info_peek(tp)
    if info != NULL and epoch != 0:
        # Both tables were looked at for this type, and neither has changed
        # since: no copier in copy._deepcopy_dispatch, and a copyreg
        # reductor or none.
        if info.dispatch_epoch == epoch:
            return deep_instance(s, x, info, False)
        if info.registered_epoch == epoch:
            return deep_instance(s, x, info, True)
    # (Before 3.12 a narrower epoch for self_epoch, read likewise before
    # copy._deepcopy_dispatch is looked in.)
    deep_epoch = fc_deep_dispatch_epoch()
    cdef object copier = foreign_copier(copy_deep_dispatch, stdlib_deep_dispatch, cls)
    if copier is not None:
        python_may_run(s)
        check_gc_running(s)
        y = copier(x, memo_as_dict(s))
    elif cls is MethodType:
        y = cls(x.__func__, deep_any(s, x.__self__))
    elif PyType_Check(<PyObject*>x):
        return x                    # a class (metaclass instance) is atomic
    elif cls is bytearray and not in_dispatch_table(<PyTypeObject*>cls):
        y = bytearray(x)            # what its reduce value rebuilds
    else:
        if info == NULL:
            python_may_run(s)       # working out the verdict runs Python code
            info = type_info(tp)
        # No copier in copy._deepcopy_dispatch (own_copy() relies on it).
        info.self_epoch = deep_epoch
        registered = in_dispatch_table(tp)      # has a copyreg reductor
        if registered:
            info.registered_epoch = epoch
        else:
            info.dispatch_epoch = epoch
        return deep_instance(s, x, info, registered)
    return recorded(s, x, y)


cdef inline object recorded(Session s, object x, object y):
    """y, after memo_record_copy() (recorded unless it is x itself)."""
    memo_record_copy(s, <PyObject*>x, <PyObject*>y)
    return y


cdef object deep_instance(Session s, object x, TypeInfo* info, bint registered):
    """Copy x, whose class has no copier in copy._deepcopy_dispatch and
    whose verdict is info: the native paths, __deepcopy__, or the reduce
    protocol."""
    cdef PyTypeObject* tp = Py_TYPE(<PyObject*>x)
    cdef object y
    # A known "return self" __deepcopy__ comes before copyreg (registered)
    # and leaves the memo alone: the memo's mode does not matter either (a
    # mapping memo was read before this).
    if info.kind == KIND_SELF and fc_instance_dict_surely_lacks(
            <PyObject*>x, <PyObject*>"__deepcopy__"):
        return x                    # what its __deepcopy__ would return
    if s.memo_mode == MEMO_NATIVE and not registered and info.kind == KIND_PLAIN:
        y = deep_plain(s, x, info)
        if y is not NotImplemented:
            return y
    # From here on Python code may run (attribute hooks, __deepcopy__,
    # the reduce protocol).
    python_may_run(s)
    check_gc_running(s)
    if (info.kind == KIND_SELF
            and not instance_overrides(<PyObject*>x, <PyObject*>"__deepcopy__")):
        # The same answer, found by a lookup that may create x's dict or
        # call a key's __eq__ (x is held by the caller meanwhile).
        return x
    # Read before anything runs: a hook may change the class, and with it
    # the verdict `info` points to.
    cdef int reduce_kind = info.reduce_kind
    cdef bint quiet = info.no_deepcopy_attr
    cdef bint hook_is_function = info.deepcopy_function
    # None is what the lookup finds when the class has no __deepcopy__ and
    # x surely has none of its own.
    copier = None
    if not (quiet and surely_not_in_instance_dict(<PyObject*>x, <PyObject*>"__deepcopy__")):
        function = (class_function(x, tp, <PyObject*>"__deepcopy__")
                    if hook_is_function else None)
        if function is not None:
            # What getattr(x, "__deepcopy__")(memo) does, minus the bound method.
            memo = memo_as_dict(s)
            y = steal(fc_call2(<PyObject*>function, <PyObject*>x, <PyObject*>memo))
            return recorded(s, x, y)
        copier = getattr(x, "__deepcopy__", None)
    if copier is not None:
        y = copier(memo_as_dict(s))
    else:
        if not quiet:
            # The lookup may have run code that changed the class or
            # copyreg's table: look again.
            registered = in_dispatch_table(tp)
            reduce_kind = RK_LOOKUP
        rv = reduce_value(x, tp, "deep", registered, reduce_kind)
        if isinstance(rv, str):
            return x
        y = reconstruct(s, x, rv)
        if s.memo_mode == MEMO_NATIVE:
            # reconstruct() recorded y already, and the native memo keeps x
            # alive: recording it again would change nothing.
            if y is not x:
                native_keep_alive(s, <PyObject*>x)
            return y
    return recorded(s, x, y)


cdef object protocol_4 = 4          # the protocol the stdlib asks reductors for


cdef object reduce_value(object x, PyTypeObject* tp, str kind,
                         bint registered=True, int reduce_kind=RK_LOOKUP):
    """The reduce value of x, found the way the stdlib looks for it.

    registered=False: the class is known to have no copyreg reductor.
    reduce_kind: what type_info() found out about the class's methods.
    """
    cdef PyObject* reductor
    if registered:
        reductor = PyDict_GetItemWithError(<PyObject*>dispatch_table, <PyObject*>tp)
        if reductor != NULL:
            return (<object>reductor)(x)
        if PyErr_Occurred() != NULL:
            raise_current()
    if reduce_kind != RK_LOOKUP and surely_not_in_instance_dict(
            <PyObject*>x, <PyObject*>"__reduce_ex__"):
        # What getattr(x, "__reduce_ex__")(4) would do, minus a bound method.
        if reduce_kind == RK_REDUCE:
            method = getattr(x, "__reduce__")
            return steal(PyObject_CallNoArgs(<PyObject*>method))
        if reduce_kind == RK_GETSTATE:
            rv = getstate_reduce_value(x, tp)
            if rv is not None:
                return rv
        elif reduce_kind == RK_NEWARGS:
            rv = newargs_reduce_value(x, tp)
            if rv is not None:
                return rv
        return object_reduce_ex(x, 4)
    method = getattr(x, "__reduce_ex__", None)
    if method is not None:
        return steal(PyObject_CallOneArg(<PyObject*>method, <PyObject*>protocol_4))
    method = getattr(x, "__reduce__", None)
    if method:
        return steal(PyObject_CallNoArgs(<PyObject*>method))
    raise Error("un(%s)copyable object of type %s" % (kind, <object>tp))


cdef object getstate_reduce_value(object x, PyTypeObject* tp):
    """object.__reduce_ex__(x, 4) for a class whose verdict is RK_GETSTATE:
    (copyreg.__newobj__, (cls,), x.__getstate__(), None, None), made
    without the lookups it does each time (__reduce__, __getnewargs_ex__,
    __getnewargs__, copyreg, __getstate__).  None, with nothing run, when
    the instance or copyreg is not as the verdict assumes."""
    if not copyreg_newobj_intact():
        return None
    getstate = class_function(x, tp, <PyObject*>"__getstate__")
    if getstate is None:
        return None
    state = steal(PyObject_CallOneArg(<PyObject*>getstate, <PyObject*>x))
    return (copyreg_newobj, (<object>tp,), state, None, None)


cdef object newargs_reduce_value(object x, PyTypeObject* tp):
    """object.__reduce_ex__(x, 4) for a class whose verdict is RK_NEWARGS:
    (copyreg.__newobj__, (cls, *x.__getnewargs__()), x.__getstate__(),
    list items, dict items), made without the bound methods and lookups it
    makes each time.  The same calls in the same order; None, with nothing
    run, when the class is not as the verdict assumes."""
    # Found on the class only, as object.__reduce_ex__ looks for it.  (It
    # also compares the class's __reduce__ with object's: so did the verdict.)
    cdef PyObject* found = fc_class_lookup(tp, <PyObject*>"__getnewargs__")
    if found == NULL:
        if not is_list_or_dict(tp):
            return None
        args = empty_tuple
    else:
        getnewargs = steal(found)
        if not is_unbound_callable(getnewargs):
            return None
        args = steal(PyObject_CallOneArg(<PyObject*>getnewargs, <PyObject*>x))
        if not isinstance(args, tuple):
            raise_getnewargs_error(<PyObject*>args)
    # Looked up after the call, as object.__reduce_ex__ does (the call may
    # have changed them).
    newobj = copyreg_newobj if copyreg_newobj_intact() else getattr(
        steal(PyImport_ImportModule(b"copyreg")), "__newobj__")
    cdef Py_ssize_t i, n = PyTuple_GET_SIZE(<PyObject*>args)
    cdef object newargs = steal(PyTuple_New(n + 1))
    incref(<PyObject*>tp)
    PyTuple_SET_ITEM(<PyObject*>newargs, 0, <PyObject*>tp)
    for i in range(n):
        incref(PyTuple_GET_ITEM(<PyObject*>args, i))
        PyTuple_SET_ITEM(<PyObject*>newargs, i + 1, PyTuple_GET_ITEM(<PyObject*>args, i))
    # x.__getstate__(): with object's, its default state, which is what
    # object.__reduce_ex__ asks for when there are new-arguments.
    getstate = class_function(x, tp, <PyObject*>"__getstate__")
    if getstate is not None:
        state = steal(PyObject_CallOneArg(<PyObject*>getstate, <PyObject*>x))
    else:
        state = getattr(x, "__getstate__")()
    list_items = iter(x) if PyList_Check(<PyObject*>x) else None
    dict_items = iter(x.items()) if PyDict_Check(<PyObject*>x) else None
    return (newobj, newargs, state, list_items, dict_items)


cdef int raise_getnewargs_error(PyObject* args) except -1:
    PyErr_Format(PyExc_TypeError, "__getnewargs__ should return a tuple, not '%.200s'",
                 Py_TYPE(args).tp_name)
    return -1


cdef uint64_t copyreg_found_intact = 0   # the epoch it was last found in


cdef inline bint copyreg_newobj_intact() except -1:
    """Is copyreg.__newobj__, as object.__reduce_ex__ finds it at every call
    (in sys.modules["copyreg"]), still the function the core knows?
    Checked once per dispatch epoch, which covers both dicts."""
    global copyreg_found_intact
    cdef uint64_t epoch = fc_dispatch_epoch()
    if epoch != 0 and epoch == copyreg_found_intact:
        return True
    if (PyDict_GetItemWithError(<PyObject*>interpreter_modules, <PyObject*>"copyreg")
            != <PyObject*>copyreg or PyDict_GetItemWithError(
                <PyObject*>copyreg_namespace, <PyObject*>"__newobj__") != <PyObject*>copyreg_newobj):
        return PyErr_Occurred() != NULL and raise_current()
    copyreg_found_intact = epoch
    return True


cdef inline bint is_unbound_callable(object f):
    """A function written in Python or a method of a built-in type: f(x, *a)
    does what binding it to x and calling the bound method does, minus the
    bound method."""
    return type(f) is FunctionType or type(f) is MethodDescriptorType


cdef object class_function(object x, PyTypeObject* tp, PyObject* name):
    """The function (see is_unbound_callable) that getattr(x, name) would
    bind to x - the class's, when x's own __dict__ surely holds no `name` -
    or None.  A new reference: the caller keeps it while calling it, since
    the call may rebind the class attribute, which must not free it
    meanwhile."""
    if not surely_not_in_instance_dict(<PyObject*>x, name):
        return None
    cdef PyObject* found = fc_class_lookup(tp, name)
    if found == NULL:
        return None
    function = steal(found)
    return function if is_unbound_callable(function) else None


cdef object copy_args(Session s, object args):
    """The deep copy of a reduce value's args, as a tuple to call with.

    The stdlib calls func(*(deepcopy(arg) for arg in args)); a tuple whose
    items all come back unchanged is reused as it is.
    """
    cdef Py_ssize_t i, j, n
    cdef PyObject* item
    cdef object copied
    cdef object result = None
    if type(args) is not tuple:
        return tuple([deep_any(s, arg) for arg in args])
    n = PyTuple_GET_SIZE(<PyObject*>args)
    for i in range(n):
        item = PyTuple_GET_ITEM(<PyObject*>args, i)
        copied = deep_any(s, <object>item)
        if result is None:
            if <PyObject*>copied == item:
                continue
            result = steal(PyTuple_New(n))
            for j in range(i):
                incref(PyTuple_GET_ITEM(<PyObject*>args, j))
                PyTuple_SET_ITEM(<PyObject*>result, j, PyTuple_GET_ITEM(<PyObject*>args, j))
        incref(<PyObject*>copied)
        PyTuple_SET_ITEM(<PyObject*>result, i, <PyObject*>copied)
    return args if result is None else result


cdef object reconstruct(Session s, object x, object rv):
    """Build the copy from a reduce value; s is None for a shallow copy.

    rv is only read, never modified.  The frequent shape - (func, args) or
    (func, args, state) - stays in this short function; the rest of the
    state handling and the list/dict items are in reconstruct_rest().
    """
    cdef object parts = rv
    if type(rv) is not tuple:
        try:
            parts = tuple(rv)
        except TypeError:
            raise reduce_not_iterable_error(x, rv) from None
    cdef PyObject* p = <PyObject*>parts
    cdef Py_ssize_t n = PyTuple_GET_SIZE(p)
    if n < 2 or n > 5:
        raise reduce_arity_error(x, rv)
    # Borrowed: the tuple `parts` holds its items while this runs.
    cdef PyObject* func = PyTuple_GET_ITEM(p, 0)
    cdef PyObject* args = PyTuple_GET_ITEM(p, 1)
    cdef object call_args
    if Py_TYPE(args) == T_TUPLE:
        if s is not None and PyTuple_GET_SIZE(args) != 0:
            call_args = copy_args(s, <object>args)
        else:
            call_args = <object>args
    elif s is not None and PyObject_IsTrue(args):
        call_args = copy_args(s, <object>args)
    else:
        call_args = tuple(<object>args)     # as func(*args) would
    cdef object y
    cdef PyObject* cls
    cdef Py_ssize_t nargs
    cdef newfunc builtin_new
    cdef tuple new_args
    if func == <PyObject*>copyreg_newobj and PyTuple_GET_SIZE(<PyObject*>call_args) >= 1:
        # copyreg.__newobj__(cls, *rest) is cls.__new__(cls, *rest); calling
        # it directly saves a Python-level frame.
        cls = PyTuple_GET_ITEM(<PyObject*>call_args, 0)
        nargs = PyTuple_GET_SIZE(<PyObject*>call_args)
        if nargs == 1 and new_with_object_new(cls):
            # cls.__new__ is object.__new__: call its C function.
            y = steal(fc_object_new(<PyTypeObject*>cls, <PyObject*>empty_tuple))
        else:
            builtin_new = fc_builtin_new(<PyTypeObject*>cls, <PyObject*>"__new__") \
                if PyType_Check(cls) else NULL
            if builtin_new != NULL:
                # A built-in type's __new__ (a subclass of tuple, dict, int
                # ...): its C function, called as that __new__ calls it.
                new_args = empty_tuple if nargs == 1 else call_args[1:]
                y = steal(builtin_new(<PyTypeObject*>cls, <PyObject*>new_args, NULL))
            else:
                y = getattr(<object>cls, "__new__")(*call_args)
    else:
        y = steal(PyObject_Call(func, <PyObject*>call_args, NULL))
    if s is not None:
        check_gc_running(s)
        memo_record(s, <PyObject*>x, <PyObject*>y)
    if n > 2:
        reconstruct_rest(s, y, p, n)
    return y


cdef inline bint new_with_object_new(PyObject* cls):
    """Is cls a class whose __new__ is object.__new__ (as its metaclass
    finds it)?"""
    return (PyType_Check(cls) and uses_object_new(<PyTypeObject*>cls)
            and fc_has_type_getattr(Py_TYPE(cls)))


cdef int deque_items(Session s, object y, object listiter, object append) except -1:
    """A deque's list items, deep-copied into y (an exact deque) as
    _reconstruct appends them.  Runs of items that are their own copies go
    in with one extend(), which appends them in order just as one append()
    each would: no code can run between those appends to tell the
    difference.  Every other item is copied and appended on its own."""
    cdef list run = []
    extend = y.extend
    for item in listiter:
        s.steps += 1
        # (A hook may have turned the memo into a dict meanwhile: from then
        # on every item is looked up in it first.)
        if (s.memo_mode == MEMO_NATIVE and own_copy(<PyObject*>item)
                and s.steps < SIGNAL_CHECK_STEPS):
            run.append(item)
            continue
        if run:
            extend(run)
            run = []
        if s.steps >= SIGNAL_CHECK_STEPS:
            check_signals(s)
        append(deep_any(s, item))
    if run:
        extend(run)
    return 0


cdef int reconstruct_rest(Session s, object y, PyObject* parts, Py_ssize_t n) except -1:
    """The state, list items and dict items of a reduce value (parts, a
    tuple of n items), applied to y as the stdlib's _reconstruct does."""
    cdef bint deep = s is not None
    state = <object>PyTuple_GET_ITEM(parts, 2)
    listiter = <object>PyTuple_GET_ITEM(parts, 3) if n > 3 else None
    dictiter = <object>PyTuple_GET_ITEM(parts, 4) if n > 4 else None
    if state is not None:
        if deep:
            state = deep_any(s, state)
        # One lookup where the stdlib does two (hasattr, then the call).
        setstate = getattr(y, "__setstate__", _nil)
        if setstate is not _nil:
            setstate(state)
        else:
            if isinstance(state, tuple) and len(<tuple>state) == 2:
                state, slotstate = state
            else:
                slotstate = None
            if state is not None:
                instance_dict = y.__dict__
                if type(instance_dict) is dict and type(state) is dict:
                    PyDict_Update(<PyObject*>instance_dict, <PyObject*>state)
                else:
                    instance_dict.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)

    if listiter is not None:
        if type(y) is list:
            for item in listiter:
                if deep:
                    item = deep_any(s, item)
                PyList_Append(<PyObject*>y, <PyObject*>item)
        elif (Py_TYPE(<PyObject*>y).tp_flags & Py_TPFLAGS_IMMUTABLETYPE
                and not has_instance_dict(Py_TYPE(<PyObject*>y))):
            # A built-in type (deque, ...): neither its class nor the
            # instance can rebind `append` meanwhile, so the method the
            # stdlib looks up for every item is found once.
            append = y.append
            if deep and Py_TYPE(<PyObject*>y) == T_DEQUE and s.memo_mode == MEMO_NATIVE:
                deque_items(s, y, listiter, append)
            else:
                for item in listiter:
                    if deep:
                        item = deep_any(s, item)
                    append(item)
        else:
            for item in listiter:
                if deep:
                    item = deep_any(s, item)
                y.append(item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key = deep_any(s, key)
                value = deep_any(s, value)
            y[key] = value
    return 0
