"""Verify mode: fastcopy.patch(verify=...) and FASTCOPY_AUTOPATCH=verify.

fastcopy copies these objects correctly, so a difference is made on purpose
with a wrong "fastcopy" (a function that shares a list with the original);
the verifying functions are built around it directly, or, in a fresh
interpreter, around a fastcopy.deepcopy replaced before patching."""

import copy
import warnings

import pytest

import fastcopy
from fastcopy import _verify
from fastcopy._patch import parse_autopatch

from .test_patch import run_python


class Point:
    def __init__(self):
        self.tags = [1, 2]


def sharing_deepcopy(x, memo=None):
    """A wrong deepcopy: the copy of a Point shares its tags with the original."""
    y = copy.deepcopy(x, memo)
    for a, b in zip(x, y):
        if isinstance(a, Point):
            b.tags = a.tags
    return y


@pytest.fixture(autouse=True)
def fresh_report():
    _verify.reset()
    yield
    _verify.reset()


def test_difference_warned_once_per_class_and_stdlib_result_returned():
    verifying = _verify.make_deepcopy(sharing_deepcopy, 1.0, "warn")
    x = [Point(), {"a": [1]}]
    with pytest.warns(fastcopy.VerifyWarning, match=r"tests\.test_verify\.Point at x\[0\]\.tags: "
                      r"the original object \(shared with it\), the stdlib's a new list"):
        y = verifying(x)
    assert y[0].tags == [1, 2] and y[0].tags is not x[0].tags      # the stdlib's copy
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no second warning for Point
        y = verifying(x)
    assert y[0].tags is not x[0].tags
    report = fastcopy.verify_report()
    assert not report
    (record,) = report.differences
    assert (record.kind, record.cls, record.path, record.count) == ("deepcopy", Point,
                                                                    "x[0].tags", 2)
    assert report.verified["deepcopy"] == report.calls["deepcopy"] == 2
    assert "DIFFERENCE copy.deepcopy of tests.test_verify.Point: x[0].tags" in str(report)


def test_raise_mode():
    verifying = _verify.make_deepcopy(sharing_deepcopy, 1.0, "raise")
    with pytest.raises(fastcopy.VerifyWarning, match=r"Point at x\[0\]\.tags"):
        verifying([Point()])
    assert verifying([[1], {"a": (2,)}]) == [[1], {"a": (2,)}]


def test_same_results_pass_silently():
    verifying = _verify.make_deepcopy(fastcopy.deepcopy, 1.0, "raise")
    shared = [1]
    x = {"p": Point(), "s": shared, "t": (shared, {2}), "self": None}
    x["self"] = x
    y = verifying(x)
    assert y["self"] is y and y["t"][0] is y["s"] is not shared
    assert fastcopy.verify_report() and fastcopy.verify_report().verified["deepcopy"] == 1


def test_sampling_and_memo_calls():
    calls = []

    def counting(x, memo=None):
        calls.append(memo)
        return copy.deepcopy(x, memo)
    verifying = _verify.make_deepcopy(counting, 0.25, "raise")
    for _ in range(8):
        verifying([1, [2]])
    report = fastcopy.verify_report()
    assert report.calls["deepcopy"] == 8 and report.verified["deepcopy"] == 2    # calls 0 and 4
    memo = {}
    verifying([3], memo)
    assert calls[-1] is memo and fastcopy.verify_report().skipped_memo == 1


def test_exceptions_compared():
    class Uncopyable:
        def __reduce_ex__(self, protocol):
            raise TypeError("no copies")

    def raising(x, memo=None):
        raise ValueError("broken")
    verifying = _verify.make_deepcopy(raising, 1.0, "warn")
    with pytest.warns(fastcopy.VerifyWarning, match="fastcopy raised ValueError: broken, "
                      "the standard library made a copy"):
        assert verifying([1, [2]]) == [1, [2]]
    # The same exception type from both: fastcopy's is raised, no difference.
    verifying = _verify.make_deepcopy(fastcopy.deepcopy, 1.0, "raise")
    with pytest.raises(TypeError, match="no copies"):
        verifying([Uncopyable()])
    # A different one: the stdlib's (warned: a new class of input).
    verifying = _verify.make_deepcopy(raising, 1.0, "warn")
    _verify.reset()
    with pytest.warns(fastcopy.VerifyWarning, match="fastcopy raised ValueError"):
        with pytest.raises(TypeError, match="no copies"):
            verifying([Uncopyable()])


def test_deeper_than_the_stdlib_is_inconclusive_not_a_difference():
    x = []
    for _ in range(5000):
        x = [x]
    verifying = _verify.make_deepcopy(fastcopy.deepcopy, 1.0, "raise")
    y = verifying(x)
    assert len(y) == 1 and y is not x
    report = fastcopy.verify_report()
    assert report.inconclusive == 1 and not report.differences


def test_reference_is_the_stdlib_code_with_live_tables():
    ref = _verify.reference_module()
    assert ref is not copy and ref.Error is copy.Error
    assert ref.deepcopy is not copy.deepcopy
    assert ref.deepcopy.__code__.co_filename == copy.__file__

    class Registered:
        pass
    copy._deepcopy_dispatch[Registered] = lambda x, memo: "registered copier"
    try:
        verifying = _verify.make_deepcopy(lambda x, memo=None: ["wrong"], 1.0, "warn")
        with pytest.warns(fastcopy.VerifyWarning):
            assert verifying([Registered()]) == ["registered copier"]
    finally:
        del copy._deepcopy_dispatch[Registered]


