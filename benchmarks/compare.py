"""Side-by-side comparison over the benchmark corpus (benchmarks/corpus.py):
the stdlib's copy.deepcopy, copium (default native memo, and configured with
memo="dict") and fastcopy, timed in one process, interleaved (A B C D A B C D
...), best of several rounds.  Prints a row per case, a summary per category
and overall, and writes them to benchmarks/RESULTS.md (a section per Python
version) with --write.

    python -m benchmarks.compare [--rounds N] [--quick] [--only SUBSTR[,...]]
                                 [--category SUBSTR[,...]] [--patched] [--pickle]
                                 [--write] [--output PATH]

Columns: `stdlib`, `copium`, `cp-dict` (copium with copium.config.apply(memo=
"dict")), `fastcopy`: times per copy; `vs std`, `vs cop`, `vs cpd`: the
other's time over fastcopy's (above 1: fastcopy is faster).  Cases of the
"library code (patched)" category run library code that calls copy.deepcopy,
with copy.deepcopy left alone (stdlib), patched by copium
(copium.patch.enable(), native or dict memo) and patched by fastcopy
(fastcopy.patch()); --patched runs every selected case that way, through
copy.deepcopy.  A case that needs a package which is not installed is
skipped with the reason; an implementation that cannot copy a case is shown
as failed and left out of the ratios.  copium runs with
on_incompatible="silent" (no warning when a hook rejects its native memo).
"""

import argparse
import copy
import os
import pickle
import platform
import re
import sys
import time

from benchmarks.corpus import CATEGORIES, PATCHED, Skip, select
from fastcopy._bench import format_time, geometric_mean, time_case

HERE = os.path.dirname(os.path.abspath(__file__))

LABELS = ("stdlib", "copium", "cp-dict", "fastcopy")
BELOW = 0.95        # a case below this ratio to copium is reported


# -- implementations and modes ------------------------------------------------

def _copium():
    try:
        import copium
        import copium.config
        import copium.patch
    except ImportError:
        return None
    return copium


def _reset():
    """copy.deepcopy unpatched, copium with its default (native) memo."""
    import fastcopy
    fastcopy.unpatch()
    cp = _copium()
    if cp is not None:
        cp.patch.disable()
        cp.config.apply(memo="native", on_incompatible="silent")


def _copium_memo(memo):
    def setup():
        _reset()
        if memo != "native":
            _copium().config.apply(memo=memo)
    return setup


def _copium_patched(memo):
    def setup():
        _copium_memo(memo)()
        _copium().patch.enable()
    return setup


def _fastcopy_patched():
    import fastcopy
    _reset()
    fastcopy.patch()


def _pickle_round_trip(x):
    return pickle.loads(pickle.dumps(x, pickle.HIGHEST_PROTOCOL))


def _via_copy_module(x):
    return copy.deepcopy(x)


def implementations(call=None, with_pickle=False):
    """([(label, function of x)], {label: setup}, [missing peers]) for a
    direct case (call None) or library code run under each patch mode."""
    import fastcopy
    cp = _copium()
    missing = [] if cp is not None else ["copium"]
    if call is None:
        impls = [("stdlib", copy.deepcopy)]
        if cp is not None:
            impls += [("copium", cp.deepcopy), ("cp-dict", cp.deepcopy)]
        impls.append(("fastcopy", fastcopy.deepcopy))
        if with_pickle:
            impls.append(("pickle", _pickle_round_trip))
        setup = {label: _reset for label, _ in impls}
        if cp is not None:
            setup["copium"] = _copium_memo("native")
            setup["cp-dict"] = _copium_memo("dict")
        return impls, setup, missing
    labels = ["stdlib"] + (["copium", "cp-dict"] if cp is not None else []) + ["fastcopy"]
    impls = [(label, call) for label in labels]
    setup = {"stdlib": _reset, "fastcopy": _fastcopy_patched}
    if cp is not None:
        setup["copium"] = _copium_patched("native")
        setup["cp-dict"] = _copium_patched("dict")
    return impls, setup, missing


def floor_for(x):
    """list.copy()/dict.copy(): the floor for a container of atomic values."""
    atomic = (int, str, float, type(None), bool)
    if type(x) is list and x and all(type(i) in atomic for i in x):
        return x.copy
    if type(x) is dict and x and all(type(v) in atomic for v in x.values()):
        return x.copy
    return None


# -- running ------------------------------------------------------------------

