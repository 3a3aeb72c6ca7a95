"""A tiny factory for scheduler inputs: configuration and status objects built directly."""

from __future__ import annotations

from dataclasses import dataclass, field


from crmsh_py.cib.model import (Agent, AttrSet, ClusterSet, Colocation, Configuration, Location,
                                NVPair, Op, Order, Primitive, ResourceRef)
from crmsh_py.engine.digest import op_digest
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory


def nv(**pairs: str) -> list[NVPair]:
    return [NVPair(k.replace("_", "-"), v) for k, v in pairs.items()]


def prim(rid: str, ra: str = "Dummy", provider: str = "heartbeat", meta: dict | None = None,
         monitor: str | None = "10s", util: dict | None = None, ops: list[Op] | None = None) -> Primitive:
    sets = []
    if meta:
        sets.append(AttrSet("meta", [NVPair(k, v) for k, v in meta.items()]))
    if util:
        sets.append(AttrSet("utilization", [NVPair(k, str(v)) for k, v in util.items()]))
    if ops is None:
        ops = [Op("start", "0s", [NVPair("timeout", "120s"), NVPair("on-fail", "restart")])]
        if monitor:
            ops.append(Op("monitor", monitor, [NVPair("timeout", "120s"), NVPair("on-fail", "restart")]))
        ops.append(Op("stop", "0s", [NVPair("timeout", "120s"), NVPair("on-fail", "stop")]))
    return Primitive(rid, agent=Agent("ocf", ra, provider), attr_sets=sets, ops=ops)


def props(**values: str) -> ClusterSet:
    return ClusterSet("cib-bootstrap-options", kind="property", nvpairs=nv(**values))


def rsc_defaults(**values: str) -> ClusterSet:
    return ClusterSet("rsc-options", kind="rsc_defaults", nvpairs=nv(**values))


def loc(cid: str, rsc: str, node: str, score: str = "INFINITY", role: str | None = None) -> Location:
    return Location(cid, resource=ResourceRef(rsc), node=node, score=score, role=role)


def coloc(cid: str, score: str, dep: str, pri: str) -> Colocation:
    d, _, dr = dep.partition(":")
    p, _, pr = pri.partition(":")
    return Colocation(cid, score=score, items=[ResourceRef(d, dr or None), ResourceRef(p, pr or None)])


def order(cid: str, first: str, then: str, kind: str = "Mandatory", symmetrical: str | None = None) -> Order:
    f, _, fa = first.partition(":")
    t, _, ta = then.partition(":")
    return Order(cid, kind=kind, items=[ResourceRef(f, fa or None), ResourceRef(t, ta or None)],
                 symmetrical=symmetrical)


@dataclass
class Cluster:
    """Status builder: ``running("dummy", "srv01")`` writes a start + monitor history."""

    names: tuple[str, ...] = ("srv01", "srv02")
    status: ClusterStatus = field(default_factory=ClusterStatus)
    call: int = 10

    def __post_init__(self) -> None:
        for i, name in enumerate(self.names, 1):
            self.status.nodes[name] = NodeStatus(name, str(i), joined_at=1)
        self.status.now = 1_700_000_000

    def node(self, name: str) -> NodeStatus:
        return self.status.nodes[name]

    def op(self, rsc: str, node: str, task: str, interval: int = 0, rc: int = 0, expected: int = 0,
           ra: str = "Dummy", provider: str = "heartbeat") -> None:
        self.call += 1
        # the agent recorded must be the configured one: another one means "agent changed" (restart)
        hist = self.node(node).resources.setdefault(rsc, ResourceHistory(rsc, "ocf", ra, provider))
        # The digest the engine records for prim()'s definition (no parameters, 120s timeouts).
        hist.ops.append(OpRecord(task, interval, rc, self.call, expected_rc=expected, on_node=node,
                                 last_rc_change=self.status.now - 100,
                                 op_digest=op_digest({}, interval, 120000 if interval else 0)))

    def running(self, rsc: str, node: str, monitor: int | None = 10000, role: str = "Started",
                ra: str = "Dummy", provider: str = "heartbeat") -> None:
        self.op(rsc, node, "start", ra=ra, provider=provider)
        if role == "Promoted":
            self.op(rsc, node, "promote", ra=ra, provider=provider)
        if monitor:
            self.op(rsc, node, "monitor", monitor, rc=8 if role == "Promoted" else 0,
                    expected=8 if role == "Promoted" else 0, ra=ra, provider=provider)

    def fail(self, rsc: str, node: str, count: int = 1, interval: int = 10000, when: int | None = None) -> None:
        self.op(rsc, node, "monitor", interval, rc=7, expected=0)
        attrs = self.node(node).transient_attributes
        attrs[f"fail-count-{rsc}#monitor_{interval}"] = str(count)
        attrs[f"last-failure-{rsc}#monitor_{interval}"] = str(when if when is not None else self.status.now - 50)


def demo_config(*extra) -> Configuration:
    """The reference demo: two nodes, sticky dummy with migration-threshold=1."""
    return Configuration([
        props(no_quorum_policy="ignore", stonith_enabled="false", startup_fencing="false"),
        rsc_defaults(resource_stickiness="INFINITY", migration_threshold="1"),
        prim("dummy"), *extra])

