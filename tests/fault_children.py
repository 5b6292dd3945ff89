"""The child side of the fault-injection suite (tests/test_faults_*.py).

Each function runs in a fresh interpreter started by
tests.subprocess_helpers.run_attack(), attacks the compiled core, checks
the outcome against the standard library's, and prints `RESULT <json>` as
its last line.  Before each attack it writes what it is about to do to
stderr (`ATTACK ...`), so that when the core crashes the child's output
names the input that crashed it.  A violated check raises AssertionError:
the child exits with status 1 and the parent test fails with the message.
"""

import copy
import gc
import json
import os
import sys
import time

from fastcopy import _core, _pure

IMPLS = {"core": _core, "pure": _pure, "stdlib": copy}


def say(*parts):
    """Write a progress line to stderr, unbuffered: the last one before a
    crash names the input."""
    os.write(2, (" ".join(str(p) for p in parts) + "\n").encode())


def result(**fields):
    sys.stdout.write("RESULT " + json.dumps(fields, sort_keys=True) + "\n")
    sys.stdout.flush()


# -- 1. allocation failures ------------------------------------------------------

def _exception_chain(exc):
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def nomemory(case, impl_name="core", max_per_op=1500, time_budget=20.0, rounds=1):
    """Fail the n-th allocation of a copy of corpus case `case`, for n from 0
    until a copy needs no n-th allocation (or max_per_op / time_budget is
    reached), twice per n: failing that one allocation only ("one"), and
    every allocation from it on ("from").  Each outcome must be a clean
    MemoryError (with the GC state restored) or a copy the stdlib agrees
    with.  rounds > 1 (debug builds): the sweep is repeated and the total
    reference count must not grow from the second round to the last."""
    import _testcapi

    from tests.compare import compare_deep
    from tests.corpus import CASES

    set_nomemory = _testcapi.set_nomemory
    remove_hooks = _testcapi.remove_mem_hooks
    impl = IMPLS[impl_name]
    make = CASES[case]
    stats = {"injections": 0, "memory_errors": 0, "recovered": 0, "truncated": [],
             "allocations": {}}
    counts = []
    for round_no in range(rounds):
        for op in ("deepcopy", "copy"):
            func = getattr(impl, op)
            reference_original = make()
            try:
                reference = getattr(copy, op)(reference_original)
                reference_error = None
            except Exception as exc:    # an uncopyable case: the same error is expected
                reference, reference_error = None, type(exc)
            for _ in range(2):      # warm-up: the core's per-type verdicts are cached
                try:
                    func(make())
                except Exception as exc:
                    assert type(exc) is reference_error, (op, case, exc, reference_error)
            started = time.monotonic()
            n = 0
            while True:
                if n >= max_per_op or time.monotonic() - started > time_budget:
                    if round_no == 0:
                        stats["truncated"].append(op)
                    break
                reached = True
                for mode in ("from", "one"):
                    x = make()
                    gc_was = gc.isenabled()
                    say("ATTACK nomemory", case, op, "n=%d" % n, mode)
                    set_nomemory(n, n + 1 if mode == "one" else 0)
                    try:
                        y = func(x)
                    except MemoryError:
                        remove_hooks()
                        stats["memory_errors"] += 1
                    except BaseException as exc:
                        remove_hooks()
                        chain = _exception_chain(exc)
                        if reference_error is not None and type(exc) is reference_error:
                            if mode == "from":
                                reached = False     # its own error, no failure seen
                            stats["reference_errors"] = stats.get("reference_errors", 0) + 1
                        elif isinstance(exc, SystemError) or not any(
                                isinstance(e, MemoryError) for e in chain):
                            raise AssertionError(
                                "%s(%s) with allocation %d failing (%s): %s: %s, not a "
                                "MemoryError" % (op, case, n, mode, type(exc).__name__, exc)
                            ) from exc
                        else:
                            stats["memory_errors"] += 1
                    else:
                        remove_hooks()
                        assert reference_error is None, (
                            "%s(%s) with allocation %d failing (%s) returned, the stdlib "
                            "raises %s" % (op, case, n, mode, reference_error.__name__))
                        if mode == "from":
                            reached = False     # no allocation at or after n
                        else:
                            stats["recovered"] += 1     # the core recovered from it
                        try:
                            compare_deep(x, y, reference, reference_original)
                        except AssertionError as exc:
                            raise AssertionError(
                                "%s(%s) with allocation %d failing (%s) returned a copy "
                                "that differs from the stdlib's: %s" % (op, case, n, mode, exc)
                            ) from None
                        del y
                    if reached:
                        stats["injections"] += 1
                    assert gc.isenabled() == gc_was, (
                        "%s(%s), allocation %d failing (%s): gc.isenabled() is %s after "
                        "the copy, was %s" % (op, case, n, mode, gc.isenabled(), gc_was))
                    del x
                    if not reached:
                        break
                if not reached:
                    if round_no == 0:
                        stats["allocations"][op] = n
                    break
                n += 1
        if rounds > 1:
            gc.collect()
            counts.append(sys.gettotalrefcount())
    if rounds > 1:
        stats["refcounts"] = counts
        stats["leak"] = counts[-1] - counts[1]
    stats["injections"] //= rounds
    stats["memory_errors"] //= rounds
    stats["recovered"] //= rounds
    result(**stats)


