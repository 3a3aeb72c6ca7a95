"""The executor: environment, timeouts, exit-code mapping, missing agents, other classes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from support.waiting import wait_for

from crmsh_py.engine.executor import PCMK_EXEC_ERROR, PCMK_EXEC_NOT_INSTALLED, PCMK_EXEC_TIMEOUT, map_ocf_rc


def _proc_group_members(pgid: int) -> list[tuple[int, str]]:
    """(pid, state) of every process in group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()
        if int(fields[2]) == pgid:
            members.append((int(stat.parent.name), fields[0]))
    return members


def test_op_sleep_past_timeout_is_killed_quickly(op, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    from crmsh_py.agents import process

    real = process.run_process

    def spy(*args, **kwargs):  # remember the agent's process group
        outcome = real(*args, **kwargs)
        seen.append(outcome.pgid)
        return outcome

    monkeypatch.setattr("crmsh_py.engine.executor.run_process", spy)
    # the agent would sleep 120 s: an op cut at its 0.5 s timeout ends far sooner, however loaded the
    # machine (the bound only separates "cut" from "ran to the end", it is no speed requirement)
    result = op("ocf:pacemaker:Dummy", "start", params={"op_sleep": "120"}, timeout=0.5)
    assert (result.rc, result.op_status) == (1, PCMK_EXEC_TIMEOUT)
    assert 400 <= result.exec_ms < 60_000
    # the agent's sleep died with it (orphans may linger as zombies until init reaps them)
    assert wait_for(lambda: all(state == "Z" for _, state in _proc_group_members(seen[0])))


def test_op_sleep_within_timeout_completes(op) -> None:
    result = op("ocf:pacemaker:Dummy", "start", params={"op_sleep": "0.2"}, timeout=5)
    assert (result.rc, result.op_status) == (0, 0)
    assert result.exec_ms >= 200


@pytest.mark.parametrize(("status", "expected"), [(0, 0), (7, 7), (9, 9), (190, 190), (191, 191), (10, 1),
                                                  (42, 1), (255, 1), (-1, 1)])
def test_rc_mapping(status: int, expected: int) -> None:
    assert map_ocf_rc(status) == expected


@pytest.fixture
def custom_agents(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A user agent directory (CRM_OCF_PATH) with provider ``test``."""
    resource_d = tmp_path / "ocf" / "resource.d"
    (resource_d / "test").mkdir(parents=True)
    return resource_d, {"CRM_OCF_PATH": str(resource_d)}


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _agent(resource_d: Path, name: str, body: str) -> None:
    script = resource_d / "test" / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)


def test_environment_of_an_agent(op, custom_agents, node_dirs, tmp_path: Path, monkeypatch) -> None:
    resource_d, env = custom_agents
    dump = tmp_path / "env.txt"
    _agent(resource_d, "EnvDump", f'env > "{dump}"\nexit 0\n')
    monkeypatch.setenv("OCF_RESKEY_stray", "leaked")
    result = op("ocf:test:EnvDump", "monitor", rsc="e1", params={"ip": "10.0.0.1", "fake": "x y"},
                meta={"clone-max": "2", "target-role": "Started"}, node="srv02", timeout=3.5, interval=10000,
                search_env=env)
    assert (result.rc, result.op_status) == (0, 0)
    seen = dict(line.split("=", 1) for line in dump.read_text().splitlines() if "=" in line)
    assert seen["OCF_ROOT"] == str(resource_d.parent)
    assert seen["OCF_RESOURCE_INSTANCE"] == "e1"
    assert seen["OCF_RESOURCE_TYPE"] == "EnvDump"
    assert seen["OCF_RESOURCE_PROVIDER"] == "test"
    assert seen["OCF_RESKEY_ip"] == "10.0.0.1"
    assert seen["OCF_RESKEY_fake"] == "x y"
    assert seen["OCF_RESKEY_CRM_meta_clone_max"] == "2"
    assert seen["OCF_RESKEY_CRM_meta_target_role"] == "Started"
    assert seen["OCF_RESKEY_CRM_meta_interval"] == "10000"
    assert seen["OCF_RESKEY_CRM_meta_timeout"] == "3500"
    assert seen["OCF_RESKEY_CRM_meta_on_node"] == "srv02"
    assert seen["HA_RSCTMP"] == str(node_dirs["srv02"])
    assert seen["HA_LOGFACILITY"] == "none"
    assert "OCF_RESKEY_stray" not in seen
    assert node_dirs["srv02"].is_dir()
    assert list(node_dirs["srv02"].iterdir()) == []  # the per-action attribute file is gone


def test_unknown_exit_code_and_garbage_output(op, custom_agents) -> None:
    resource_d, env = custom_agents
    _agent(resource_d, "Weird", "printf '\\377\\376 garbage\\n'\nexit 42\n")
    result = op("ocf:test:Weird", "start", search_env=env)
    assert (result.rc, result.op_status) == (1, 0)
    assert "garbage" in result.output


def test_degraded_code_is_kept(op, custom_agents) -> None:
    resource_d, env = custom_agents
    _agent(resource_d, "Degraded", "exit 190\n")
    assert op("ocf:test:Degraded", "monitor", search_env=env, interval=1000).rc == 190


def test_agent_killed_by_signal(op, custom_agents) -> None:
    resource_d, env = custom_agents
    _agent(resource_d, "Suicidal", "kill -9 $$\n")
    result = op("ocf:test:Suicidal", "start", search_env=env)
    assert (result.rc, result.op_status) == (1, PCMK_EXEC_ERROR)


def test_backgrounded_child_does_not_block(op, custom_agents) -> None:
    resource_d, env = custom_agents
    child = resource_d / "child.pid"
    _agent(resource_d, "Daemon", f"sleep 600 &\necho $! > {child}\necho started\nexit 0\n")
    result = op("ocf:test:Daemon", "start", search_env=env, timeout=10)
    assert (result.rc, result.output) == (0, "started\n")
    # the op returned while its backgrounded child still runs: it did not wait for the child
    pid = int(child.read_text())
    try:
        assert _alive(pid)
    finally:
        os.kill(pid, signal.SIGKILL)


def test_missing_agent(op) -> None:
    result = op("ocf:heartbeat:NoSuchAgent", "start")
    assert (result.rc, result.op_status) == (5, PCMK_EXEC_NOT_INSTALLED)
    assert op("ocf:heartbeat:../../../bin/true", "start").rc == 5
    assert op("nagios:check_x", "start").rc == 5


def test_stonith_resource_ops(op, node_dirs) -> None:
    params = {"hostlist": "srv01 srv02"}
    assert op("stonith:external/ssh", "monitor", rsc="fence", params=params).rc == 7
    assert op("stonith:external/ssh", "start", rsc="fence", params=params).rc == 0
    assert op("stonith:external/ssh", "monitor", rsc="fence", params=params, interval=3600000).rc == 0
    assert op("stonith:external/ssh", "monitor", rsc="fence", params=params, node="srv02").rc == 7
    assert op("stonith:external/ssh", "stop", rsc="fence", params=params).rc == 0
    assert op("stonith:external/ssh", "monitor", rsc="fence", params=params).rc == 7
    missing = op("stonith:external/ssh", "start", rsc="fence")
    assert missing.rc == 6 and "hostlist" in missing.output
    assert op("stonith:no-such-plugin", "start", rsc="fence").rc == 5


@pytest.mark.skipif(not os.access("/etc/init.d/ssh", os.X_OK), reason="no /etc/init.d/ssh on this machine")
def test_lsb_resources_are_simulated(op, node_dirs) -> None:
    assert op("lsb:ssh", "monitor", rsc="sshd").rc == 7
    assert op("lsb:ssh", "start", rsc="sshd").rc == 0
    assert op("lsb:ssh", "monitor", rsc="sshd").rc == 0
    assert op("lsb:ssh", "monitor", rsc="sshd", node="srv02").rc == 7
    assert op("lsb:ssh", "stop", rsc="sshd").rc == 0
    assert op("lsb:ssh", "status", rsc="sshd").rc == 7
    assert op("lsb:no-such-script", "start", rsc="x").rc == 5
