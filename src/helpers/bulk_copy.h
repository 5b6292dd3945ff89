/* Whole-container copies of lists, dicts and sets whose items are all their
   own copies, made with the cyclic GC held off; and frozendict(d). */
#ifndef FASTCOPY_BULK_COPY_H
#define FASTCOPY_BULK_COPY_H

/* Whole-container copies, made right after checking that every item is its
 * own copy.  The check runs no Python code, but allocating the copy can start
 * a collection of the cyclic GC, whose finalizers are Python code that can
 * let another thread run and change the container in between (or, inside a
 * frame's tight loop, free the items it is walking).  So the GC is held off
 * while the copy is made: then nothing can run.  gc_held: the caller's walk
 * has paused the GC already. */

#define FC_HOLD_GC_OFF(gc_held, expr, result) do { \
        int was_enabled_ = (gc_held) ? 0 : PyGC_Disable(); \
        (result) = (expr); \
        if (was_enabled_) \
            PyGC_Enable(); \
    } while (0)

static inline PyObject *fc_copy_list_of_atomic(PyObject *list, int gc_held)
{
    PyObject *copy;
    FC_HOLD_GC_OFF(gc_held, PyList_GetSlice(list, 0, PyList_GET_SIZE(list)), copy);
    return copy;
}

static inline PyObject *fc_copy_dict_of_atomic(PyObject *dict, int gc_held)
{
    PyObject *copy;
    FC_HOLD_GC_OFF(gc_held, PyDict_Copy(dict), copy);
    return copy;
}

static inline int fc_update_dict_of_atomic(PyObject *into, PyObject *dict, int gc_held)
{
    int result;
    FC_HOLD_GC_OFF(gc_held, PyDict_Update(into, dict), result);
    return result;
}

static inline PyObject *fc_copy_set_of_atomic(PyObject *set, int frozen, int gc_held)
{
    PyObject *copy;
    FC_HOLD_GC_OFF(gc_held, frozen ? PyFrozenSet_New(set) : PySet_New(set), copy);
    return copy;
}

/* Py_DECREF(o) for a walk that may have paused the GC (*gc_paused): if this
 * is the last reference, freeing o can run Python code (a __del__, a weakref
 * callback), so the pause is lifted first.  (Forced inline: the walk calls
 * it for every container.) */
FC_ALWAYS_INLINE void
fc_release_unpausing(PyObject *o, int *gc_paused)
{
    if (*gc_paused && Py_REFCNT(o) == 1) {
        *gc_paused = 0;
        PyGC_Enable();
    }
    Py_DECREF(o);
}

/* frozendict(d) for the dict d (3.15+). */
static inline PyObject *fc_frozendict_new(PyObject *d)
{
#if FC_AT_LEAST(FC_PY_3_15)
    return PyFrozenDict_New(d);
#else
    (void)d;
    PyErr_SetString(PyExc_SystemError, "fastcopy: no frozendict before 3.15");
    return NULL;
#endif
}

#endif
