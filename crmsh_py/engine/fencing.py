"""Fencing in the bundled cluster: pick a device, power the (simulated) node, update membership.

Device choice: the ``fencing_topology`` levels for the target in index order (every device of a
level must succeed); without a topology, each configured stonith primitive in configuration order
that can fence the target (``pcmk_host_list``/``pcmk_host_map``/the plugin's host list), first
success wins.  The power action is ``stonith-action`` (default ``reboot``).

Effect on success: the target goes offline cleanly with its operation history and transient
attributes cleared (everything it ran is known stopped); after a reboot it joins again at once,
fresh (and loses the DC role if it had it, since it joined last).  After ``off`` it stays down.
Every attempt is logged to ``ha-log`` and appended to the fencing history (``fencing-history.json``
in the state directory), which ``stonith_admin --history`` shows.

Unfencing (the scheduler's ``Fence (on) NODE`` lines, when some device ``provides=unfencing``:
fabric fencing such as SCSI reservations or a switch port): the fencer runs ``on`` with the devices
that target the node (those providing unfencing, else all; each must succeed) and, on success, the
controller sets the node's transient attribute ``#node-unfenced`` to the current time, so the next
transition plans no unfencing for it.  Unlike a reboot, the node stays up with its history.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmsh_py.cib.model import ClusterSet, Configuration, FencingTopology, Primitive
from crmsh_py.cib import remote_xml
from crmsh_py.engine import cibfile, membership, status_xml

if TYPE_CHECKING:
    from crmsh_py.engine.store import CibSnapshot, Cluster


def stonith_devices(cfg: Configuration) -> list[str]:
    """Ids of configured stonith primitives, in configuration order."""
    from crmsh_py.engine import resources

    out = []
    for element in cfg.elements:
        if type(element) is Primitive:
            spec = resources.resolve(cfg, element.id)
            if spec is not None and spec.agent.ra_class == "stonith":
                out.append(element.id)
    return out


def device_levels(cfg: Configuration, target: str) -> list[list[str]]:
    """The device lists to try for ``target``, in order (topology levels, or one device per level)."""
    topo = next((e for e in cfg.elements if isinstance(e, FencingTopology)), None)
    if topo is not None:
        levels = [lvl for lvl in topo.levels if lvl.target == target or lvl.target is None
                  and lvl.target_pattern is None and lvl.target_attribute is None]
        import re

        levels += [lvl for lvl in topo.levels if lvl.target_pattern and re.match(lvl.target_pattern, target)]
        if levels:
            return [list(lvl.devices) for lvl in sorted(levels, key=lambda lvl: lvl.index)]
    return [[device] for device in stonith_devices(cfg)]


def stonith_action(cfg: Configuration) -> str:
    """``stonith-action`` of the cluster options (``reboot`` unless set to ``off``/``poweroff``)."""
    for element in cfg.elements:
        if isinstance(element, ClusterSet) and element.kind == "property":
            for pair in element.nvpairs:
                if pair.name == "stonith-action" and pair.value:
                    return "off" if pair.value in ("off", "poweroff") else pair.value
    return "reboot"


def fence_node(cluster: "Cluster", snap: "CibSnapshot", cfg: Configuration, target: str, reason: str,
               action: str | None = None, origin: str = "pacemaker-controld") -> bool:
    """Fence ``target`` (lock held, ``snap.root`` edited in place); True on success."""
    from crmsh_py.agents import stonith
    from crmsh_py.engine import resources

    action = action or stonith_action(cfg)
    directory = getattr(cluster, "directory", None)
    delegate = membership.dc_name(snap.root, snap.definition) or (cluster.local_node() or "")
    for level in device_levels(cfg, target):
        ok, used = True, []
        for device in level:
            spec = resources.resolve(cfg, device)
            if spec is None:
                ok = False
                break
            result = stonith.fence(spec.agent.ra_type, spec.params, target, action, directory)
            used.append(device)
            if result.rc != 0:
                cluster.log("pacemaker-fenced", f"Operation '{action}' [{target}] with device '{device}' "
                            f"returned: {result.rc} ({result.message})", "error")
                ok = False
                break
        if ok and used:
            _after_fence(cluster, snap, target, action)
            append_history(cluster, {"target": target, "action": action, "device": ",".join(used),
                                      "delegate": delegate, "origin": origin, "status": "success",
                                      "completed": int(time.time()), "reason": reason})
            cluster.log("pacemaker-fenced", f"Operation '{action}' targeting {target} by {delegate} "
                        f"for {origin}: OK (device {','.join(used)}; {reason})", "notice")
            return True
    append_history(cluster, {"target": target, "action": action, "device": "", "delegate": delegate,
                              "origin": origin, "status": "failed", "completed": int(time.time()),
                              "reason": reason})
    cluster.log("pacemaker-fenced", f"Operation '{action}' targeting {target} failed: no device could "
                f"fence it ({reason})", "error")
    return False


def _after_fence(cluster: "Cluster", snap: "CibSnapshot", target: str, action: str) -> None:
    status_xml.clear_node_history(snap.root, snap.definition, target)
    if remote_xml.is_remote_node(snap.root, target):
        # A remote or guest node has no membership to lose or regain: it is back when its
        # connection starts again (the scheduler recovers the connection).
        remote_xml.mark_fenced(snap.root, target)
        _power_cycled(cluster, target, action)
        cibfile.bump_updates(snap.root)
        return
    membership.set_state(snap.root, snap.definition, target, "offline", origin="pacemaker-fenced")
    _power_cycled(cluster, target, action)
    delay = _rejoin_delay(cluster, snap)
    if action == "reboot" and delay > 0:
        # the engine daemon runs: time passes, the node boots and rejoins later (daemon_events)
        from crmsh_py.engine import daemon_events

        daemon_events.schedule_rejoin(snap.root, snap.definition, target, time.time() + delay)
        cluster.log("pacemaker-controld", f"Node {target} is rebooting; it rejoins in {delay:g}s")
    elif action in ("reboot", "on"):
        membership.set_state(snap.root, snap.definition, target, "online", int(time.time()),
                             origin="pacemaker-fenced")
        cluster.log("pacemaker-controld", f"Node {target} rebooted and rejoined the cluster")
    cibfile.bump_updates(snap.root)


def _power_cycled(cluster: "Cluster", target: str, action: str) -> None:
    """A node that lost power loses its agents' state (HA_RSCTMP is a tmpfs on a real node)."""
    if action not in ("reboot", "off") or getattr(cluster, "directory", None) is None:
        return
    import shutil

    shutil.rmtree(cluster.rsctmp(target), ignore_errors=True)  # type: ignore[attr-defined]
    cluster.rsctmp(target)  # type: ignore[attr-defined]


