"""fastcopy._compare: the structural comparison behind `check`, verify mode
and the tests' compare_deep.  Each kind of difference is built by hand next
to the stdlib's real copy and must be found, at the right path."""

import copy
import dataclasses
import datetime

from fastcopy._compare import compare


class Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class Slotted:
    __slots__ = ("a", "b")


@dataclasses.dataclass
class Point:
    x: int
    tags: list


def diffs(original, ours):
    result = compare(original, ours, copy.deepcopy(original))
    return [(d.path, d.message) for d in result.differences]


def test_equal_copies_match():
    shared = [1, 2]
    x = {"a": shared, "b": (shared, {3}), "o": Obj(v=shared), "p": Point(1, ["t"])}
    x["self"] = x
    result = compare(x, copy.deepcopy(x), copy.deepcopy(x))
    assert result and result.differences == []
    assert result.objects > 8


def test_type_difference_with_path():
    x = {"items": [Obj(name=[1])]}
    ours = copy.deepcopy(x)
    ours["items"][0].name = (1,)
    assert diffs(x, ours) == [("x['items'][0].name", "type tuple, the stdlib's list")]


def test_shared_with_the_original():
    x = [Obj(data=[1, 2])]
    ours = copy.deepcopy(x)
    ours[0].data = x[0].data
    assert diffs(x, ours) == [
        ("x[0].data", "the original object (shared with it), the stdlib's a new list")]


def test_rebuilt_where_the_stdlib_keeps_the_original():
    x = [(1, 2)]
    ours = [tuple([1, 2])]           # an equal but new tuple
    assert diffs(x, ours) == [("x[0]", "a new tuple, the stdlib's the original object")]


def test_lost_sharing_and_lost_cycle():
    shared = [1]
    x = [shared, shared]
    assert diffs(x, [[1], [1]]) == [
        ("x[1]", "shared references differ: a new list, the stdlib's the same one as at "
                 "another place")]
    cyclic = []
    cyclic.append(cyclic)
    assert diffs(cyclic, [[]])[0][0] == "x[0]"


def test_values_sizes_and_slots():
    assert diffs([1, 2.5, "a"], [1, 2.5, "b"]) == [("x[2]", "'b', the stdlib's 'a'")]
    assert diffs({"a": 1}, {"a": 1, "b": 2}) == [("x", "2 items, the stdlib's 1")]
    s = Slotted()
    s.a, s.b = [1], 2
    ours = Slotted()
    ours.a, ours.b = [1], 3
    assert diffs(s, ours) == [("x.b", "3, the stdlib's 2")]
    when = datetime.date(2020, 1, 1)
    assert diffs([when], [datetime.date(2021, 1, 1)]) == [
        ("x[0]", "datetime.date(2021, 1, 1), the stdlib's datetime.date(2020, 1, 1)")]


def test_owner_is_the_nearest_user_class():
    x = {"p": Point(1, [2])}
    ours = copy.deepcopy(x)
    ours["p"].tags.append(3)
    result = compare(x, ours, copy.deepcopy(x))
    (d,) = result.differences
    assert d.owner is Point and d.path == "x['p'].tags"


def test_sets_of_instances_compared_without_false_differences():
    # Instances hash by identity: their copies cannot be paired by value,
    # and must not be reported as different.
    x = {frozenset([1, 2]), (1, "a"), Obj.__new__(Obj)}
    x = [set(x)]
    assert diffs(x, copy.deepcopy(x)) == []
    ours = copy.deepcopy(x)
    ours[0].discard((1, "a"))
    ours[0].add((1, "b"))
    assert diffs(x, ours) == [("x[0]{(1, 'b')}[1]", "'b', the stdlib's 'a'")]


def test_limit_and_unequal_arrays_do_not_raise():
    x = [[i] for i in range(50)]
    ours = [[i + 1] for i in range(50)]
    assert len(compare(x, ours, copy.deepcopy(x), limit=5).differences) == 5

    class NoBool:
        def __eq__(self, other):
            raise ValueError("ambiguous")
    n = [NoBool()]
    assert compare(n, [NoBool()], [NoBool()])
