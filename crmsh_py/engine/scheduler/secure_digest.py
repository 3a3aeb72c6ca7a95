"""Changes only to private parameters (``op-secure-digest``), as Pacemaker's simulation reads them.

When a cluster's CIB is collected for troubleshooting (crm_report), sensitive parameters such as
``passwd`` are masked, so every resource holding one would look changed.  Pacemaker therefore
records with an operation a second digest that leaves out the parameters named in
``op-secure-params``; ``crm_simulate`` (which runs "sanitized") treats an operation whose main digest
differs but whose secure digest still matches as unchanged.

The secure digest's input depends on the feature set the operation was recorded with:

- before 3.16.0: the resource's instance parameters only (no op parameters, no timeout), and for
  fence devices without Pacemaker's own fencing parameters (``pcmk_host_list``, ``provides``, ...);
- from 3.16.0: the same parameters as the main digest (timeout of a recurring op included).

Our own engine records no secure digest, so this never applies to the bundled cluster's history.
"""

from __future__ import annotations

from crmsh_py.engine import digest
from crmsh_py.engine.status import OpRecord

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

_NEW_LAYOUT = (3, 16, 0)
_FENCE_PARAMS = frozenset(("provides", "stonith-timeout", "pcmk_action_limit", "pcmk_delay_base",
                           "pcmk_delay_max", "pcmk_host_argument", "pcmk_host_check", "pcmk_host_list",
                           "pcmk_host_map"))


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return tuple(parts)


def is_fence_param(name: str) -> bool:
    """Whether ``name`` is one of Pacemaker's own fencing parameters (not the fence agent's)."""
    if name in _FENCE_PARAMS:
        return True
    if not name.startswith("pcmk_"):
        return False
    rest = name[5:]
    cut = rest.find("_")  # pcmk_<action>_action / _timeout / _retries
    return cut >= 0 and rest[cut:] in ("_action", "_timeout", "_retries")


def only_private_changed(op: OpRecord, instance: Mapping[str, str], with_op: Mapping[str, str],
                         timeout_ms: int, fence_device: bool) -> bool:
    """True when ``op`` carries a secure digest that today's parameters still match.

    ``instance`` are the resource's instance parameters, ``with_op`` the same plus the op's own
    parameters (the main digest's input), ``timeout_ms`` the op's timeout."""
    if not op.secure_digest:
        return False
    private = set((op.secure_params or "").split())
    if _version(op.feature_set or "0") < _NEW_LAYOUT:
        kept = {k: v for k, v in instance.items()
                if k not in private and not (fence_device and is_fence_param(k))}
        return digest.op_digest(kept, 0, 0) == op.secure_digest
    kept = {k: v for k, v in with_op.items() if k not in private}
    return digest.op_digest(kept, op.interval_ms, timeout_ms) == op.secure_digest
