"""Runnable specs of the resources Pacemaker creates implicitly, so the bundled engine can run them.

- A guest node's connection (``remote-node=G`` on a primitive): ``G``, ``ocf:pacemaker:remote`` with
  ``addr`` from ``remote-addr`` and ``port`` from ``remote-port`` when they are set (the agent
  defaults to the node name and 3121).
- A bundle's replica ``i``: the container ``B-docker-i`` (``ocf:heartbeat:docker``, ``podman`` or
  ``rkt``), the address ``B-ip-A`` (``ocf:heartbeat:IPaddr2``), and the connection ``B-i``
  (``ocf:pacemaker:remote``), with the parameters Pacemaker generates for them
  (:mod:`crmsh_py.engine.scheduler.bundle_params`), so the digests recorded are Pacemaker's.

The bundled ``docker``/``podman``/``rkt`` and ``remote`` agents are simulations (no container
runtime, no network); their lifecycle is real state in the node's ``HA_RSCTMP``.
"""

from __future__ import annotations

from crmsh_py.cib.model import Agent, Bundle, ClusterSet, Configuration, NVPair, Op, Primitive
from crmsh_py.engine.scheduler.bundle_params import read_spec, replica_params
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


def _defaults(cfg: Configuration) -> dict[str, str]:
    out: dict[str, str] = {}
    for cs in cfg.elements:
        if isinstance(cs, ClusterSet) and cs.kind == "rsc_defaults":
            out.update({p.name: p.value for p in cs.nvpairs if p.value is not None})
    return out


def _monitor(interval: str, timeout: str | None) -> list[Op]:
    """Pacemaker's implicit monitor; without a timeout of its own ``op_defaults`` (else 20s) apply."""
    return [Op("monitor", interval, [NVPair("timeout", timeout)] if timeout else [])]


def spec(cfg: Configuration, rsc_id: str, node: str | None = None) -> ResourceSpec | None:
    """The spec of an implicit resource ``rsc_id`` (to run on ``node``), or None when there is no
    such resource."""
    defaults = _defaults(cfg)
    for element in cfg.elements:
        if type(element) is Primitive:
            meta = nvpairs(element.attr_sets, "meta")
            if meta.get("remote-node") == rsc_id:
                # Pacemaker passes only what the meta attributes set (the agent defaults the rest)
                params = {k: meta[m] for k, m in (("addr", "remote-addr"), ("port", "remote-port")) if m in meta}
                return ResourceSpec(rsc_id, REMOTE, params, {**defaults, "container": element.id},
                                    _monitor("30s", "30s"), rsc_id)
        elif isinstance(element, Bundle) and rsc_id.startswith(element.id + "-"):
            found = _bundle_spec(element, rsc_id, defaults, node)
            if found is not None:
                return found
    return None


def _bundle_spec(bundle: Bundle, rsc_id: str, defaults: dict[str, str], node: str | None) -> ResourceSpec | None:
    spec = read_spec(bundle, bool(bundle.primitive))
    if spec is None:
        return None
    meta = {**defaults, **nvpairs(bundle.attr_sets, "meta")}
    for i, made in enumerate(replica_params(spec)):
        container = f"{bundle.id}-{spec.runtime}-{i}"
        if rsc_id == container:
            return ResourceSpec(rsc_id, Agent("ocf", spec.runtime, "heartbeat"), made.container, dict(meta),
                                _monitor("60s", None), rsc_id)
        if made.ip is not None and rsc_id == f"{bundle.id}-ip-{made.address}":
            return ResourceSpec(rsc_id, Agent("ocf", "IPaddr2", "heartbeat"), made.ip, dict(meta),
                                _monitor("60s", None), rsc_id)
        if made.connection is not None and rsc_id == f"{bundle.id}-{i}":
            params = dict(made.connection)
            if params["addr"] == "#uname" and node is not None:
                params["addr"] = node  # the container's host, as Pacemaker fills it in
            return ResourceSpec(rsc_id, REMOTE, params, {**defaults, "container": container},
                                _monitor("30s", "30s"), rsc_id)
    return None
