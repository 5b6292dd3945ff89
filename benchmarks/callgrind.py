"""Instructions per copy, counted by valgrind's callgrind: repeatable figures
for comparing two builds of the core (or two implementations), unaffected by
the machine's load.

    python -m benchmarks.callgrind [--impl fastcopy|copium|stdlib] [--only SUBSTR,...]
                                   [--json FILE]

Each case runs in two child processes under callgrind, which copy the same
object N and 2N times after the same warm-up; the difference of their totals
divided by N is the cost of one copy, start-up and set-up cancelled out.
The hash seed is fixed, so the same build gives the same count.
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
}

# Objects for the per-call cases, not in fastcopy._shapes.
EXTRA = {"none": "None", "int": "12345"}

CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from fastcopy._shapes import CASES
name, impl, n = {name!r}, {impl!r}, {n}
if impl == "fastcopy":
    import fastcopy
    assert fastcopy.__compiled__, "compiled core missing"
    f = fastcopy.deepcopy
elif impl == "copium":
    import copium
    f = copium.deepcopy
else:
    import copy
    f = copy.deepcopy
x = {extra} if name in {extra_names!r} else CASES[name][1]()


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


def per_copy(name, impl, root):
    n = CASES[name]
    extra = EXTRA.get(name, "None")
    totals = []
    with tempfile.TemporaryDirectory(prefix="fastcopy-callgrind-") as tmp:
        for count in (n, 2 * n):
            code = CHILD.format(root=root, name=name, impl=impl, n=count,
                                extra=extra, extra_names=tuple(EXTRA))
            totals.append(total_instructions(code, tmp))
    return (totals[1] - totals[0]) / n


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", default="fastcopy", choices=["fastcopy", "copium", "stdlib"])
    parser.add_argument("--only", help="cases whose name contains one of these (comma-separated)")
    parser.add_argument("--json", help="also write the counts to this file")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    names = list(CASES)
    if args.only:
        wanted = args.only.split(",")
        names = [n for n in names if any(w in n for w in wanted)]
    results = {}
    print("%-22s %14s  (%s, Python %s)" % ("case", "instr/copy", args.impl,
                                           sys.version.split()[0]))
    for name in names:
        results[name] = per_copy(name, args.impl, root)
        print("%-22s %14.0f" % (name, results[name]), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"impl": args.impl, "python": sys.version.split()[0],
                       "instructions_per_copy": results}, f, indent=1)


if __name__ == "__main__":
    main()
