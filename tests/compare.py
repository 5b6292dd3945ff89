"""Differential comparison of a copy against the stdlib's copy of the same
object, for the tests: compare_deep() asserts that fastcopy.compare finds no
difference (see fastcopy/_compare.py for what is compared)."""

from fastcopy._compare import MAPPINGS, compare


def compare_deep(original, ours, reference, reference_original=None):
    """reference_original: the object the stdlib copied, when it is a
    separately built twin of `original` (hooks that mutate their input need
    one graph per implementation)."""
    result = compare(original, ours, reference, reference_original, limit=1)
    assert result, str(result.differences[0])


def reachable(x):
    """Every object reachable from x through containers and instance dicts,
    each once, in a deterministic order."""
    seen, out, stack = set(), [], [x]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        out.append(o)
        if isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        elif isinstance(o, MAPPINGS):
            stack.extend(o.keys())
            stack.extend(o.values())
        d = getattr(o, "__dict__", None)
        if isinstance(d, dict) and not isinstance(o, type):
            stack.append(d)
    return out


def outcome(func, *args):
    """('ok', result) or ('raise', exception type) for func(*args)."""
    try:
        return ("ok", func(*args))
    except Exception as exc:
        return ("raise", type(exc))
