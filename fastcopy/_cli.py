"""python -m fastcopy (and the ``fastcopy`` command): info, bench, check,
explain.  See ``python -m fastcopy COMMAND --help``."""

import argparse
import copy
import functools
import importlib
import json
import os
import pickle
import platform
import sys
import sysconfig
import types


class UsageError(Exception):
    """Bad input: printed as one line on stderr, exit status 2."""


def _describe(exc):
    text = str(exc).strip().splitlines()
    return "%s: %s" % (type(exc).__name__, text[0]) if text else type(exc).__name__


# -- targets ------------------------------------------------------------------

_CALLED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
           functools.partial, type)


def load_target(args):
    """(object, label) for a command's TARGET or --pickle FILE."""
    if args.pickle is not None:
        if args.target is not None:
            raise UsageError("give a TARGET or --pickle FILE, not both")
        if not args.allow_pickle:
            raise UsageError("unpickling %s runs any code the file contains: pass "
                             "--allow-pickle if you trust it" % args.pickle)
        try:
            with open(args.pickle, "rb") as f:
                return pickle.load(f), args.pickle
        except OSError as exc:
            raise UsageError("cannot read %s: %s" % (args.pickle, exc.strerror or exc)) from None
        except Exception as exc:
            raise UsageError("cannot unpickle %s: %s" % (args.pickle, _describe(exc))) from None
    spec = args.target
    if spec is None:
        raise UsageError("give a TARGET (module:attribute) or --pickle FILE")
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise UsageError("TARGET must be module:attribute (such as myapp.config:DEFAULTS), "
                         "not %r" % spec)
    # Like `python -m`: modules in the current directory can be named.
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name) and module_name[len(exc.name):][:1] in ("", "."):
            raise UsageError("cannot import %s: no module named %r" % (module_name, exc.name)) from None
        raise UsageError("importing %s raised %s" % (module_name, _describe(exc))) from None
    except Exception as exc:
        raise UsageError("importing %s raised %s" % (module_name, _describe(exc))) from None
    where = module_name
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError("%s has no attribute %r" % (where, part)) from None
        where += (":" if where == module_name else ".") + part
    if isinstance(obj, _CALLED):
        try:
            obj = obj()
        except Exception as exc:
            raise UsageError("calling %s() raised %s" % (spec, _describe(exc))) from None
    return obj, spec


def _add_target(parser, required=True):
    parser.add_argument(
        "target", nargs="?", metavar="TARGET",
        help="module:attribute, the object to copy (a function or class there is "
             "called with no arguments and what it returns is copied)%s" % (
                 "" if required else "; without it, the built-in corpus"))
    parser.add_argument("--pickle", metavar="FILE",
                        help="copy the object pickled in FILE instead (needs --allow-pickle)")
    parser.add_argument("--allow-pickle", action="store_true",
                        help="allow --pickle: unpickling runs any code the file contains")


def _stdlib_copy(obj, label):
    try:
        return copy.deepcopy(obj)
    except Exception as exc:
        raise UsageError("copy.deepcopy cannot copy %s: %s" % (label, _describe(exc))) from None


# -- info -----------------------------------------------------------------------

def _build_info():
    """What setup.py recorded about the compiled core's build, or None."""
    import fastcopy
    if not fastcopy.__compiled__:
        return None
    from fastcopy import _core
    path = os.path.splitext(_core.__file__)[0] + ".build.json"
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def internals_read(compiled):
    """What private CPython layout the compiled core reads on this Python."""
    if not compiled:
        return ["none: the pure-Python twin runs"]
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return ["none: a free-threaded build (dicts read with PyDict_Next; the core turns "
                "the GIL back on when imported)"]
    version = sys.version_info[:2]
    out = []
    if (3, 10) <= version <= (3, 15):
        out.append("the layout of dict keys objects, mirrored for %d.%d, to scan a dict's "
                   "entries in place" % version)
    if (3, 11) <= version <= (3, 15):
        out.append("managed dicts and inline values: whether an instance's own attributes "
                   "(kept inline) hold __deepcopy__, read through its class's shared keys")
    return out or ["none: this Python is outside 3.10-3.15, the core uses public API only"]


