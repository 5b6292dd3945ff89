"""Peak memory of one large copy, per implementation, each in a fresh
subprocess: RSS growth (ru_maxrss, which sees every allocator) next to the
peak traced by tracemalloc (Python's allocators only) and the size of the
result itself (traced memory still held after the copy).

    python -m benchmarks.memory [CASE ...]
"""

import json
import subprocess
import sys

DEFAULT_CASES = ["list_atomic_1e5", "dict_atomic_1e5", "json_docs_5000",
                 "shared_1e5", "cycles_1e5", "plain_1e3"]

CHILD = r"""
import gc, json, resource, sys, tracemalloc
sys.path.insert(0, %(root)r)
from benchmarks.cases import CASES
name, impl = sys.argv[1], sys.argv[2]
x = CASES[name][1]()
if impl == "stdlib":
    import copy; f = copy.deepcopy
elif impl == "copium":
    import copium; f = copium.deepcopy
else:
    import fastcopy; f = fastcopy.deepcopy
f(CASES[name][1]())                     # warm up caches, then drop the copy
gc.collect()
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
y = f(x)
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"result": current - base, "traced_peak_extra": peak - current,
                  "rss_growth": (rss1 - rss0) * 1024}))
"""


def measure(name, impl):
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", CHILD % {"root": root}, name, impl],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def main(argv):
    names = argv or DEFAULT_CASES
    impls = ["stdlib", "fastcopy"]
    try:
        import copium  # noqa: F401
        impls.insert(1, "copium")
    except ImportError:
        print("copium not installed: skipped")
    print("%-18s %-9s %12s %14s %12s" % ("case", "impl", "result KiB", "traced+ KiB", "RSS+ KiB"))
    for name in names:
        for impl in impls:
            m = measure(name, impl)
            if m is None:
                print("%-18s %-9s failed" % (name, impl))
                continue
            print("%-18s %-9s %12.0f %14.0f %12.0f" % (
                name, impl, m["result"] / 1024, m["traced_peak_extra"] / 1024,
                m["rss_growth"] / 1024))


if __name__ == "__main__":
    main(sys.argv[1:])