def _rejoin_delay(cluster: "Cluster", snap: "CibSnapshot") -> float:
    """Seconds a rebooted node stays down: ``reboot_delay`` while the daemon runs, else 0."""
    directory = getattr(cluster, "directory", None)
    if directory is None:
        return 0.0
    from crmsh_py.engine import daemon_control

    if daemon_control.running_pid(directory) is None:
        return 0.0  # no daemon, no passing time: the node is back at once
    return float(getattr(snap.definition, "reboot_delay", 0.0) or 0.0)


def history_path(cluster: "Cluster") -> Path | None:
    """The history file of a bundled cluster (None for a ``CIB_file`` cluster)."""
    directory = getattr(cluster, "directory", None)
    return Path(directory) / "fencing-history.json" if directory else None


def read_history(cluster: "Cluster") -> list[dict[str, Any]]:
    """All fencing attempts, oldest first: dicts with target, action, device, delegate, origin,
    status (``success``/``failed``), completed (UNIX time), reason.  A broken file reads as empty."""
    path = history_path(cluster)
    if path is None or not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [entry for entry in data if isinstance(entry, dict)] if isinstance(data, list) else []


def fence_manually(cluster: "Cluster", target: str, action: str, tool: str) -> bool:
    """``stonith_admin --reboot/--fence/--on NODE``: fence now, under the lock, then settle."""
    ok = False
    with cluster.mutate(tool) as snap:
        ok = fence_node(cluster, snap, snap.configuration, target, f"requested by {tool}", action,
                        origin=f"{tool}.{os.getpid()}")
    return ok


def append_history(cluster: "Cluster", entry: dict[str, Any]) -> None:
    """Add one attempt to the fencing history (no history for a ``CIB_file`` cluster)."""
    path = history_path(cluster)
    if path is None:
        return
    entries = read_history(cluster)
    entries.append(entry)
    cibfile.write_text_atomic(path, json.dumps(entries, indent=1) + "\n")


UNFENCED_ATTR = "#node-unfenced"


def unfencing_devices(cfg: Configuration, target: str) -> list[str]:
    """The devices to run ``on`` with for ``target``: those providing unfencing, else all."""
    from crmsh_py.agents import stonith
    from crmsh_py.engine import resources

    candidates: list[str] = []
    for level in device_levels(cfg, target):
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
    from crmsh_py.engine import resources

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
    append_history(cluster, entry)
    if failure:
        cluster.log("pacemaker-fenced", f"Operation 'on' targeting {target} failed: {failure}", "error")
        return False
    status_xml.set_transient_attribute(snap.root, snap.definition, target, UNFENCED_ATTR, str(now))
    cibfile.bump_updates(snap.root)
    cluster.log("pacemaker-fenced", f"Operation 'on' targeting {target} by {delegate} for pacemaker-controld: "
                f"OK (device {','.join(devices)}; {reason})", "notice")
    return True