class Row:
    def __init__(self, case, times, failed, patched):
        self.name = case.name
        self.category = case.category
        self.times = times          # {label: seconds per copy, best of the rounds}
        self.failed = failed        # {label: error}
        self.patched = patched

    def ratio(self, peer):
        """peer's time over fastcopy's, or None."""
        if peer in self.times and "fastcopy" in self.times:
            return self.times[peer] / self.times["fastcopy"]
        return None


def run_case(case, rounds, target, patched=False, with_pickle=False):
    x = case.factory()
    call = case.call
    if call is None and patched:
        call = _via_copy_module
    impls, setup, _ = implementations(call, with_pickle and call is None)
    try:
        times, failed = time_case(x, impls, rounds, target, setup)
        if call is None:
            floor = floor_for(x)
            if floor is not None:
                ftimes, _ = time_case(x, [("floor", lambda _x, _f=floor: _f())], rounds, target)
                times.update(ftimes)
    finally:
        _reset()
    best = {label: t["best"] for label, t in times.items()}
    return Row(case, best, failed, call is not None)


def run(rounds, only=None, category=None, quick=False, patched=False, with_pickle=False,
        target=None, out=print):
    """Time the selected cases.  Returns (rows, {skipped case: reason})."""
    if target is None:
        target = 0.002 if quick else 0.01
    rows, skipped = [], {}
    current = None
    for case in select(only, category):
        if case.category != current:
            current = case.category
            out("-- %s" % current)
        try:
            row = run_case(case, rounds, target, patched, with_pickle)
        except Skip as exc:
            skipped[case.name] = str(exc)
            out("%-30s skipped: %s" % (case.name, exc))
            continue
        rows.append(row)
        out(format_row(row, with_pickle))
    return rows, skipped


# -- reporting ----------------------------------------------------------------

def _fmt_ratio(r, width=7):
    return ("%*.2fx" % (width - 1, r)) if r is not None else "%*s" % (width, "-")


def _fmt_t(row, label):
    if label in row.times:
        return format_time(row.times[label])
    return "failed" if label in row.failed else "-"


def header(with_pickle=False):
    cols = LABELS + (("pickle",) if with_pickle else ()) + ("floor",)
    return ("%-30s" % "case" + "".join("%10s" % c for c in cols)
            + "%8s%8s%8s" % ("vs std", "vs cop", "vs cpd"))


def format_row(row, with_pickle=False):
    cols = LABELS + (("pickle",) if with_pickle else ()) + ("floor",)
    name = row.name + (" [p]" if row.patched and row.category != PATCHED else "")
    return ("%-30s" % name + "".join("%10s" % _fmt_t(row, c) for c in cols)
            + _fmt_ratio(row.ratio("stdlib"), 8) + _fmt_ratio(row.ratio("copium"), 8)
            + _fmt_ratio(row.ratio("cp-dict"), 8))


def _geo(rows, peer):
    return geometric_mean([r.ratio(peer) for r in rows if r.ratio(peer) is not None])


def summarize(rows):
    """Lines: a table per category, then the overall figures and the cases
    below BELOW x copium (and copium memo=dict)."""
    lines = ["%-24s %5s %9s %9s %9s   %s" % ("category", "cases", "vs std", "vs cop", "vs cpd",
                                              "slowest vs copium")]

    def fmt(v):
        return "%8.2fx" % v if v is not None else "%9s" % "-"

    for cat in CATEGORIES:
        group = [r for r in rows if r.category == cat]
        if not group:
            continue
        with_cop = [r for r in group if r.ratio("copium") is not None]
        worst = min(with_cop, key=lambda r: r.ratio("copium")) if with_cop else None
        lines.append("%-24s %5d %s %s %s   %s" % (
            cat, len(group), fmt(_geo(group, "stdlib")), fmt(_geo(group, "copium")),
            fmt(_geo(group, "cp-dict")),
            "%s %.2fx" % (worst.name, worst.ratio("copium")) if worst else "-"))
    lines.append("%-24s %5d %s %s %s" % ("overall", len(rows), fmt(_geo(rows, "stdlib")),
                                         fmt(_geo(rows, "copium")), fmt(_geo(rows, "cp-dict"))))
    lines.append("")
    for peer, title in (("copium", "copium"), ("cp-dict", "copium memo=dict")):
        below = sorted((r for r in rows if r.ratio(peer) is not None and r.ratio(peer) < BELOW),
                       key=lambda r: r.ratio(peer))
        lines.append("%d of %d cases below %.2fx %s%s" % (
            len(below), sum(r.ratio(peer) is not None for r in rows), BELOW, title,
            ":" if below else ""))
        for r in below:
            lines.append("  %-30s %-24s %.2fx" % (r.name, r.category, r.ratio(peer)))
    failed = [(r.name, label, err) for r in rows for label, err in r.failed.items()]
    for name, label, err in failed:
        lines.append("%s: %s could not copy it (%s)" % (name, label, err))
    return lines


