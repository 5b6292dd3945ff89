"""How fastcopy chooses its mode: the environment variables it reads (each
accepts exactly the values listed in ACCEPTED) and the warning given when
the compiled core cannot be imported."""

import os
import sys
import warnings

# Every environment variable fastcopy reads, with the values it accepts
# (documented in the README).  Any other value is warned about and read as
# unset.  Adding a value is one entry here, and the code that acts on it.
ACCEPTED = {
    # "1": the pure-Python twin, even when the compiled core is there.
    "FASTCOPY_PURE": ("", "0", "1"),
    # "1": an ImportError instead of a fall-back to the pure-Python twin.
    "FASTCOPY_REQUIRE_COMPILED": ("", "0", "1"),
    # "1": an interpreter refused the compiled core (another one of the
    # process loaded it) loads a private copy of it (_private_core.py).
    "FASTCOPY_SUBINTERPRETER_CORE": ("", "0", "1"),
    # Read at interpreter start-up (fastcopy-autopatch.pth, _autopatch.py):
    # "1" patches copy.deepcopy, "copy" and "all" copy.copy as well,
    # "verify" (or verify=FRACTION, verify=raise) turns verify mode on;
    # words combine with commas: "verify,copy".
    # (Besides these, a comma-separated list of the words and verify=FRACTION,
    # a number from 0 to 1: see _accepts.)
    "FASTCOPY_AUTOPATCH": ("", "0", "1", "copy", "all", "verify", "verify=raise",
                           "verify=warn"),
}


def _autopatch_word_ok(word):
    if word in ("1", "copy", "all", "verify", "verify=raise", "verify=warn"):
        return True
    if word.startswith("verify="):
        try:
            return 0 <= float(word[len("verify="):]) <= 1
        except ValueError:
            return False
    return False


def _accepts(name, value):
    if value in ACCEPTED[name]:
        return True
    if name == "FASTCOPY_AUTOPATCH":
        return all(_autopatch_word_ok(word) for word in value.split(","))
    return False


def read(name):
    """The value of the environment variable `name` ("" when unset).

    A value that is not one of ACCEPTED[name] is ignored with a
    RuntimeWarning, and read as "".
    """
    value = os.environ.get(name, "")
    accepted = ACCEPTED[name]
    if _accepts(name, value):
        return value
    extra = (" (or verify=FRACTION, and comma-separated lists of them)"
             if name == "FASTCOPY_AUTOPATCH" else "")
    warnings.warn(
        "fastcopy: ignoring %s=%r: accepted values are %s%s"
        % (name, value, ", ".join(repr(v) for v in accepted), extra),
        RuntimeWarning, stacklevel=2)
    return ""


def no_core_message(exc, package_dir):
    """Why the compiled core of the package in `package_dir` could not be
    imported (`exc`), and what to do about it."""
    lines = ["fastcopy: the compiled core could not be imported (%s: %s), so "
             "fastcopy runs in its pure-Python mode, at about the speed of "
             "the copy module." % (type(exc).__name__, exc)]
    if _interpreter_refused(exc):
        lines.append(
            "The compiled core is loaded by one interpreter per process: another "
            "interpreter of this process (a subinterpreter, or the main one) "
            "imported it first, or this interpreter has its own GIL.  Other "
            "interpreters use the pure-Python mode; the copies are the same.")
        lines.append("Set FASTCOPY_SUBINTERPRETER_CORE=1 to give each such "
                     "interpreter a private copy of the compiled core (about "
                     "0.5 MB each, kept until the process exits), or "
                     "FASTCOPY_PURE=1 in them to choose the pure-Python mode "
                     "without this warning.")
        return " ".join(lines)
    others = [name for name in _listdir(package_dir)
              if name.startswith("_core.") and name.endswith((".so", ".pyd"))]
    if others:
        lines.append("%s holds %s, built for another Python or platform."
                     % (package_dir, ", ".join(sorted(others))))
    root = os.path.dirname(package_dir)
    if os.path.exists(os.path.join(root, "src", "_core.pyx")):
        lines.append(
            "fastcopy was imported from its source tree (%s), which has no "
            "built core for this Python: build it there with "
            "`pip install -e .`, or run from another directory to use the "
            "installed package." % package_dir)
        installed = _compiled_copies_elsewhere(package_dir)
        if installed:
            lines.append("An installed fastcopy with a compiled core, hidden "
                         "by the source tree: %s." % ", ".join(installed))
    else:
        lines.append(
            "Reinstall it with `pip install --force-reinstall fastdeepcopy` "
            "(where no wheel fits, that builds the core and needs a C compiler).")
    lines.append("Set FASTCOPY_PURE=1 to choose the pure-Python mode without "
                 "this warning, or FASTCOPY_REQUIRE_COMPILED=1 to make it an error.")
    return " ".join(lines)


def private_core_wanted(exc):
    """Should a private copy of the core be loaded, `exc` being why the
    shared one was not?"""
    return _interpreter_refused(exc) and read("FASTCOPY_SUBINTERPRETER_CORE") == "1"


def no_private_core_message(exc, private_exc):
    """Why neither the shared core (`exc`) nor a private copy of it
    (`private_exc`) could be loaded in this interpreter."""
    return ("fastcopy: the compiled core could not be imported (%s: %s), and "
            "FASTCOPY_SUBINTERPRETER_CORE=1 could not load a private copy of it "
            "(%s: %s), so fastcopy runs in its pure-Python mode, at about the "
            "speed of the copy module; the copies are the same."
            % (type(exc).__name__, exc, type(private_exc).__name__, private_exc))


def _interpreter_refused(exc):
    """Was the core refused because of the interpreter it is imported in?
    (Cython's "Interpreter change detected", or CPython's "does not support
    loading in subinterpreters".)"""
    text = str(exc).lower()
    return "interpreter" in text


def _listdir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def _compiled_copies_elsewhere(package_dir):
    """fastcopy package folders on sys.path, other than `package_dir`, that
    hold a compiled core importable by this Python."""
    # Imported here, not at start-up (the autopatch hook imports this module).
    from importlib.machinery import EXTENSION_SUFFIXES
    found = []
    for entry in sys.path:
        candidate = os.path.join(entry or os.getcwd(), "fastcopy")
        try:
            if os.path.samefile(candidate, package_dir):
                continue
        except OSError:
            continue        # no such folder
        names = _listdir(candidate)
        if any(name == "_core" + suffix for name in names for suffix in EXTENSION_SUFFIXES):
            if candidate not in found:
                found.append(candidate)
    return found
