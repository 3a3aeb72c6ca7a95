"""Runnable specs of the resources Pacemaker creates implicitly, so the bundled engine can run them.

- A guest node's connection (``remote-node=G`` on a primitive): ``G``, ``ocf:pacemaker:remote`` with
  ``server`` from ``remote-addr`` (else the node name) and ``port`` from ``remote-port``.
- A bundle's replica ``i``: the container ``B-docker-i`` (``ocf:heartbeat:docker``, ``podman`` or
  ``rkt``, with the image and options), the address ``B-ip-A`` (``ocf:heartbeat:IPaddr2``), and the
  connection ``B-i`` (``ocf:pacemaker:remote``, port from ``control-port``, default 3121).

The bundled ``docker``/``podman``/``rkt`` and ``remote`` agents are simulations (no container
runtime, no network); their lifecycle is real state in the node's ``HA_RSCTMP``.
"""

from __future__ import annotations


from crmsh_py.cib.model import Agent, Bundle, ClusterSet, Configuration, NVPair, Op, Primitive
from crmsh_py.engine.scheduler.bundles import bundle_settings, next_ip
from crmsh_py.engine.scheduler.resources import nvpairs
from crmsh_py.records import field, record

REMOTE = Agent("ocf", "remote", "pacemaker")


@record
class ResourceSpec:
    """What the engine needs to run an implicit resource (the fields of
    :class:`crmsh_py.engine.resources.ResourceSpec`, which the caller builds from it)."""

    prim_id: str
    agent: Agent
    params: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    ops: list[Op] = field(default_factory=list)
    history_id: str = ""
DEFAULT_PORT = "3121"


def _defaults(cfg: Configuration) -> dict[str, str]:
    out: dict[str, str] = {}
    for cs in cfg.elements:
        if isinstance(cs, ClusterSet) and cs.kind == "rsc_defaults":
            out.update({p.name: p.value for p in cs.nvpairs if p.value is not None})
    return out


def _monitor(interval: str, timeout: str) -> list[Op]:
    return [Op("monitor", interval, [NVPair("timeout", timeout)])]


def spec(cfg: Configuration, rsc_id: str) -> ResourceSpec | None:
    """The spec of an implicit resource ``rsc_id``, or None when there is no such resource."""
    defaults = _defaults(cfg)
    for element in cfg.elements:
        if type(element) is Primitive:
            meta = nvpairs(element.attr_sets, "meta")
            if meta.get("remote-node") == rsc_id:
                params = {"server": meta.get("remote-addr", rsc_id), "port": meta.get("remote-port", DEFAULT_PORT)}
                return ResourceSpec(rsc_id, REMOTE, params, {**defaults, "container": element.id},
                                    _monitor("30s", "30s"), rsc_id)
        elif isinstance(element, Bundle) and rsc_id.startswith(element.id + "-"):
            found = _bundle_spec(element, rsc_id, defaults)
            if found is not None:
                return found
    return None


def _bundle_spec(bundle: Bundle, rsc_id: str, defaults: dict[str, str]) -> ResourceSpec | None:
    runtime, attrs, network = bundle_settings(bundle)
    if runtime is None:
        return None
    meta = {**defaults, **nvpairs(bundle.attr_sets, "meta")}
    promoted = attrs.get("promoted-max", attrs.get("masters", "0"))
    default = int(promoted) if promoted.isdigit() and int(promoted) > 0 else 1
    replicas = int(attrs["replicas"]) if attrs.get("replicas", "").isdigit() else default
    address = network.get("ip-range-start")
    for i in range(replicas):
        if rsc_id == f"{bundle.id}-{runtime}-{i}":
            params = {"image": attrs.get("image", ""), "name": rsc_id,
                      "run_opts": attrs.get("options", ""), "run_cmd": attrs.get("run-command", "")}
            return ResourceSpec(rsc_id, Agent("ocf", runtime, "heartbeat"), params, dict(meta),
                                _monitor("60s", "20s"), rsc_id)
        if address and rsc_id == f"{bundle.id}-ip-{address}":
            params = {"ip": address, "cidr_netmask": network.get("host-netmask", "32")}
            if network.get("host-interface"):
                params["nic"] = network["host-interface"]
            return ResourceSpec(rsc_id, Agent("ocf", "IPaddr2", "heartbeat"), params, dict(meta),
                                _monitor("60s", "20s"), rsc_id)
        if bundle.primitive and rsc_id == f"{bundle.id}-{i}":
            params = {"server": address or "#uname", "port": network.get("control-port", DEFAULT_PORT)}
            return ResourceSpec(rsc_id, REMOTE, params, {**defaults, "container": f"{bundle.id}-{runtime}-{i}"},
                                _monitor("30s", "30s"), rsc_id)
        address = next_ip(address) if address else None
    return None
