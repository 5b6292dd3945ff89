"""Training run for the profile-guided build (see setup.py).

    python -s src/pgo_workload.py DIR

DIR holds a `fastcopy` package whose compiled core was built with
-fprofile-generate.  This copies every data shape of fastcopy._shapes (the
ones the benchmarks time) with it - plain, with a caller's memo, and
shallow - so that the compiler learns which paths are hot and lays them out
together.  It does not time anything.
"""

import sys

# The largest shapes are copied at a tenth of the rounds: the profile needs
# the paths, not the volume.
BIG = ("1e5", "5000")


def main(package_dir):
    sys.path.insert(0, package_dir)
    import fastcopy
    from fastcopy._shapes import CASES
    if not fastcopy.__compiled__:
        raise SystemExit("pgo_workload: the compiled core did not load")
    data = [(factory(), any(b in name for b in BIG))
            for name, (_category, factory) in sorted(CASES.items())]
    for round_ in range(10):
        for x, big in data:
            if big and round_ != 0:
                continue
            fastcopy.deepcopy(x)
            fastcopy.deepcopy(x, {})
            fastcopy.copy(x)


if __name__ == "__main__":
    main(sys.argv[1])
