"""``crm history`` on scripted scenarios of the bundled cluster, checked line by line.

Every command runs as its own process (as typed at a prompt), so the log tells them apart by PID.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hist_helpers import DEMO, STONITH, cluster_env, normalized, sh

DEMO_1S = DEMO.replace("interval=10s", "interval=1s")


@pytest.fixture
def moved(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The demo cluster after `crm resource move dummy srv02 force`."""
    d = tmp_path / "c"
    env = cluster_env(d)
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], env).rc == 0
    return d, env


def test_move_events(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    result = sh(["crm", "history", "events"], env)
    assert result.rc == 0, result.err
    assert normalized(result.out, d) == [
        "srv01 pacemaker-controld[PID] notice: Initiating start operation dummy_start_0 on srv01",
        "srv01 pacemaker-controld[PID] info: Result of start operation for dummy on srv01: ok",
        "srv01 pacemaker-controld[PID] notice: Initiating stop operation dummy_stop_0 on srv01",
        "srv01 pacemaker-controld[PID] info: Result of stop operation for dummy on srv01: ok",
        "srv01 pacemaker-controld[PID] notice: Initiating start operation dummy_start_0 on srv02",
        "srv02 pacemaker-controld[PID] info: Result of start operation for dummy on srv02: ok",
    ]


def test_move_commands_timeline(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    result = sh(["crm", "history", "commands"], env)
    assert result.rc == 0, result.err
    assert normalized(result.out, d) == [
        "TIME USER on -: crm configure load update D/setup.crm",
        "    ran cibadmin -Q",
        # the agent exists, its parameters (crmsh's checks): one run, the session keeps the answer
        "    ran crm_resource --show-metadata ocf:heartbeat:Dummy",
        "    ran cibadmin -Q",
        "    ran crm_verify --xml-pipe",
        "    ran cibadmin --patch --xml-pipe",
        "    dummy started on srv01 in transition 0 (pe-input-0), N s after "
        "'crm configure load update D/setup.crm' by USER on -",
        "TIME USER on -: crm resource move dummy srv02 force",
        "    ran crm_resource -M -r dummy --node=srv02 --force",
        "    dummy moved srv01 -> srv02 in transition 2 (pe-input-2), N s after "
        "'crm resource move dummy srv02 force' by USER on -",
        "TIME USER on -: crm history commands",
    ]


def test_move_commands_json_and_latest(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    data = json.loads(sh(["crm", "history", "commands", "json"], env).out)
    move = data["commands"][1]
    assert move["command"] == "crm resource move dummy srv02 force"
    assert move["lowlevel"] == ["crm_resource -M -r dummy --node=srv02 --force"]
    assert [t["changes"] for t in move["transitions"]] == [["dummy moved srv01 -> srv02"], []]
    assert move["transitions"][0]["actions"][0] == {"task": "stop", "resource": "dummy", "node": "srv01",
                                                    "interval_ms": 0, "result": "ok"}
    latest = sh(["crm", "history", "transition", "2"], env)
    lines = normalized(latest.out, d)
    assert lines[:4] == ["Transition srv01:pe-input-2 (T - T):", "\ttotal 3 actions: 3 Complete",
                         "\tdummy moved srv01 -> srv02", ""]
    assert "  * Move       dummy   ( srv01 -> srv02 )" in lines
    log = normalized(sh(["crm", "history", "transition", "2", "log"], env).out, d)
    assert log[0] == "srv01 pacemaker-schedulerd[PID] notice: Calculated transition 2, saving inputs in " \
                     "D/pengine/pe-input-2.bz2"
    assert log[-1].endswith("Source=D/pengine/pe-input-2.bz2): Complete")
    diff = sh(["crm", "history", "diff", "1", "2"], env).out.splitlines()
    assert diff == ["--- 1", "+++ 2", "@@ -6,0 +7,2 @@",
                    "+location cli-ban-dummy-on-srv01 dummy role=Started -inf: srv01",
                    "+location cli-prefer-dummy dummy role=Started inf: srv02"]


def test_failure_is_recovered_and_attributed_to_the_cluster(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert sh(["crm_engine", "inject", "op", "dummy_monitor_10000@srv01=7"], env).rc == 0
    result = sh(["crm", "history", "resource", "dummy"], env)
    assert normalized(result.out, d)[-5:] == [
        "srv01 pacemaker-controld[PID] error: Result of monitor (interval 10000ms) operation for dummy on srv01: "
        "not running",
        "srv01 pacemaker-controld[PID] notice: Initiating stop operation dummy_stop_0 on srv01",
        "srv01 pacemaker-controld[PID] info: Result of stop operation for dummy on srv01: ok",
        "srv01 pacemaker-controld[PID] notice: Initiating start operation dummy_start_0 on srv02",
        "srv02 pacemaker-controld[PID] info: Result of start operation for dummy on srv02: ok",
    ]
    timeline = normalized(sh(["crm", "history", "commands"], env).out, d)
    assert timeline[-4:] == [
        "TIME ? on ?: crm_engine inject op dummy_monitor_10000@srv01=7",
        "    dummy recovered srv01 -> srv02 after monitor failed on srv01 (not running) in transition 2 "
        "(pe-input-2), N s after 'crm_engine inject op dummy_monitor_10000@srv01=7' by ? on ?",
        "TIME USER on -: crm history resource dummy",
        "TIME USER on -: crm history commands",
    ]


def test_fencing_history(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d, STONITH)
    assert sh(["crm_engine", "inject", "node-fail", "srv02"], env).rc == 0
    nodes = normalized(sh(["crm", "history", "node", "srv02"], env).out, d)
    assert nodes == [
        "srv02 pacemaker-controld[PID] warning: Node srv02 was lost without shutting down (unclean)",
        "srv01 pacemaker-controld[PID] info: Node srv02 rebooted and rejoined the cluster",
        "srv01 pacemaker-fenced[PID] notice: Operation 'reboot' targeting srv02 by srv01 for pacemaker-controld: "
        "OK (device st; peer is no longer part of the cluster)",
    ]
    latest = normalized(sh(["crm", "history", "transition", "pe-warn-0"], env).out, d)
    assert latest[:4] == ["Transition srv01:pe-warn-0 (T - T):", "\ttotal 2 actions: 2 Complete",
                          "\tnode srv02 fenced", "\tst started on srv01"]
    assert "  * Fence (reboot) srv02 'peer is no longer part of the cluster'" in latest
    info = sh(["crm", "history", "info"], env).out.splitlines()
    assert info[0] == "Source: live" and info[4] == "Nodes: srv01 srv02"
    assert info[7] == "Resources: dummy st" and info[8] == "Transitions: 0 1 pe-warn-0 2"


def test_log_latest_and_wdiff(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    srv02 = normalized(sh(["crm", "history", "log", "srv02"], env).out, d)
    assert srv02 and all(line.startswith("srv02 ") for line in srv02)
    assert "srv02 pacemaker-controld[PID] info: Result of start operation for dummy on srv02: ok" in srv02
    latest = normalized(sh(["crm", "history", "latest"], env).out, d)
    assert latest == ["Transition srv01:pe-input-3 (T - T):", "\ttotal 0 actions"]
    wdiff = sh(["crm", "history", "wdiff", "1", "2"], env).out
    assert "{+location cli-ban-dummy-on-srv01 dummy role=Started -inf: srv01" in wdiff
    assert "[-" not in wdiff


def test_daemon_recovers_a_failed_monitor_and_history_says_so(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d, DEMO_1S)
    assert sh(["crm", "cluster", "start"], env).rc == 0
    try:
        state = d / "nodes" / "srv01" / "rsctmp" / "Dummy-dummy.state"
        assert state.exists()
        state.unlink()  # behind the cluster's back: the next monitor finds it stopped
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "dummy recovered" in sh(["crm", "history", "commands"], env).out:
                break
            time.sleep(0.5)
    finally:
        sh(["crm", "cluster", "stop"], env)
    timeline = normalized(sh(["crm", "history", "commands"], env).out, d)
    cluster = [line for line in timeline if " cluster: " in line]
    assert cluster and cluster[0].startswith("TIME cluster: transition ")
    assert cluster[0].endswith("dummy recovered srv01 -> srv02 after monitor failed on srv01 (not running)")
