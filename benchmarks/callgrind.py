"""Instructions per copy, counted by valgrind's callgrind: repeatable figures
for comparing two builds of the core (or two implementations), unaffected by
the machine's load.

    python -m benchmarks.callgrind [--impl fastcopy|copium|copium-dict|stdlib[,...]]
                                   [--patched] [--only SUBSTR,...] [--json FILE]

Each case runs in two child processes under callgrind, which copy the same
object N and 2N times after the same warm-up; the difference of their totals
divided by N is the cost of one copy, start-up and set-up cancelled out.
The hash seed is fixed, so the same build gives the same count.

--impl with several implementations (comma-separated): a column each, and
the first one's count as a share of each other's.  copium-dict is copium
configured with memo="dict" (hooks are handed a real dict, as fastcopy's are).

--patched: copy through copy.deepcopy with the implementation patched in
(fastcopy.patch(), copium.patch.enable(); the stdlib unpatched), the way
libraries calling copy.deepcopy get it.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Cases of fastcopy._shapes, and the per-call ones below, with how many
# copies make the difference between the two runs.
CASES = {
    "none": 2000, "int": 2000, "tuple_atomic_10": 2000,
    "list_atomic_10": 1000, "dict_atomic_10": 1000,
    "list_atomic_1e4": 20, "dict_atomic_1e4": 20, "set_atomic_1e4": 20,
    "list_of_tuples_1e4": 10,
    "json_doc_1": 500, "json_docs_100": 20,
    "shared_1e3": 10, "cycles_1e3": 10,
    "plain_1": 1000, "plain_1e3": 10, "slots_1e3": 10,
    "dataclass_1e3": 10, "dataclass_slots_1e3": 10,
    "reduce_1e3": 10, "getstate_1e3": 10, "deepcopy_hook_1e3": 10,
    "stdlib_types_1e3": 5, "deep_nest_200": 50,
    # Per-call cost: atoms, empty containers, types that copy themselves.
    "str": 2000, "empty_list": 2000, "empty_dict": 2000, "empty_tuple": 2000,
    "empty_set": 2000, "dict_atomic_3": 2000, "re_pattern": 2000, "decimal": 2000,
    "fraction": 2000, "bytearray": 2000, "array": 1000, "hook_1": 1000,
    "hook_dict_1": 500, "hook_dict_copy_100": 10,
}

HOOKS = r"""
import copy as _copy


class Hook:
    def __init__(self, v):
        self.v = v

    def __deepcopy__(self, memo):
        return Hook(self.v)


class DictHook:
    def __init__(self, i):
        self.name = "s%d" % i
        self.values = list(range(10))
        self.options = {"a": [1, 2], "b": {"c": i}}

    def __deepcopy__(self, memo):
        new = DictHook.__new__(DictHook)
        new.__dict__.update(_copy.deepcopy(self.__dict__, memo))
        return new
"""

# Objects for the per-call cases, not in fastcopy._shapes: setup code that
# binds x.
EXTRA = {
    "none": "x = None",
    "int": "x = 12345",
    "str": "x = 'some text'",
    "empty_list": "x = []",
    "empty_dict": "x = {}",
    "empty_tuple": "x = ()",
    "empty_set": "x = set()",
    "dict_atomic_3": "x = {'a': 1, 'b': 2.0, 'c': None}",
    "re_pattern": "import re; x = re.compile('a+b')",
    "decimal": "import decimal; x = decimal.Decimal('1.25')",
    "fraction": "import fractions; x = fractions.Fraction(3, 4)",
    "bytearray": "x = bytearray(b'0123456789')",
    "array": "import array; x = array.array('i', range(10))",
    # A hook that does not use the memo, and one that hands it on (a dict
    # memo then), the way many libraries write __deepcopy__.
    "hook_1": HOOKS + "x = Hook(1)",
    "hook_dict_1": HOOKS + "x = DictHook(1)",
    "hook_dict_copy_100": HOOKS + "x = [DictHook(i) for i in range(100)]",
}

CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from fastcopy._shapes import CASES
name, impl, n, patched = {name!r}, {impl!r}, {n}, {patched!r}
import copy
if impl == "fastcopy":
    import fastcopy
    assert fastcopy.__compiled__, "compiled core missing"
    f = fastcopy.deepcopy
    if patched:
        fastcopy.patch()
elif impl in ("copium", "copium-dict"):
    import copium
    if impl == "copium-dict":
        copium.config.apply(memo="dict")
    f = copium.deepcopy
    if patched:
        import copium.patch
        copium.patch.enable()
else:
    f = copy.deepcopy
if patched:
    f = copy.deepcopy
{extra}
if name not in {extra_names!r}:
    x = CASES[name][1]()


def run(f, x, n):
    # Fast locals: the loop costs the same few instructions per call.
    for _ in range(n):
        f(x)


run(f, x, 3)
run(f, x, n)
"""


def total_instructions(code, workdir):
    out = os.path.join(workdir, "callgrind.out")
    env = dict(os.environ, PYTHONHASHSEED="0")
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
         sys.executable, "-c", code],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(out) as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    raise RuntimeError("no total in callgrind output")


def per_copy(name, impl, root, patched=False):
    n = CASES[name]
    extra = EXTRA.get(name, "")
    totals = []
    with tempfile.TemporaryDirectory(prefix="fastcopy-callgrind-") as tmp:
        for count in (n, 2 * n):
            code = CHILD.format(root=root, name=name, impl=impl, n=count,
                                patched=patched, extra=extra, extra_names=tuple(EXTRA))
            totals.append(total_instructions(code, tmp))
    return (totals[1] - totals[0]) / n


def short(impl):
    """A column heading's name for an implementation: 6 characters."""
    return {"fastcopy": "fastcp", "copium-dict": "cp-dct"}.get(impl, impl[:6])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", default="fastcopy",
                        help="fastcopy, copium, copium-dict (memo=\"dict\") or stdlib, "
                        "or several, comma-separated")
    parser.add_argument("--patched", action="store_true",
                        help="copy through copy.deepcopy, patched")
    parser.add_argument("--only", help="cases whose name contains one of these (comma-separated)")
    parser.add_argument("--json", help="also write the counts to this file")
    args = parser.parse_args(argv)
    impls = args.impl.split(",")
    for impl in impls:
        if impl not in ("fastcopy", "copium", "copium-dict", "stdlib"):
            parser.error("unknown implementation %r" % impl)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    names = list(CASES)
    if args.only:
        wanted = args.only.split(",")
        # A case's own name selects it alone; other words select by substring.
        names = [n for n in names
                 if n in wanted or any(w in n for w in wanted if w not in CASES)]
    results = {impl: {} for impl in impls}
    first, others = impls[0], impls[1:]
    print("instructions per copy%s, Python %s" % (" (patched)" if args.patched else "",
                                                   sys.version.split()[0]))
    print("%-22s" % "case" + "".join("%14s" % impl for impl in impls)
          + "".join("%14s" % ("/".join(short(i) for i in (first, other))) for other in others))
    for name in names:
        for impl in impls:
            results[impl][name] = per_copy(name, impl, root, args.patched)
        row = "%-22s" % name + "".join("%14.0f" % results[impl][name] for impl in impls)
        row += "".join("%14.2f" % (results[first][name] / results[other][name]) for other in others)
        print(row, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"patched": args.patched, "python": sys.version.split()[0],
                       "instructions_per_copy": results}, f, indent=1)


if __name__ == "__main__":
    main()
