"""Fault injection, 2: hostile keys.  A key whose hash equals that of a
name the copy protocol looks up (__deepcopy__, __reduce_ex__, __reduce__,
__getstate__, __setstate__, __dict__, __class__, or an attribute name),
whose __eq__ runs code in the middle of the copy: it clears the list or
dict being copied, rebinds the owner's __dict__, changes the owner's class,
or drops items and runs gc.collect().  The key sits in an instance's
__dict__ (plain, __reduce__, __getstate__, __setstate__ classes and Enum
members), in a dict being copied next to the name it collides with, or in a
memo dict hashing like id() of an object being copied.

Each scenario runs in a child interpreter (tests/fault_children.py's
hostile()), with PYTHONMALLOC=malloc on release builds so that a
use-after-free reaches freed C memory; the core and the pure twin must do
what the stdlib does: the same exception type, or an equal copy.

Known crashers when this was written (3.11-3.13): enum_in_list with
__deepcopy__ (an Enum member's hostile key clears the list being copied,
which the core's item loop keeps reading) and instance_*_reduce /
instance_*_getstate with __deepcopy__ (the owner's __dict__ freed during
its own lookup)."""

import pytest

from .impls import _core
from .subprocess_helpers import attack_result, count, run_attack

pytestmark = pytest.mark.skipif(_core is None, reason="the compiled core is not built")

NAMES = ["__deepcopy__", "__reduce_ex__", "__reduce__", "__getstate__", "__setstate__",
         "__dict__", "__class__", "a"]

SCENARIOS = ["enum_in_list", "enum_in_dict", "enum_nested", "dict_key_collision", "memo"]
SCENARIOS += ["instance_%s_%s" % (where, kind)
              for where in ("list", "dictvalue", "nested")
              for kind in ("plain", "reduce", "getstate", "setstate")]
SCENARIOS += ["instance_dictkey_hashable"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hostile_key(scenario, name):
    if scenario == "memo" and name != NAMES[0]:
        pytest.skip("the memo's hostile key hashes like an id(), not a name")
    stats = attack_result(run_attack("hostile", scenario, name, malloc="malloc", timeout=120))
    count("hostile-key attacks", stats["attacks"])
    assert stats["attacks"] >= 1
