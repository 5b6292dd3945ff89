"""The pure-Python twin of the compiled core (src/_core.pyx).

It follows the core closely: built-in containers are walked with an explicit
stack of frames (so nesting depth is not limited by the interpreter's
recursion limit), everything else goes through the same hook and reduce
protocol as the stdlib ``copy`` module.  The memo is always a real dict here,
filled exactly the way ``copy.deepcopy`` fills it.
"""

from copyreg import dispatch_table
from types import MethodType

from ._common import Error, reduce_arity_error, reduce_not_iterable_error
from ._rules import (
    ATOMIC_BEFORE_MEMO,
    DEEP_ATOMIC,
    DEEP_DISPATCH,
    FROZENDICT,
    MEMO_READ_BY_CONTAINS,
    SHALLOW_ATOMIC,
    SHALLOW_CONTAINERS,
    SHALLOW_DISPATCH,
    STDLIB_COPY,
    STDLIB_DEEP_DISPATCH,
    STDLIB_DEEPCOPY,
    STDLIB_SHALLOW_DISPATCH,
    foreign_copier,
    tables_intact_cached,
)

_nil = object()
_DONE = object()


def deepcopy(x, memo=None):
    """Deep copy operation on arbitrary Python objects (as copy.deepcopy)."""
    # Everything for one object is in this one function, as in the stdlib:
    # a chain of __deepcopy__ hooks then nests two Python frames per level
    # (this one and the hook's), like the stdlib's, and goes as deep.
    # (The tables' entries are compared at the start of a copy, not again
    # for each object a hook passes back with the memo.)
    if not tables_intact_cached("deep" if memo is None else None):
        # Third-party code changed the copy module's tables: the stdlib's
        # own algorithm follows the change.
        return STDLIB_DEEPCOPY(x, memo)
    cls = type(x)
    if memo is None:
        memo = {}
    elif not (ATOMIC_BEFORE_MEMO and cls in DEEP_ATOMIC):
        y = _memo_get(memo, id(x))
        if y is not _nil:
            return y
    if cls in DEEP_ATOMIC:
        return x
    frame_type = _frame_type(cls)
    if frame_type is not None:
        return _walk(frame_type(x, memo), memo)
    # Hooks and the reduce protocol.
    copier = foreign_copier(DEEP_DISPATCH, STDLIB_DEEP_DISPATCH, cls)
    if copier is not None:
        y = copier(x, memo)
    elif cls is MethodType:
        y = cls(x.__func__, deepcopy(x.__self__, memo))
    elif issubclass(cls, type):
        y = x
    elif cls is bytearray and cls not in dispatch_table:
        y = bytearray(x)
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            rv = _reduce(x, cls, "deep")
            if isinstance(rv, str):
                y = x
            else:
                y = _reconstruct(x, memo, rv)
    # An object that is its own copy is not memoized (stdlib rule).
    if y is not x:
        _memoize(memo, x, y)
        _keep_alive(memo, x)
    return y


# -- memo helpers: exactly the stdlib's way of filling a memo ---------------

if MEMO_READ_BY_CONTAINS:
    def _memo_get(memo, key):
        """The memo's entry for key, or _nil (3.15: `key in memo`, `memo[key]`)."""
        if key in memo:
            return memo[key]
        return _nil
else:
    def _memo_get(memo, key):
        """The memo's entry for key, or _nil (`memo.get(key, _nil)`)."""
        return memo.get(key, _nil)


def _memoize(memo, x, y):
    memo[id(x)] = y


def _keep_alive(memo, x):
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


# -- the container walk ------------------------------------------------------
#
# Each frame copies one built-in container.  next_child() returns the next
# original object to copy (or _DONE), accept() takes its copy, finish()
# returns the container's copy and records it in the memo.

class _SequenceFrame:
    """Frames that walk a list by index: the list itself, a tuple, or the
    snapshot of a set's items.  dst collects the copies."""
    __slots__ = ('src', 'seq', 'dst', 'pos')

    def __init__(self, src, seq):
        self.src = src
        self.seq = seq
        self.dst = []
        self.pos = 0

    def next_child(self):
        # Index-based like list iteration: items appended meanwhile are
        # copied too, a list cleared meanwhile ends the loop.  Indexing
        # decides (not a length check first): another thread may shrink the
        # list in between.
        pos = self.pos
        try:
            item = self.seq[pos]
        except IndexError:
            return _DONE
        self.pos = pos + 1
        return item

    def accept(self, y):
        self.dst.append(y)


class _ListFrame(_SequenceFrame):
    __slots__ = ()

    def __init__(self, src, memo):
        super().__init__(src, src)
        _memoize(memo, src, self.dst)   # before the items: cycles find it

    def finish(self, memo):
        _memoize(memo, self.src, self.dst)
        _keep_alive(memo, self.src)
        return self.dst


class _DictFrame:
    __slots__ = ('src', 'dst', 'items', 'key', 'value', 'phase')

    def __init__(self, src, memo):
        self.src = src
        self.dst = {}
        self.phase = 0
        self.remember(memo)
        # The real items iterator gives the stdlib's RuntimeErrors when a
        # hook resizes the dict during the copy.  Made after the memo entry,
        # as in the stdlib, for the case of the memo copying itself.
        self.items = iter(src.items())

    def remember(self, memo):
        _memoize(memo, self.src, self.dst)   # before the items: cycles find it

    def next_child(self):
        # `y[deepcopy(key)] = deepcopy(value)` evaluates the value first.
        if self.phase == 0:
            for key, value in self.items:
                self.key = key
                self.phase = 1
                return value
            return _DONE
        self.phase = 3
        key = self.key
        self.key = None
        return key

    def accept(self, y):
        if self.phase == 1:
            self.value = y
            self.phase = 2
        else:
            value = self.value
            self.value = None
            self.phase = 0
            self.dst[y] = value

    def finish(self, memo):
        _memoize(memo, self.src, self.dst)
        _keep_alive(memo, self.src)
        return self.dst


