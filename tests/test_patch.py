"""Global patching of copy.deepcopy / copy.copy.  Each test runs in a fresh
interpreter, so a patch never leaks into the rest of the suite."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import fastcopy

from .subprocess_helpers import autopatch_pth

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code, env=None, args=()):
    full_env = dict(os.environ)
    full_env.pop("FASTCOPY_AUTOPATCH", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, *args, "-c", textwrap.dedent(code)],
        env=full_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


# Run in the child: tells whether deepcopy([Probe()]) went through the
# stdlib (its list copier _deepcopy_list is on the stack) or through fastcopy.
PROBE = """
import traceback
class Probe:
    def __deepcopy__(self, memo):
        names = [f.name for f in traceback.extract_stack()]
        return "stdlib" if "_deepcopy_list" in names else "fastcopy"
def who(f):
    return f([Probe()])[0]
"""


def test_patch_covers_early_bound_references():
    out = run_python(PROBE + """
from copy import deepcopy as early
import copy as copymod
stored = {"fn": copymod.deepcopy}
import fastcopy
assert who(early) == "stdlib"
fastcopy.patch()
print(who(early), who(copymod.deepcopy), who(stored["fn"]), fastcopy.is_patched())
assert copymod.deepcopy is early
fastcopy.unpatch()
print(who(early), fastcopy.is_patched())
""")
    assert out.split() == ["fastcopy", "fastcopy", "fastcopy", "True", "stdlib", "False"]


def test_patched_functions_keep_the_stdlib_signature_and_attributes():
    out = run_python("""
import copy, inspect, fastcopy
def view(f):
    return (str(inspect.signature(f)), f.__defaults__, f.__kwdefaults__, f.__name__,
            f.__qualname__, f.__module__, f.__doc__, f.__code__.co_name)
before = [view(copy.deepcopy), view(copy.copy)]
fastcopy.patch(copy=True)
assert fastcopy.is_patched(copy=True)
after = [view(copy.deepcopy), view(copy.copy)]
assert after == before, (before, after)
# Keyword and positional calls behave as with the stdlib.
assert copy.deepcopy(x=[1], memo={}) == [1] and copy.copy(x=[2]) == [2]
import traceback
class Boom:
    def __deepcopy__(self, memo):
        raise ValueError("boom")
try:
    copy.deepcopy(Boom())
except ValueError as exc:
    names = [f.name for f in traceback.extract_tb(exc.__traceback__)]
print("same", before[0][0], names[1] if len(names) > 1 else names)
""")
    assert out.startswith("same (x, memo=None")
    assert "deepcopy" in out


def test_unpatch_restores_same_function_and_code():
    out = run_python("""
import copy, fastcopy
f, c = copy.deepcopy, copy.copy
code_f, code_c, kw = f.__code__, c.__code__, f.__kwdefaults__
fastcopy.patch(copy=True)
assert copy.deepcopy is f and f.__code__ is not code_f and c.__code__ is not code_c
fastcopy.unpatch()
assert copy.deepcopy is f and copy.copy is c
assert f.__code__ is code_f and c.__code__ is code_c and f.__kwdefaults__ == kw
print("ok")
""")
    assert out.strip() == "ok"


def test_patched_atoms_follow_changed_copy_rules():
    # A patched deepcopy(atom) is answered without a look at the copy
    # module only while its tables are as the core last found them.
    out = run_python("""
        import copy, fastcopy
        atoms = (5, "s", 1.5, None, True)
        fastcopy.patch()
        warm = [copy.deepcopy(x) is x for x in atoms]
        for cls in map(type, atoms):
            copy._deepcopy_dispatch[cls] = lambda x, memo: ("copied", x)
        if hasattr(copy, "_atomic_types"):
            copy._atomic_types = frozenset()
        patched = [copy.deepcopy(x) for x in atoms]
        fastcopy.unpatch()
        print(warm, patched == [copy.deepcopy(x) for x in atoms], patched[0])
    """)
    assert out.split() == ["[True,", "True,", "True,", "True,", "True]", "True",
                           "('copied',", "5)"]


def test_patch_copy_true_covers_copy_copy():
    out = run_python("""
