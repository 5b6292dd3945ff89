"""Property tests: generated nested structures with shared references and
cycles are copied exactly as the stdlib copies them."""

import builtins
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .compare import compare_deep
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


def _containers(children):
    return st.one_of(
        st.lists(children, max_size=5),
        st.tuples(children, children),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(hashables, children, max_size=4),
        st.sets(hashables, max_size=4),
        st.frozensets(hashables, max_size=4),
        st.binary(max_size=4).map(bytearray),
        children.map(_Box),
        *([st.dictionaries(hashables, children, max_size=4).map(FROZENDICT)]
          if FROZENDICT is not None else []),
    )


class _Box:
    """A plain instance in the generated data (reduce-protocol path)."""

    def __init__(self, item):
        self.item = item

    def __repr__(self):
        return "_Box(%r)" % (self.item,)


trees = st.recursive(atoms, _containers, max_leaves=30)


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
def graphs(draw):
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