class _TupleFrame(_SequenceFrame):
    __slots__ = ()

    def __init__(self, src, memo):
        super().__init__(src, src)

    def finish(self, memo):
        return _finish_immutable(memo, self.src, self._build)

    def _build(self):
        # The original when every item came back unchanged.
        for a, b in zip(self.src, self.dst):
            if a is not b:
                return tuple(self.dst)
        return self.src


class _FrozenDictFrame(_DictFrame):
    """3.15's frozendict: the items are copied into a dict as by a dict
    frame; the copy is always a new frozendict."""
    __slots__ = ()

    def remember(self, memo):
        pass                    # not memoized before its items

    def finish(self, memo):
        return _finish_immutable(memo, self.src, lambda: FROZENDICT(self.dst))


def _finish_immutable(memo, src, build):
    """The copy of a tuple or frozendict whose items are copied.  It is not
    memoized before its items, so a cycle through it may already have
    produced its copy: that one is used, as the stdlib does."""
    try:
        y = memo[id(src)]
    except KeyError:
        y = build()
    if y is not src:
        _memoize(memo, src, y)
        _keep_alive(memo, src)
    return y


class _SetFrame(_SequenceFrame):
    """Exact set and frozenset: the stdlib copies them through __reduce_ex__,
    which snapshots the items into a list and builds the copy at the end."""
    __slots__ = ()

    def __init__(self, src, memo):
        super().__init__(src, list(src))

    def finish(self, memo):
        y = type(self.src)(self.dst)
        _memoize(memo, self.src, y)
        _keep_alive(memo, self.src)
        return y


def _frame_type(cls):
    if cls is list:
        return _ListFrame
    if cls is dict:
        return _DictFrame
    if cls is tuple:
        return _TupleFrame
    if (cls is set or cls is frozenset) and cls not in dispatch_table:
        return _SetFrame
    if cls is FROZENDICT and cls is not None:
        return _FrozenDictFrame
    return None


def _walk(frame, memo):
    stack = []
    while True:
        child = frame.next_child()
        if child is _DONE:
            y = frame.finish(memo)
            if not stack:
                return y
            frame = stack.pop()
            frame.accept(y)
            continue
        cls = type(child)
        if not (ATOMIC_BEFORE_MEMO and cls in DEEP_ATOMIC):
            y = _memo_get(memo, id(child))
            if y is not _nil:
                frame.accept(y)
                continue
        if cls in DEEP_ATOMIC:
            frame.accept(child)
            continue
        frame_type = _frame_type(cls)
        if frame_type is not None:
            stack.append(frame)
            frame = frame_type(child, memo)
            continue
        # Anything else: deepcopy() (which finds no memo entry and no
        # atomic type: it goes straight to the hooks).
        frame.accept(deepcopy(child, memo))


# -- the reduce protocol ---------------------------------------------------------

def _reduce(x, cls, kind):
    reductor = dispatch_table.get(cls)
    if reductor is not None:
        return reductor(x)
    reductor = getattr(x, "__reduce_ex__", None)
    if reductor is not None:
        return reductor(4)
    reductor = getattr(x, "__reduce__", None)
    if reductor:
        return reductor()
    raise Error("un(%s)copyable object of type %s" % (kind, cls))


def _reconstruct(x, memo, rv):
    """Build the copy from a reduce value; memo is None for a shallow copy.

    rv is only read, never modified.
    """
    try:
        rv = tuple(rv)
    except TypeError:
        raise reduce_not_iterable_error(x, rv) from None
    if not 2 <= len(rv) <= 5:
        raise reduce_arity_error(x, rv)
    func, args, state, listiter, dictiter = rv + (None,) * (5 - len(rv))
    deep = memo is not None
    if deep and args:
        args = [deepcopy(arg, memo) for arg in args]
    y = func(*args)
    if deep:
        _memoize(memo, x, y)

    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        # One lookup where the stdlib does two (hasattr, then the call).
        setstate = getattr(y, '__setstate__', _nil)
        if setstate is not _nil:
            setstate(state)
        else:
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            else:
                slotstate = None
            if state is not None:
                y.__dict__.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)

    if listiter is not None:
        for item in listiter:
            if deep:
                item = deepcopy(item, memo)
            y.append(item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y


# -- shallow copy -------------------------------------------------------------

def copy(x):
    """Shallow copy operation on arbitrary Python objects (as copy.copy)."""
    if not tables_intact_cached("shallow"):
        return STDLIB_COPY(x)
    cls = type(x)
    if cls in SHALLOW_ATOMIC:
        return x
    if cls in SHALLOW_CONTAINERS:
        return cls.copy(x)
    copier = foreign_copier(SHALLOW_DISPATCH, STDLIB_SHALLOW_DISPATCH, cls)
    if copier is not None:
        return copier(x)
    if issubclass(cls, type):
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = _reduce(x, cls, "shallow")
    if isinstance(rv, str):
        return x
    return _reconstruct(x, None, rv)
