"""Peak memory of one large copy, per implementation, each in fresh
subprocesses: the peak traced by tracemalloc beyond the result (Python's
allocators only), the size of the result itself (traced memory still held
after the copy), and, in a separate run without tracemalloc, the growth of
the peak RSS (ru_maxrss, which sees every allocator).

    python -m benchmarks.memory [CASE ...]
"""

import json
import subprocess
import sys

# The hook cases show what tracemalloc misses: a memo kept outside Python's
# allocator (copium's, fastcopy's native one) is not traced, a dict memo
# handed to __deepcopy__ hooks is; RSS counts both.  copium hands hooks its
# own memo object unless configured otherwise; "copium-dict" is copium with
# memo="dict", where hooks get a real dict (`type(memo) is dict`), as they do
# from the stdlib and from fastcopy.
DEFAULT_CASES = ["list_atomic_1e5", "dict_atomic_1e5", "json_docs_5000",
                 "shared_1e5", "cycles_1e5", "plain_1e3", "getstate_1e3",
                 "deepcopy_hook_1e3"]

CHILD = r"""
import gc, json, resource, sys, tracemalloc
sys.path.insert(0, %(root)r)
from fastcopy._shapes import CASES
name, impl = sys.argv[1], sys.argv[2]
x = CASES[name][1]()
if impl == "stdlib":
    import copy; f = copy.deepcopy
elif impl == "copium":
    import copium; f = copium.deepcopy
elif impl == "copium-dict":
    import copium; copium.config.apply(memo="dict"); f = copium.deepcopy
else:
    import fastcopy; f = fastcopy.deepcopy
f([{"warm": [1, (2,)]}, CASES["plain_1"][1]()])   # imports and caches, small
gc.collect()
if sys.argv[3] == "rss":
    # Without tracemalloc, whose own bookkeeping would show in the RSS.
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    y = f(x)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rss_growth": (rss1 - rss0) * 1024}))
else:
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    y = f(x)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"result": current - base, "traced_peak_extra": peak - current}))
"""


def measure(name, impl):
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = {}
    for what in ("traced", "rss"):
        out = subprocess.run([sys.executable, "-c", CHILD % {"root": root}, name, impl, what],
                             capture_output=True, text=True)
        if out.returncode != 0:
            return None
        result.update(json.loads(out.stdout))
    return result


def main(argv):
    names = argv or DEFAULT_CASES
    impls = ["stdlib", "fastcopy"]
    try:
        import copium  # noqa: F401
        impls[1:1] = ["copium", "copium-dict"]
    except ImportError:
        print("copium not installed: skipped")
    print("%-18s %-12s %12s %14s %12s" % ("case", "impl", "result KiB", "traced+ KiB", "RSS+ KiB"))
    for name in names:
        for impl in impls:
            m = measure(name, impl)
            if m is None:
                print("%-18s %-12s failed" % (name, impl))
                continue
            print("%-18s %-12s %12.0f %14.0f %12.0f" % (
                name, impl, m["result"] / 1024, m["traced_peak_extra"] / 1024,
                m["rss_growth"] / 1024))


if __name__ == "__main__":
    main(sys.argv[1:])
