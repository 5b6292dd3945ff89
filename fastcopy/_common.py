"""Pieces shared by the compiled core and the pure-Python twin: the
exception classes, error messages and copy.replace.  (How types are copied
on the running Python is in _rules.py.)"""

import copy as _stdlib_copy
import sys

# The very exception class of the stdlib, so `except copy.Error` catches ours.
Error = _stdlib_copy.Error


class VerifyWarning(RuntimeWarning):
    """Verify mode (fastcopy.patch(verify=...)) found a copy that differs
    from the standard library's; the standard library's result was used."""


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