import copy, fastcopy
from copy import copy as early_copy
class C:
    def __copy__(self):
        import traceback
        return traceback.extract_stack()
fastcopy.patch()
print("copy_patched=%s" % fastcopy.is_patched(copy=True))
fastcopy.patch(copy=True)
print("copy_patched=%s" % fastcopy.is_patched(copy=True))
stack = early_copy(C())
# The call entered through the trampoline - or (3.12+, compiled core) the
# vectorcall the core set, straight into __copy__ - and never ran copy.py's
# code.
entered = stack[1].filename.endswith("_patch.py") or stack[1].name == "__copy__"
print("trampoline" if entered
      and not any(f.filename.endswith("/copy.py") for f in stack) else stack)
""")
    assert out.split() == ["copy_patched=False", "copy_patched=True", "trampoline"]


def test_hooks_recursing_through_patched_function_share_the_memo():
    out = run_python("""
import copy, fastcopy
from copy import deepcopy
class Holder:
    def __init__(self, items):
        self.items = items
    def __deepcopy__(self, memo):
        return Holder(deepcopy(self.items, memo))   # through the patched function
shared = [1, 2]
x = [shared, Holder([shared, shared]), {"again": shared}]
x.append(x)
fastcopy.patch()
y = deepcopy(x)
assert y[1].items[0] is y[0] is y[1].items[1] is y[2]["again"] and y[3] is y
assert y[0] is not shared
print("ok")
""")
    assert out.strip() == "ok"


def test_hooks_passing_the_memo_by_keyword_share_it():
    # deepcopy(..., memo=memo) is the shape of pydantic's and many other
    # hooks; the compiled core takes it without the trampoline's Python
    # frame - except on 3.11, whose interpreter runs a Python function's
    # code inline for a call from Python code whatever its vectorcall slot,
    # and 3.14, whose may for a keyword call (seen to vary from run to run):
    # there the frame is not checked.  Other keyword shapes keep the
    # stdlib's behaviour.
    out = run_python("""
import copy, sys, traceback, fastcopy
from copy import deepcopy
class Holder:
    def __init__(self, items):
        self.items = items
    def __deepcopy__(self, memo):
        self.stack = [f.filename for f in traceback.extract_stack()]
        return Holder(deepcopy(self.items, memo=memo))
shared = [1, 2]
x = [shared, Holder([shared, {"s": shared}])]
fastcopy.patch()
y = deepcopy(x)
assert y[1].items[0] is y[0] is y[1].items[1]["s"] and y[0] is not shared
memo = {}
z = deepcopy(x, memo=memo)
assert memo[id(shared)] is z[0] is z[1].items[0]
assert copy.deepcopy(x=[1], memo=None) == [1] and copy.deepcopy([2], memo=None) == [2]
for bad in ({"mem": {}}, {"memo": {}, "x": 1}):
    try:
        copy.deepcopy([1], **bad)
    except TypeError as exc:
        print("TypeError", "got" in str(exc) or "multiple" in str(exc))
trampoline = any(name.endswith("_patch.py") for name in x[1].stack)
print("no-frame" if not trampoline else "frame")
""")
    lines = out.split("\n")
    assert lines[:2] == ["TypeError True", "TypeError True"], out
    if sys.version_info[:2] not in ((3, 11), (3, 14)):
        assert lines[2] == ("no-frame" if fastcopy.__compiled__ else "frame"), out


def test_patched_function_called_from_c_runs_without_the_trampoline():
    # What numpy's object arrays do: look copy.deepcopy up once and call it
    # from C, per item, with the memo - here map() stands in.  With the
    # compiled core the calls go through the function's vectorcall slot on
    # every version (3.11 included), so no trampoline frame is on the stack
    # when the item's hook runs; the pure mode runs the trampoline.
    out = run_python("""
import copy, traceback, fastcopy
class Item:
    def __deepcopy__(self, memo):
        stack = [f.filename for f in traceback.extract_stack()]
        print("frame" if any(n.endswith("_patch.py") for n in stack) else "no-frame")
        return Item()