# -- 2. hostile keys ------------------------------------------------------------

import enum  # noqa: E402


class Hostile:
    """A key whose hash is that of a name the copy protocol looks up (so a
    lookup of that name in a dict holding it compares with it), and whose
    __eq__ runs `action` once while armed.  Disarmed (after the copy), it
    compares by identity, so comparing results runs nothing."""
    registry = []

    def __init__(self, name, action):
        self.name = name
        self.action = action
        self.armed = True
        Hostile.registry.append(self)

    def __hash__(self):
        return hash(self.name)

    def __eq__(self, other):
        if self.armed and self.action is not None:
            action, self.action = self.action, None
            action()
        return self is other

    def __repr__(self):
        return "Hostile(%r)" % self.name

    def __deepcopy__(self, memo):
        return Hostile(self.name, None)

    @classmethod
    def disarm_all(cls):
        for h in cls.registry:
            h.armed = False
        cls.registry.clear()


class IdHostile(Hostile):
    """A Hostile for memo dicts: hashes like id() of an object being copied."""

    def __init__(self, ident, action):
        super().__init__("id", action)
        self.ident = ident

    def __hash__(self):
        return self.ident


class Plain:
    pass


class WithReduce:
    def __reduce__(self):
        return (WithReduce, (), dict(self.__dict__))


class WithGetstate:
    def __getstate__(self):
        return dict(self.__dict__)


class WithSetstate:
    def __setstate__(self, state):
        self.__dict__.update(state)


class HashById:
    """An instance usable as a dict key."""
    __hash__ = object.__hash__


INSTANCE_CLASSES = {"plain": Plain, "reduce": WithReduce, "getstate": WithGetstate,
                    "setstate": WithSetstate, "hashable": HashById}


def _action(kind, target, owner=None):
    """What a hostile __eq__ does: clear the container being copied,
    rebind owner.__dict__, change owner's class, or collect garbage (after
    dropping the container's items)."""
    def run():
        if kind == "clear":
            target.clear()
        elif kind == "rebind":
            owner.__dict__ = {}
        elif kind == "class":
            cls = type(owner)
            cls.__deepcopy__ = lambda self, memo: "from a hook added during the copy"
            cls.added = [1]
        elif kind == "gc":
            if isinstance(target, list):
                del target[1:]
            else:
                target.clear()
            gc.collect()
    return run


def _fresh_enum():
    return enum.Enum("Color", "RED GREEN BLUE")


def _prime(impl, *objects):
    """Copy objects of the types involved once, unarmed, so the core has
    its per-type verdicts cached (the fast paths the attack aims at)."""
    for o in objects:
        impl.deepcopy([o, o])


