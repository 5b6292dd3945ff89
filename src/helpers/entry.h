/* The public entry points as built-in functions (METH_FASTCALL |
   METH_KEYWORDS), and the vectorcall slot of the patched stdlib functions.

   A Cython def function is a cyfunction: the interpreter never specialises
   a call to it, and its keyword-capable argument parsing runs before any of
   the function's code.  A built-in function with METH_FASTCALL gets the
   interpreter's specialised call and hands over the argument array as it
   is: an atom is answered here at once, the other frequent shapes (one or
   two positional arguments) by the core, and anything else goes to the
   def function, whose parsing (and error messages) stay Cython's. */
#ifndef FASTCOPY_ENTRY_H
#define FASTCOPY_ENTRY_H

typedef PyObject *(*fc_fastcall_t)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);

/* deepcopy(x, memo=m): one positional argument and the one keyword "memo",
   the shape of the hooks that pass the memo on (the vectorcall argument
   array then is {x, m}, as for deepcopy(x, m)).  Comparing an exact str
   with an ASCII literal runs no Python code. */
static inline int fc_is_memo_keyword_call(Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *name;
    if (nargs != 1 || kwnames == NULL || PyTuple_GET_SIZE(kwnames) != 1)
        return 0;
    name = PyTuple_GET_ITEM(kwnames, 0);
    return PyUnicode_CheckExact(name) && PyUnicode_CompareWithASCIIString(name, "memo") == 0;
}

enum { FC_ENTRY_DEEPCOPY = 0, FC_ENTRY_COPY = 1 };

/* The texts before "--" are the signatures inspect.signature() reads
   (__text_signature__); __doc__ is the rest. */
static PyMethodDef fc_entry_defs[2] = {
    {"deepcopy", NULL, METH_FASTCALL | METH_KEYWORDS,
     "deepcopy(x, memo=None)\n--\n\n"
     "Deep copy operation on arbitrary Python objects (as copy.deepcopy)."},
    {"copy", NULL, METH_FASTCALL | METH_KEYWORDS,
     "copy(x)\n--\n\n"
     "Shallow copy operation on arbitrary Python objects (as copy.copy)."},
};

/* The epoch (fc_rules_epoch, dispatch_watch.h) in which the copy module's
   rules were last found intact (rules.pxi), else FC_NO_EPOCH, which no
   epoch reaches (a count of dict changes from 1, or a sum of three).  One
   compare then tells "known intact" (an epoch of 0 cannot be told, and is
   never kept). */
#define FC_NO_EPOCH UINT64_MAX
static uint64_t fc_rules_intact_epoch = FC_NO_EPOCH;

static inline void fc_note_rules_intact(uint64_t epoch, int intact)
{
    fc_rules_intact_epoch = intact && epoch != 0 ? epoch : FC_NO_EPOCH;
}

static inline int fc_rules_known_intact(void)
{
    return fc_rules_epoch() == fc_rules_intact_epoch;
}

/* -- the built-in functions' first steps ----------------------------------

   deepcopy(x) and copy(x), the most frequent calls of all, are looked at
   here: an exact str, int, float, bool or None is its own copy (deep and
   shallow) while the copy module's rules are known intact, answered in a
   function with no stack frame of its own (nothing to save before it
   returns).  Everything else goes on to the core (entry.pxi) through
   functions kept out of line, so that the register saves of the core's
   code stay out of these. */
typedef PyObject *(*fc_one_t)(PyObject *);

/* Set by fc_set_entry_core(): `one` takes f(x) for an x that is not an
   atom, the rules known intact; `other` every other call. */
static fc_one_t fc_deepcopy_one_core, fc_copy_one_core;
static fc_fastcall_t fc_deepcopy_other_core, fc_copy_other_core;

static FC_NO_INLINE PyObject *fc_deepcopy_one(PyObject *x)
{
    return fc_deepcopy_one_core(x);
}