def versions():
    import fastcopy
    out = {"python": sys.version.split()[0]}
    kind = "pure"
    if fastcopy.__compiled__:
        from fastcopy._cli import _build_info
        kind = "compiled, %s" % ((_build_info() or {}).get("kind") or "build unknown")
    out["fastcopy"] = "%s (%s)" % (fastcopy.__version__, kind)
    try:
        import subprocess
        out["commit"] = subprocess.run(
            ["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True,
            text=True, timeout=10).stdout.strip() or "unknown"
    except Exception:
        out["commit"] = "unknown"
    try:
        from importlib.metadata import version
        out["copium"] = version("copium")
    except Exception:
        out["copium"] = "not installed"
    return out


def section_title():
    return "## Corpus, Python %d.%d" % sys.version_info[:2]


def write_results(rows, skipped, path, args, elapsed):
    """Put this run's section into RESULTS.md, replacing the section of the
    same Python version if there is one."""
    v = versions()
    cmd = " ".join(["python -m benchmarks.compare"] + args.argv)
    body = [
        section_title(),
        "",
        "`%s` (%d interleaved rounds, best of each; %.0f s)." % (cmd.strip(), args.rounds, elapsed),
        "",
        "- machine: %s, %s, %d cores" % (platform.machine(), platform.platform(), os.cpu_count()),
        "- Python %s; fastcopy %s; copium %s" % (v["python"], v["fastcopy"], v["copium"]),
        "- date: %s; commit %s" % (time.strftime("%Y-%m-%d"), v["commit"]),
    ]
    if skipped:
        body.append("- skipped: " + "; ".join("%s (%s)" % kv for kv in skipped.items()))
    body += ["", "```"] + summarize(rows) + ["```", "", "<details><summary>every case</summary>",
                                             "", "```", header(args.pickle)]
    current = None
    for r in rows:
        if r.category != current:
            current = r.category
            body.append("-- " + current)
        body.append(format_row(r, args.pickle))
    body += ["```", "", "</details>", ""]
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    pattern = re.compile(r"^%s\n.*?(?=^## |\Z)" % re.escape(section_title()), re.M | re.S)
    section = "\n".join(body) + "\n"
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 7, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="short timing loops, 3 rounds")
    parser.add_argument("--target", type=float, default=None,
                        help="seconds per timing of one implementation (default 0.01, --quick 0.002)")
    parser.add_argument("--only", help="the cases whose name contains this "
                        "(or any of several, comma-separated)")
    parser.add_argument("--category", help="the cases whose category contains this "
                        "(or any of several, comma-separated)")
    parser.add_argument("--patched", action="store_true",
                        help="run every case through copy.deepcopy, patched by each peer")
    parser.add_argument("--pickle", action="store_true", help="also time a pickle round trip")
    parser.add_argument("--write", action="store_true",
                        help="write this Python's section of RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help=argparse.SUPPRESS)  # the default
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.rounds is None:
        args.rounds = 3 if args.quick else 7
    if args.list:
        for case in select(args.only, args.category):
            print("%-30s %s" % (case.name, case.category))
        return
    _, _, missing = implementations()
    if missing:
        print("not installed, skipped: %s" % ", ".join(missing))
    import fastcopy
    print("fastcopy %s from %s; Python %s" % (versions()["fastcopy"],
                                              os.path.dirname(fastcopy.__file__),
                                              sys.version.split()[0]))
    print(header(args.pickle), flush=True)
    t0 = time.perf_counter()
    rows, skipped = run(args.rounds, args.only, args.category, args.quick, args.patched,
                        args.pickle, args.target, out=lambda s: print(s, flush=True))
    elapsed = time.perf_counter() - t0
    print()
    for line in summarize(rows):
        print(line)
    print("%d cases in %.0f s" % (len(rows), elapsed))
    if args.write:
        write_results(rows, skipped, args.output, args, elapsed)
        print("written to", args.output)


if __name__ == "__main__":
    main()
