"""The reference demo scenario, step by step."""

from sched_factory import Cluster, demo_config, loc

from crmsh_py.engine.scheduler import plan


def tasks(t):
    return [(a.task, a.rsc_id, a.node, a.interval_ms) for a in t.actions]


def test_fresh_cluster_starts_dummy_on_first_node(cluster: Cluster) -> None:
    t = plan(demo_config(), cluster.status)
    assert tasks(t) == [("start", "dummy", "srv01", 0), ("monitor", "dummy", "srv01", 10000)]
    assert t.actions[0].timeout_ms == 120000
    assert t.summary() == ["  * Start      dummy   ( srv01 )"]
    assert t.allocation == {"dummy": "srv01"}
    assert t.roles == {"dummy": "Started"}


def test_running_dummy_needs_nothing(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    t = plan(demo_config(), cluster.status)
    assert t.actions == [] and t.summary() == []
    assert t.scores[("dummy", "srv01")] == 1_000_000


def test_cli_prefer_alone_loses_to_infinite_stickiness(cluster: Cluster) -> None:
    # Pacemaker 2.1: INFINITY + INFINITY on both nodes; the current node wins the tie.
    cluster.running("dummy", "srv01")
    t = plan(demo_config(loc("cli-prefer-dummy", "dummy", "srv02")), cluster.status)
    assert t.actions == [] and t.allocation["dummy"] == "srv01"


def test_forced_move_moves_to_srv02(cluster: Cluster) -> None:
    # crm_resource -M --force writes cli-prefer on the target and cli-ban on the current node.
    cluster.running("dummy", "srv01")
    cfg = demo_config(loc("cli-prefer-dummy", "dummy", "srv02"),
                      loc("cli-ban-dummy-on-srv01", "dummy", "srv01", "-INFINITY"))
    t = plan(cfg, cluster.status)
    assert tasks(t) == [("stop", "dummy", "srv01", 0), ("start", "dummy", "srv02", 0),
                        ("monitor", "dummy", "srv02", 10000)]
    assert t.summary() == ["  * Move       dummy   ( srv01 -> srv02 )"]


def test_unmove_stays_on_srv02_by_stickiness(cluster: Cluster) -> None:
    cluster.running("dummy", "srv02")
    t = plan(demo_config(), cluster.status)
    assert t.actions == [] and t.allocation["dummy"] == "srv02"


def test_failed_monitor_with_threshold_one_recovers_on_srv01(cluster: Cluster) -> None:
    cluster.running("dummy", "srv02")
    cluster.fail("dummy", "srv02")
    t = plan(demo_config(), cluster.status)
    assert tasks(t) == [("stop", "dummy", "srv02", 0), ("start", "dummy", "srv01", 0),
                        ("monitor", "dummy", "srv01", 10000)]
    assert t.summary() == ["  * Recover    dummy   ( srv02 -> srv01 )"]
    assert t.scores[("dummy", "srv02")] == -1_000_000


def test_standby_moves_away(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cluster.node("srv01").standby = True
    t = plan(demo_config(), cluster.status)
    assert t.summary() == ["  * Move       dummy   ( srv01 -> srv02 )"]


def test_deterministic(cluster: Cluster) -> None:
    cluster.running("dummy", "srv01")
    cfg = demo_config(loc("cli-prefer-dummy", "dummy", "srv02"), loc("cli-ban", "dummy", "srv01", "-inf"))
    first, second = plan(cfg, cluster.status), plan(cfg, cluster.status)
    assert first.actions == second.actions and first.summary() == second.summary()
    assert first.score_lines() == second.score_lines()
