"""A restart that also promotes shows both roles in the summary, as Pacemaker prints it."""

from __future__ import annotations

from sched_factory import Cluster, nv, order, prim, props

from crmsh_py.cib.model import AttrSet, Clone, Configuration
from crmsh_py.engine.scheduler import plan


def test_restart_into_promoted_shows_both_roles(cluster: Cluster) -> None:
    cluster.running("c", "srv01", monitor=None)
    cluster.node("srv01").transient_attributes["master-c"] = "10"
    clone = Clone("ms", child="c", attr_sets=[AttrSet("meta", nv(promotable="true", clone_max="1"))])
    cfg = Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"),
                         prim("p", meta={"resource-stickiness": "0"}), prim("c", monitor=None), clone,
                         order("o", "p", "ms")])
    t = plan(cfg, cluster.status)
    lines = [" ".join(x.split()).removeprefix("* ") for x in t.summary()]
    assert "Restart c:0 ( Unpromoted -> Promoted srv01 ) due to required p start" in lines, lines
