"""Interleaved clone orders: a ``then`` instance with no ``first`` instance on its node stays
stopped, and the summary shows no line for it (Pacemaker inhibits it after placement)."""

from sched_factory import Cluster, loc, nv, order, prim, props

from crmsh_py.cib.model import AttrSet, Clone, Configuration
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _config(interleave: str, kind: str = "Mandatory") -> Configuration:
    return Configuration([
        BASE, prim("a"), prim("b"), Clone("ca", child="a"),
        Clone("cb", child="b", attr_sets=[AttrSet("meta", nv(interleave=interleave))]),
        loc("ban", "ca", "srv01", "-INFINITY"), order("o", "ca", "cb", kind)])


def test_unpaired_instance_is_not_started(cluster: Cluster) -> None:
    t = plan(_config("true"), cluster.status)
    assert t.allocation["b:0"] is None and t.allocation["b:1"] == "srv02"
    assert [line.split()[1:3] for line in t.summary()] == [["Start", "a:0"], ["Start", "b:1"]]


def test_running_unpaired_instance_stops(cluster: Cluster) -> None:
    cluster.running("b", "srv01")
    t = plan(_config("true"), cluster.status)
    assert not any(a.task == "start" and a.node == "srv01" for a in t.actions)
    # unassigned after its stop was planned, it stops without a reason (as Pacemaker prints it)
    assert any(line.split()[1:] == ["Stop", "b:0", "(", "srv01", ")"] for line in t.summary())


def test_without_interleave_or_mandatory_order_instances_are_placed(cluster: Cluster) -> None:
    t = plan(_config("false"), cluster.status)
    assert t.allocation["b:0"] == "srv01"
    t = plan(_config("true", "Optional"), cluster.status)
    assert t.allocation["b:0"] == "srv01"
