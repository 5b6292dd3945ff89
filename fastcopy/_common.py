"""Pieces shared by the compiled core and the pure-Python twin.

Both implementations classify types the same way the running interpreter's
``copy`` module does; the tables live here so the two cannot drift apart.
"""

import copy as _stdlib_copy
import sys
import types
import weakref

# The very exception class of the stdlib, so `except copy.Error` catches ours.
Error = _stdlib_copy.Error

# Types that copy.deepcopy returns unchanged (its `_deepcopy_atomic` entries).
DEEP_ATOMIC = (
    type(None), type(Ellipsis), type(NotImplemented), int, float, bool,
    complex, bytes, str, types.CodeType, type, range,
    types.BuiltinFunctionType, types.FunctionType, weakref.ref, property,
)

# Types that copy.copy returns unchanged (its `_copy_immutable` entries).
SHALLOW_ATOMIC = DEEP_ATOMIC + (tuple, frozenset, slice)

# The stdlib's own entries in its private dispatch tables.  Entries that are
# not in these snapshots were added by third-party code at run time and are
# honoured, the way the stdlib would call them.
STDLIB_DEEP_DISPATCH = dict(_stdlib_copy._deepcopy_dispatch)
STDLIB_SHALLOW_DISPATCH = dict(_stdlib_copy._copy_dispatch)


def foreign_copier(table, stdlib_entries, cls):
    """A copier for cls registered by someone else in one of the copy
    module's private dispatch tables (table), or None.  stdlib_entries is
    the snapshot of that table's own entries."""
    copier = table.get(cls)
    if copier is None or stdlib_entries.get(cls) is copier:
        return None
    return copier


def reduce_arity_error(x, rv):
    """The TypeError for a reduce value that is not a 2..5 item sequence."""
    return TypeError(
        "copy: the reduce value of a %s object must be a tuple of 2 to 5 items "
        "(callable, args[, state[, listitems[, dictitems]]]), got %s of %d items"
        % (type(x).__qualname__, type(rv).__name__, len(rv)))


def reduce_not_iterable_error(x, rv):
    return TypeError(
        "copy: the reduce value of a %s object must be a string or a tuple, "
        "not %s" % (type(x).__qualname__, type(rv).__name__))


if sys.version_info >= (3, 13):
    def replace(obj, /, **changes):
        """Return a new object replacing specified fields with new values.

        Same as copy.replace: the object's class must define __replace__.
        """
        cls = obj.__class__
        func = getattr(cls, '__replace__', None)
        if func is None:
            raise TypeError(f"replace() does not support {cls.__name__} objects")
        return func(obj, **changes)
else:
    replace = None
