"""Semantic checks for Pacemaker Remote nodes, guest nodes and bundles.

- A bundle needs exactly one container runtime (``docker``, ``podman`` or ``rkt``); Pacemaker
  ignores a bundle without one.
- A remote node (an ``ocf:pacemaker:remote`` primitive's id), a guest node (``remote-node`` meta)
  or a bundle replica's node (``BUNDLE-N``) must not have the name of a cluster node, nor of
  another resource (Pacemaker would silently drop the guest node), nor of another remote node.
"""

from __future__ import annotations

from crmsh_py.cib.model import Bundle, Clone, Configuration, Element, Group, Node, Primitive, RscTemplate
from crmsh_py.errors import ValidationError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterator

RUNTIMES = ("docker", "podman", "rkt")


def _meta(prim: Primitive, name: str) -> str | None:
    for attr_set in prim.attr_sets:
        if attr_set.kind == "meta":
            for pair in attr_set.nvpairs:
                if pair.name == name:
                    return pair.value
    return None


def _is_remote(prim: Primitive) -> bool:
    agent = prim.agent
    return agent is not None and (agent.ra_class, agent.provider, agent.ra_type) == ("ocf", "pacemaker", "remote")


def _bundle_nodes(bundle: Bundle) -> list[str]:
    runtime = next((p for p in bundle.parts if p.kind in RUNTIMES), None)
    network = next((p for p in bundle.parts if p.kind == "network"), None)
    if runtime is None or network is None or not bundle.primitive:
        return []
    attrs = {a.name: a.value or "" for a in runtime.attributes}
    net = {a.name: a.value or "" for a in network.attributes}
    if not (net.get("control-port") or net.get("ip-range-start")):
        return []
    promoted = attrs.get("promoted-max", attrs.get("masters", "0"))
    default = int(promoted) if promoted.isdigit() and int(promoted) > 0 else 1
    replicas = int(attrs["replicas"]) if attrs.get("replicas", "").isdigit() else default
    return [f"{bundle.id}-{i}" for i in range(replicas)]


def remote_nodes(cfg: Configuration) -> list[tuple[str, Element, str]]:
    """(node name, defining element, how) for every remote, guest and bundle node."""
    out: list[tuple[str, Element, str]] = []
    for element in cfg.elements:
        if isinstance(element, Primitive) and not isinstance(element, RscTemplate):
            if _is_remote(element):
                out.append((element.id, element, "remote node"))
            guest = _meta(element, "remote-node")
            if guest:
                out.append((guest, element, "guest node (remote-node)"))
        elif isinstance(element, Bundle):
            out.extend((name, element, "bundle node") for name in _bundle_nodes(element))
    return out


def check_bundles(cfg: Configuration, index: object) -> Iterator[ValidationError]:
    """A bundle needs exactly one container runtime."""
    for element in cfg.elements:
        if not isinstance(element, Bundle):
            continue
        kinds = [p.kind for p in element.parts if p.kind in RUNTIMES]
        if not kinds:
            yield ValidationError(text="bundle has no container runtime: add docker, podman or rkt "
                                       "(e.g. 'docker image=IMAGE')", element_id=element.id)
        elif len(kinds) > 1:
            yield ValidationError(text=f"bundle has more than one container runtime ({', '.join(kinds)})",
                                  element_id=element.id)


def check_remote_names(cfg: Configuration, index: object) -> Iterator[ValidationError]:
    """Remote, guest and bundle node names must not clash with cluster nodes or each other."""
    cluster = {e.id for e in cfg.elements if isinstance(e, Node) and (e.type or "member") != "remote"}
    resources = {e.id for e in cfg.elements if isinstance(e, (Primitive, Group, Clone, Bundle))}
    seen: dict[str, str] = {}
    for name, element, how in remote_nodes(cfg):
        if name in cluster:
            yield ValidationError(text=f"{how} name {name!r} is already the name of a cluster node",
                                  element_id=element.id)
        elif how != "remote node" and name in resources:
            yield ValidationError(text=f"{how} name {name!r} is already the id of a resource",
                                  element_id=element.id)
        elif name in seen:
            yield ValidationError(text=f"{how} name {name!r} is already defined by {seen[name]!r}",
                                  element_id=element.id)
        seen.setdefault(name, element.id)
