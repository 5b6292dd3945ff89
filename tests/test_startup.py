"""What the autopatch start-up hook (FASTCOPY_AUTOPATCH, a .pth file run in
every interpreter, subinterpreters included) imports."""

import os
import subprocess
import sys

from .subprocess_helpers import PACKAGE_ROOT, autopatch_pth


def test_autopatch_start_up_does_not_import_threading(tmp_path):
    """The .pth hook (FASTCOPY_AUTOPATCH) imports nothing heavy: not
    threading, contextlib or importlib.machinery."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    with open(autopatch_pth()) as f:
        (site_dir / "fastcopy-autopatch.pth").write_text(f.read())
    code = ("import site, sys\nbefore = set(sys.modules)\nsite.addsitedir(%r)\n"
            "import copy, fastcopy\nassert fastcopy.is_patched()\n"
            "print(' '.join(sorted(set(sys.modules) - before)))" % str(site_dir))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASTCOPY_")}
    env["FASTCOPY_AUTOPATCH"] = "1"
    # -S: no site-packages, so the child imports fastcopy from where the
    # suite did.
    env["PYTHONPATH"] = PACKAGE_ROOT
    proc = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path), env=env)
    assert proc.returncode == 0, proc.stderr
    imported = set(proc.stdout.split())
    assert "fastcopy._autopatch" in imported
    assert not imported & {"threading", "contextlib", "importlib.machinery"}, sorted(imported)
