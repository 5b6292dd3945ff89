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
"""

import os

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext as _build_ext
from setuptools.command.build_py import build_py as _build_py

DEBUG = os.environ.get("FASTCOPY_DEBUG", "") not in ("", "0")
SANITIZE = os.environ.get("FASTCOPY_SANITIZE", "")


def _compile_flags():
    if os.name == "nt":
        return ["/O2"]
    flags = ["-O0", "-g3", "-UNDEBUG"] if DEBUG else ["-O3"]
    if SANITIZE:
        flags += ["-fsanitize=" + SANITIZE, "-fno-omit-frame-pointer", "-g"]
    return flags


def _link_flags():
    return ["-fsanitize=" + SANITIZE] if SANITIZE and os.name != "nt" else []


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
    extra_compile_args=_compile_flags(),
    extra_link_args=_link_flags(),
    define_macros=[("CYTHON_TRACE_NOGIL", "1")] if DEBUG else [],
)

setup(ext_modules=[ext], cmdclass={"build_ext": build_ext, "build_py": build_py})
