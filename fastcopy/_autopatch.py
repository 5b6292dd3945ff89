"""Imported at interpreter start-up by fastcopy-autopatch.pth when the
environment variable FASTCOPY_AUTOPATCH is set to anything but "" or "0".

The value is a comma-separated list of words:
  1                       patch copy.deepcopy
  copy, all               also patch copy.copy
  verify                  verify mode: compare every patched call with the
                          standard library (see fastcopy.patch(verify=...))
  verify=0.1              verify that share of the calls
  verify=raise            raise fastcopy.VerifyWarning at a difference
so FASTCOPY_AUTOPATCH=verify,copy patches both functions in verify mode.
Other values are ignored with a warning (see _config.ACCEPTED).
"""

from . import _config
from ._patch import parse_autopatch, patch

_value = _config.read("FASTCOPY_AUTOPATCH")
if _value not in ("", "0"):
    patch(**parse_autopatch(_value))
