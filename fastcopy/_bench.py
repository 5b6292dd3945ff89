"""Timing for ``python -m fastcopy bench``: the standard library's
copy.deepcopy, fastcopy.deepcopy, copium.deepcopy and a pickle round trip
(those two when they work here), timed in one process, interleaved
(A B C D A B C D ...), best and median of several rounds.  Only ratios
measured side by side in one run are reported as speed-ups.
"""

import copy
import gc
import math
import pickle
import platform
import statistics
import sys
import time

PEERS = ("stdlib", "fastcopy", "copium", "pickle")


def _pickle_round_trip(x):
    return pickle.loads(pickle.dumps(x, pickle.HIGHEST_PROTOCOL))


def implementations():
    """[(name, function)] of what can be timed here, and {name: why not}."""
    import fastcopy
    impls = [("stdlib", copy.deepcopy), ("fastcopy", fastcopy.deepcopy)]
    missing = {}
    try:
        import copium
        impls.append(("copium", copium.deepcopy))
    except ImportError:
        missing["copium"] = "not installed (pip install copium)"
    impls.append(("pickle", _pickle_round_trip))
    return impls, missing


def _describe(exc):
    text = str(exc).splitlines()[0] if str(exc) else ""
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def _calibrate(func, x, target):
    """How many calls take about `target` seconds (at least 1)."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            func(x)
        elapsed = time.perf_counter() - t0
        if elapsed >= target / 4 or number >= 1 << 20:
            return max(1, round(number * target / max(elapsed, 1e-9)))
        number *= 4


def _time(func, x, number):
    t0 = time.perf_counter()
    for _ in range(number):
        func(x)
    return (time.perf_counter() - t0) / number


def time_case(x, impls, rounds, target, setup=None):
    """Time each implementation on x.  Returns ({name: {"best", "median"}}
    in seconds per copy, {name: error} for those that could not copy x).

    setup: {name: function()} run (untimed) before each timing of that
    implementation - to switch a global mode such as patching or a peer's
    configuration - and before its trial call and calibration."""
    setup = setup or {}

    def prepare(name):
        if name in setup:
            setup[name]()

    working, failed, numbers = [], {}, {}
    for name, func in impls:
        try:
            prepare(name)
            t0 = time.perf_counter()
            func(x)
            elapsed = time.perf_counter() - t0
        except Exception as exc:
            failed[name] = _describe(exc)
        else:
            working.append((name, func))
            if elapsed >= target / 4:       # slow enough: the trial call calibrates
                numbers[name] = max(1, round(target / elapsed))
    for name, func in working:
        if name not in numbers:
            prepare(name)
            numbers[name] = _calibrate(func, x, target)
    samples = {name: [] for name, _ in working}
    gc.collect()
    for _ in range(rounds):
        for name, func in working:          # interleaved
            prepare(name)
            samples[name].append(_time(func, x, numbers[name]))
    times = {name: {"best": min(s), "median": statistics.median(s)}
             for name, s in samples.items()}
    return times, failed


def geometric_mean(values):
    values = [v for v in values if v > 0 and math.isfinite(v)]
    if not values:
        return None
    return math.exp(sum(map(math.log, values)) / len(values))


def run(cases, quick=False, rounds=None, progress=None):
    """Time every (name, description, factory) of cases.  Returns the
    result as a dict (what --json prints)."""
    import fastcopy
    impls, missing = implementations()
    if rounds is None:
        rounds = 5 if quick else 9
    target = 0.002 if quick else 0.01       # seconds per timing
    results = []
    for i, (name, description, factory) in enumerate(cases):
        if progress:
            progress(i, len(cases), name)
        x = factory()
        times, failed = time_case(x, impls, rounds, target)
        speedup = {}
        if "fastcopy" in times:
            ours = times["fastcopy"]["best"]
            for peer in times:
                if peer != "fastcopy":
                    speedup[peer] = times[peer]["best"] / ours
        results.append({"name": name, "description": description, "times": times,
                        "speedup": speedup, "failed": failed})
    overall = {}
    for peer in PEERS:
        if peer != "fastcopy":
            mean = geometric_mean([r["speedup"][peer] for r in results if peer in r["speedup"]])
            if mean is not None:
                overall[peer] = mean
    return {
        "fastcopy": fastcopy.__version__,
        "compiled": fastcopy.__compiled__,
        "python": "%s %s" % (platform.python_implementation(), platform.python_version()),
        "platform": "%s %s" % (platform.system(), platform.machine()),
        "rounds": rounds,
        "quick": quick,
        "implementations": [name for name, _ in impls],
        "missing": missing,
        "cases": results,
        "geometric_mean": overall,
    }


def format_time(seconds):
    if seconds is None:
        return "-"
    if seconds < 1e-6:
        return "%.0f ns" % (seconds * 1e9)
    if seconds < 1e-3:
        return "%.1f us" % (seconds * 1e6)
    if seconds < 1:
        return "%.2f ms" % (seconds * 1e3)
    return "%.2f s" % seconds


def format_table(result):
    peers = [p for p in PEERS if p in result["implementations"]]
    others = [p for p in peers if p != "fastcopy"]
    width = max([len("geometric mean")] + [len(c["name"]) for c in result["cases"]])
    head = "%-*s" % (width, "case") + "".join("%11s" % p for p in peers) + "".join(
        "%12s" % ("vs " + p) for p in others)
    lines = ["fastcopy %s (%s), %s, %s" % (
        result["fastcopy"], "compiled" if result["compiled"] else "pure Python",
        result["python"], result["platform"]), "", head]
    for case in result["cases"]:
        row = "%-*s" % (width, case["name"])
        for p in peers:
            t = case["times"].get(p)
            row += "%11s" % (format_time(t["best"]) if t else "failed" if p in case["failed"]
                             else "-")
        for p in others:
            s = case["speedup"].get(p)
            row += "%12s" % ("%.2fx" % s if s is not None else "-")
        lines.append(row)
    row = "%-*s" % (width, "geometric mean") + " " * 11 * len(peers)
    for p in others:
        s = result["geometric_mean"].get(p)
        row += "%12s" % ("%.2fx" % s if s is not None else "-")
    lines.append(row)
    lines += ["", "Times per copy: best of %d rounds, run interleaved in this process. "
              "'vs X' = X's time / fastcopy's" % result["rounds"],
              "time (above 1: fastcopy is faster). pickle = pickle.loads(pickle.dumps(x))."]
    for case in result["cases"]:
        for peer, error in case["failed"].items():
            lines.append("%s: %s could not copy it (%s)" % (case["name"], peer, error))
    for peer, why in result["missing"].items():
        lines.append("%s: %s" % (peer, why))
    return "\n".join(lines)


def have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def write_chart(result, path):
    """A horizontal bar chart of each case's speed-up over the standard
    library, for fastcopy and the other peers, as SVG (needs matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    peers = [p for p in ("fastcopy", "copium", "pickle") if p in result["implementations"]]
    cases = result["cases"]
    height = 0.8 / len(peers)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(cases) + 1.5))
    for j, peer in enumerate(peers):
        values, positions = [], []
        for i, case in enumerate(cases):
            times = case["times"]
            if peer in times and "stdlib" in times:
                values.append(times["stdlib"]["best"] / times[peer]["best"])
                positions.append(i + (j - (len(peers) - 1) / 2) * height)
        ax.barh(positions, values, height=height, label=peer)
    ax.set_yticks(range(len(cases)))
    ax.set_yticklabels([c["name"] for c in cases])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("speed-up over copy.deepcopy (its time / this one's; log scale)")
    ax.set_title("fastcopy %s, %s" % (result["fastcopy"], result["python"]))
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)


def stderr_progress():
    """A progress function that rewrites one line on stderr, or None when
    stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    state = {"width": 0}

    def progress(i, n, name):
        if name is None:
            sys.stderr.write("\r" + " " * state["width"] + "\r")
        else:
            text = "bench: [%d/%d] %s ..." % (i + 1, n, name)
            sys.stderr.write("\r" + text.ljust(state["width"]))
            state["width"] = len(text)
        sys.stderr.flush()
    return progress