def test_shallow_copy_verified():
    verifying = _verify.make_copy(copy.deepcopy, 1.0, "warn")     # too deep
    x = [[1], Point()]
    with pytest.warns(fastcopy.VerifyWarning, match=r"copy.copy: .* at x\[0\]: a new list, "
                      r"the stdlib's the original object"):
        y = verifying(x)
    assert y[0] is x[0] and y[1] is x[1]
    assert fastcopy.verify_report().verified["copy"] == 1


@pytest.mark.parametrize("verify", ["always", 1.5, -0.1, float("nan")])
def test_patch_rejects_bad_verify_values(verify):
    with pytest.raises(ValueError, match="verify must be"):
        fastcopy.patch(verify=verify)
    assert not fastcopy.is_patched()


@pytest.mark.parametrize("value, expected", [
    ("1", {"copy": False, "verify": None}),
    ("copy", {"copy": True, "verify": None}),
    ("all", {"copy": True, "verify": None}),
    ("verify", {"copy": False, "verify": True}),
    ("verify,copy", {"copy": True, "verify": True}),
    ("verify=0.1", {"copy": False, "verify": 0.1}),
    ("Verify=raise, copy", {"copy": True, "verify": "raise"}),
])
def test_parse_autopatch(value, expected):
    assert parse_autopatch(value) == expected


def test_parse_autopatch_bad_fraction_warns_and_verifies_all():
    with pytest.warns(RuntimeWarning, match="verify=2"):
        assert parse_autopatch("verify=2") == {"copy": False, "verify": True}


# -- through the patched functions, in a fresh interpreter ---------------------

def test_patched_verify_uses_the_stdlib_code_down_to_nested_hooks():
    # Probe tells who copies it: the stdlib's list copier is on the stack
    # only when the stdlib's own code runs.  Holder's hook copies its items
    # through the patched copy.deepcopy: in the reference run that must be
    # the stdlib again.
    out = run_python("""
import copy, traceback, warnings, fastcopy
class Probe:
    def __deepcopy__(self, memo):
        names = [f.name for f in traceback.extract_stack()]
        return "stdlib" if "_deepcopy_list" in names else "fastcopy"
class Holder:
    def __init__(self, items):
        self.items = items
    def __deepcopy__(self, memo):
        return Holder(copy.deepcopy(self.items, memo))
fastcopy.patch(verify=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    y = copy.deepcopy([Probe(), Holder([Probe()])])
print(y[0], y[1].items[0], len(caught), caught[0].category.__name__)
print(caught[0].filename == "<string>")     # reported at the caller's line
""")
    assert out.split() == ["stdlib", "stdlib", "1", "VerifyWarning", "True"]


def test_patch_verify_state_and_patched_context():
    out = run_python("""
import copy, fastcopy
from fastcopy._patch import verify_setting
fastcopy.patch(verify=0.5)
print(verify_setting())
fastcopy.patch()                       # keeps the setting
print(verify_setting(), fastcopy.is_patched())
with fastcopy.patched(copy=True, verify="raise"):
    print(verify_setting(), fastcopy.is_patched(copy=True))
print(verify_setting(), fastcopy.is_patched(copy=True))
fastcopy.patch(verify=False)
print(verify_setting())
fastcopy.patch(verify=True)
fastcopy.unpatch()
print(verify_setting(), fastcopy.is_patched())
assert copy.deepcopy([1, [2]]) == [1, [2]]
""")
    assert out.splitlines() == [
        "(0.5, 'warn')", "(0.5, 'warn') True", "(1.0, 'raise') True",
        "(0.5, 'warn') False", "None", "None False"]


def test_patched_verify_reports_a_wrong_fastcopy():
    out = run_python("""
import copy, warnings, fastcopy
real = fastcopy.deepcopy
class Point:
    def __init__(self):
        self.tags = [1]
def wrong(x, memo=None):
    y = real(x, memo)
    y[0].tags = x[0].tags
    return y
fastcopy.deepcopy = wrong            # what patch() will call
fastcopy.patch(verify=True)
x = [Point()]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    y = copy.deepcopy(x)
print(y[0].tags is x[0].tags, len(caught))
print(fastcopy.verify_report().differences[0])
""")
    first, second = out.splitlines()
    assert first == "False 1"
    assert second.startswith("copy.deepcopy of __main__.Point: x[0].tags: the original object")


@pytest.mark.parametrize("value, expected", [
    ("verify", "True False (1.0, 'warn')"),
    ("verify=0.25,copy", "True True (0.25, 'warn')"),
    ("1", "True False None")])
def test_autopatch_verify_at_startup(tmp_path, value, expected):
    import shutil

    from .subprocess_helpers import autopatch_pth
    from .test_patch import REPO
    shutil.copy(autopatch_pth(), tmp_path / "fastcopy-autopatch.pth")
    out = run_python("""
import site, sys
site.addsitedir(%r)
import fastcopy
from fastcopy._patch import verify_setting
print(fastcopy.is_patched(), fastcopy.is_patched(copy=True), verify_setting())
""" % str(tmp_path), env={"PYTHONPATH": REPO, "FASTCOPY_AUTOPATCH": value})
    assert out.strip() == expected
