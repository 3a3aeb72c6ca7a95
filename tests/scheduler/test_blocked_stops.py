"""Stops that wait for a stop that cannot run (a blocked resource that runs, an unmanaged later group
member) are blocked too."""

from __future__ import annotations

from sched_factory import Cluster, order, prim, props

from crmsh_py.cib.model import Configuration, Group
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _summary(t) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(line.split()).removeprefix("* ") for line in t.summary()]


def test_stop_ordered_after_an_unmanaged_then_runs(cluster: Cluster) -> None:
    # Merely unmanaged, b has no stop to wait for (Pacemaker 2.1.5 stops a; see test_unmanaged_orders.py)
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cfg = Configuration([BASE, prim("a", meta={"target-role": "Stopped"}), prim("b", meta={"is-managed": "false"}),
                         order("o", "a", "b")])
    t = plan(cfg, cluster.status)
    assert _summary(t) == ["Stop a ( srv01 ) due to node availability"]
    assert any(x.rsc_id == "a" and x.task == "stop" for x in t.actions)


def test_group_member_before_an_unmanaged_one_cannot_move(cluster: Cluster) -> None:
    cluster.running("g1", "srv01")
    cluster.running("g2", "srv01")
    cfg = Configuration([BASE, prim("g1"), prim("g2", meta={"is-managed": "false"}), Group("g", children=["g1", "g2"])])
    cluster.node("srv01").standby = True
    t = plan(cfg, cluster.status)
    assert _summary(t) == ["Stop g1 ( srv01 ) due to unrunnable g2 stop (blocked)"]
    assert t.allocation["g1"] == "srv01"


def test_without_an_unmanaged_resource_the_stop_runs(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cfg = Configuration([BASE, prim("a", meta={"target-role": "Stopped"}), prim("b"), order("o", "a", "b")])
    t = plan(cfg, cluster.status)
    assert "Stop a ( srv01 ) due to node availability" in _summary(t)
    assert any(x.rsc_id == "a" and x.task == "stop" for x in t.actions)


def test_a_failed_resource_left_alone_cannot_start_what_follows(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01")
    cfg = Configuration([BASE, prim("a", meta={"is-managed": "false"}), prim("b"), order("o", "a", "b")])
    t = plan(cfg, cluster.status)
    assert "Start b ( srv01 ) due to unrunnable a start (blocked)" in _summary(t) or \
        "Start b ( srv02 ) due to unrunnable a start (blocked)" in _summary(t)
    healthy = Cluster()
    healthy.running("a", "srv01")
    t = plan(cfg, healthy.status)  # a healthy unmanaged resource does not restart: b may start
    assert t.allocation["b"] is not None


def test_asymmetrical_order_leaves_a_running_then_alone(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cfg = Configuration([BASE, prim("a", meta={"target-role": "Stopped"}), prim("b"),
                         order("o", "a", "b", symmetrical="false")])
    t = plan(cfg, cluster.status)
    assert _summary(t) == ["Stop a ( srv01 ) due to node availability"]
    symmetric = plan(Configuration([BASE, prim("a", meta={"target-role": "Stopped"}), prim("b"), order("o", "a", "b")]),
                     cluster.status)
    # b stays where it runs; a runs and stops: Pacemaker 2.1.5 names a's start as required
    # (differential/stop-required-by-stopping-first pins it against Pacemaker's own output)
    assert "Stop b ( srv01 ) due to required a start" in _summary(symmetric)
