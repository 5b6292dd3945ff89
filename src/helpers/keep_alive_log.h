/* The order in which a session's copies finished, while its memo is the
   native table (memo.pxi): the stdlib appends each object it copied to
   memo[id(memo)] when its copy is done, and a hook handed the memo as a
   dict must find that list as it would be by then.  The items are
   borrowed: each is a key of the session's table, which holds it. */
#ifndef FASTCOPY_KEEP_ALIVE_LOG_H
#define FASTCOPY_KEEP_ALIVE_LOG_H

#include <stdlib.h>
#include <string.h>

#define FC_KEPT_INLINE 8

typedef struct {
    PyObject **items;           /* `inline_items` while they hold it all */
    Py_ssize_t n;
    Py_ssize_t capacity;
    Py_ssize_t first_at;        /* entries in the table at the first finish */
    PyObject *inline_items[FC_KEPT_INLINE];
} fc_keep_alive_log;

/* The log is full (or unused yet): make room, then append x.  A log never
   holds more items than the table has entries (each is a different key),
   so it grows to the table's capacity at once. */
static FC_NO_INLINE int fc_keep_alive_log_grow(fc_keep_alive_log *log, PyObject *x,
                                               Py_ssize_t table_used,
                                               Py_ssize_t table_capacity)
{
    Py_ssize_t capacity;
    PyObject **grown;
    if (log->capacity == 0) {
        log->items = log->inline_items;
        log->capacity = FC_KEPT_INLINE;
        log->first_at = table_used;
    }
    else {
        capacity = 2 * log->capacity;
        if (capacity < table_capacity)
            capacity = table_capacity;
        if ((size_t)capacity > PY_SSIZE_T_MAX / sizeof(PyObject *)) {
            PyErr_NoMemory();
            return -1;
        }
        if (log->items == log->inline_items) {
            grown = (PyObject **)malloc((size_t)capacity * sizeof(PyObject *));
            if (grown != NULL)
                memcpy(grown, log->inline_items, (size_t)log->n * sizeof(PyObject *));
        }
        else {
            grown = (PyObject **)realloc(log->items, (size_t)capacity * sizeof(PyObject *));
        }
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        log->items = grown;
        log->capacity = capacity;
    }
    log->items[log->n++] = x;
    return 0;
}

/* Append x, the original whose copy is done (inlined into the walk: a
   store in the usual case). */
FC_ALWAYS_INLINE int fc_keep_alive_log_push(fc_keep_alive_log *log, PyObject *x,
                                            Py_ssize_t table_used,
                                            Py_ssize_t table_capacity)
{
    if (log->n < log->capacity) {
        log->items[log->n++] = x;
        return 0;
    }
    return fc_keep_alive_log_grow(log, x, table_used, table_capacity);
}

/* Empty the log and free its storage (safe to call twice). */
static inline void fc_keep_alive_log_clear(fc_keep_alive_log *log)
{
    if (log->items != NULL && log->items != log->inline_items)
        free(log->items);
    log->items = NULL;
    log->n = 0;
    log->capacity = 0;
}

#endif