def build_hostile(scenario, name, action, impl):
    """A fresh graph for one attack, or None when the combination means
    nothing (rebinding the __dict__ of an Enum member's class, ...)."""
    if scenario == "enum_in_list":
        # (a) Enum members in a list, a member's __dict__ holds the key,
        # __eq__ clears the list being copied.
        Color = _fresh_enum()
        _prime(impl, Color.GREEN)
        target = []
        owner = Color.RED
        target.extend([Color.GREEN, Color.RED, Color.BLUE] + [[i] for i in range(50)])
    elif scenario == "enum_in_dict":
        Color = _fresh_enum()
        _prime(impl, Color.GREEN, {Color.GREEN: 1})
        target = {}
        owner = Color.RED
        target.update({Color.GREEN: [1], "v": Color.RED, Color.BLUE: Color.RED,
                       "pad": [[i] for i in range(20)]})
    elif scenario == "enum_nested":
        Color = _fresh_enum()
        _prime(impl, Color.GREEN, (Color.GREEN, [1]))
        owner = Color.RED
        target = [(Color.GREEN, [0]), {"k": (Color.RED, [1])}, [[Color.BLUE, Color.RED]],
                  frozenset({Color.RED}), ({Color.RED: [2]},)] + [[i] for i in range(20)]
    elif scenario.startswith("instance_"):
        # (b) an instance whose __dict__ holds the key; (c) inside dict
        # keys and values and nested containers.
        where, _, kind = scenario[len("instance_"):].partition("_")
        cls = type("Hostile" + INSTANCE_CLASSES[kind].__name__, (INSTANCE_CLASSES[kind],), {})
        cls.__module__ = __name__
        globals()[cls.__name__] = cls       # reducible by name, like a module-level class
        _prime(impl, _filled(cls()))
        owner = _filled(cls())
        other = _filled(cls())
        if where == "list":
            target = [other, owner, other, [1, 2]] + [[i] for i in range(20)]
        elif where == "dictvalue":
            target = {"a": other, "b": owner, "c": [other]}
        elif where == "dictkey":
            if kind != "hashable":
                return None
            target = {other: 1, owner: [2], "x": (owner, [3])}
        else:       # nested
            target = [(owner, [1]), {"k": [owner]}, [[(other, owner)]], {"s": {"t": owner}}]
    elif scenario == "dict_key_collision":
        # The key sits in a dict being copied next to the name it
        # collides with: inserting the copies compares them.
        owner = Plain()
        target = {}
        target.update({name: [1], "pad": [2], "z": 3})
    elif scenario == "memo":
        # The key sits in a memo dict passed by the caller, its hash that
        # of id() of an object being copied.
        owner = Plain()
        target = [[1], [2], owner, [3]]
        if action == "rebind":
            return None
        h = IdHostile(id(target[1]), _action(action, target, owner))
        memo = {h: "not an id"}
        return target, target, {"memo": memo}
    else:
        raise ValueError(scenario)
    if action == "rebind" and not hasattr(owner, "__dict__"):
        return None
    h = Hostile(name, _action(action, target, owner))
    if scenario == "dict_key_collision":
        target[h] = [4]
    else:
        owner.__dict__[h] = 1
    return target, target, {}


def _filled(x):
    x.a = [1, 2]
    x.b = "text"
    return x


HOSTILE_ACTIONS = ("clear", "rebind", "class", "gc")


def _outcome(impl, build, kwargs_memo):
    try:
        return "ok", impl.deepcopy(build, **kwargs_memo)
    except Exception as exc:
        return "raise", exc


def shape(y, original):
    """y as a comparable tree, for graphs built separately per
    implementation (classes compared by name): containers by their items,
    instances by their string-keyed __dict__ (and how many other keys it
    holds), an object reused from the original graph as ("orig", its
    index there), a second visit of an object as ("ref", first visit)."""
    from tests.compare import reachable
    in_original = {id(o): i for i, o in enumerate(reachable(original))}
    seen = {}

    def walk(o):
        if isinstance(o, (int, float, str, bytes, type(None))):
            return repr(o)
        if id(o) in seen:
            return ("ref", seen[id(o)])
        seen[id(o)] = len(seen)
        name = type(o).__qualname__
        if id(o) in in_original:
            return ("orig", name, in_original[id(o)])
        if isinstance(o, Hostile):
            return ("Hostile", repr(o.name))
        if isinstance(o, (list, tuple)):
            return (name, [walk(i) for i in o])
        if isinstance(o, (set, frozenset)):
            return (name, sorted((walk(i) for i in o), key=repr))
        if isinstance(o, dict):
            return (name, sorted(((walk(k), walk(v)) for k, v in o.items()), key=repr))
        d = getattr(o, "__dict__", None)
        if isinstance(d, dict):
            return (name, sorted((k, walk(v)) for k, v in d.items() if isinstance(k, str)),
                    sum(1 for k in d if not isinstance(k, str)))
        return (name, repr(o))
    return walk(y)


