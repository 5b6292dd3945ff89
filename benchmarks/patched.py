"""The effect of global patching on code that copies through copy.deepcopy
inside libraries: the "library code (patched)" category of the benchmark
corpus (benchmarks/corpus.py), run by benchmarks/compare.py with
copy.deepcopy left alone (stdlib), patched by copium (native memo, and
memo="dict") and patched by fastcopy, side by side in one process,
interleaved, best of several rounds.

    python -m benchmarks.patched [--rounds N] [--quick]

The same as `python -m benchmarks.compare --category patched`.  The cases
(pydantic ones skipped when pydantic is not installed, numpy ones when numpy
is not): __deepcopy__ hooks that copy their __dict__ or each attribute with
copy.deepcopy and the memo, a hook that insists on a dict memo,
dataclasses.asdict, a dataclasses.replace-like copy with changes, early-bound
`from copy import deepcopy` calls, pydantic model_copy(deep=True) and
copy.deepcopy of models, a numpy object array.
"""

import argparse

from benchmarks import compare
from benchmarks.corpus import PATCHED


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    forwarded = ["--category", PATCHED]
    if args.rounds is not None:
        forwarded += ["--rounds", str(args.rounds)]
    if args.quick:
        forwarded.append("--quick")
    compare.main(forwarded)


if __name__ == "__main__":
    main()
