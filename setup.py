"""Build script for the fastcopy._core extension.

Options for `python setup.py build_ext` (or environment variables for
`pip install .`):
  --cython-always        regenerate the C file even if it looks up to date
  --cython-annotate      write an HTML annotation next to each .pyx
  --cython-directives    comma-separated Cython directives, e.g. linetrace=True
  FASTCOPY_DEBUG=1       debug build: asserts on, -O0 -g, Cython linetrace
  FASTCOPY_SANITIZE=address,undefined
                         build with AddressSanitizer / UndefinedBehaviorSanitizer
                         (run with LD_PRELOAD of the sanitizer runtime; see README)
  FASTCOPY_PGO=0         no profile-guided build (by default, a gcc build is
                         profile-guided: see build_ext.build_extension); =1
                         makes a failure of the profile-guided build an error
                         instead of a fallback to a plain build
  FASTCOPY_STRIP=0       keep the debug information in an optimised build
                         (by default it is stripped at link time, -Wl,-S:
                         the interpreter's CFLAGS usually carry -g, which
                         made the module about 1.3 MB instead of ~0.2 MB;
                         the symbol table stays, so profilers still name
                         the functions).  Debug and sanitizer builds keep it.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext as _build_ext
from setuptools.command.build_py import build_py as _build_py

DEBUG = os.environ.get("FASTCOPY_DEBUG", "") not in ("", "0")
SANITIZE = os.environ.get("FASTCOPY_SANITIZE", "")
PGO = os.environ.get("FASTCOPY_PGO", "auto")
STRIP = os.environ.get("FASTCOPY_STRIP", "1") != "0"
HERE = os.path.dirname(os.path.abspath(__file__))


def _compile_flags():
    if os.name == "nt":
        return ["/O2"]
    flags = ["-O0", "-g3", "-UNDEBUG"] if DEBUG else ["-O3"]
    if SANITIZE:
        flags += ["-fsanitize=" + SANITIZE, "-fno-omit-frame-pointer", "-g"]
    return flags


def _link_flags():
    if os.name == "nt":
        return []       # MSVC keeps debug information in a separate .pdb
    if SANITIZE:
        return ["-fsanitize=" + SANITIZE]
    if DEBUG or not STRIP:
        return []
    # -S: strip debug information, keep the symbol table (GNU ld, lld and
    # Apple's ld64 all read it so).
    return ["-Wl,-S"]


class build_ext(_build_ext):
    user_options = _build_ext.user_options + [
        ("cython-always", None, "run cythonize() even if .c files are present"),
        ("cython-annotate", None, "produce a colorized HTML version of the source"),
        ("cython-directives=", None, "Cython compiler directives"),
    ]
    boolean_options = _build_ext.boolean_options + ["cython-always", "cython-annotate"]

    def initialize_options(self):
        super().initialize_options()
        self.cython_always = False
        self.cython_annotate = bool(os.environ.get("FASTCOPY_CYTHON_ANNOTATE"))
        self.cython_directives = os.environ.get("FASTCOPY_CYTHON_DIRECTIVES")

    def finalize_options(self):
        from Cython.Build import cythonize

        directives = {}
        if self.cython_directives:
            for item in self.cython_directives.split(","):
                name, _, value = item.partition("=")
                directives[name.strip()] = value.strip()
        if DEBUG:
            directives.setdefault("linetrace", "True")
        self.distribution.ext_modules[:] = cythonize(
            self.distribution.ext_modules,
            compiler_directives=directives,
            annotate=self.cython_annotate,
            force=self.cython_always,
            include_path=["src"],
        )
        super().finalize_options()

    def build_extension(self, ext):
        """With gcc, a profile-guided build: compile with -fprofile-generate,
        run src/pgo_workload.py with that build, compile again with the
        profile.  The profile tells the compiler which paths are hot, and it
        lays them out together: measured on x86-64, the copies that go
        through the reduce protocol and hooks (which interleave the core with
        the interpreter) run 5-20% faster, mostly from fewer instruction-
        cache misses.  Falls back to a plain build if any step fails (say,
        when the built module cannot run on the build machine)."""
        if PGO == "0" or DEBUG or SANITIZE or not _is_gcc(self.compiler):
            super().build_extension(ext)
            self._record(ext, "debug (FASTCOPY_DEBUG=1)" if DEBUG else
                         "sanitizers (%s)" % SANITIZE if SANITIZE else
                         "plain (FASTCOPY_PGO=0)" if PGO == "0" else
                         "plain (the compiler is not gcc)")
            return
        compile_args, link_args = list(ext.extra_compile_args), list(ext.extra_link_args)
        force = self.force
        self.force = True           # both builds compile, whatever the timestamps say
        profile_dir = tempfile.mkdtemp(prefix="fastcopy-pgo-")
        try:
            try:
                ext.extra_compile_args = compile_args + ["-fprofile-generate=" + profile_dir]
                ext.extra_link_args = link_args + ["-fprofile-generate=" + profile_dir]
                super().build_extension(ext)
                print("fastcopy: training run for the profile-guided build", flush=True)
                self._run_pgo_workload(ext)
                ext.extra_compile_args = compile_args + [
                    "-fprofile-use=" + profile_dir, "-fprofile-correction", "-Wno-missing-profile"]
                ext.extra_link_args = link_args
                super().build_extension(ext)
                self._record(ext, "profile-guided (gcc)")
            except Exception as exc:
                if PGO == "1":
                    raise
                self.warn("fastcopy: profile-guided build failed (%s); building without a profile" % exc)
                ext.extra_compile_args, ext.extra_link_args = compile_args, link_args
                super().build_extension(ext)
                self._record(ext, "plain (the profile-guided build failed)")
        finally:
            ext.extra_compile_args, ext.extra_link_args = compile_args, link_args
            self.force = force
            shutil.rmtree(profile_dir, ignore_errors=True)

    def run(self):
        # setuptools builds an in-place (or editable) extension elsewhere
        # and copies it over: _record() must know where it ends up.
        self._in_source = bool(self.inplace or getattr(self, "editable_mode", False))
        super().run()

    def _record(self, ext, kind):
        """Write what kind of build this is next to the extension (as
        _core.<platform tag>.build.json), for `python -m fastcopy info`."""
        import json

        from Cython import __version__ as cython_version
        command = getattr(self.compiler, "compiler_so", None) or ["?"]
        built = self.get_ext_fullpath(ext.name)
        name = os.path.splitext(os.path.basename(built))[0] + ".build.json"
        dirs = {os.path.dirname(built)}
        if getattr(self, "_in_source", False):
            dirs.add(os.path.join(HERE, *ext.name.split(".")[:-1]))
        for d in dirs:
            with open(os.path.join(d, name), "w") as f:
                json.dump({"kind": kind, "compiler": os.path.basename(command[0]),
                           "cython": cython_version}, f)

    def _run_pgo_workload(self, ext):
        """Run the training workload against the instrumented build, as a
        fastcopy package assembled in a temporary directory (so that no other
        build of the core can be imported instead)."""
        built = self.get_ext_fullpath(ext.name)
        with tempfile.TemporaryDirectory(prefix="fastcopy-pgo-run-") as tmp:
            package = os.path.join(tmp, "fastcopy")
            os.mkdir(package)
            for name in os.listdir(os.path.join(HERE, "fastcopy")):
                if name.endswith(".py"):
                    shutil.copy(os.path.join(HERE, "fastcopy", name), package)
            shutil.copy(built, package)
            # A fixed hash seed: the profile (and so the build) does not
            # depend on the run's string hashing.
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith("FASTCOPY_") and k != "PYTHONPATH"}
            env["PYTHONHASHSEED"] = "0"
            subprocess.run([sys.executable, "-s", os.path.join(HERE, "src", "pgo_workload.py"), tmp],
                           check=True, timeout=900, env=env, cwd=tmp)


def _is_gcc(compiler):
    """Is the C compiler gcc (whose profile files need no merge step)?"""
    command = getattr(compiler, "compiler_so", None)
    if os.name == "nt" or not command:
        return False
    try:
        out = subprocess.run([command[0], "--version"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Free Software Foundation" in out and "clang" not in out.lower()


class build_py(_build_py):
    """Also put fastcopy-autopatch.pth at the root of the wheel (site-packages),
    where the interpreter runs it at start-up."""

    PTH = "fastcopy-autopatch.pth"

    def run(self):
        super().run()
        self.copy_file(os.path.join("src", self.PTH), os.path.join(self.build_lib, self.PTH))

    def get_outputs(self, include_bytecode=True):
        return super().get_outputs(include_bytecode) + [
            os.path.join(self.build_lib, self.PTH)]


ext = Extension(
    "fastcopy._core",
    sources=["src/_core.pyx"],
    include_dirs=["src"],
    depends=["src/fastcopy_helpers.h"] + [
        os.path.join("src", "helpers", name)
        for name in sorted(os.listdir(os.path.join(HERE, "src", "helpers")))],
    extra_compile_args=_compile_flags(),
    extra_link_args=_link_flags(),
    define_macros=[("CYTHON_TRACE_NOGIL", "1"), ("FASTCOPY_DEBUG", "1")] if DEBUG else [],
)

setup(ext_modules=[ext], cmdclass={"build_ext": build_ext, "build_py": build_py})
