"""The daemon at work: recurring monitors notice failures, the cluster recovers, failures expire,
fenced nodes come back (the issue's acceptance scenario)."""

from __future__ import annotations

from daemon_helpers import DEMO, HANG_CONFIG, STONITH, install_hang_agent, make_cluster, tool, wait_for


def _mon(env: dict[str, str]) -> str:
    return tool(["crm_mon", "-1", "-f"], env)[1]


def test_acceptance_monitor_failure_cleanup_and_node_fail(cluster_env) -> None:
    cluster = make_cluster(cluster_env.directory, STONITH, reboot_delay=1.0)
    env = cluster_env.env
    assert tool(["crm_engine", "start"], env)[0] == 0
    assert "dummy\t(ocf:heartbeat:Dummy):\t Started srv01" in _mon(env)

    # dummy's state vanishes behind the cluster's back on srv01
    (cluster.rsctmp("srv01") / "Dummy-dummy.state").unlink()
    mon = wait_for(lambda: (lambda m: m if "Started srv02" in m and "fail-count=1" in m else "")(_mon(env)))
    assert mon, _mon(env)
    assert "* Node: srv01:\n    * dummy: migration-threshold=1 fail-count=1 last-failure=" in mon
    assert "Failed Resource Actions:\n  * dummy 1s-interval monitor on srv01 returned 'not running'" in mon
    log = (cluster_env.directory / "ha-log").read_text()
    assert "error: Result of monitor (interval 1000ms) operation for dummy on srv01: not running" in log
    assert "Recover" in log

    # crm_resource -C clears the failure; stickiness keeps dummy where it is
    assert tool(["crm_resource", "-C", "-r", "dummy"], env)[0] == 0
    mon = _mon(env)
    assert "fail-count" not in mon and "Failed Resource Actions" not in mon and "Started srv02" in mon

    # srv02 is lost: it is fenced through st, dummy recovers on srv01, srv02 reboots and rejoins
    rc, out, err = tool(["crm_engine", "inject", "node-fail", "srv02"], env)
    assert rc == 0 and out == "Node srv02 failed\n" and err == ""
    mon = _mon(env)
    assert "OFFLINE: [ srv02 ]" in mon and "dummy\t(ocf:heartbeat:Dummy):\t Started srv01" in mon
    history = tool(["stonith_admin", "--history", "srv02"], env)[1]
    assert "reboot of srv02 successful" in history
    assert wait_for(lambda: "Online: [ srv01 srv02 ]" in _mon(env)), _mon(env)
    assert "Started srv01" in _mon(env)  # stickiness: it stays after srv02 is back
    log = (cluster_env.directory / "ha-log").read_text()
    assert "Node srv02 is rebooting; it rejoins in 1s" in log
    assert "Node srv02 rebooted and rejoined the cluster" in log

    rc, out, _ = tool(["crm_engine", "stop"], env)
    assert rc == 0 and out.endswith(")\n") and "Engine daemon stopped" in out


def test_monitors_run_where_the_resource_runs(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    tool(["crm_engine", "start"], env)
    tool(["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"], env)
    cib_before = (cluster_env.directory / "cib.xml").read_text()
    import time

    time.sleep(2.5)
    # healthy repeats are not written: the CIB stays still while dummy is fine
    assert (cluster_env.directory / "cib.xml").read_text() == cib_before
    # a failure on srv01 (where dummy does not run) goes unnoticed: nothing monitors it there
    (cluster_env.directory / "nodes" / "srv02" / "rsctmp" / "Dummy-dummy.state").unlink()
    assert wait_for(lambda: "fail-count=1" in _mon(env))
    assert "* Node: srv02:" in _mon(env)


def test_failure_timeout_expires_the_fail_count(cluster_env) -> None:
    config = DEMO.replace("migration-threshold=1", "migration-threshold=1 failure-timeout=2s")
    make_cluster(cluster_env.directory, config)
    env = cluster_env.env
    tool(["crm_engine", "start"], env)
    assert tool(["crm_engine", "inject", "op", "dummy_monitor_1000@srv01=7"], env)[0] == 0
    mon = _mon(env)
    assert "fail-count=1" in mon and "Started srv02" in mon
    assert wait_for(lambda: "fail-count" not in _mon(env)), _mon(env)
    mon = _mon(env)
    assert "Failed Resource Actions" not in mon and "Started srv02" in mon
    log = (cluster_env.directory / "ha-log").read_text()
    assert "Clearing failure of dummy (monitor_1000) on srv01 because it expired (failure-timeout=2s)" in log


def test_a_hanging_monitor_times_out_and_recovers(cluster_env, tmp_path) -> None:
    env = cluster_env.env
    env["CRM_OCF_PATH"] = str(install_hang_agent(tmp_path))
    cluster = make_cluster(cluster_env.directory, HANG_CONFIG, env=env)
    tool(["crm_engine", "start"], env)
    assert "Started srv01" in _mon(env)
    (cluster.rsctmp("srv01") / "hang").touch()
    mon = wait_for(lambda: (lambda m: m if "Started srv02" in m else "")(_mon(env)))
    assert "fail-count=1" in mon
    assert "* h 1s-interval monitor on srv01 could not be executed (Timed Out) at" in mon


def test_a_rebooting_node_stopped_meanwhile_stays_down(cluster_env) -> None:
    make_cluster(cluster_env.directory, STONITH, reboot_delay=1.0)
    env = cluster_env.env
    tool(["crm_engine", "start"], env)
    tool(["crm_engine", "inject", "node-fail", "srv02"], env)
    assert tool(["crm_engine", "stop", "srv02"], env)[0] == 0
    import time

    time.sleep(2.0)  # past the reboot delay
    mon = _mon(env)
    assert "OFFLINE: [ srv02 ]" in mon and "Started srv01" in mon
