"""Groups are placed member by member, as Pacemaker 2.1.5 assigns them (pcmk__group_assign)."""

from sched_factory import Cluster, coloc, loc, prim, props, rsc_defaults

from crmsh_py.cib.model import Configuration, Group
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def cfg(*elements) -> Configuration:
    return Configuration([BASE, *elements])


def test_failed_tail_stops_instead_of_moving_the_group(cluster: Cluster) -> None:
    # group2 avoids group1 (-5000) and its last member may not run where it failed: the head stays
    # put and only the tail stops ("Stop member2b ( srv01 ) due to node availability")
    for member in ("m1a", "m1b"):
        cluster.running(member, "srv02")
    for member in ("m2a", "m2b"):
        cluster.running(member, "srv01")
    cluster.fail("m2b", "srv01")
    c = cfg(rsc_defaults(migration_threshold="1"), prim("m1a"), prim("m1b"), prim("m2a"), prim("m2b"),
            Group("g1", children=["m1a", "m1b"]), Group("g2", children=["m2a", "m2b"]),
            coloc("c", "-5000", "g2", "g1"))
    t = plan(c, cluster.status)
    assert t.allocation["m2a"] == "srv01" and t.allocation["m2b"] is None
    assert [line.split() for line in t.summary()] == [
        ["*", "Stop", "m2b", "(", "srv01", ")", "due", "to", "node", "availability"]]
    assert "pcmk__primitive_assign: m2a allocation score on srv02: -5000" in t.score_lines()


def test_group_location_counts_once(cluster: Cluster) -> None:
    # the group's location goes to its first member only: two sticky members (60 each) outweigh
    # a location of 100 on the other node
    for member in ("m1", "m2"):
        cluster.running(member, "srv01")
    c = cfg(rsc_defaults(resource_stickiness="60"), prim("m1"), prim("m2"), Group("g", children=["m1", "m2"]),
            loc("l", "g", "srv02", "100"))
    t = plan(c, cluster.status)
    assert t.allocation["m1"] == "srv01" and t.actions == []
    assert "pcmk__primitive_assign: m1 allocation score on srv01: 120" in t.score_lines()
    assert "pcmk__primitive_assign: m2 allocation score on srv02: -INFINITY" in t.score_lines()


def test_mandatory_colocation_with_group_follows_its_last_member(cluster: Cluster) -> None:
    # the group's last member cannot run anywhere: what must be with the group cannot either
    c = cfg(prim("m1"), prim("m2"), prim("r"), Group("g", children=["m1", "m2"]),
            loc("a", "m2", "srv01", "-INFINITY"), loc("b", "m2", "srv02", "-INFINITY"),
            coloc("c", "INFINITY", "r", "g"))
    t = plan(c, cluster.status)
    assert t.allocation["m1"] is not None and t.allocation["m2"] is None and t.allocation["r"] is None
