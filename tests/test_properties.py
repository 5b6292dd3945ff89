"""Property tests: generated nested structures with shared references and
cycles are copied exactly as the stdlib copies them."""

import builtins
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .compare import compare_deep, reachable
from .impls import AVAILABLE

atoms = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=5), st.binary(max_size=5), st.complex_numbers(allow_nan=False),
)
# The built-in frozendict (3.15+) joins the generated data where it exists.
FROZENDICT = getattr(builtins, "frozendict", None)


def _hashable_containers(inner):
    options = [st.tuples(inner, inner), st.frozensets(inner, max_size=3)]
    if FROZENDICT is not None:
        options.append(st.dictionaries(inner, inner, max_size=3).map(FROZENDICT))
    return st.one_of(*options)


hashables = st.recursive(atoms, _hashable_containers, max_leaves=5)


def _containers(children, sets=True):
    keys = hashables if sets else atoms
    return st.one_of(
        st.lists(children, max_size=5),
        st.tuples(children, children),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(keys, children, max_size=4),
        *([st.sets(hashables, max_size=4), st.frozensets(hashables, max_size=4)]
          if sets else []),
        st.binary(max_size=4).map(bytearray),
        children.map(_Box),
        *([st.dictionaries(keys, children, max_size=4).map(FROZENDICT)]
          if FROZENDICT is not None else []),
    )


def _containers_without_sets(children):
    return _containers(children, sets=False)


class _Box:
    """A plain instance in the generated data (reduce-protocol path)."""

    def __init__(self, item):
        self.item = item

    def __repr__(self):
        return "_Box(%r)" % (self.item,)


trees = st.recursive(atoms, _containers, max_leaves=30)
# Sets and frozensets are left out where the memo itself is compared: the
# stdlib records their reduce value's temporary item list, fastcopy does not.
trees_without_sets = st.recursive(atoms, _containers_without_sets, max_leaves=30)


def _mutables(x):
    """The lists, dicts and boxes in x, in a deterministic order."""
    out, seen, stack = [], set(), [x]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, (list, dict, _Box)):
            out.append(o)
        if isinstance(o, (list, tuple)):
            stack.extend(reversed(o))
        elif isinstance(o, (dict, FROZENDICT or dict)):
            stack.extend(reversed(list(o.values())))
        elif isinstance(o, _Box):
            stack.append(o.item)
    return out


@st.composite
def graphs(draw, trees=trees):
    """A tree, then extra edges between its mutable containers: shared
    references and cycles (through lists, dicts, instances and tuples)."""
    root = draw(trees)
    root = [root] if not isinstance(root, (list, dict, _Box)) else root
    nodes = _mutables(root)
    for _ in range(draw(st.integers(0, 6))):
        src = nodes[draw(st.integers(0, len(nodes) - 1))]
        dst = nodes[draw(st.integers(0, len(nodes) - 1))]
        via_tuple = draw(st.booleans())
        edge = (dst, 0) if via_tuple else dst
        if isinstance(src, list):
            src.append(edge)
        elif isinstance(src, dict):
            src["edge%d" % len(src)] = edge
        else:
            src.item = [src.item, edge]
    return root


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(graphs())
def test_generated_graphs_core_and_pure(x):
    reference = copy.deepcopy(x)
    for impl in AVAILABLE:
        compare_deep(x, impl.deepcopy(x), reference)


@SETTINGS
@given(graphs())
def test_generated_graphs_with_caller_memo(x):
    ref_memo = {}
    reference = copy.deepcopy(x, ref_memo)
    for impl in AVAILABLE:
        memo = {}
        compare_deep(x, impl.deepcopy(x, memo), reference)
        assert len(memo) <= len(ref_memo)   # set temporaries are not recorded


@SETTINGS
@given(graphs())
def test_generated_graphs_shallow(x):
    ref = copy.copy(x)
    for impl in AVAILABLE:
        ours = impl.copy(x)
        assert type(ours) is type(ref) and (ours is x) == (ref is x)
        if isinstance(x, list):
            assert all(a is b for a, b in zip(ours, x)) and len(ours) == len(x)
        elif isinstance(x, dict):
            assert list(ours) == list(x) and all(ours[k] is x[k] for k in x)


# -- the memo a __deepcopy__ hook is handed ------------------------------------

class _Spy:
    """A __deepcopy__ hook that notes the memo it is handed: its keys in
    order (memo[id(memo)] as "keep-alive") and the objects kept alive, each
    named by its position in reachable(x) of the graph being copied."""

    names = {}          # id -> name, for the copy in progress
    notes = []          # what each hook saw, in the order they ran

    def __deepcopy__(self, memo):
        own = id(memo)
        keys = ["keep-alive" if key == own else _Spy.names.get(key, "?") for key in memo]
        kept = [_Spy.names.get(id(o), "?") for o in memo.get(own, ())]
        _Spy.notes.append((keys, kept))
        return _Spy()


@st.composite
def spied_graphs(draw):
    """A graph without sets, with hooks placed in its mutable containers."""
    root = draw(graphs(trees_without_sets))
    nodes = _mutables(root)
    for _ in range(draw(st.integers(1, 3))):
        node = nodes[draw(st.integers(0, len(nodes) - 1))]
        if isinstance(node, list):
            node.insert(draw(st.integers(0, len(node))), _Spy())
        elif isinstance(node, dict):
            node["spy%d" % len(node)] = _Spy()
        else:
            node.item = [_Spy(), node.item]
    return root


@SETTINGS
@given(spied_graphs())
def test_generated_graphs_hooks_handed_the_stdlib_memo(x):
    # With no memo from the caller the core copies with its own table; the
    # first hook is handed a dict made from it, which must be the stdlib's
    # memo at that point: the same entries in the same order, the
    # keep-alive entry created where the stdlib creates it, and the objects
    # finished so far (not those still being copied) kept alive, in the
    # order they finished.  Later hooks see the dict filled on from there.
    objects = reachable(x)
    _Spy.names = {id(o): i for i, o in enumerate(objects)}
    try:
        _Spy.notes = []
        copy.deepcopy(x)
        reference = _Spy.notes
        assert len(reference) == sum(isinstance(o, _Spy) for o in objects)
        for impl in AVAILABLE:
            _Spy.notes = []
            impl.deepcopy(x)
            assert _Spy.notes == reference, impl
    finally:
        _Spy.names, _Spy.notes = {}, []
