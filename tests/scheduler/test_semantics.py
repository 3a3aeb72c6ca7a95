"""One small scenario per scheduler semantic."""

from sched_factory import Cluster, coloc, loc, nv, order, prim, props, rsc_defaults

from crmsh_py.cib.model import (AttrSet, Clone, Configuration, DateExpression, Expression, Group, Location,
                                NVPair, Node, Op, Primitive, Agent, ResourceRef, Rule)
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def cfg(*elements) -> Configuration:
    return Configuration([BASE, *elements])


def starts(t):
    return {a.rsc_id: a.node for a in t.actions if a.task == "start"}


def test_location_score_and_ban(cluster: Cluster) -> None:
    t = plan(cfg(prim("a"), loc("l1", "a", "srv02", "100"), prim("b"), loc("l2", "b", "srv01", "-INFINITY")),
             cluster.status)
    assert t.allocation == {"a": "srv02", "b": "srv02"}
    assert t.scores[("a", "srv02")] == 100 and t.scores[("b", "srv01")] == -1_000_000
    assert "pcmk__primitive_assign: b allocation score on srv01: -INFINITY" in t.score_lines()


def test_negative_score_forbids_node(cluster: Cluster) -> None:
    t = plan(cfg(prim("a"), loc("l1", "a", "srv01", "-10"), loc("l2", "a", "srv02", "-10")), cluster.status)
    assert t.allocation["a"] is None and t.actions == []


def test_asymmetric_cluster_needs_explicit_location(cluster: Cluster) -> None:
    c = Configuration([props(stonith_enabled="false", symmetric_cluster="false"), prim("a"), prim("b"),
                       loc("l1", "b", "srv02", "0")])
    t = plan(c, cluster.status)
    assert t.allocation == {"a": None, "b": "srv02"}


def _rule_location(rule: Rule) -> Location:
    return Location("l-rule", resource=ResourceRef("a"), rules=[rule])


def test_rule_on_node_attribute_and_uname(cluster: Cluster) -> None:
    cluster.node("srv02").attributes["site"] = "east"
    rule = Rule([Expression("site", "eq", "east"), Expression("#uname", "eq", "srv01")], score="50",
                boolean_op="or")
    t = plan(cfg(prim("a"), _rule_location(rule)), cluster.status)
    assert t.scores[("a", "srv01")] == 50 and t.scores[("a", "srv02")] == 50


def test_rule_typed_comparison_and_not_defined(cluster: Cluster) -> None:
    cluster.node("srv01").attributes["mem"] = "9"
    cluster.node("srv02").attributes["mem"] = "10"
    numeric = Rule([Expression("mem", "gt", "9", type="number")], score="INFINITY")
    string = Rule([Expression("mem", "gt", "9", type="string")], score="7")
    undefined = Rule([Expression("pingd", "not_defined")], score="-5")
    t = plan(cfg(prim("a"), Location("l", resource=ResourceRef("a"), rules=[numeric, string, undefined])),
             cluster.status)
    # numerically 10 > 9 on srv02 only; as strings "10" < "9", "9" > "9" false
    assert t.scores[("a", "srv02")] == 1_000_000
    assert t.scores[("a", "srv01")] == -5


def test_score_attribute(cluster: Cluster) -> None:
    cluster.node("srv01").transient_attributes["pingd"] = "100"
    cluster.node("srv02").transient_attributes["pingd"] = "300"
    rule = Rule([Expression("pingd", "defined")], score_attribute="pingd")
    t = plan(cfg(prim("a"), _rule_location(rule)), cluster.status)
    assert t.allocation["a"] == "srv02" and t.scores[("a", "srv02")] == 300


def test_date_expression_uses_status_now(cluster: Cluster) -> None:
    cluster.status.now = 1_700_000_000  # 2023-11-14
    past = Rule([DateExpression("gt", start="2023-01-01")], score="-INFINITY")
    later = Rule([DateExpression("lt", end="2023-01-01")], score="INFINITY")
    t = plan(cfg(prim("a"), Location("l", resource=ResourceRef("a"), node=None, rules=[past]),
                 prim("b"), Location("m", resource=ResourceRef("b"), rules=[later])), cluster.status)
    assert t.allocation["a"] is None and t.scores[("b", "srv01")] == 0


