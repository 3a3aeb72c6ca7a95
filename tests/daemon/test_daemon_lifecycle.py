"""crm_engine start / stop / status: one daemon per cluster, stale pid files, clean shutdown."""

from __future__ import annotations

import os
import signal

from daemon_helpers import DEMO, HANG_CONFIG, daemon_processes, install_hang_agent, make_cluster, pid_of, tool, wait_for

from crmsh_py.engine import daemon_control


def test_start_status_stop(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    rc, out, _ = tool(["crm_engine", "start"], cluster_env.env)
    assert rc == 0
    pid = pid_of(cluster_env.directory)
    assert pid is not None and f"Engine daemon started (pid {pid})" in out
    assert daemon_processes(cluster_env.directory) == [pid]

    rc, out, _ = tool(["crm_engine", "status"], cluster_env.env)
    assert rc == 0
    assert out.splitlines() == [f"Engine daemon: running (pid {pid})", "Online: [ srv01 srv02 ]",
                                "Current DC: srv02"]

    rc, out, _ = tool(["crm_engine", "stop"], cluster_env.env)
    assert rc == 0
    assert out.splitlines() == ["Node srv01 is offline", "Node srv02 is offline", f"Engine daemon stopped (pid {pid})"]
    assert not daemon_processes(cluster_env.directory)
    assert not (cluster_env.directory / "engine.pid").exists()
    rc, out, _ = tool(["crm_engine", "status"], cluster_env.env)
    assert rc == 7
    assert out.splitlines() == ["Engine daemon: stopped", "Online: [ ]", "OFFLINE: [ srv01 srv02 ]",
                                "Current DC: NONE"]
    rc, out, _ = tool(["crm_mon", "-1"], cluster_env.env)
    assert "No active resources" in out  # resources were stopped cleanly
    log = (cluster_env.directory / "ha-log").read_text()
    assert "Result of stop operation for dummy on srv01: ok" in log
    assert "Engine daemon stopped" in log


def test_start_twice_is_harmless(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    assert tool(["crm_engine", "start"], cluster_env.env)[0] == 0
    pid = pid_of(cluster_env.directory)
    rc, out, _ = tool(["crm_engine", "start"], cluster_env.env)
    assert rc == 0 and out.splitlines() == [f"Engine daemon already running (pid {pid})"]
    assert daemon_processes(cluster_env.directory) == [pid]


def test_a_second_daemon_process_exits_quietly(cluster_env) -> None:
    import subprocess

    make_cluster(cluster_env.directory, DEMO)
    tool(["crm_engine", "start"], cluster_env.env)
    pid = pid_of(cluster_env.directory)
    second = subprocess.run(daemon_control.daemon_argv(cluster_env.directory), env=cluster_env.env,
                            capture_output=True, text=True, timeout=20, check=False)
    assert second.returncode == 0
    assert pid_of(cluster_env.directory) == pid


def test_stale_pid_file_is_detected_and_cleaned(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    tool(["crm_engine", "start"], cluster_env.env)
    pid = pid_of(cluster_env.directory)
    os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: not daemon_control.process_alive(pid))
    assert (cluster_env.directory / "engine.pid").read_text().strip() == str(pid)  # left behind
    rc, out, _ = tool(["crm_engine", "status"], cluster_env.env)
    assert rc == 7 and "Engine daemon: stopped" in out
    assert not (cluster_env.directory / "engine.pid").exists()

    # a pid file naming a live process that is not our daemon is stale too
    (cluster_env.directory / "engine.pid").write_text(f"{os.getpid()}\n")
    rc, out, _ = tool(["crm_engine", "start"], cluster_env.env)
    assert rc == 0
    assert f"Removed a stale pid file (process {os.getpid()} is not running)" in out
    new_pid = pid_of(cluster_env.directory)
    assert new_pid not in (None, pid, os.getpid())


def test_stopping_nodes_one_by_one(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    tool(["crm_engine", "start"], cluster_env.env)
    pid = pid_of(cluster_env.directory)
    rc, out, _ = tool(["crm_engine", "stop", "srv01"], cluster_env.env)
    assert rc == 0 and out.splitlines() == ["Node srv01 is offline"]
    assert pid_of(cluster_env.directory) == pid  # srv02 is still up: the daemon keeps running
    _, mon, _ = tool(["crm_mon", "-1"], cluster_env.env)
    assert "OFFLINE: [ srv01 ]" in mon and "Started srv02" in mon  # dummy moved away first
    _, out, _ = tool(["crm_engine", "status"], cluster_env.env)
    assert "Current DC: srv02" in out
    rc, out, _ = tool(["crm_engine", "stop", "srv02"], cluster_env.env)
    assert out.splitlines() == ["Node srv02 is offline", f"Engine daemon stopped (pid {pid})"]
    rc, out, _ = tool(["crm_engine", "start", "srv01"], cluster_env.env)
    assert rc == 0 and "Node srv01 is online" in out and "srv02" not in out
    _, mon, _ = tool(["crm_mon", "-1"], cluster_env.env)
    assert "Online: [ srv01 ]" in mon and "Started srv01" in mon


def test_sigterm_finishes_the_current_operation(cluster_env, tmp_path) -> None:
    cluster_env.env["CRM_OCF_PATH"] = str(install_hang_agent(tmp_path))
    cluster = make_cluster(cluster_env.directory, HANG_CONFIG, env=cluster_env.env)
    tool(["crm_engine", "start"], cluster_env.env)
    pid = pid_of(cluster_env.directory)
    node = "srv01" if (cluster.rsctmp("srv01") / "Hang-h.state").exists() else "srv02"
    (cluster.rsctmp(node) / "hang").touch()
    assert wait_for(lambda: (cluster.rsctmp(node) / "hanging").exists())
    os.kill(pid, signal.SIGTERM)
    assert wait_for(lambda: not daemon_control.process_alive(pid))
    assert not (cluster_env.directory / "engine.pid").exists()
    # the monitor in flight ran to its own end (its 2 s timeout) before the daemon stopped: the order
    # of the log says so, whatever the machine's load made of the wall-clock times
    log = (cluster_env.directory / "ha-log").read_text()
    finished = log.find(f"Result of monitor (interval 1000ms) operation for h on {node}: timed out")
    assert 0 <= finished < log.find("Engine daemon stopped"), log
    _, mon, _ = tool(["crm_mon", "-1"], cluster_env.env)
    other = "srv02" if node == "srv01" else "srv01"
    assert f"Started {other}" in mon  # the recovery the timeout caused was completed before exiting


def test_console_script_returns_at_once(cluster_env) -> None:
    """The detached daemon holds none of the caller's pipes: ``$(crm_engine start)`` returns."""
    import shutil
    import subprocess

    script = shutil.which("crm_engine")
    if script is None:
        import pytest

        pytest.skip("the crm_engine console script is not installed (pip install -e .)")
    make_cluster(cluster_env.directory, DEMO)
    started = subprocess.run([script, "start"], env=cluster_env.env, capture_output=True, text=True, timeout=20,
                             check=False)
    assert started.returncode == 0 and started.stdout.startswith("Engine daemon started (pid ")
    status = subprocess.run([script, "status"], env=cluster_env.env, capture_output=True, text=True, timeout=20,
                            check=False)
    assert status.returncode == 0 and "Current DC: srv02" in status.stdout
    stopped = subprocess.run([script, "stop"], env=cluster_env.env, capture_output=True, text=True, timeout=40,
                             check=False)
    assert stopped.returncode == 0 and "Engine daemon stopped" in stopped.stdout
    assert not daemon_processes(cluster_env.directory)
