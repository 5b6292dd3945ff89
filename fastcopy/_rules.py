"""The running interpreter's copy rules, read from its own ``copy`` module.

CPython 3.10 to 3.15 differ in small ways (which types are atomic, whether
``deepcopy`` looks at the memo before or after the atomic check, the 3.15
``frozendict``).  This module is the one description of them that the
compiled core, the pure-Python twin and ``copy()`` all use.  Everything that
the ``copy`` module states as data is read from it, once, at import; what it
states only as code (the order of two checks, how the memo is read) is
derived from what the module has.
"""

import builtins
import copy as _copy
import operator
import types

# -- deepcopy ---------------------------------------------------------------

# The stdlib's own entries in its private deep dispatch table, as they are
# before anyone adds to it.  An entry that differs later was put there by
# third-party code and is honoured, the way the stdlib would call it.
STDLIB_DEEP_DISPATCH = dict(_copy._deepcopy_dispatch)

if hasattr(_copy, "_atomic_types"):
    # 3.14+: `if cls in _atomic_types: return x` comes first, before the
    # memo is read (a memo entry for an atomic object is not honoured).
    DEEP_ATOMIC = frozenset(_copy._atomic_types)
    ATOMIC_BEFORE_MEMO = True
else:
    # 3.10-3.13: atomic types are dispatch entries (`_deepcopy_atomic`),
    # reached after the memo lookup.
    DEEP_ATOMIC = frozenset(
        cls for cls, copier in STDLIB_DEEP_DISPATCH.items()
        if copier is _copy._deepcopy_atomic)
    ATOMIC_BEFORE_MEMO = False

# The built-in frozendict (3.15+) and the stdlib's copier for it, or None.
FROZENDICT = getattr(builtins, "frozendict", None)
FROZENDICT_COPIER = (STDLIB_DEEP_DISPATCH.get(FROZENDICT)
                     if FROZENDICT is not None else None)

# How a caller's memo is read: `memo.get(id(x), _nil)` up to 3.14 (its
# `deepcopy` has the `_nil` default), `id(x) in memo` then `memo[id(x)]`
# from 3.15.  The two differ only for a memo that is not an exact dict.
MEMO_READ_BY_CONTAINS = "_nil" not in _copy.deepcopy.__code__.co_varnames

# -- copy -------------------------------------------------------------------

if hasattr(_copy, "_copy_atomic_types"):
    # 3.14+: fixed sets, no dispatch table for third parties.
    SHALLOW_ATOMIC = frozenset(_copy._copy_atomic_types)
    SHALLOW_CONTAINERS = frozenset(_copy._copy_builtin_containers)
    STDLIB_SHALLOW_DISPATCH = None
else:
    STDLIB_SHALLOW_DISPATCH = dict(_copy._copy_dispatch)
    SHALLOW_ATOMIC = frozenset(
        cls for cls, copier in STDLIB_SHALLOW_DISPATCH.items()
        if copier is _copy._copy_immutable)
    # `_copy_dispatch[list] = list.copy`, ...
    SHALLOW_CONTAINERS = frozenset(
        cls for cls, copier in STDLIB_SHALLOW_DISPATCH.items()
        if copier is getattr(cls, "copy", None))

# The live private tables third-party code may add copiers to (None where
# the running version has none).
DEEP_DISPATCH = _copy._deepcopy_dispatch
SHALLOW_DISPATCH = getattr(_copy, "_copy_dispatch", None)

# Types whose exact instances the compiled core recognises by address in its
# hottest loops as atomic, without a table lookup: they must be atomic here.
HOT_ATOMIC = (str, int, types.NoneType, float, bool)


def check():
    """Raise ImportError if the running `copy` module breaks an assumption
    the implementations are built on."""
    missing = [cls.__name__ for cls in HOT_ATOMIC if cls not in DEEP_ATOMIC]
    if missing:
        raise ImportError("fastcopy: copy.deepcopy does not treat %s as atomic "
                          "on this Python" % ", ".join(missing))
    if not DEEP_ATOMIC <= SHALLOW_ATOMIC:
        raise ImportError("fastcopy: a type atomic for copy.deepcopy is not "
                          "atomic for copy.copy on this Python")
    unknown = SHALLOW_CONTAINERS - {list, dict, set, bytearray}
    if unknown:
        raise ImportError("fastcopy: copy.copy copies %s as a built-in "
                          "container, which fastcopy does not know"
                          % ", ".join(sorted(c.__name__ for c in unknown)))


check()


# -- when third-party code changes the copy module's tables ------------------

def _own_function(func):
    """A function object of its own with func's code, globals and defaults:
    the stdlib's algorithm, which global patching (that swaps the code of
    copy.deepcopy and copy.copy in place) leaves alone."""
    own = types.FunctionType(func.__code__, func.__globals__, func.__name__,
                             func.__defaults__, func.__closure__)
    own.__kwdefaults__ = func.__kwdefaults__
    own.__qualname__ = func.__qualname__
    own.__doc__ = func.__doc__
    return own


STDLIB_DEEPCOPY = _own_function(_copy.deepcopy)
STDLIB_COPY = _own_function(_copy.copy)

