"""Hypothesis-generated hostile data, differential against the stdlib.

Structures with shared references and cycles, holding objects whose hooks
raise at random points, mutate the container being copied, call deepcopy
reentrantly or return malformed reduce values.  Each example is built twice
(once for the stdlib, once for fastcopy) from the same recipe, and the outcome
- the copy, compared node by node, or the exception type - must match.

CI runs a bounded number of examples; run many more with
    FASTCOPY_HYPOTHESIS_EXAMPLES=5000 python -m pytest tests/test_hostile_properties.py
"""

import copy
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .compare import compare_deep, outcome
from .impls import AVAILABLE

EXAMPLES = int(os.environ.get("FASTCOPY_HYPOTHESIS_EXAMPLES", "150"))


class Boom(Exception):
    pass


class Hostile:
    """Behaviour chosen by the recipe; `impl` is the deepcopy under test."""
    impl = None

    def __init__(self, action, payload, container):
        self.action = action
        self.payload = payload
        self.container = container

    def __repr__(self):
        return "Hostile(%s)" % self.action

    def __deepcopy__(self, memo):
        a = self.action
        if a == "raise":
            raise Boom()
        if a == "append" and isinstance(self.container, list) and len(self.container) < 50:
            self.container.append(len(self.container))
        elif a == "clear" and isinstance(self.container, (list, dict)):
            self.container.clear()
        elif a == "rebind" and isinstance(self.container, dict):
            for k in list(self.container)[:3]:
                if self.container[k] is not self:
                    self.container[k] = ["rebound"]
        elif a == "resize" and isinstance(self.container, dict):
            self.container["added%d" % len(self.container)] = 0
        elif a == "reenter_memo":
            return ("reentered", Hostile.impl(self.payload, memo))
        elif a == "reenter_fresh":
            return ("fresh", Hostile.impl(self.payload))
        return ("copied", self.action)


class BadReduce:
    def __init__(self, shape, payload):
        self.shape = shape
        self.payload = payload

    def __repr__(self):
        return "BadReduce(%s)" % self.shape

    def __reduce_ex__(self, protocol):
        s = self.shape
        if s == "none":
            return None
        if s == "short":
            return (BadReduce,)
        if s == "long":
            return (BadReduce, ("x", 1), None, None, None, None)
        if s == "args_int":
            return (BadReduce, 3)
        if s == "not_callable":
            return (5, ())
        if s == "string":
            return "global_name"
        if s == "list":
            return [BadReduce, (s, self.payload)]
        if s == "state":
            return (_plain, (), {"payload": self.payload})
        if s == "raise":
            raise Boom()
        return (BadReduce, (s, self.payload))


def _plain():
    return _Plain()


class _Plain:
    def __repr__(self):
        return "_Plain(%r)" % (vars(self),)


ACTIONS = ["raise", "append", "clear", "rebind", "resize", "reenter_memo",
           "reenter_fresh", "none"]
SHAPES = ["none", "short", "long", "args_int", "not_callable", "string", "list",
          "state", "raise", "ok"]

leaf = st.one_of(st.integers(-5, 5), st.text(max_size=3), st.none(),
                 st.tuples(st.just("hostile"), st.sampled_from(ACTIONS)),
                 st.tuples(st.just("reduce"), st.sampled_from(SHAPES)))
recipes = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.tuples(st.just("list"), st.lists(inner, max_size=4)),
        st.tuples(st.just("dict"), st.lists(inner, max_size=4)),
        st.tuples(st.just("tuple"), st.lists(inner, max_size=3)),
    ),
    max_leaves=12)


def build(recipe, extra_edges):
    """The object graph a recipe describes; returns (root, mutables)."""
    mutables = []

    def make(r, parent):
        if isinstance(r, tuple) and r and r[0] == "hostile":
            return Hostile(r[1], [1, {"p": 2}], parent)
        if isinstance(r, tuple) and r and r[0] == "reduce":
            return BadReduce(r[1], [3])
        if isinstance(r, tuple) and r and r[0] in ("list", "dict", "tuple"):
            kind, items = r
            if kind == "list":
                out = []
                mutables.append(out)
                out.extend(make(i, out) for i in items)
                return out
            if kind == "dict":
                out = {}
                mutables.append(out)
                for n, i in enumerate(items):
                    out["k%d" % n] = make(i, out)
                return out
            return tuple(make(i, None) for i in items)
        return r

    root = [make(recipe, None)]
    mutables.append(root)
    for src, dst in extra_edges:
        a = mutables[src % len(mutables)]
        b = mutables[dst % len(mutables)]
        if isinstance(a, list):
            a.append(b)
        else:
            a["edge%d" % len(a)] = b
    return root


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(recipes, st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=4))
def test_hostile_graphs_match_stdlib(recipe, edges):
    Hostile.impl = copy.deepcopy
    original = build(recipe, edges)
    expected = outcome(copy.deepcopy, original)
    for impl in AVAILABLE:
        Hostile.impl = impl.deepcopy
        mine = build(recipe, edges)
        got = outcome(impl.deepcopy, mine)
        assert got[0] == expected[0], (impl.__name__, got, expected)
        if got[0] == "raise":
            assert got[1] is expected[1], (impl.__name__, got, expected)
        else:
            compare_deep(mine, got[1], expected[1], original)
    Hostile.impl = None
