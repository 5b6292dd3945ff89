"""Side-by-side comparison: stdlib copy.deepcopy, copium, pickle round trip and
fastcopy, timed in one process, interleaved (A B C D A B C D ...), best of
several rounds.  Prints a table of times and ratios and writes it, with the
machine, Python and versions, to benchmarks/RESULTS.md.

    python -m benchmarks.compare [--rounds N] [--quick] [--only SUBSTR[,SUBSTR...]] [--no-write]

A peer that is not installed (copium) is skipped, and the table says so.
"""

import argparse
import copy
import gc
import math
import os
import pickle
import platform
import sys
import time
import tracemalloc

from fastcopy._shapes import CASES

HERE = os.path.dirname(os.path.abspath(__file__))


def implementations():
    import fastcopy
    impls = {"stdlib": copy.deepcopy}
    missing = []
    try:
        import copium
        impls["copium"] = copium.deepcopy
    except ImportError:
        missing.append("copium")
    impls["pickle"] = lambda x: pickle.loads(pickle.dumps(x, pickle.HIGHEST_PROTOCOL))
    impls["fastcopy"] = fastcopy.deepcopy
    return impls, missing


def floor_for(x):
    """list.copy()/dict.copy(): the floor for a container of atomic values."""
    if type(x) is list and all(type(i) in (int, str, float) for i in x):
        return x.copy
    if type(x) is dict and all(type(v) in (int, str, float) for v in x.values()):
        return x.copy
    return None


def calibrate(func, x, target=0.02):
    """Number of calls that take about `target` seconds."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            func(x)
        elapsed = time.perf_counter() - t0
        if elapsed >= target or number >= 1 << 20:
            return max(1, int(number * target / max(elapsed, 1e-9)))
        number *= 4


def time_once(func, x, number):
    t0 = time.perf_counter()
    for _ in range(number):
        func(x)
    return (time.perf_counter() - t0) / number


def traced_overhead(func, x):
    """Peak traced memory during one copy beyond what its result keeps."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        y = func(x)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del y
    return max(0, peak - current), max(1, current - base)


def run(rounds, only=None, quick=False):
    impls, missing = implementations()
    rows = []
    for name, (category, factory) in CASES.items():
        if only and not any(part in name for part in only.split(",")):
            continue
        x = factory()
        funcs = dict(impls)
        floor = floor_for(x)
        if floor is not None:
            funcs["floor"] = lambda _x, _f=floor: _f()
        # Check the peers agree before timing them.
        failed = set()
        for label, f in funcs.items():
            try:
                f(x)
            except Exception:
                failed.add(label)
        funcs = {k: v for k, v in funcs.items() if k not in failed}
        target = 0.005 if quick else 0.02
        numbers = {k: calibrate(f, x, target) for k, f in funcs.items()}
        best = {k: math.inf for k in funcs}
        gc.collect()
        for _ in range(rounds):
            for label, f in funcs.items():          # interleaved
                best[label] = min(best[label], time_once(f, x, numbers[label]))
        mem = {}
        for label in ("copium", "fastcopy", "stdlib"):
            if label in funcs:
                mem[label] = traced_overhead(funcs[label], x)
        rows.append((name, category, best, mem, failed))
        print(format_row(name, best, mem), flush=True)
    return rows, missing


def _fmt_time(t):
    if t == math.inf:
        return "-"
    if t < 1e-6:
        return "%.0f ns" % (t * 1e9)
    if t < 1e-3:
        return "%.2f us" % (t * 1e6)
    return "%.2f ms" % (t * 1e3)


def format_row(name, best, mem):
    fc = best["fastcopy"]
    parts = ["%-22s" % name]
    for label in ("stdlib", "copium", "pickle", "fastcopy", "floor"):
        parts.append("%10s" % _fmt_time(best.get(label, math.inf)))
    parts.append("%7.1fx" % (best["stdlib"] / fc))
    parts.append("%6.2fx" % (best["copium"] / fc) if "copium" in best else "     -")
    parts.append("%6.2fx" % (fc / best["floor"]) if "floor" in best else "     -")
    fo, size = mem.get("fastcopy", (0, 1))
    co = mem.get("copium", (None, 1))[0]
    parts.append("%6.1f%%" % (100.0 * fo / size))
    parts.append("%6.1f%%" % (100.0 * co / size) if co is not None else "     -")
    return " ".join(parts)


HEADER = ("%-22s" % "case" + " %10s" * 5 % ("stdlib", "copium", "pickle", "fastcopy", "floor")
          + " %8s %7s %7s %7s %7s" % ("vs std", "vs cop", "/floor", "fc mem", "cp mem"))


def geomean(values):
    values = [v for v in values if v > 0 and v != math.inf]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def summary(rows):
    vs_std = geomean([r[2]["stdlib"] / r[2]["fastcopy"] for r in rows])
    cop = [r[2]["copium"] / r[2]["fastcopy"] for r in rows if "copium" in r[2]]
    lines = ["geometric mean speed-up vs stdlib: %.1fx" % vs_std]
    if cop:
        worst = min(rows, key=lambda r: r[2].get("copium", math.inf) / r[2]["fastcopy"])
        lines.append("geometric mean vs copium: %.2fx (slowest case: %s at %.2fx)" % (
            geomean(cop), worst[0], worst[2]["copium"] / worst[2]["fastcopy"]))
    return lines


def versions():
    out = {"python": sys.version.split()[0]}
    import fastcopy
    out["fastcopy"] = "%s (%s)" % (fastcopy.__version__,
                                   "compiled" if fastcopy.__compiled__ else "pure")
    try:
        from importlib.metadata import version
        out["copium"] = version("copium")
    except Exception:
        out["copium"] = "not installed"
    return out


def write_results(rows, missing, path, rounds):
    v = versions()
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks.compare` (%d interleaved rounds, best of each)." % rounds,
        "Times are per copy; `vs std` and `vs cop` are how many times faster fastcopy is",
        "than the stdlib and copium; `/floor` is fastcopy's time over `list.copy()` /",
        "`dict.copy()` for containers of atomic values; `fc mem` / `cp mem` are the peak",
        "traced memory (tracemalloc) during one copy beyond the size of its result, as a",
        "share of that size, for fastcopy and copium.",
        "",
        "- machine: %s, %s, %d cores" % (platform.machine(), platform.platform(), os.cpu_count()),
        "- Python %s; fastcopy %s; copium %s" % (v["python"], v["fastcopy"], v["copium"]),
    ]
    if missing:
        lines.append("- not installed, skipped: %s" % ", ".join(missing))
    lines += ["", "```", HEADER]
    lines += [format_row(r[0], r[2], r[3]) for r in rows]
    lines += ["```", ""] + ["- " + s for s in summary(rows)] + [""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="shorter timing loops")
    parser.add_argument("--only", help="run the cases whose name contains this "
                        "(or any of several, comma-separated)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args(argv)
    _, missing = implementations()
    if missing:
        print("not installed, skipped: %s" % ", ".join(missing))
    print(HEADER)
    rows, missing = run(args.rounds, args.only, args.quick)
    for line in summary(rows):
        print(line)
    if not args.no_write and not args.only:
        write_results(rows, missing, args.output, args.rounds)
        print("written to", args.output)


if __name__ == "__main__":
    main()
