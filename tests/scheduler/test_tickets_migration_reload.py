"""Tickets, live migration and definition changes (reload/restart), planned as Pacemaker 2.1 plans them.

The Pacemaker suite (test_pacemaker_suite.py) covers the same rules on its own inputs; these
cases pin each rule on a minimal configuration so a regression names the rule it breaks.
"""

from __future__ import annotations

from sched_factory import Cluster, demo_config, loc, order, prim, props, rsc_defaults

from crmsh_py.cib.model import AttrSet, Configuration, NVPair, Op, ResourceRef, RscTicket
from crmsh_py.engine import digest
from crmsh_py.engine.scheduler import plan
from crmsh_py.engine.status import OpRecord, TicketState


def tasks(t):  # type: ignore[no-untyped-def]
    return [(a.task, a.rsc_id, a.node, a.interval_ms) for a in t.actions]


def ticket(policy: str | None = None, rsc: str = "dummy", role: str | None = None) -> Configuration:
    return demo_config(RscTicket("t-dep", ticket="tA", items=[ResourceRef(rsc, role)], loss_policy=policy))


def _stonith_device(cfg: Configuration) -> Configuration:
    from crmsh_py.cib.model import Agent, Primitive

    cfg.elements.append(Primitive("fencer", agent=Agent("stonith", "null", None)))
    cfg.elements[0].nvpairs = [p for p in cfg.elements[0].nvpairs if p.name != "stonith-enabled"]
    return cfg


# --------------------------------------------------------------------------- tickets


def test_resource_needing_a_ticket_starts_only_once_it_is_granted(cluster: Cluster) -> None:
    assert plan(ticket(), cluster.status).summary() == []
    cluster.status.tickets["tA"] = TicketState("tA", granted=True)
    assert plan(ticket(), cluster.status).summary() == ["  * Start      dummy   ( srv01 )"]


