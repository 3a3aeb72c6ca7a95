"""crm_engine inject without the daemon: every event is applied and settled synchronously."""

from __future__ import annotations

import pytest
from daemon_helpers import DEMO, STONITH, make_cluster, tool

from crmsh_py.engine.inject import OpInjection, parse_op_spec
from crmsh_py.errors import CommandError


def _mon(env: dict[str, str]) -> str:
    return tool(["crm_mon", "-1", "-f"], env)[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("dummy_monitor_10000@srv01=7", OpInjection("dummy", "monitor", 10000, "srv01", 7)),
    ("my_rsc_start_0@srv02=1", OpInjection("my_rsc", "start", 0, "srv02", 1)),
    ("vm_migrate_to_0@srv01=0", OpInjection("vm", "migrate_to", 0, "srv01", 0)),
    ("a_stop_monitor_0@n1=0", OpInjection("a_stop", "monitor", 0, "n1", 0)),
])
def test_parse_op_spec(text: str, expected: OpInjection) -> None:
    assert parse_op_spec(text) == expected


@pytest.mark.parametrize("text", ["dummy_monitor@srv01=7", "dummy_monitor_10000=7", "dummy_monitor_1000@srv01",
                                  "dummy_bogus_0@srv01=1", "_monitor_0@srv01=0"])
def test_parse_op_spec_rejects(text: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_op_spec(text)
    assert info.value.exit_code == 64 and "RSC_TASK_INTERVALMS@NODE=RC" in info.value.text


def test_inject_op_failure_moves_the_resource(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    rc, out, err = tool(["crm_engine", "inject", "op", "dummy_monitor_1000@srv01=7"], env)
    assert (rc, out, err) == (0, "Injected dummy_monitor_1000 on srv01: rc=7\n", "")
    mon = _mon(env)
    assert "Started srv02" in mon and "fail-count=1" in mon
    assert "* dummy 1s-interval monitor on srv01 returned 'not running'" in mon
    log = (cluster_env.directory / "ha-log").read_text()
    assert "Injecting result 7 of dummy_monitor_1000 on srv01" in log


def test_inject_op_errors(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    rc, _, err = tool(["crm_engine", "inject", "op", "dummy_monitor@srv01=7"], env)
    assert rc == 64 and "invalid operation spec 'dummy_monitor@srv01=7'" in err
    rc, _, err = tool(["crm_engine", "inject", "op", "nosuch_monitor_1000@srv01=7"], env)
    assert rc == 105 and "resource 'nosuch' not found" in err
    rc, _, err = tool(["crm_engine", "inject", "op", "dummy_monitor_1000@srv09=7"], env)
    assert rc == 105 and "node 'srv09' is not part of the cluster" in err
    rc, _, err = tool(["crm_engine", "inject", "reboot", "srv01"], env)
    assert rc == 64 and "usage" in err
    assert "fail-count" not in _mon(env)  # nothing was applied


def test_node_down_and_up(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    assert tool(["crm_engine", "inject", "node-down", "srv01"], env)[1] == "Node srv01 is offline\n"
    mon = _mon(env)
    assert "OFFLINE: [ srv01 ]" in mon and "Started srv02" in mon
    assert tool(["crm_engine", "inject", "node-up", "srv01"], env)[1] == "Node srv01 is online\n"
    mon = _mon(env)
    assert "Online: [ srv01 srv02 ]" in mon and "Started srv02" in mon
    assert tool(["crm_engine", "inject", "node-up", "srv01"], env) == (0, "", "")  # already up


def test_node_fail_is_fenced_and_back_at_once_without_daemon(cluster_env) -> None:
    cluster = make_cluster(cluster_env.directory, STONITH)
    env = cluster_env.env
    assert (cluster.rsctmp("srv01") / "Dummy-dummy.state").exists()
    rc, out, err = tool(["crm_engine", "inject", "node-fail", "srv01"], env)
    assert (rc, out, err) == (0, "Node srv01 failed\n", "")
    mon = _mon(env)
    assert "Online: [ srv01 srv02 ]" in mon and "dummy\t(ocf:heartbeat:Dummy):\t Started srv02" in mon
    assert not (cluster.rsctmp("srv01") / "Dummy-dummy.state").exists()  # died with the node
    assert "reboot of srv01 successful" in tool(["stonith_admin", "--history", "srv01"], env)[1]


def test_node_fail_without_a_device_blocks_recovery(cluster_env) -> None:
    # Pacemaker 2.1.5 starts nothing while stonith-enabled=true has no device ("Resource start-up
    # disabled since no STONITH resources have been defined"), so the resource is started first
    # and fencing is enabled afterwards: it then stays where it is, unmanaged.
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    assert "Started srv01" in _mon(env)
    rc, _, err = tool(["crm_attribute", "--type", "crm_config", "--name", "stonith-enabled", "--update", "true"],
                      env)
    assert rc == 0, err
    assert "Started srv01" in _mon(env)
    rc, out, err = tool(["crm_engine", "inject", "node-fail", "srv01"], env)
    assert rc == 0 and out == "Node srv01 failed\n"
    assert "crm_engine: warning: recovery blocked: fencing of srv01 is needed but no stonith device is " \
           "configured" in err
    mon = _mon(env)
    assert "Started srv02" not in mon and "UNCLEAN" in mon
    log = (cluster_env.directory / "ha-log").read_text()
    assert "Recovery blocked: fencing of srv01 is needed" in log


def test_node_fail_with_stonith_disabled_recovers_elsewhere(cluster_env) -> None:
    make_cluster(cluster_env.directory, DEMO)
    env = cluster_env.env
    rc, _, err = tool(["crm_engine", "inject", "node-fail", "srv01"], env)
    assert rc == 0 and err == ""
    assert "Started srv02" in _mon(env)
    rc, _, err = tool(["crm_engine", "inject", "node-fail", "srv01"], env)
    assert rc == 105 and "node 'srv01' is not online" in err


def test_usage_and_cib_file(cluster_env, tmp_path, monkeypatch) -> None:
    make_cluster(cluster_env.directory, DEMO)
    rc, out, err = tool(["crm_engine"], cluster_env.env)
    assert rc == 64 and out == ""
    assert err.startswith("crm_engine: a command is required (start, stop, status, inject, init, add-node or repair)\nUsage:")
    rc, out, _ = tool(["crm_engine", "--help"], cluster_env.env)
    assert rc == 0 and out.startswith("Usage:")
    rc, _, err = tool(["crm_engine", "restart"], cluster_env.env)
    assert rc == 64 and "unknown command 'restart'" in err
    cib = tmp_path / "cib.xml"
    cib.write_text((cluster_env.directory / "cib.xml").read_text())
    rc, _, err = tool(["crm_engine", "start"], {**cluster_env.env, "CIB_file": str(cib)})
    assert rc == 102 and "CIB_file is set" in err
