"""A colocation's ``influence`` and its dependent's ``critical`` meta attribute (Pacemaker 2.1.5):
without influence, a dependent that cannot stay where it runs stops instead of moving its active
primary.  Tags and ``rsc-pattern`` select resources as Pacemaker does."""

from sched_factory import Cluster, coloc, loc, nv, prim, props, rsc_defaults

from crmsh_py.cib.model import Agent, AttrSet, Clone, Configuration, Group, Location, Primitive, Tag
from crmsh_py.engine.scheduler import plan
from crmsh_py.records import replace

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def scenario(cluster: Cluster, *elements) -> Configuration:
    """a runs with b on srv01 and has just failed there (migration-threshold=1)."""
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cluster.fail("a", "srv01")
    return Configuration([BASE, rsc_defaults(migration_threshold="1"), *elements])


def test_default_influence_moves_the_primary(cluster: Cluster) -> None:
    t = plan(scenario(cluster, prim("a"), prim("b"), coloc("c", "INFINITY", "a", "b")), cluster.status)
    assert t.allocation["a"] == "srv02" and t.allocation["b"] == "srv02"


def test_influence_false_stops_the_dependent(cluster: Cluster) -> None:
    c = scenario(cluster, prim("a"), prim("b"), replace(coloc("c", "INFINITY", "a", "b"), influence="false"))
    t = plan(c, cluster.status)
    assert t.allocation["a"] is None and t.allocation["b"] == "srv01"
    assert [line.split()[1:3] for line in t.summary()] == [["Stop", "a"]]


def test_invalid_influence_falls_back_to_critical(cluster: Cluster) -> None:
    c = scenario(cluster, prim("a"), prim("b"), replace(coloc("c", "INFINITY", "a", "b"), influence="maybe"))
    assert plan(c, cluster.status).allocation["b"] == "srv02"


def test_non_critical_dependent_has_no_influence(cluster: Cluster) -> None:
    c = scenario(cluster, prim("a", meta={"critical": "false"}), prim("b"), coloc("c", "INFINITY", "a", "b"))
    t = plan(c, cluster.status)
    assert t.allocation["a"] is None and t.allocation["b"] == "srv01"


def test_influence_false_ignored_while_the_primary_is_inactive(cluster: Cluster) -> None:
    # b does not run yet: a's preferences still count (a may not stay on srv01, so b starts on srv02)
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01")
    c = Configuration([BASE, rsc_defaults(migration_threshold="1"), prim("a"), prim("b"),
                       replace(coloc("c", "INFINITY", "a", "b"), influence="false")])
    t = plan(c, cluster.status)
    assert t.allocation["a"] == "srv02" and t.allocation["b"] == "srv02"


def test_non_critical_group_member_stops_alone(cluster: Cluster) -> None:
    c = scenario(cluster, prim("b"), prim("a", meta={"critical": "false"}), Group("g", children=["b", "a"]))
    t = plan(c, cluster.status)
    assert t.allocation["b"] == "srv01" and t.allocation["a"] is None
    other = Cluster()
    c = scenario(other, prim("b"), prim("a"), Group("g", children=["b", "a"]))
    assert plan(c, other.status).allocation["b"] == "srv02"


def test_tag_in_a_colocation_stands_for_its_resources(cluster: Cluster) -> None:
    c = Configuration([BASE, prim("a"), prim("b"), prim("c"), Tag("t", refs=["a", "b"]),
                       loc("l", "c", "srv02", "100"), coloc("k", "INFINITY", "t", "c")])
    t = plan(c, cluster.status)
    assert (t.allocation["a"], t.allocation["b"], t.allocation["c"]) == ("srv02", "srv02", "srv02")


def test_rsc_pattern_is_a_search_and_may_be_inverted(cluster: Cluster) -> None:
    c = Configuration([BASE, prim("web1"), prim("db1"), prim("mydb2"),
                       Location("ban", rsc_pattern="!db", node="srv01", score="-INFINITY"),
                       Location("pref", rsc_pattern="db", node="srv01", score="100")])
    t = plan(c, cluster.status)
    assert t.allocation == {"web1": "srv02", "db1": "srv01", "mydb2": "srv01"}


def test_promotion_ignores_a_dependent_that_can_run_nowhere(cluster: Cluster) -> None:
    # The clone's promotion weighs what is colocated with it: "a" prefers srv02; "b" may run
    # nowhere, and taking it in would leave the clone no usable node, so Pacemaker rolls that back.
    for node in ("srv01", "srv02"):
        cluster.node(node).transient_attributes["master-s"] = "5"
    c = Configuration([BASE, Primitive("s", agent=Agent("ocf", "Stateful", "pacemaker")),
                       Clone("ms", child="s", attr_sets=[AttrSet("meta", nv(promotable="true"))]),
                       prim("a"), prim("b"), loc("a1", "a", "srv01", "10"), loc("a2", "a", "srv02", "20"),
                       loc("b1", "b", "srv01", "-INFINITY"), loc("b2", "b", "srv02", "-INFINITY"),
                       coloc("ca", "INFINITY", "a", "ms"), coloc("cb", "INFINITY", "b", "ms")])
    t = plan(c, cluster.status)
    promoted = [leaf for leaf, role in t.roles.items() if role == "Promoted"]
    assert [t.allocation[leaf] for leaf in promoted] == ["srv02"]
