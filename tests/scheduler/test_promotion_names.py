"""A promotable anonymous clone instance reads the promotion score set under the name it has in
its resource history (``master-c:1``), which need not be the instance number it gets now."""

from __future__ import annotations

from sched_factory import Cluster, nv, prim, props

from crmsh_py.cib.model import AttrSet, Clone, Configuration
from crmsh_py.engine.scheduler import plan
from crmsh_py.engine.scheduler.state import PROMOTED


def test_promotion_score_follows_the_history_name(cluster: Cluster) -> None:
    cluster.running("c:1", "srv01", monitor=None)
    cluster.running("c:0", "srv02", monitor=None)
    cluster.node("srv01").transient_attributes["master-c:1"] = "10"
    cluster.node("srv02").transient_attributes["master-c:0"] = "5"
    clone = Clone("ms", child="c", attr_sets=[AttrSet("meta", nv(promotable="true"))])
    t = plan(Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"), prim("c", monitor=None), clone]),
             cluster.status)
    promoted = [leaf for leaf, role in t.roles.items() if role == PROMOTED]
    assert [t.allocation[leaf] for leaf in promoted] == ["srv01"]


def test_a_healthy_instance_is_promoted_before_one_that_recovers(cluster: Cluster) -> None:
    cluster.running("c", "srv01", monitor=None)
    cluster.running("c", "srv02", monitor=None)
    cluster.fail("c", "srv01")
    for node in ("srv01", "srv02"):
        cluster.node(node).transient_attributes["master-c"] = "5"
    clone = Clone("ms", child="c", attr_sets=[AttrSet("meta", nv(promotable="true"))])
    t = plan(Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"), prim("c", monitor=None), clone]),
             cluster.status)
    promoted = [leaf for leaf, role in t.roles.items() if role == PROMOTED]
    assert [t.allocation[leaf] for leaf in promoted] == ["srv02"]


def test_what_is_colocated_with_the_clone_tips_the_promotion(cluster: Cluster) -> None:
    from sched_factory import coloc, loc

    cluster.running("c", "srv01", monitor=None)
    cluster.running("c", "srv02", monitor=None)
    for node in ("srv01", "srv02"):
        cluster.node(node).transient_attributes["master-c"] = "5"
    clone = Clone("ms", child="c", attr_sets=[AttrSet("meta", nv(promotable="true"))])
    cfg = Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"), prim("c", monitor=None), clone,
                         prim("app"), coloc("app-with-ms", "INFINITY", "app", "ms"), loc("app-pref", "app", "srv02", "100")])
    t = plan(cfg, cluster.status)
    promoted = [leaf for leaf, role in t.roles.items() if role == PROMOTED]
    assert [t.allocation[leaf] for leaf in promoted] == ["srv02"]