static FC_NO_INLINE PyObject *fc_copy_one(PyObject *x)
{
    return fc_copy_one_core(x);
}

static FC_NO_INLINE PyObject *fc_deepcopy_other(PyObject *self, PyObject *const *args,
                                                Py_ssize_t nargs, PyObject *kwnames)
{
    return fc_deepcopy_other_core(self, args, nargs, kwnames);
}

static FC_NO_INLINE PyObject *fc_copy_other(PyObject *self, PyObject *const *args,
                                            Py_ssize_t nargs, PyObject *kwnames)
{
    return fc_copy_other_core(self, args, nargs, kwnames);
}

static inline PyObject *fc_entry_call(fc_one_t one, fc_fastcall_t other, PyObject *self,
                                      PyObject *const *args, Py_ssize_t nargs,
                                      PyObject *kwnames)
{
    if (kwnames == NULL && nargs == 1 && fc_rules_known_intact()) {
        if (fc_plainly_atomic(args[0]))
            return Py_NewRef(args[0]);
        return one(args[0]);
    }
    return other(self, args, nargs, kwnames);
}

static PyObject *fc_deepcopy_fastcall(PyObject *self, PyObject *const *args,
                                      Py_ssize_t nargs, PyObject *kwnames)
{
    return fc_entry_call(fc_deepcopy_one, fc_deepcopy_other, self, args, nargs, kwnames);
}

static PyObject *fc_copy_fastcall(PyObject *self, PyObject *const *args,
                                  Py_ssize_t nargs, PyObject *kwnames)
{
    return fc_entry_call(fc_copy_one, fc_copy_other, self, args, nargs, kwnames);
}

/* Where entry `which`'s built-in function goes on to. */
static void fc_set_entry_core(int which, void *one, void *other)
{
    if (which == FC_ENTRY_DEEPCOPY) {
        fc_deepcopy_one_core = (fc_one_t)one;
        fc_deepcopy_other_core = (fc_fastcall_t)other;
    } else {
        fc_copy_one_core = (fc_one_t)one;
        fc_copy_other_core = (fc_fastcall_t)other;
    }
}

/* A new built-in function for entry `which`, calling `impl`. */
static PyObject *fc_make_entry(int which, void *impl, PyObject *self, PyObject *module_name)
{
    PyMethodDef *def = &fc_entry_defs[which];
    def->ml_meth = (PyCFunction)(void (*)(void))impl;
    return PyCFunction_NewEx(def, self, module_name);
}

/* -- patched stdlib functions ------------------------------------------

   copy.deepcopy patched: its code is the trampoline of fastcopy/_patch.py
   (so introspection and odd call shapes - keywords, the private _nil
   argument - behave as before), and its vectorcall slot sends the frequent
   shapes straight to the core, without the trampoline's Python frame.
   Which calls go through the slot: on 3.10 every call; on 3.12+ every call
   too, as the interpreter runs a function's code inline only while its
   vectorcall is the default one (and PyFunction_SetVectorcall clears the
   version the specialiser checks); on 3.11, which has no
   PyFunction_SetVectorcall and runs a Python function's code inline
   whatever its slot, the calls from C (numpy's object arrays, map()),
   while calls from Python code run the trampoline, which calls the same
   core. */

static inline void fc_function_set_vectorcall(PyObject *func, vectorcallfunc vectorcall)
{
#if FC_AT_LEAST(FC_PY_3_12)
    PyFunction_SetVectorcall((PyFunctionObject *)func, vectorcall);
#else
    ((PyFunctionObject *)func)->vectorcall = vectorcall;
#endif
}

typedef struct {
    PyObject *func;             /* the patched function (NULL: not patched) */
    PyObject *impl;             /* what its trampoline calls (strong) */
    fc_fastcall_t fast;         /* impl's C function when impl is the core's
                                   own entry, else NULL */
    vectorcallfunc original;    /* the vectorcall to restore */
    Py_ssize_t max_fast_args;   /* positional arguments passed on as they are */
} fc_patch_slot;

