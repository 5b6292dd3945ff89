"""Regression tests for what an attacker of a C extension tries: Python code
run from places where the core holds borrowed items (a key's __eq__, a
finalizer), the GC pause seen by such code, Ctrl-C during a long copy,
the copy module's tables rebound by third parties, reference leaks when an
allocation fails.  The crash cases run in a child interpreter, so that a
crash is a failure naming its case; each compares with the stdlib."""

import copy
import os
import subprocess
import sys
import textwrap

import pytest

from .impls import IMPL_NAMES, _core

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_child(code, impl_name, env=None):
    """Run code in a fresh interpreter with `impl` bound to the
    implementation named; return its stdout (stripped)."""
    full_env = dict(os.environ)
    full_env.pop("FASTCOPY_AUTOPATCH", None)
    full_env.update(env or {})
    prelude = "from fastcopy import %s as impl\n" % ("_core" if impl_name == "core" else "_pure")
    proc = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                          cwd=REPO, env=full_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, "child exited with %d\n%s%s" % (
        proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout.strip()


# -- a key's __eq__ runs while the core looks for "__deepcopy__" --------------

ENUM_PRELUDE = """
import copy, enum

class Color(enum.Enum):
    RED = 1
    GREEN = 2

class Clears:
    armed = False
    def __hash__(self):
        return hash("__deepcopy__")
    def __eq__(self, other):
        if Clears.armed:
            Clears.armed = False
            TARGET.clear()
        return False
"""

# An Enum member (its class's __deepcopy__ returns self) holds, in its own
# __dict__, a key that collides with "__deepcopy__" and whose __eq__ clears
# the list being copied: the stdlib's getattr(member, "__deepcopy__") runs it.
ENUM_CLEARS_LIST = ENUM_PRELUDE + """

def make():
    # Fresh objects around the members, so freed memory gets reused.
    return [Color.GREEN] * 5 + [Color.RED] + [[i] for i in range(2000)] + [Color.GREEN] * 50

for f in (copy.deepcopy, impl.deepcopy):
    f([Color.RED, Color.GREEN])         # the verdict for Color is cached
Color.RED.__dict__[Clears()] = 1

results = []
for f in (copy.deepcopy, impl.deepcopy):
    for wrap in (lambda l: l, lambda l: {"k": l}, lambda l: [l, l]):
        TARGET = make()
        Clears.armed = True
        y = f(wrap(TARGET))
        results.append(repr(y)[:2000])
half = len(results) // 2
print(results[:half] == results[half:])
"""


@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_enum_member_with_colliding_key_clears_the_list(impl_name):
    assert run_child(ENUM_CLEARS_LIST, impl_name) == "True"


# The same with the Enum members as dict keys, and the dict cleared.
ENUM_KEYS_CLEAR_DICT = ENUM_PRELUDE + """

for f in (copy.deepcopy, impl.deepcopy):
    f({Color.RED: 1, Color.GREEN: [2]})
Color.RED.__dict__[Clears()] = 1

results = []
for f in (copy.deepcopy, impl.deepcopy):
    TARGET = {Color.GREEN: [0], Color.RED: [1]}
    TARGET.update(("k%d" % i, [i]) for i in range(2000))
    Clears.armed = True
    try:
        results.append(repr(f(TARGET))[:2000])
    except RuntimeError as exc:       # dictionary changed size during iteration
        results.append(type(exc).__name__)
print(results[0] == results[1], results[0][:40])
"""


@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_enum_member_keys_with_colliding_key_clear_the_dict(impl_name):
    assert run_child(ENUM_KEYS_CLEAR_DICT, impl_name).startswith("True")


# An instance whose __dict__ holds a key colliding with "__deepcopy__" whose
# __eq__ rebinds x.__dict__, freeing the dict being searched.
REBINDS_DICT = """
import copy

class Rebinds:
    armed = False
    def __hash__(self):
        return hash("__deepcopy__")
    def __eq__(self, other):
        if Rebinds.armed:
            Rebinds.armed = False
            TARGET.__dict__ = {"replaced": list(range(50))}
        return False

class WithState:
    def __getstate__(self):         # not a plain class: the general path
        return dict(self.__dict__)

results = []
for f in (copy.deepcopy, impl.deepcopy):
    for nested in (False, True):
        TARGET = WithState()
        TARGET.__dict__.update(("a%d" % i, [i] * 10) for i in range(20))
        TARGET.__dict__[Rebinds()] = "hostile"
        Rebinds.armed = True
        y = f([TARGET] if nested else TARGET)
        y = y[0] if nested else y
        results.append(sorted(k for k in vars(y) if isinstance(k, str)))
half = len(results) // 2
print(results[:half] == results[half:])
"""


@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_colliding_key_rebinding_the_instance_dict(impl_name):
    # The system allocator makes a use of the freed dict visible.
    assert run_child(REBINDS_DICT, impl_name, env={"PYTHONMALLOC": "malloc"}) == "True"


# -- finalizers see the program's own GC state ------------------------------

# Python code the stdlib runs while it looks for __deepcopy__ - here the
# __eq__ of a key colliding with it in an instance's __dict__ - must see the
# program's own GC setting, and a gc.disable() it makes must be kept.  The
# copy is large enough for the walk to pause the GC.
CALLBACK_SEES_GC = """
import copy, gc

seen = []

class Probe:
    def __hash__(self):
        return hash("__deepcopy__")
    def __eq__(self, other):
        seen.append(gc.isenabled())
        gc.disable()
        return False

class Plain:
    pass

def run(f):
    gc.enable()
    f([Plain()])                    # the verdict for Plain is cached
    x = Plain()
    x.a = [1]
    x.__dict__[Probe()] = 1
    f([[[i] for i in range(600)], x])
    return gc.isenabled()

results = [run(copy.deepcopy), seen[:]]
seen.clear()
results += [run(impl.deepcopy), seen[:]]
gc.enable()
print(results[:2] == results[2:], results)
"""


@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_python_code_sees_and_keeps_the_programs_gc_state(impl_name):
    out = run_child(CALLBACK_SEES_GC, impl_name)
    assert out.startswith("True"), out
    # The stdlib's run: __eq__ ran, saw the GC on at first, and its
    # gc.disable() was kept.
    assert out.startswith("True [False, [True"), out


# -- Ctrl-C during a long native copy -----------------------------------------

# The interrupt must land while the copy runs, not when it ends: the copy is
# timed first, the signal set for a tenth of that, and the KeyboardInterrupt
# must arrive before half of it has passed.  (A ratio of two runs of the same
# copy, not a timing of the machine.)
INTERRUPT = """
import gc, signal, sys, time

data = [[i, (i, str(i)), {"k": [i]}] for i in range(300000)]
t0 = time.perf_counter(); impl.deepcopy(data); full = time.perf_counter() - t0

def handler(signum, frame):
    raise KeyboardInterrupt

signal.signal(signal.SIGALRM, handler)
enabled_before = gc.isenabled()
start = time.perf_counter()
signal.setitimer(signal.ITIMER_REAL, full / 10)
try:
    impl.deepcopy(data)
    outcome = "finished"
except KeyboardInterrupt:
    outcome = "interrupted"
elapsed = time.perf_counter() - start
signal.setitimer(signal.ITIMER_REAL, 0)
print(outcome, elapsed < full / 2, gc.isenabled() == enabled_before, round(full, 3), round(elapsed, 3))
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="no setitimer")
@pytest.mark.parametrize("impl_name", IMPL_NAMES)
def test_keyboard_interrupt_lands_during_a_long_copy(impl_name):
    out = run_child(INTERRUPT, impl_name)
    assert out.startswith("interrupted True True"), out


# -- the copy module's tables rebound or changed by third parties ------------

class Custom:
    pass


@pytest.fixture
def restore_copy_module():
    saved = {name: getattr(copy, name) for name in ("_deepcopy_dispatch", "_copy_dispatch")
             if hasattr(copy, name)}
    entries = dict(copy._deepcopy_dispatch)
    yield
    copy._deepcopy_dispatch.clear()
    copy._deepcopy_dispatch.update(entries)
    for name, value in saved.items():
        setattr(copy, name, value)


def test_rebound_deepcopy_dispatch_is_followed(impl, restore_copy_module):
    table = dict(copy._deepcopy_dispatch)
    table[Custom] = lambda x, memo: "custom"
    copy._deepcopy_dispatch = table
    data = [Custom(), {"k": Custom()}]
    assert copy.deepcopy(data) == ["custom", {"k": "custom"}]
    assert impl.deepcopy(data) == copy.deepcopy(data)


def test_replaced_entry_for_a_builtin_container_is_followed(impl, restore_copy_module):
    copy._deepcopy_dispatch[list] = lambda x, memo: ("list", len(x))
    data = {"a": [1, 2], "b": ([3],)}
    expected = copy.deepcopy(data)
    assert expected == {"a": ("list", 2), "b": (("list", 1),)}
    assert impl.deepcopy(data) == expected
    assert impl.deepcopy([1, 2, 3]) == ("list", 3)


def test_replaced_entry_restored_is_seen(impl, restore_copy_module):
    original = copy._deepcopy_dispatch[list]
    copy._deepcopy_dispatch[list] = lambda x, memo: "L"
    assert impl.deepcopy([1]) == "L"
    copy._deepcopy_dispatch[list] = original
    deep = []
    innermost = deep
    for _ in range(5000):           # deeper than the stdlib's recursion allows
        innermost.append([])
        innermost = innermost[0]
    y = impl.deepcopy(deep)         # the native walk again
    assert y is not deep and len(y) == 1


def test_tables_restored_back_to_native(impl, restore_copy_module):
    original = copy._deepcopy_dispatch
    copy._deepcopy_dispatch = dict(original)
    assert impl.deepcopy([1, [2]]) == [1, [2]]
    copy._deepcopy_dispatch = original
    data = [Custom(), [1]]
    y = impl.deepcopy(data)
    assert type(y[0]) is Custom and y[0] is not data[0] and y[1] == [1]


ATOMS = (5, "s", 1.5, None, True)


@pytest.mark.parametrize("how", ["entries_replaced", "table_rebound"])
def test_atoms_follow_changed_copy_rules(impl, monkeypatch, how):
    # deepcopy(atom) is answered at the entry, before any table is read,
    # only while the copy module is as it was last found: a copier put in
    # its place (in the table, or in a new table bound to the module) is
    # called, as the stdlib calls it, and the atoms are their own copies
    # again once the table is restored.
    warm = [impl.deepcopy(x) for x in ATOMS]
    if how == "entries_replaced":
        for cls in map(type, ATOMS):
            monkeypatch.setitem(copy._deepcopy_dispatch, cls, lambda x, memo: ("copied", x))
    else:
        table = dict(copy._deepcopy_dispatch)
        for cls in map(type, ATOMS):
            table[cls] = lambda x, memo: ("copied", x)
        monkeypatch.setattr(copy, "_deepcopy_dispatch", table)
    if hasattr(copy, "_atomic_types"):
        monkeypatch.setattr(copy, "_atomic_types", frozenset())  # 3.14+: asked first
    expected = [copy.deepcopy(x) for x in ATOMS]
    assert expected == [("copied", x) for x in ATOMS]
    assert [impl.deepcopy(x) for x in ATOMS] == expected
    monkeypatch.undo()
    assert all(a is b for a, b in zip(warm, ATOMS))
    assert all(impl.deepcopy(x) is x for x in ATOMS)


def test_shallow_atoms_follow_changed_copy_rules(impl, monkeypatch):
    # The same for copy(atom): a copier that the copy module's rules now
    # reach is called (3.10-3.13: an entry of copy._copy_dispatch; 3.14+:
    # atoms no longer listed in copy._copy_atomic_types, and a copyreg
    # reductor for them).
    import copyreg
    warm = [impl.copy(x) for x in ATOMS]
    for cls in map(type, ATOMS):
        if hasattr(copy, "_copy_dispatch"):
            monkeypatch.setitem(copy._copy_dispatch, cls, lambda x: ("copied", x))
        else:
            monkeypatch.setitem(copyreg.dispatch_table, cls,
                                lambda x: (tuple, (("copied", x),)))
    if hasattr(copy, "_copy_atomic_types"):
        monkeypatch.setattr(copy, "_copy_atomic_types", frozenset())
    expected = [copy.copy(x) for x in ATOMS]
    assert expected == [("copied", x) for x in ATOMS]
    assert [impl.copy(x) for x in ATOMS] == expected
    monkeypatch.undo()
    assert all(a is b for a, b in zip(warm, ATOMS))
    assert all(impl.copy(x) is x for x in ATOMS)


@pytest.mark.skipif(not hasattr(copy, "_copy_dispatch"), reason="no _copy_dispatch (3.14+)")
def test_rebound_copy_dispatch_is_followed(impl, restore_copy_module):
    table = dict(copy._copy_dispatch)
    table[Custom] = lambda x: "shallow custom"
    copy._copy_dispatch = table
    assert copy.copy(Custom()) == "shallow custom"
    assert impl.copy(Custom()) == "shallow custom"


# -- no reference lost when an allocation fails -------------------------------

try:
    import _testcapi
except ImportError:
    _testcapi = None


class Slotted:
    __slots__ = ("a", "b")


@pytest.mark.skipif(_testcapi is None or not hasattr(_testcapi, "set_nomemory"),
                    reason="needs _testcapi.set_nomemory")
@pytest.mark.skipif(_core is None, reason="extension not built")
def test_slot_values_not_leaked_when_an_allocation_fails():
    impl = _core
    value = object()
    x = Slotted()
    x.a = value
    x.b = [1]
    impl.deepcopy(x)                    # verdicts cached, nothing left to allocate once
    before = sys.getrefcount(value)
    failures = 0
    for start in range(60):
        _testcapi.set_nomemory(start, start + 1)
        try:
            impl.deepcopy(x)
        except MemoryError:
            failures += 1
        finally:
            _testcapi.remove_mem_hooks()
        assert sys.getrefcount(value) == before, "leaked at allocation %d" % start
    assert failures > 0