fastcopy.patch()
memo = {}
items = [Item(), Item()]
copies = list(map(copy.deepcopy, items, [memo, memo]))
assert all(type(c) is Item for c in copies)
assert all(memo[id(i)] is c for i, c in zip(items, copies))
assert memo[id(memo)] == items
assert list(map(copy.copy, [[1], {"a": 2}])) == [[1], {"a": 2}]
""")
    assert out.split() == ["no-frame" if fastcopy.__compiled__ else "frame"] * 2, out


def test_patch_unpatch_cycles_and_context_manager():
    out = run_python("""
import copy, fastcopy
for _ in range(100):
    fastcopy.patch(); fastcopy.patch()
    assert fastcopy.is_patched()
    assert copy.deepcopy({"a": [1]}) == {"a": [1]}
    fastcopy.unpatch(); fastcopy.unpatch()
    assert not fastcopy.is_patched()
with fastcopy.patched():
    assert fastcopy.is_patched()
assert not fastcopy.is_patched()
fastcopy.patch()
with fastcopy.patched(copy=True):
    assert fastcopy.is_patched(copy=True)
assert fastcopy.is_patched() and not fastcopy.is_patched(copy=True)
print("ok")
""")
    assert out.strip() == "ok"


def test_threads_patching_while_others_copy():
    out = run_python("""
import copy, threading, fastcopy
from copy import deepcopy
data = {"k": [1, 2, {"n": (3, [4])}], "s": {1, 2}}
data["self"] = data
errors = []
stop = threading.Event()
def copier():
    try:
        while not stop.is_set():
            y = deepcopy(data)
            assert y["self"] is y and y["k"] == [1, 2, {"n": (3, [4])}]
    except BaseException as e:
        errors.append(e)
def toggler():
    try:
        for i in range(2000):
            if i % 2: fastcopy.unpatch()
            else: fastcopy.patch(copy=bool(i % 3))
    except BaseException as e:
        errors.append(e)
threads = [threading.Thread(target=copier) for _ in range(4)]
threads += [threading.Thread(target=toggler) for _ in range(2)]
for t in threads: t.start()
for t in threads[4:]: t.join()
stop.set()
for t in threads[:4]: t.join()
assert not errors, errors
print("ok")
""")
    assert out.strip() == "ok"


def test_stdlib_test_copy_passes_with_patch_applied():
    out = run_python("""
import sys, unittest, fastcopy
fastcopy.patch(copy=True)
from test import test_copy
suite = unittest.defaultTestLoader.loadTestsFromModule(test_copy)
result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(suite)
print(result.testsRun, len(result.failures), len(result.errors), len(result.skipped))
""")
    run, failures, errors, skipped = map(int, out.split())
    assert run > 50 and failures == errors == skipped == 0


@pytest.mark.parametrize("value, expected", [
    (None, "False False"), ("0", "False False"), ("", "False False"),
    ("1", "True False"), ("copy", "True True")])
def test_autopatch_environment_variable(tmp_path, value, expected):
    # The interpreter runs .pth files of every site directory; add one that
    # holds fastcopy's .pth (as an installed wheel has it) and start up.
    shutil.copy(autopatch_pth(), tmp_path / "fastcopy-autopatch.pth")
    env = {"PYTHONPATH": REPO}
    if value is not None:
        env["FASTCOPY_AUTOPATCH"] = value
    code = """
import site, sys
site.addsitedir(%r)
print("fastcopy" in sys.modules and sys.modules["fastcopy"].is_patched(),
      "fastcopy" in sys.modules and sys.modules["fastcopy"].is_patched(copy=True))
""" % str(tmp_path)
    assert run_python(code, env=env).strip() == expected


def test_pth_line_does_not_import_fastcopy_when_unset(tmp_path):
    shutil.copy(autopatch_pth(), tmp_path / "fastcopy-autopatch.pth")
    out = run_python("""
import site, sys
site.addsitedir(%r)
print(sorted(m for m in sys.modules if m.startswith("fastcopy")))
""" % str(tmp_path))
    assert out.strip() == "[]"


def test_patch_api_exported():
    for name in ("patch", "unpatch", "is_patched", "patched"):
        assert callable(getattr(fastcopy, name))