def test_revoked_ticket_stops_by_default(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.status.tickets["tA"] = TicketState("tA", granted=False)
    t = plan(ticket(), cluster.status)
    assert t.summary() == ["  * Stop       dummy   ( srv01 )  due to node availability"]


def test_freeze_keeps_it_running_where_it_is(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(ticket("freeze"), cluster.status)
    assert t.actions == [] and t.allocation["dummy"] == "srv01"


def test_standby_ticket_stops_gracefully_even_with_freeze_or_fence(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.status.tickets["tA"] = TicketState("tA", granted=True, standby=True)
    for policy in ("freeze", "fence"):
        t = plan(ticket(policy), cluster.status)
        assert t.fencing == [] and tasks(t) == [("stop", "dummy", "srv01", 0)], policy


def test_fence_policy_fences_the_node_running_it(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(_stonith_device(ticket("fence")), cluster.status)
    assert t.fencing == [("srv01", "deadman ticket was lost")]
    assert t.summary()[0] == "  * Fence (reboot) srv01 'deadman ticket was lost'"


def test_fence_policy_without_fencing_falls_back_to_stop(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(ticket("fence"), cluster.status)  # the demo has stonith-enabled=false
    assert t.fencing == [] and tasks(t) == [("stop", "dummy", "srv01", 0)]


def test_ticket_on_a_missing_resource_is_ignored_by_the_scheduler(cluster: Cluster) -> None:
    t = plan(ticket(rsc="nosuch"), cluster.status)
    assert t.summary() == ["  * Start      dummy   ( srv01 )"]


# --------------------------------------------------------------------------- live migration


def migratable(*extra) -> Configuration:  # type: ignore[no-untyped-def]
    cfg = demo_config(*extra)
    cfg.elements[2] = prim("dummy", meta={"allow-migrate": "true"})
    return cfg


def test_allow_migrate_moves_live(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(migratable(loc("ban", "dummy", "srv01", "-INFINITY")), cluster.status)
    assert t.summary() == ["  * Migrate    dummy   ( srv01 -> srv02 )"]
    assert tasks(t) == [("migrate_to", "dummy", "srv01", 0), ("migrate_from", "dummy", "srv02", 0),
                        ("stop", "dummy", "srv01", 0), ("monitor", "dummy", "srv02", 10000)]
    assert (t.actions[0].migrate_source, t.actions[0].migrate_target) == ("srv01", "srv02")


def test_without_allow_migrate_it_is_a_move(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(demo_config(loc("ban", "dummy", "srv01", "-INFINITY")), cluster.status)
    assert t.summary() == ["  * Move       dummy   ( srv01 -> srv02 )"]


def test_a_failed_resource_recovers_instead_of_migrating(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.fail("dummy", "srv01")
    t = plan(migratable(), cluster.status)
    assert t.summary() == ["  * Recover    dummy   ( srv01 -> srv02 )"]


def test_partial_migration_continues_with_migrate_from(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.call += 1
    history = cluster.node("srv01").resources["dummy"]
    history.ops.append(OpRecord("migrate_to", 0, 0, cluster.call, on_node="srv01", migrate_source="srv01",
                                migrate_target="srv02", op_digest=digest.op_digest({})))
    t = plan(migratable(loc("ban", "dummy", "srv01", "-INFINITY")), cluster.status)
    assert t.summary() == ["  * Migrate    dummy   ( srv01 -> srv02 )"]
    assert tasks(t)[:2] == [("migrate_from", "dummy", "srv02", 0), ("stop", "dummy", "srv01", 0)]


def test_order_keeps_the_dependent_from_migrating_when_its_first_restarts(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cfg = Configuration([props(stonith_enabled="false"), rsc_defaults(resource_stickiness="100"),
                         prim("a"), prim("b", meta={"allow-migrate": "true"}),
                         loc("ban-a", "a", "srv01", "-INFINITY"), loc("ban-b", "b", "srv01", "-INFINITY"),
                         order("a-then-b", "a", "b")])
    summary = plan(cfg, cluster.status).summary()
    assert summary == ["  * Move       a       ( srv01 -> srv02 )",
                       "  * Move       b       ( srv01 -> srv02 )  due to unrunnable a stop"]


def test_a_migrating_first_does_not_restart_what_follows_it(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv02")
    cfg = Configuration([props(stonith_enabled="false"), rsc_defaults(resource_stickiness="100"),
                         prim("a", meta={"allow-migrate": "true"}), prim("b"),
                         loc("ban-a", "a", "srv01", "-INFINITY"), order("a-then-b", "a", "b")])
    assert plan(cfg, cluster.status).summary() == ["  * Migrate    a       ( srv01 -> srv02 )"]


# --------------------------------------------------------------------------- definition changes


def with_params(**params: str) -> Configuration:
    cfg = demo_config()
    dummy = prim("dummy")
    dummy.attr_sets.append(AttrSet("params", [NVPair(k, v) for k, v in params.items()]))
    cfg.elements[2] = dummy
    return cfg


def _started_with(cluster: Cluster, params: dict[str, str], reloadable: bool, force: tuple[str, ...] = ()) -> None:
    cluster.running("dummy", "srv01")
    start, monitor = cluster.node("srv01").resources["dummy"].ops
    start.op_digest = digest.op_digest(params)
    monitor.op_digest = digest.op_digest(params, 10000, 120000)
    if reloadable:
        start.force_restart = " " + "  ".join(force) + " " if force else ""
        start.restart_digest = digest.op_digest({k: v for k, v in params.items() if k in force})


def test_unchanged_definition_needs_nothing(cluster: Cluster) -> None:
    _started_with(cluster, {"fake": "a"}, reloadable=True, force=("state",))
    assert plan(with_params(fake="a"), cluster.status).actions == []


def test_reloadable_change_reloads(cluster: Cluster) -> None:
    _started_with(cluster, {"fake": "a"}, reloadable=True, force=("state",))
    t = plan(with_params(fake="b"), cluster.status)
    assert t.summary() == ["  * Reload     dummy   ( srv01 )"]
    # The monitor ran with the old parameters too: it is armed again after the reload.
    assert tasks(t) == [("reload-agent", "dummy", "srv01", 0), ("monitor", "dummy", "srv01", 10000)]


def test_change_a_reload_cannot_apply_restarts(cluster: Cluster) -> None:
    _started_with(cluster, {"state": "/a"}, reloadable=True, force=("state",))
    t = plan(with_params(state="/b"), cluster.status)
    # stonith-enabled=false and no-quorum-policy=ignore: the start requires nothing, and Pacemaker
    # 2.1.5 drops the reason of such a restart (checked with /usr/sbin/crm_simulate)
    assert t.summary() == ["  * Restart    dummy   ( srv01 )"]


def test_agent_without_reload_restarts(cluster: Cluster) -> None:
    _started_with(cluster, {"fake": "a"}, reloadable=False)
    t = plan(with_params(fake="b"), cluster.status)
    assert t.summary() == ["  * Restart    dummy   ( srv01 )"]  # requires=nothing: no reason


def test_changed_monitor_is_rearmed_and_a_removed_one_cancelled(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cfg = demo_config()
    cfg.elements[2] = prim("dummy", ops=[Op("start", "0s", [NVPair("timeout", "120s")]),
                                         Op("monitor", "10s", [NVPair("timeout", "60s")])])
    t = plan(cfg, cluster.status)
    assert t.summary() == [] and tasks(t) == [("monitor", "dummy", "srv01", 10000)]
    cfg.elements[2] = prim("dummy", monitor=None)
    t = plan(cfg, cluster.status)
    assert t.summary() == [] and tasks(t) == [("cancel", "dummy", "srv01", 10000)]


def test_history_without_digest_counts_as_changed(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.node("srv01").resources["dummy"].ops[0].op_digest = ""
    t = plan(demo_config(), cluster.status)
    assert t.summary() == ["  * Restart    dummy   ( srv01 )"]  # requires=nothing: no reason


def test_migration_threshold_moves_a_recovered_resource_live(cluster: Cluster) -> None:
    # The fail count reached migration-threshold (1 in the demo) but the resource runs again
    # (recovered in place): it has to leave the node, and it may do so live.
    cluster.running("dummy", "srv01")
    attrs = cluster.node("srv01").transient_attributes
    attrs["fail-count-dummy#monitor_10000"] = "1"
    attrs["last-failure-dummy#monitor_10000"] = str(cluster.status.now - 50)
    t = plan(migratable(), cluster.status)
    assert t.summary() == ["  * Migrate    dummy   ( srv01 -> srv02 )"]