def _autopatch_file():
    import site
    dirs = list(getattr(site, "getsitepackages", lambda: [])())
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user:
        dirs.append(user)
    for d in dirs:
        path = os.path.join(d, "fastcopy-autopatch.pth")
        if os.path.exists(path):
            return path
    return None


def cmd_info(args):
    import fastcopy
    from fastcopy import _patch
    print("fastcopy %s" % fastcopy.__version__)
    if fastcopy.__compiled__:
        from fastcopy import _core
        print("mode: compiled core (%s)" % _core.__file__)
    elif os.environ.get("FASTCOPY_PURE", "") not in ("", "0"):
        print("mode: pure Python, because FASTCOPY_PURE=%s is set"
              % os.environ["FASTCOPY_PURE"])
    else:
        print("mode: pure Python, because the compiled core could not be imported: %s"
              % fastcopy._core_import_error)
    build = _build_info()
    if build:
        print("build: %s" % build.get("kind", "?") + "".join(
            ", %s %s" % (k, build[k]) for k in ("compiler", "cython") if build.get(k)))
    elif fastcopy.__compiled__:
        print("build: not recorded")
    print("python: %s %s (%s), %s" % (
        platform.python_implementation(), platform.python_version(),
        sys.executable, "free-threaded" if sysconfig.get_config_var("Py_GIL_DISABLED")
        else "with the GIL"))
    items = internals_read(fastcopy.__compiled__)
    print("CPython internals read by the core: " + items[0])
    for item in items[1:]:
        print("  and " + item)
    setting = _patch.verify_setting()
    print("patched: copy.deepcopy %s, copy.copy %s; verify mode %s" % (
        "yes" if fastcopy.is_patched() else "no",
        "yes" if _patch._is_patched(_patch._COPY) else "no",
        "off" if setting is None else "on (%s, %s on a difference)" % (
            "every call" if setting[0] >= 1 else "%g of the calls" % setting[0],
            "raise" if setting[1] == "raise" else "warn")))
    value = os.environ.get("FASTCOPY_AUTOPATCH")
    pth = _autopatch_file()
    if value in (None, "", "0"):
        print("FASTCOPY_AUTOPATCH: not set (set it to 1, copy, verify, ... to patch at "
              "start-up)")
    else:
        print("FASTCOPY_AUTOPATCH=%s" % value)
    print("start-up file: %s" % (pth or "fastcopy-autopatch.pth not installed (an editable "
                                        "install has none): FASTCOPY_AUTOPATCH has no effect"))
    return 0


# -- bench ----------------------------------------------------------------------

def cmd_bench(args):
    from fastcopy import _bench
    if args.chart and not _bench.have_matplotlib():
        raise UsageError("--chart needs matplotlib: pip install \"fastdeepcopy[chart]\" "
                         "(or pip install matplotlib)")
    if args.rounds is not None and args.rounds < 1:
        raise UsageError("--rounds must be at least 1")
    if args.target is not None or args.pickle is not None:
        obj, label = load_target(args)
        _stdlib_copy(obj, label)
        cases = [(label, "your object", lambda: obj)]
    else:
        from fastcopy._shapes import DEFAULT_BENCH as CASES
        cases = CASES
    progress = _bench.stderr_progress()
    result = _bench.run(cases, quick=args.quick, rounds=args.rounds, progress=progress)
    if progress:
        progress(0, 0, None)
    if "fastcopy" not in result["cases"][0]["times"] and len(cases) == 1:
        raise UsageError("fastcopy.deepcopy cannot copy %s: %s (run the check command)"
                         % (cases[0][0], result["cases"][0]["failed"]["fastcopy"]))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(_bench.format_table(result))
    if args.chart:
        _bench.write_chart(result, args.chart)
        if not args.json:
            print("chart written to %s" % args.chart)
    return 0


# -- check ----------------------------------------------------------------------

