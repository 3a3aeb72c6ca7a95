"""A clone takes in what is colocated with it without being pushed off nodes: its dependents'
negative preferences do not make a node unusable for the clone's instances."""

from __future__ import annotations

from sched_factory import Cluster, coloc, loc, prim, props

from crmsh_py.cib.model import Clone, Configuration
from crmsh_py.engine.scheduler import plan


def test_a_dependent_banned_from_a_node_does_not_ban_the_clone(cluster: Cluster) -> None:
    cfg = Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"), prim("c"), Clone("cl", child="c"),
                         prim("app"), coloc("app-with-cl", "INFINITY", "app", "cl"),
                         loc("no-app", "app", "srv02", "-INFINITY")])
    t = plan(cfg, cluster.status)
    assert sorted(n for l, n in t.allocation.items() if l.startswith("c:") and n) == ["srv01", "srv02"]
    assert t.allocation["app"] == "srv01"