def hostile(scenario, name):
    """Every action of HOSTILE_ACTIONS against scenario with a key hashing
    like `name`, for the stdlib, the core and the pure twin, each on its
    own fresh graph: the core and the twin must do what the stdlib does
    (the same exception type, or an equal copy)."""
    ran = 0
    for action in HOSTILE_ACTIONS:
        outcomes = {}
        for impl_name in ("stdlib", "pure", "core"):
            built = build_hostile(scenario, name, action, IMPLS[impl_name])
            if built is None:
                break
            original, x, extra = built
            say("ATTACK hostile", scenario, name, action, impl_name)
            kind, value = _outcome(IMPLS[impl_name], x, extra)
            Hostile.disarm_all()
            outcomes[impl_name] = (kind, value, original)
        if not outcomes:
            continue
        ran += 1
        std_kind, std_value, std_original = outcomes["stdlib"]
        for impl_name in ("pure", "core"):
            kind, value, original = outcomes[impl_name]
            where = "%s: %s with a key hashing like %r, __eq__ action %r" % (
                impl_name, scenario, name, action)
            if std_kind == "raise":
                assert kind == "raise" and type(value) is type(std_value), (
                    "%s: %s, the stdlib raises %s: %s" % (
                        where, "returned" if kind == "ok" else repr(value),
                        type(std_value).__name__, std_value))
            else:
                assert kind == "ok", "%s: raised %r, the stdlib returns a copy" % (where, value)
                ours, theirs = shape(value, original), shape(std_value, std_original)
                assert ours == theirs, "%s: the copy differs from the stdlib's:\n%r\n%r" % (
                    where, ours, theirs)
    result(attacks=ran)


# -- 3. finalizers and collections during a copy ------------------------------------

import weakref  # noqa: E402


class Finalized:
    """Runs `action` when freed (__del__)."""

    def __init__(self, action):
        self.action = action

    def __del__(self):
        action, self.action = self.action, None
        if action is not None:
            action()


class DropsOnReduce:
    """Its reduce value holds the only reference to a Finalized (or a
    weakly referenced object): the copy frees it when it drops the value."""

    def __init__(self, make_victim):
        self.make_victim = make_victim

    def __reduce_ex__(self, protocol):
        return (DropsOnReduce, (None,), {"victim": self.make_victim()})

    def __setstate__(self, state):
        pass


class DropsOnHook:
    """Its __deepcopy__ deletes the container's item after it, which holds
    the only reference to a Finalized."""

    def __init__(self, holder):
        self.holder = holder

    def __deepcopy__(self, memo):
        holder = self.holder
        for i, item in enumerate(holder):
            if item is self:
                del holder[i + 1]
                break
        return "hooked"


class MakesGarbage:
    """Its __deepcopy__ leaves cyclic garbage with a finalizer behind, for
    the next collection (gc.set_threshold(1) makes them frequent)."""

    def __init__(self, action_factory):
        self.action_factory = action_factory

    def __deepcopy__(self, memo):
        a = Finalized(self.action_factory())
        a.cycle = a
        return "hooked"


def _mutator(mutation, target):
    def run():
        if mutation == "clear":
            target.clear()
        elif mutation == "append":
            if isinstance(target, list):
                target.extend([[9], {"k": [9]}])
            else:
                target.update({"new%d" % len(target): [9]})
        elif mutation == "pop":
            if target:
                if isinstance(target, list):
                    target.pop()
                else:
                    target.pop(next(iter(target)))
        elif mutation == "disable_gc":
            gc.disable()
    return run


# Deterministic scenarios (freed by the copy's own reference drops):
# the same outcome as the stdlib's is required.  The gc-driven ones depend
# on when collections happen, which differs between implementations: no
# crash, no SystemError, and a result of the right type are required.
FINALIZER_SCENARIOS = {
    "reduce_value_del": True, "reduce_value_weakref": True, "hook_deletes_item": True,
    "gc_cyclic_garbage": False, "gc_callback": False,
}


def build_finalizer(scenario, mutation, container):
    target = [] if container == "list" else {}
    run = _mutator(mutation, target)
    if scenario == "reduce_value_del":
        item = DropsOnReduce(lambda: Finalized(run))
    elif scenario == "reduce_value_weakref":
        def make_victim():
            victim = Plain()
            refs.append(weakref.ref(victim, lambda ref: run()))
            return victim
        refs = []
        item = DropsOnReduce(make_victim)
    elif scenario == "hook_deletes_item":
        if container != "list":
            return None
        item = DropsOnHook(target)
    elif scenario == "gc_cyclic_garbage":
        item = MakesGarbage(lambda: run)
    elif scenario == "gc_callback":
        item = MakesGarbage(lambda: None)
    else:
        raise ValueError(scenario)
    items = [[1, 2], item]
    if scenario == "hook_deletes_item":
        items.append(Finalized(run))
    items += [[i, {"k": (i, [i])}] for i in range(30)] + [item]
    if container == "list":
        target.extend(items)
    else:
        target.update(("k%d" % i, v) for i, v in enumerate(items))
    return target


