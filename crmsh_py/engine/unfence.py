"""Unfencing in the bundled cluster: carry out the scheduler's ``Fence (on) NODE`` lines.

When some fence device ``provides=unfencing`` (fabric fencing: SCSI reservations, a switch port),
a node must be let in again before it runs what needs it.  Pacemaker's scheduler plans an ``on``
fencing action for every node never unfenced (its ``#node-unfenced`` attribute absent or ``0``);
the controller has the fencer run ``on`` with the devices that target the node and, on success,
sets the node's transient attribute ``#node-unfenced`` to the current time, so the next transition
plans no unfencing for it.  Unlike a reboot, unfencing leaves the node up with its history: only
its access is restored.

The devices used are those of the node's fencing levels (or every device that can fence it) that
provide unfencing, else all of them; each must succeed.  Every attempt is logged to ``ha-log``
and the fencing history (``stonith_admin --history``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from crmsh_py.cib.model import Configuration
from crmsh_py.engine import cibfile, membership, status_xml

if TYPE_CHECKING:
    from crmsh_py.engine.store import CibSnapshot, Cluster

UNFENCED_ATTR = "#node-unfenced"


def unfencing_devices(cfg: Configuration, target: str) -> list[str]:
    """The devices to run ``on`` with for ``target``: those providing unfencing, else all."""
    from crmsh_py.agents import stonith
    from crmsh_py.engine import fencing, resources

    candidates: list[str] = []
    for level in fencing.device_levels(cfg, target):
        candidates.extend(d for d in level if d not in candidates)
    usable = []
    for device in candidates:
        spec = resources.resolve(cfg, device)
        if spec is not None and stonith.can_fence(spec.agent.ra_type, spec.params, target):
            usable.append((device, spec.meta.get("provides", "").lower() == "unfencing"))
    providing = [device for device, provides in usable if provides]
    return providing or [device for device, _ in usable]


def unfence_node(cluster: "Cluster", snap: "CibSnapshot", cfg: Configuration, target: str, reason: str) -> bool:
    """Unfence ``target`` (lock held, ``snap.root`` edited in place); True on success."""
    from crmsh_py.agents import stonith
    from crmsh_py.engine import fencing, resources

    directory = getattr(cluster, "directory", None)
    delegate = membership.dc_name(snap.root, snap.definition) or (cluster.local_node() or "")
    cluster.log("pacemaker-controld", f"Requesting fencing (on) targeting node {target} ({reason})", "notice")
    devices = unfencing_devices(cfg, target)
    failure = "no device can unfence it" if not devices else ""
    for device in devices:
        spec = resources.resolve(cfg, device)
        result = stonith.fence(spec.agent.ra_type, spec.params, target, "on", directory)  # type: ignore[union-attr]  # usable devices resolve
        if result.rc != 0:
            failure = f"device '{device}' returned {result.rc} ({result.message})"
            break
    now = int(time.time())
    entry = {"target": target, "action": "on", "device": ",".join(devices), "delegate": delegate,
             "origin": "pacemaker-controld", "status": "failed" if failure else "success",
             "completed": now, "reason": reason}
    fencing.append_history(cluster, entry)
    if failure:
        cluster.log("pacemaker-fenced", f"Operation 'on' targeting {target} failed: {failure}", "error")
        return False
    status_xml.set_transient_attribute(snap.root, snap.definition, target, UNFENCED_ATTR, str(now))
    cibfile.bump_updates(snap.root)
    cluster.log("pacemaker-fenced", f"Operation 'on' targeting {target} by {delegate} for pacemaker-controld: "
                f"OK (device {','.join(devices)}; {reason})", "notice")
    return True
