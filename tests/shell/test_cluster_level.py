"""`crm cluster init` options and `crm cluster run` on the bundled cluster, as a user runs them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.ours import crm_process as crm

from crmsh_py.errors import CommandError
from crmsh_py.shell.levels.cluster import parse_init_args


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {"nodes": ["srv01", "srv02"]}),
        (["--nodes", "a,b,c"], {"nodes": ["a", "b", "c"]}),
        (["--nodes=a,b", "c"], {"nodes": ["a", "b", "c"]}),
        (["--name", "demo", "--stack=Heartbeat", "--version", "1.0.11"],
         {"nodes": ["srv01", "srv02"], "name": "demo", "stack": "Heartbeat", "version": "1.0.11"}),
    ],
)
def test_init_arguments(args: list[str], expected: dict[str, object]) -> None:
    assert parse_init_args(args) == expected


@pytest.mark.parametrize(("args", "message"), [(["--bogus"], "unknown option --bogus"),
                                                (["--name"], "--name needs a value")])
def test_init_bad_arguments(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_init_args(args)


def test_init_heartbeat_cluster_shows_the_demo_layout(env: dict[str, str]) -> None:
    made = crm(env, "cluster", "init", "--name", "demo", "--stack", "Heartbeat",
               "--version", "1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87")
    assert made.returncode == 0, made.stderr
    demo = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"
    assert crm(env, "configure", "load", "update", str(demo)).returncode == 0
    status = crm(env, "status").stdout.splitlines()
    assert status[0] == "============"
    assert status[2:8] == [
        "Stack: Heartbeat",
        "Current DC: srv02 (22222222-2222-2222-2222-222222222222) - partition with quorum",
        "Version: 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87",
        "2 Nodes configured, unknown expected votes",
        "1 Resources configured.",
        "============",
    ]
    assert status[-1] == "dummy  (ocf::heartbeat:Dummy): Started srv01"
    again = crm(env, "cluster", "init")
    assert again.returncode == 1
    assert "a cluster already exists" in again.stderr


def test_cluster_run_on_every_simulated_node(env: dict[str, str]) -> None:
    ran = crm(env, "cluster", "run", "echo $CRM_NODE; basename $(pwd)")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "[srv01] exit 0\nsrv01\nsrv01\n[srv02] exit 0\nsrv02\nsrv02\n"


def test_cluster_run_on_chosen_nodes_and_failures(env: dict[str, str]) -> None:
    ran = crm(env, "cluster", "run", "exit 3", "srv02")
    assert ran.returncode == 1
    assert ran.stdout == "[srv02] exit 3\n"
    assert "the command failed on srv02" in ran.stderr
    unknown = crm(env, "cluster", "run", "true", "srv09")
    assert unknown.returncode == 1
    assert "unknown node srv09 (nodes: srv01 srv02)" in unknown.stderr


def test_cluster_start_inject_status_stop_through_crm_engine(env: dict[str, str]) -> None:
    demo = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"
    assert crm(env, "configure", "load", "update", str(demo)).returncode == 0
    try:
        started = crm(env, "-R", "cluster", "start")
        assert started.returncode == 0, started.stderr
        assert started.stdout.startswith(".EXT crm_engine start\nEngine daemon started (pid ")
        status = crm(env, "cluster", "status")
        assert status.returncode == 0
        assert status.stdout.splitlines()[:3] == [status.stdout.splitlines()[0], "Online: [ srv01 srv02 ]",
                                                 "Current DC: srv02"]
        assert status.stdout.startswith("Engine daemon: running (pid ")
        injected = crm(env, "-R", "cluster", "inject", "op", "dummy_monitor_10000@srv01=7")
        assert injected.returncode == 0, injected.stderr
        assert injected.stdout.startswith(".EXT crm_engine inject op 'dummy_monitor_10000@srv01=7'\n")
        mon = crm(env, "status", "failcounts").stdout
        assert "dummy\t(ocf:heartbeat:Dummy):\t Started srv02" in mon
        assert "dummy: migration-threshold=1 fail-count=1" in mon
        bad = crm(env, "cluster", "inject", "explode", "srv01")
        assert bad.returncode == 1 and "usage: inject" in bad.stderr
    finally:
        stopped = crm(env, "cluster", "stop")
    assert stopped.returncode == 0, stopped.stderr
    after = crm(env, "cluster", "status")
    assert after.stdout.startswith("Engine daemon: stopped\n")