def finalizer(scenario, container):
    """Every mutation (clear, append, pop, disable_gc) run by a finalizer
    or weakref callback during the copy of a list or dict, with
    collections made frequent (gc.set_threshold(1))."""
    deterministic = FINALIZER_SCENARIOS[scenario]
    ran = 0
    gc.set_threshold(1)
    for mutation in ("clear", "append", "pop", "disable_gc"):
        outcomes = {}
        for impl_name in ("stdlib", "pure", "core"):
            x = build_finalizer(scenario, mutation, container)
            if x is None:
                break
            callback = None
            if scenario == "gc_callback":
                run = _mutator(mutation, x)

                def callback(phase, info, run=run, state={"done": False}):
                    if phase == "start" and not state["done"]:
                        state["done"] = True
                        run()
                gc.callbacks.append(callback)
            gc.enable()
            say("ATTACK finalizer", scenario, container, mutation, impl_name)
            kind, value = _outcome(IMPLS[impl_name], x, {})
            if callback in gc.callbacks:
                gc.callbacks.remove(callback)
            gc.enable()
            gc.collect()
            outcomes[impl_name] = (kind, value, x)
        if not outcomes:
            continue
        ran += 1
        std_kind, std_value, std_original = outcomes["stdlib"]
        for impl_name in ("pure", "core"):
            kind, value, original = outcomes[impl_name]
            where = "%s: %s in a %s, mutation %r" % (impl_name, scenario, container, mutation)
            assert not (kind == "raise" and isinstance(value, SystemError)), (where, value)
            if not deterministic:
                if kind == "ok":
                    assert type(value) is type(original), (where, type(value))
                continue
            if std_kind == "raise":
                assert kind == "raise" and type(value) is type(std_value), (
                    "%s: %r, the stdlib raises %r" % (where, value, std_value))
            else:
                assert kind == "ok", "%s: raised %r, the stdlib returns a copy" % (where, value)
                ours, theirs = shape(value, original), shape(std_value, std_original)
                assert ours == theirs, "%s: the copy differs from the stdlib's:\n%r\n%r" % (
                    where, ours, theirs)
    result(attacks=ran)


def gc_state(impl_name, program_enabled):
    """A finalizer that runs during the copy (freed when the copy drops a
    reduce value) must see gc.isenabled() as the program set it; a
    gc.disable() it makes must be in force after the copy returns."""
    impl = IMPLS[impl_name]
    (gc.enable if program_enabled else gc.disable)()
    seen = []

    def record():
        seen.append(gc.isenabled())
    x = [[1], DropsOnReduce(lambda: Finalized(record)), {"k": [2]}] * 3
    say("ATTACK gc_state seen", impl_name, program_enabled)
    impl.deepcopy(x)
    assert seen, "the finalizers did not run during the copy"
    assert set(seen) == {program_enabled}, (
        "finalizers running during the copy saw gc.isenabled() %s; the program set %s"
        % (seen, program_enabled))
    assert gc.isenabled() == program_enabled
    gc.enable()

    def disable():
        gc.disable()
    x = [[1], DropsOnReduce(lambda: Finalized(disable)), {"k": [2]}]
    say("ATTACK gc_state disable", impl_name)
    impl.deepcopy(x)
    assert not gc.isenabled(), (
        "a finalizer called gc.disable() during the copy; after the copy gc.isenabled() "
        "is True")
    result(attacks=2)


# -- 4. signals ------------------------------------------------------------------------

SIGNAL_SHAPES = {
    # A list of small lists: the walk's loop and the bulk copies.
    "lists": lambda n: [[i, "s"] for i in range(n)],
    # One tuple of n small tuples inside another: copied by the recursive
    # tuple copy, without returning to the walk until the end.
    "tuples": lambda n: ([0], tuple((i, ("s", [i])) for i in range(n))),
}