def cmd_check(args):
    import fastcopy
    from fastcopy import _bench
    from fastcopy._compare import compare
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    obj, label = load_target(args)
    theirs = _stdlib_copy(obj, label)
    try:
        ours = fastcopy.deepcopy(obj)
    except Exception as exc:
        print("FAIL %s: fastcopy.deepcopy raised %s where copy.deepcopy made a copy"
              % (label, _describe(exc)))
        return 1
    result = compare(obj, ours, theirs, limit=args.limit)
    if not result:
        print("FAIL %s: fastcopy.deepcopy differs from copy.deepcopy (%s):" % (
            label, "the first %d differences" % args.limit
            if len(result.differences) >= args.limit else
            "%d difference%s" % (len(result.differences),
                                 "s" if len(result.differences) > 1 else "")))
        for diff in result.differences:
            print("  %s: %s" % (diff.path, diff.message))
        return 1
    impls = [("stdlib", copy.deepcopy), ("fastcopy", fastcopy.deepcopy)]
    times, _ = _bench.time_case(obj, impls, rounds=7, target=0.03)
    std, ours_t = times["stdlib"]["best"], times["fastcopy"]["best"]
    print("PASS %s: fastcopy.deepcopy gives the same copy as copy.deepcopy" % label)
    print("  %d places compared: types, values, shared references and cycles, nothing "
          "mutable shared with the original" % result.objects)
    print("  %.1fx faster: %s per copy, copy.deepcopy %s (best of 7 interleaved rounds)"
          % (std / ours_t, _bench.format_time(ours_t), _bench.format_time(std)))
    return 0


# -- explain --------------------------------------------------------------------

def cmd_explain(args):
    import fastcopy
    obj, label = load_target(args)
    _stdlib_copy(obj, label)
    try:
        report = fastcopy.explain(obj)
    except Exception as exc:
        raise UsageError("fastcopy.deepcopy cannot copy %s: %s" % (label, _describe(exc))) from None
    print("%s:" % label)
    print(report)
    return 0


# -- main -----------------------------------------------------------------------

def build_parser(prog):
    parser = argparse.ArgumentParser(
        prog=prog, description="fastcopy: a fast, drop-in copy.deepcopy. See how much "
        "faster it is on your data, check that it copies your data like the standard "
        "library, and find what keeps copies slow.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("info", help="version, compiled or pure, Python, patching state",
                       description="Show fastcopy's version, whether the compiled core "
                       "runs (and why not), the build, the Python, which CPython internals "
                       "the core reads here, and whether copy.deepcopy/copy.copy are "
                       "patched.")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("bench", help="time copy.deepcopy and fastcopy side by side",
                       description="Time copy.deepcopy, fastcopy.deepcopy, copium.deepcopy "
                       "(when installed) and a pickle round trip side by side, interleaved, "
                       "on a built-in corpus of typical data or on your own object, and "
                       "print the times and speed-ups.")
    _add_target(p, required=False)
    p.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    p.add_argument("--rounds", type=int, help="rounds per case (default 9, 5 with --quick)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--chart", metavar="FILE.svg",
                   help="also draw the speed-ups as an SVG chart (needs matplotlib: "
                        "pip install \"fastdeepcopy[chart]\")")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("check", help="compare fastcopy's copy of an object with the stdlib's",
                       description="Deep-copy TARGET with copy.deepcopy and with fastcopy and "
                       "compare the copies as structures: types, values, the pattern of "
                       "shared references and cycles, nothing mutable shared with the "
                       "original. Prints PASS and the speed-up (exit 0), or each place where "
                       "they differ (exit 1).")
    _add_target(p)
    p.add_argument("--limit", type=int, default=20,
                   help="report at most this many differences (default 20)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("explain", help="how each object of a graph is copied, and what is slow",
                       description="Show how fastcopy copies each object of TARGET (native "
                       "container, native instance, reduce protocol, __deepcopy__ hook, ...), "
                       "counts and an estimate of the share of time per type, and what keeps "
                       "the copy on slow paths.")
    _add_target(p)
    p.set_defaults(func=cmd_explain)
    return parser


def main(argv=None, prog=None):
    if prog is None:
        name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
        prog = "python -m fastcopy" if name in ("", "__main__.py", "-c") else name
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if args.command != "info":
        # Time and compare against the standard library itself, even when
        # FASTCOPY_AUTOPATCH patched this process at start-up.
        import fastcopy
        fastcopy.unpatch()
    try:
        return args.func(args)
    except UsageError as exc:
        print("%s: error: %s" % (prog, exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`fastcopy info | head`): stop quietly, and
        # keep the interpreter from complaining when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