static fc_patch_slot fc_patch_slots[2];

/* Every call shape but the frequent ones (kept out of line: the fast
   paths below then need no registers saved before they jump on). */
static FC_NO_INLINE PyObject *fc_patched_call(fc_patch_slot *p, PyObject *callable,
                                              PyObject *const *args, size_t nargsf,
                                              PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *impl, *result;
    if (kwnames == NULL && nargs >= 1 && nargs <= p->max_fast_args && p->impl != NULL) {
        /* (With a `fast` entry these shapes were taken above.)  A reference
           of our own: unpatching (in a hook, or another thread) may drop
           the slot's meanwhile. */
        impl = p->impl;
        Py_INCREF(impl);
        result = PyObject_Vectorcall(impl, args, nargs, NULL);
        Py_DECREF(impl);
        return result;
    }
    /* (After the positional shapes, the frequent ones.) */
    if (p->fast != NULL && p->max_fast_args == 2 && fc_is_memo_keyword_call(nargs, kwnames))
        return p->fast(NULL, args, 2, NULL);
    return p->original(callable, args, nargsf, kwnames);
}

static PyObject *fc_patched_deepcopy(PyObject *callable, PyObject *const *args,
                                     size_t nargsf, PyObject *kwnames)
{
    fc_patch_slot *p = &fc_patch_slots[FC_ENTRY_DEEPCOPY];
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    /* (fast: fc_deepcopy_fastcall, which answers the atoms itself: the many
       tiny calls of dataclasses.asdict and the like.  copy's: the same.) */
    if (kwnames == NULL && p->fast != NULL && (nargs == 1 || nargs == 2))
        return p->fast(NULL, args, nargs, NULL);
    return fc_patched_call(p, callable, args, nargsf, kwnames);
}

static PyObject *fc_patched_copy(PyObject *callable, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames)
{
    fc_patch_slot *p = &fc_patch_slots[FC_ENTRY_COPY];
    if (kwnames == NULL && p->fast != NULL && PyVectorcall_NARGS(nargsf) == 1)
        return p->fast(NULL, args, 1, NULL);
    return fc_patched_call(p, callable, args, nargsf, kwnames);
}

/* Route the calls of func (a Python function whose code already is the
   trampoline) to impl.  0 on success, -1 with an exception set. */
static int fc_set_patch_vectorcall(int which, PyObject *func, PyObject *impl, void *fast)
{
    fc_patch_slot *p = &fc_patch_slots[which];
    vectorcallfunc mine = which == FC_ENTRY_DEEPCOPY ? fc_patched_deepcopy : fc_patched_copy;
    PyObject *old_impl = p->impl;
    if (!PyFunction_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "fastcopy: not a Python function");
        return -1;
    }
    if (p->func != NULL && p->func != func) {
        PyErr_SetString(PyExc_RuntimeError, "fastcopy: another function is patched");
        return -1;
    }
    if (p->func == NULL || PyVectorcall_Function(func) != mine)
        p->original = PyVectorcall_Function(func);
    Py_INCREF(impl);
    p->impl = impl;
    p->fast = (fc_fastcall_t)fast;
    p->max_fast_args = which == FC_ENTRY_DEEPCOPY ? 2 : 1;
    p->func = func;
    Py_XDECREF(old_impl);
    fc_function_set_vectorcall(func, mine);
    return 0;
}

/* Undo fc_set_patch_vectorcall (nothing to do if it was not set). */
static void fc_clear_patch_vectorcall(int which)
{
    fc_patch_slot *p = &fc_patch_slots[which];
    PyObject *impl = p->impl;
    if (p->func == NULL)
        return;
    fc_function_set_vectorcall(p->func, p->original);
    p->func = NULL;
    p->fast = NULL;
    p->impl = NULL;
    Py_XDECREF(impl);
}

#endif