def signal_interrupt(impl_name, bound, repeats, shape="lists"):
    """A SIGALRM handler raising KeyboardInterrupt 50 ms into a copy that
    takes much longer: the exception must arrive within `bound` seconds of
    the signal, the GC state must be restored, and (debug builds) the total
    reference count must stay flat over repeated interrupted copies."""
    import signal
    impl = IMPLS[impl_name]
    n = 250_000
    while True:
        x = SIGNAL_SHAPES[shape](n)
        started = time.perf_counter()
        impl.deepcopy(x)
        full = time.perf_counter() - started
        if full >= 3 * bound + 0.1 or n >= 4_000_000:
            break
        n *= 2
    assert full >= bound + 0.05, "the copy is too fast to interrupt (%.3f s)" % full
    # The bound is on the copy, not on the program's GC: the handler's first
    # allocation may start a collection, and on 3.10/3.11 that can be a full
    # one, over the millions of objects of x (0.4 s seen).  Frozen, x is left
    # out of every collection; the copy's own objects are not.
    gc.collect()
    gc.freeze()

    def handler(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGALRM, handler)
    delays = []
    counts = []
    for _ in range(repeats):
        for program_enabled in (True, False):
            (gc.enable if program_enabled else gc.disable)()
            say("ATTACK signal", impl_name, "n=%d" % n, "gc", program_enabled)
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            fired = time.perf_counter() + 0.05
            try:
                impl.deepcopy(x)
            except KeyboardInterrupt:
                delays.append(time.perf_counter() - fired)
            else:
                delays.append(None)     # the copy finished uninterrupted
            signal.setitimer(signal.ITIMER_REAL, 0)
            assert gc.isenabled() == program_enabled, (
                "gc.isenabled() is %s after an interrupted copy, the program set %s"
                % (gc.isenabled(), program_enabled))
            gc.enable()
        if hasattr(sys, "gettotalrefcount"):
            gc.collect()
            counts.append(sys.gettotalrefcount())
    leak = counts[-1] - counts[1] if len(counts) > 2 else None
    result(full=full, delays=delays, n=n, leak=leak, refcounts=counts)


# -- 5. subinterpreters ------------------------------------------------------------------

SUBINTERPRETER_CODE = r"""
import copy, json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import fastcopy
x = {"a": [1, 2, {"b": (3, [4])}], "t": (1, 2), "s": {5, 6}}
x["self"] = [x]
y = fastcopy.deepcopy(x)
ok = (repr(copy.deepcopy(x)) == repr(y) and y is not x and y["self"][0] is y
      and y["a"] is not x["a"] and y["t"] is x["t"])
with open(%(path)r, "a") as f:
    f.write(json.dumps({"compiled": fastcopy.__compiled__, "equal": ok,
                        "warnings": [str(w.message) for w in caught
                                     if str(w.message).startswith("fastcopy")]}) + "\n")
"""


def _interpreter_runners():
    """(name, run(code)) for each way this Python offers to run code in
    a new subinterpreter."""
    runners = []
    try:
        from concurrent import interpreters  # 3.14+

        def run_concurrent(code):
            interp = interpreters.create()
            try:
                interp.exec(code)
            finally:
                interp.close()
        runners.append(("concurrent.interpreters", run_concurrent))
    except ImportError:
        pass
    for module_name in ("_interpreters", "_xxsubinterpreters"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue

        def run_low_level(code, module=module):
            interp = module.create()
            try:
                run = getattr(module, "exec", None) or module.run_string
                err = run(interp, code)
                if err is not None:
                    raise RuntimeError("in the subinterpreter: %r" % (err,))
            finally:
                module.destroy(interp)
        runners.append((module_name, run_low_level))
        break
    return runners


def subinterpreters(directory):
    """Import fastcopy and deep-copy in the main interpreter, then in a new
    subinterpreter of each kind available; report what each got."""
    path = os.path.join(directory, "interpreters.jsonl")
    code = SUBINTERPRETER_CODE % {"path": path}
    say("ATTACK subinterpreter main")
    exec(code, {})
    names = ["main"]
    for name, run in _interpreter_runners():
        for attempt in range(2):
            say("ATTACK subinterpreter", name, attempt)
            run(code)
            names.append("%s #%d" % (name, attempt + 1))
    with open(path) as f:
        reports = [json.loads(line) for line in f]
    result(interpreters=[dict(report, name=name) for name, report in zip(names, reports)])