# The types whose copy the implementations decide themselves (natively, or
# from the snapshots above) instead of reading the copy module's tables at
# each call: an entry for one of them added, replaced or removed by third
# parties is a change they would not follow.
_DECIDED_DEEP = frozenset(STDLIB_DEEP_DISPATCH) | DEEP_ATOMIC | frozenset(
    t for t in (list, dict, tuple, set, frozenset, bytearray, types.MethodType, FROZENDICT)
    if t is not None)
_DECIDED_SHALLOW = SHALLOW_ATOMIC | SHALLOW_CONTAINERS | (
    frozenset(STDLIB_SHALLOW_DISPATCH) if STDLIB_SHALLOW_DISPATCH is not None else frozenset())
_ATOMIC_SETS = {name: getattr(_copy, name) for name in
                ("_atomic_types", "_copy_atomic_types", "_copy_builtin_containers")
                if hasattr(_copy, name)}
_ATOMIC_SET_SIZES = {name: len(value) for name, value in _ATOMIC_SETS.items()}
_ATOMIC_SET_ITEMS = tuple(_ATOMIC_SETS.items())


def tables_intact():
    """Are the copy module's tables still the ones the implementations were
    built from?  False if third-party code has rebound one (say,
    `copy._deepcopy_dispatch = {...}`), or changed the entry of a type whose
    copy the implementations decide natively; then the stdlib's own
    algorithm (STDLIB_DEEPCOPY, STDLIB_COPY) is what follows the change.
    (Copiers added for other types are honoured without this: see
    foreign_copier.)  The sets of 3.14+ are checked by identity and size."""
    namespace = vars(_copy)
    if namespace.get("_deepcopy_dispatch") is not DEEP_DISPATCH:
        return False
    if namespace.get("_copy_dispatch") is not SHALLOW_DISPATCH:
        return False
    for table, snapshot, decided in (
            (DEEP_DISPATCH, STDLIB_DEEP_DISPATCH, _DECIDED_DEEP),
            (SHALLOW_DISPATCH, STDLIB_SHALLOW_DISPATCH, _DECIDED_SHALLOW)):
        if table is None:
            continue
        for cls in decided:
            if table.get(cls) is not snapshot.get(cls):
                return False
    for name, value in _ATOMIC_SETS.items():
        current = namespace.get(name)
        if current is not value or len(current) != _ATOMIC_SET_SIZES[name]:
            return False
    return True


def _entries_getter(table, decided):
    """An itemgetter for table's entries of the decided types it has at
    import: one C call that the pure twin makes at every deepcopy() call.
    (Every version's deep table has list, dict and tuple entries, and the
    shallow table of 3.10-3.13 more: the getter gives a tuple.)"""
    if table is None:
        return None
    return operator.itemgetter(*(cls for cls in decided if cls in table))


_DEEP_ENTRIES = _entries_getter(DEEP_DISPATCH, _DECIDED_DEEP)
_SHALLOW_ENTRIES = _entries_getter(SHALLOW_DISPATCH, _DECIDED_SHALLOW)
_INTACT_DEEP_ENTRIES = _DEEP_ENTRIES(DEEP_DISPATCH)
_INTACT_SHALLOW_ENTRIES = (_SHALLOW_ENTRIES(SHALLOW_DISPATCH)
                           if _SHALLOW_ENTRIES is not None else None)

_checked = [None, True]     # [the tables' sizes when last checked, the answer]


def tables_intact_cached(entries_of=None):
    """tables_intact(), for the pure twin, which has no dict watcher: a True
    answer is kept while no table (dispatch dict or 3.14+ atomic set) is
    rebound, no dispatch dict changes size and the entries of the decided
    types in the table entries_of ("deep" or "shallow": the one the caller
    reads; None not to look) are still the ones found at import.  A False
    answer is asked again at every call, so that restoring the tables is
    seen."""
    namespace = vars(_copy)
    sizes = (len(DEEP_DISPATCH), len(SHALLOW_DISPATCH) if SHALLOW_DISPATCH is not None else 0)
    if (_checked[1] and _checked[0] == sizes
            and namespace.get("_deepcopy_dispatch") is DEEP_DISPATCH
            and namespace.get("_copy_dispatch") is SHALLOW_DISPATCH):
        # (A loop, not all() over a generator: no Python frame more, so the
        # pure twin's hook chains still go as deep as the stdlib's.)
        for name, value in _ATOMIC_SET_ITEMS:
            if namespace.get(name) is not value:
                break
        else:
            # (Tuple equality: the stdlib's entries are functions, found
            # equal by identity without a call.  A removed entry raises
            # KeyError: the full check below answers.)
            try:
                if entries_of is None:
                    return True
                if entries_of == "deep":
                    if _DEEP_ENTRIES(DEEP_DISPATCH) == _INTACT_DEEP_ENTRIES:
                        return True
                elif (_SHALLOW_ENTRIES is None
                      or _SHALLOW_ENTRIES(SHALLOW_DISPATCH) == _INTACT_SHALLOW_ENTRIES):
                    return True
            except KeyError:
                pass
    _checked[1] = tables_intact()
    _checked[0] = sizes
    return _checked[1]


def foreign_copier(table, stdlib_entries, cls):
    """A copier for cls registered by someone else in one of the copy
    module's private dispatch tables (table), or None.  stdlib_entries is
    the snapshot of that table's own entries."""
    if table is None:
        return None
    copier = table.get(cls)
    if copier is None or stdlib_entries.get(cls) is copier:
        return None
    return copier
