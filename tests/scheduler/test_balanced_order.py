"""With placement-strategy=balanced, resources are placed in Pacemaker's order: by their scores on
the nodes taken biggest node first, so the resource sticking to the big node keeps it."""

from __future__ import annotations

from sched_factory import Cluster, nv, prim, props

from crmsh_py.cib.model import AttrSet, Configuration, Node
from crmsh_py.engine.scheduler import plan


def test_the_resource_on_the_bigger_node_is_placed_first(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv02")
    cfg = Configuration([
        props(stonith_enabled="false", no_quorum_policy="ignore", placement_strategy="balanced"),
        Node("srv01", attr_sets=[AttrSet("utilization", nv(cpu="0"))]),
        Node("srv02", attr_sets=[AttrSet("utilization", nv(cpu="1"))]),
        prim("a", util={"cpu": 1}, meta={"resource-stickiness": "100"}),
        prim("b", util={"cpu": 1}, meta={"resource-stickiness": "100"})])
    t = plan(cfg, cluster.status)
    assert t.allocation["b"] == "srv02" and t.allocation["a"] is None
