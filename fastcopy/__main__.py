"""python -m fastcopy: see fastcopy/_cli.py."""

import sys

from ._cli import main

sys.exit(main(prog="python -m fastcopy"))
