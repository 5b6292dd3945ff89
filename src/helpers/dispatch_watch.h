/* The dispatch-table epoch: a number that changes whenever one of the dicts
   the copy protocol consults does, so per-type answers can be cached. */
#ifndef FASTCOPY_DISPATCH_WATCH_H
#define FASTCOPY_DISPATCH_WATCH_H

/* Has one of the dicts the copy protocol consults changed?
 * (copy._deepcopy_dispatch, copy._copy_dispatch up to 3.13,
 * copyreg.dispatch_table, copyreg's namespace, where object.__reduce_ex__
 * finds __newobj__, sys.modules, where it finds copyreg, and the copy
 * module's namespace, where deepcopy finds its tables.)
 *
 * fc_dispatch_epoch() is a number that changes whenever one of them does,
 * or 0 when that cannot be told; answers such as "does a table hold this
 * type?" are kept with the epoch they were found in.  Before 3.12 every
 * change of a dict gives it a new version tag from one global counter, so
 * the sum of the tags grows with every change.  From 3.12 on the tags are
 * deprecated, and a dict watcher counts the changes instead.
 *
 * Two narrower epochs cost less before 3.12, where each dict read counts:
 * fc_rules_epoch() for the answer of _rules.tables_intact(), asked at every
 * call, and fc_deep_dispatch_epoch() for "copy._deepcopy_dispatch has no
 * copier for this type".  From 3.12 on both are fc_dispatch_epoch().
 */
#define FC_MAX_WATCHED_DICTS 8
#define FC_RULES_DICTS 3        /* the first ones: copy's two tables, its namespace */
static PyObject *fc_watched[FC_MAX_WATCHED_DICTS];
static int fc_watched_count = 0;

#if FC_AT_LEAST(FC_PY_3_12)
/* 0 until the watcher is in place (epoch 0: cannot be told), then 1 and
   counting. */
static uint64_t fc_dispatch_changes = 0;

static int fc_on_dispatch_change(PyDict_WatchEvent event, PyObject *dict,
                                 PyObject *key, PyObject *new_value)
{
    (void)event; (void)dict; (void)key; (void)new_value;
    fc_dispatch_changes++;
    return 0;
}
#else
/* Where each watched dict keeps its version tag; a constant zero for the
   slots not in use, so that the rules epoch is a sum of a fixed number of
   terms (no loop, no branch: the entry reads it at every call). */
static const uint64_t fc_no_tag = 0;
static const uint64_t *fc_watched_tags[FC_MAX_WATCHED_DICTS] = {
    &fc_no_tag, &fc_no_tag, &fc_no_tag, &fc_no_tag,
    &fc_no_tag, &fc_no_tag, &fc_no_tag, &fc_no_tag};
#endif

/* Start watching the dicts of the tuple `dicts` (once, at import; they
   live as long as the interpreter; the tuple keeps them).  Its first
   `rules_dicts` (at most FC_RULES_DICTS: 3.14+ has no copy._copy_dispatch)
   are the ones _rules.tables_intact() reads, and the first of all is
   copy._deepcopy_dispatch.  Never fails: without a watcher the epochs are
   0 and nothing is cached. */
static int fc_watch_dispatch_tables(PyObject *dicts, int rules_dicts)
{
    Py_ssize_t n = PyTuple_GET_SIZE(dicts);
    int i;
    if (n > FC_MAX_WATCHED_DICTS || rules_dicts > FC_RULES_DICTS)
        return 0;
    for (i = 0; i < n; i++)
        fc_watched[i] = PyTuple_GET_ITEM(dicts, i);
#if FC_AT_LEAST(FC_PY_3_12)
    int id = PyDict_AddWatcher(fc_on_dispatch_change);
    if (id < 0) {
        PyErr_Clear();
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (PyDict_Watch(id, fc_watched[i]) < 0) {
            PyErr_Clear();
            (void)PyDict_ClearWatcher(id);
            PyErr_Clear();
            return 0;
        }
    }
    fc_dispatch_changes = 1;
#else
    /* (With fewer rules dicts the rules epoch sums one more dict than it
       needs: a change there only makes the rules be read again.) */
    for (i = 0; i < n; i++)
        fc_watched_tags[i] = fc_dict_tag_address(fc_watched[i]);
#endif
    fc_watched_count = (int)n;
    return 0;
}

#if !FC_AT_LEAST(FC_PY_3_12)
/* The sum of the version tags of the first n watched dicts. */
static inline uint64_t fc_version_sum(int n)
{
    uint64_t sum = 0;
    int i;
    for (i = 0; i < n; i++)
        sum += *fc_watched_tags[i];
    return sum;
}
#endif

static inline uint64_t fc_dispatch_epoch(void)
{
#if FC_AT_LEAST(FC_PY_3_12)
    return fc_dispatch_changes;
#else
    return fc_version_sum(fc_watched_count);
#endif
}

/* The epoch of _rules.tables_intact()'s answer: the copy module's
   namespace and its two dispatch dicts (every copy call asks it). */
static inline uint64_t fc_rules_epoch(void)
{
#if FC_AT_LEAST(FC_PY_3_12)
    return fc_dispatch_epoch();
#else
    return *fc_watched_tags[0] + *fc_watched_tags[1] + *fc_watched_tags[2];
#endif
}

/* The epoch of "copy._deepcopy_dispatch has no copier for this type", all
   a type whose __deepcopy__ returns the object needs (the other tables
   are asked only for classes without __deepcopy__): one read for every
   Decimal or re.Pattern copied. */
static inline uint64_t fc_deep_dispatch_epoch(void)
{
#if FC_AT_LEAST(FC_PY_3_12)
    return fc_dispatch_epoch();
#else
    return *fc_watched_tags[0];
#endif
}

#endif