def test_stickiness_from_meta_beats_location(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    t = plan(cfg(prim("a", meta={"resource-stickiness": "200"}), loc("l", "a", "srv02", "100")), cluster.status)
    assert t.allocation["a"] == "srv01" and t.actions == []
    t = plan(cfg(rsc_defaults(resource_stickiness="50"), prim("a"), loc("l", "a", "srv02", "100")), cluster.status)
    assert t.allocation["a"] == "srv02"


def test_equal_scores_balance_by_count_then_node_order(cluster: Cluster) -> None:
    t = plan(cfg(prim("a"), prim("b"), prim("c")), cluster.status)
    assert t.allocation == {"a": "srv01", "b": "srv02", "c": "srv01"}


def test_fail_count_below_threshold_recovers_in_place(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01", count=1)
    t = plan(cfg(prim("a", meta={"migration-threshold": "3"})), cluster.status)
    assert t.summary() == ["  * Recover    a       ( srv01 )"]
    assert [(x.task, x.node) for x in t.actions] == [("stop", "srv01"), ("start", "srv01"), ("monitor", "srv01")]


def test_failure_timeout_expires_fail_count(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01", count=5, when=cluster.status.now - 600)
    cluster.running("a", "srv01")  # recovered since
    t = plan(cfg(prim("a", meta={"migration-threshold": "1", "failure-timeout": "60s"})), cluster.status)
    assert t.allocation["a"] == "srv01" and t.actions == []
    t = plan(cfg(prim("a", meta={"migration-threshold": "1"})), cluster.status)
    assert t.allocation["a"] == "srv02"


def test_colocation_mandatory_and_advisory(cluster: Cluster) -> None:
    t = plan(cfg(prim("a"), prim("b"), loc("l", "b", "srv02", "10"), coloc("c", "INFINITY", "a", "b")),
             cluster.status)
    assert t.allocation == {"a": "srv02", "b": "srv02"}
    t = plan(cfg(prim("a"), prim("b"), coloc("c", "-INFINITY", "a", "b")), cluster.status)
    assert t.allocation["a"] != t.allocation["b"]
    t = plan(cfg(prim("x"), prim("a"), prim("b"), coloc("c", "100", "a", "b")), cluster.status)
    assert t.allocation["a"] == t.allocation["b"]


def test_colocation_dependent_preference_pulls_primary(cluster: Cluster) -> None:
    t = plan(cfg(prim("b"), prim("a"), loc("l", "a", "srv02", "100"), coloc("c", "INFINITY", "a", "b")),
             cluster.status)
    assert t.allocation == {"b": "srv02", "a": "srv02"}


def test_colocation_with_stopped_primary_stops_dependent(cluster: Cluster) -> None:
    t = plan(cfg(prim("b", meta={"target-role": "Stopped"}), prim("a"), coloc("c", "INFINITY", "a", "b")),
             cluster.status)
    assert t.allocation == {"b": None, "a": None}


def test_order_mandatory_sequences_and_restarts(cluster: Cluster) -> None:
    t = plan(cfg(prim("b"), prim("a"), order("o", "a", "b")), cluster.status)
    names = [(x.task, x.rsc_id) for x in t.actions if x.task == "start"]
    assert names == [("start", "a"), ("start", "b")]
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01", count=1)
    cluster.running("b", "srv01")
    t = plan(cfg(prim("a"), prim("b"), order("o", "a", "b")), cluster.status)
    # Pacemaker 2.1.5 (checked with /usr/sbin/crm_simulate): with no stickiness, b leaves for the
    # node hosting fewer resources while a recovers in place.
    assert t.summary() == ["  * Recover    a       (          srv01 )", "  * Move       b       ( srv01 -> srv02 )"]
    seq = [(x.task, x.rsc_id) for x in t.actions if x.task in ("start", "stop")]
    assert seq == [("stop", "b"), ("stop", "a"), ("start", "a"), ("start", "b")]


def test_order_mandatory_first_cannot_run(cluster: Cluster) -> None:
    t = plan(cfg(prim("a", meta={"target-role": "Stopped"}), prim("b"), order("o", "a", "b")), cluster.status)
    assert t.allocation["b"] is None
    t = plan(cfg(prim("a", meta={"target-role": "Stopped"}), prim("b"), order("o", "a", "b", "Optional")),
             cluster.status)
    assert t.allocation["b"] == "srv01"


def test_group_colocated_ordered_and_sticky(cluster: Cluster) -> None:
    g = Group("g", children=["m1", "m2", "m3"])
    t = plan(cfg(prim("m1"), prim("m2"), prim("m3"), g, loc("l", "g", "srv02", "100"),
                 loc("l3", "m3", "srv01", "50")), cluster.status)
    assert {t.allocation[m] for m in ("m1", "m2", "m3")} == {"srv02"} and t.allocation["g"] == "srv02"
    assert [x.rsc_id for x in t.actions if x.task == "start"] == ["m1", "m2", "m3"]
    assert "pcmk__primitive_assign: m1 allocation score on srv01: 50" in t.score_lines()


def test_group_member_that_cannot_run_stops_the_rest(cluster: Cluster) -> None:
    g = Group("g", children=["m1", "m2", "m3"])
    t = plan(cfg(prim("m1"), prim("m2"), prim("m3"), g, loc("l", "m2", "srv01", "-INFINITY"),
                 loc("k", "m2", "srv02", "-INFINITY")), cluster.status)
    assert t.allocation["m1"] == "srv01" and t.allocation["m2"] is None and t.allocation["m3"] is None


def test_group_stickiness_is_sum_of_members(cluster: Cluster) -> None:
    for m in ("m1", "m2"):
        cluster.running(m, "srv01")
    g = Group("g", children=["m1", "m2"])
    c = cfg(rsc_defaults(resource_stickiness="60"), prim("m1"), prim("m2"), g, loc("l", "g", "srv02", "100"))
    assert plan(c, cluster.status).allocation["g"] == "srv01"  # 120 > 100


def test_clone_instances_one_per_node(cluster: Cluster) -> None:
    t = plan(cfg(prim("c"), Clone("cl", child="c")), cluster.status)
    assert t.allocation == {"c:0": "srv01", "c:1": "srv02"}
    assert t.summary() == ["  * Start      c:0     ( srv01 )", "  * Start      c:1     ( srv02 )"]


def test_clone_max_and_anonymous_history(cluster: Cluster) -> None:
    cluster.running("c", "srv02")
    clone = Clone("cl", child="c", attr_sets=[AttrSet("meta", nv(clone_max="1"))])
    t = plan(cfg(prim("c"), clone), cluster.status)
    assert t.allocation == {"c:0": "srv02"} and t.actions == []


def test_clone_instance_lost_node_not_restarted_elsewhere(cluster: Cluster) -> None:
    cluster.running("c:0", "srv01")
    cluster.running("c:1", "srv02")
    cluster.node("srv02").online = False
    t = plan(cfg(prim("c"), Clone("cl", child="c")), cluster.status)
    assert t.allocation == {"c:0": "srv01", "c:1": None} and t.actions == []


def _promotable() -> list:
    ms = Clone("ms", child="s", attr_sets=[AttrSet("meta", nv(promotable="true"))])
    ops = [Op("monitor", "10s", [NVPair("role", "Promoted")]), Op("monitor", "11s", [NVPair("role", "Unpromoted")])]
    return [Primitive("s", agent=Agent("ocf", "Stateful", "pacemaker"), ops=ops), ms]


def test_promotable_clone_promotes_highest_master_score(cluster: Cluster) -> None:
    cluster.node("srv01").transient_attributes["master-s"] = "5"
    cluster.node("srv02").transient_attributes["master-s"] = "10"
    t = plan(cfg(*_promotable()), cluster.status)
    assert t.allocation == {"s:0": "srv02", "s:1": "srv01"}
    assert t.roles == {"s:0": "Promoted", "s:1": "Unpromoted"}
    assert t.summary() == ["  * Promote    s:0     ( Stopped -> Promoted srv02 )",
                           "  * Start      s:1     (                     srv01 )"]
    seq = [(x.task, x.rsc_id, x.interval_ms) for x in t.actions if x.rsc_id == "s:0"]
    assert seq == [("start", "s:0", 0), ("promote", "s:0", 0), ("monitor", "s:0", 10000)]
    assert "s:0 promotion score on srv02: 10" in t.score_lines()


def test_promotable_without_score_stays_unpromoted_and_demotes(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=10000, role="Promoted", ra="Stateful", provider="pacemaker")
    cluster.running("s:1", "srv02", monitor=11000, ra="Stateful", provider="pacemaker")
    cluster.node("srv02").transient_attributes["master-s"] = "10"
    t = plan(cfg(*_promotable()), cluster.status)
    assert t.roles == {"s:0": "Unpromoted", "s:1": "Promoted"}
    assert "  * Demote     s:0     ( Promoted -> Unpromoted srv01 )" in t.summary()
    order_ = [(x.task, x.rsc_id) for x in t.actions if x.task in ("demote", "promote")]
    assert order_ == [("demote", "s:0"), ("promote", "s:1")]


def test_colocation_with_promoted_role(cluster: Cluster) -> None:
    cluster.node("srv01").transient_attributes["master-s"] = "5"
    cluster.node("srv02").transient_attributes["master-s"] = "10"
    t = plan(cfg(*_promotable(), prim("vip"), coloc("c", "INFINITY", "vip", "ms:Promoted")), cluster.status)
    assert t.allocation["vip"] == "srv02"


def test_target_role_stopped_and_unpromoted(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    t = plan(cfg(prim("a", meta={"target-role": "Stopped"})), cluster.status)
    assert t.summary() == ["  * Stop       a       ( srv01 )  due to node availability"]
    cluster.node("srv02").transient_attributes["master-s"] = "10"
    s, ms = _promotable()
    ms.attr_sets[0].nvpairs.append(NVPair("target-role", "Unpromoted"))
    t = plan(cfg(s, ms), cluster.status)
    assert "Promoted" not in t.roles.values()


def test_unmanaged_and_maintenance_produce_no_actions(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.op("a", "srv01", "monitor", 10000, rc=1, expected=0)  # failed (rc 7 would mean: stopped)
    t = plan(cfg(prim("a", meta={"is-managed": "false"}), prim("b")), cluster.status)
    assert all(x.rsc_id != "a" for x in t.actions) and t.allocation["a"] == "srv01"
    c = Configuration([props(stonith_enabled="false", maintenance_mode="true"), prim("a"), prim("b")])
    assert plan(c, cluster.status).actions == []
    cluster.node("srv01").maintenance = True
    t = plan(cfg(prim("a"), prim("b")), cluster.status)
    assert starts(t) == {"b": "srv02"}


def test_offline_unclean_node_is_fenced_first(cluster: Cluster) -> None:
    cluster.running("a", "srv02")
    cluster.node("srv02").online = False
    cluster.node("srv02").unclean = True
    st = Primitive("st", agent=Agent("stonith", "external/ssh"))
    t = plan(Configuration([props(no_quorum_policy="ignore"), st, prim("a")]), cluster.status)
    assert t.actions[0].task == "fence" and t.actions[0].node == "srv02"
    assert t.summary()[0] == "  * Fence (reboot) srv02 'peer is no longer part of the cluster'"
    assert "  * Move       a       ( srv02 -> srv01 )" in t.summary()
    assert not any(x.task == "stop" for x in t.actions)


def test_fencing_without_device_is_blocked(cluster: Cluster) -> None:
    cluster.running("a", "srv02")
    cluster.node("srv02").online = False
    cluster.node("srv02").unclean = True
    t = plan(Configuration([props(no_quorum_policy="ignore"), prim("a")]), cluster.status)
    assert not any(x.task == "fence" for x in t.actions) and t.actions == []
    assert any("no stonith device" in b for b in t.blocked)
    t = plan(cfg(prim("a")), cluster.status)  # stonith disabled: resources there count as stopped
    assert starts(t) == {"a": "srv01"}


def test_no_quorum_policies(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.status.have_quorum = False
    t = plan(Configuration([props(stonith_enabled="false"), prim("a"), prim("b")]), cluster.status)
    assert t.allocation == {"a": None, "b": None}
    # Pacemaker 2.1.5 still places b, but its start cannot run without quorum.
    assert t.summary() == ["  * Stop       a       ( srv01 )  due to no quorum",
                           "  * Start      b       ( srv02 )  due to no quorum (blocked)"]
    t = plan(Configuration([props(stonith_enabled="false", no_quorum_policy="freeze"), prim("a"), prim("b")]),
             cluster.status)
    assert t.allocation == {"a": "srv01", "b": None} and t.actions == []
    t = plan(Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"), prim("a"), prim("b")]),
             cluster.status)
    assert t.allocation["b"] == "srv02"


def _failing_op(on_fail: str) -> Primitive:
    # The factory's history ran the monitor with a 120s timeout: keep it, so only on-fail differs.
    return prim("a", ops=[Op("monitor", "10s", [NVPair("timeout", "120s"), NVPair("on-fail", on_fail)])])


def test_on_fail_policies(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.fail("a", "srv01")
    assert plan(cfg(_failing_op("stop")), cluster.status).allocation["a"] is None
    t = plan(cfg(_failing_op("block")), cluster.status)
    assert t.actions == [] and t.allocation["a"] == "srv01"
    t = plan(cfg(_failing_op("ignore")), cluster.status)
    assert t.actions == []
    t = plan(cfg(_failing_op("standby"), prim("b")), cluster.status)
    assert t.allocation == {"a": "srv02", "b": "srv02"}


def test_utilization_capacity(cluster: Cluster) -> None:
    nodes = [Node(n, attr_sets=[AttrSet("utilization", [NVPair("cpu", "2")])]) for n in ("srv01", "srv02")]
    big = {"cpu": 2}
    c = Configuration([props(stonith_enabled="false", placement_strategy="utilization"), *nodes,
                       prim("a", util=big), prim("b", util=big), prim("c", util=big)])
    t = plan(c, cluster.status)
    assert t.allocation == {"a": "srv01", "b": "srv02", "c": None}
    c = Configuration([props(stonith_enabled="false", placement_strategy="minimal"), *nodes,
                       prim("a", util={"cpu": 1}), prim("b", util={"cpu": 1})])
    assert set(plan(c, cluster.status).allocation.values()) == {"srv01"}


def test_orphan_is_stopped(cluster: Cluster) -> None:
    cluster.running("gone", "srv01")
    t = plan(cfg(), cluster.status)
    assert [(x.task, x.rsc_id) for x in t.actions] == [("stop", "gone")]


def test_action_order_properties() -> None:
    cluster = Cluster(("srv01", "srv02", "srv03"))
    for r in ("a", "b"):
        cluster.running(r, "srv01")
    cluster.fail("a", "srv01")
    cluster.node("srv03").online = False
    cluster.node("srv03").unclean = True
    cluster.running("d", "srv03")
    st = Primitive("st", agent=Agent("stonith", "external/ssh"))
    g = Group("g", children=["a", "b"])
    c = Configuration([props(no_quorum_policy="ignore"), rsc_defaults(migration_threshold="1"), st,
                       prim("a"), prim("b"), g, prim("d"), prim("e"), order("o", "d", "e")])
    t = plan(c, cluster.status)
    pos = {(x.task, x.rsc_id, x.node): i for i, x in enumerate(t.actions)}
    assert t.actions[0].task == "fence"
    assert pos[("stop", "b", "srv01")] < pos[("stop", "a", "srv01")] < pos[("start", "a", "srv02")]
    assert pos[("start", "a", "srv02")] < pos[("start", "b", "srv02")]
    assert pos[("start", "d", t.allocation["d"])] < pos[("start", "e", t.allocation["e"])]
    for i, x in enumerate(t.actions):
        if x.task == "monitor":
            assert pos[("start", x.rsc_id, x.node)] < i
