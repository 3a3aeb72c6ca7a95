"""How Pacemaker 2.1.5 weighs a promotable clone's instances for promotion: each instance's own
promotion score is added to its node's weight before what is colocated with the promoted role is
taken in, so a node that colocated resource cannot use loses its positive weight (it keeps 1)."""

from sched_factory import Cluster, coloc, loc, nv, prim, props

from crmsh_py.cib.model import Agent, AttrSet, Clone, Configuration, Primitive
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _config(*extra) -> Configuration:
    return Configuration([BASE, Primitive("s", agent=Agent("ocf", "Stateful", "pacemaker")),
                          Clone("ms", child="s", attr_sets=[AttrSet("meta", nv(promotable="true"))]),
                          prim("ip"), coloc("c", "INFINITY", "ip", "ms:Promoted"), *extra])


def test_promotion_moves_where_the_promoted_dependent_can_run(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=None, role="Promoted", ra="Stateful", provider="pacemaker")
    cluster.running("s:1", "srv02", monitor=None, ra="Stateful", provider="pacemaker")
    for node in ("srv01", "srv02"):
        cluster.node(node).transient_attributes["master-s"] = "75"
    t = plan(_config(loc("ban", "ip", "srv01", "-INFINITY")), cluster.status)
    promoted = {t.allocation[leaf] for leaf, role in t.roles.items() if role == "Promoted"}
    assert promoted == {"srv02"} and t.allocation["ip"] == "srv02"
    assert "s:0 promotion score on srv01: 1" in t.score_lines()
    assert "s:1 promotion score on srv02: 75" in t.score_lines()


def test_equal_weights_keep_the_promoted_instance(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=None, role="Promoted", ra="Stateful", provider="pacemaker")
    cluster.running("s:1", "srv02", monitor=None, ra="Stateful", provider="pacemaker")
    for node in ("srv01", "srv02"):
        cluster.node(node).transient_attributes["master-s"] = "75"
    t = plan(_config(), cluster.status)
    promoted = {t.allocation[leaf] for leaf, role in t.roles.items() if role == "Promoted"}
    assert promoted == {"srv01"} and t.allocation["ip"] == "srv01"
