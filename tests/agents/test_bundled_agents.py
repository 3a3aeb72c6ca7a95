"""The bundled OCF agents, run through the executor exactly as the engine runs them."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.agents import catalog

RESOURCE_D = Path(catalog.BUNDLED_OCF_ROOT) / "resource.d"
BUNDLED = {
    "ocf:heartbeat:Dummy": ({}, ["state", "fake", "op_sleep", "fail_start_on", "passwd"]),
    "ocf:pacemaker:Dummy": ({}, ["state", "fake", "op_sleep", "fail_start_on", "passwd"]),
    "ocf:pacemaker:Stateful": ({}, ["state"]),
    "ocf:pacemaker:ping": ({"host_list": "gw1 gw2"}, ["host_list", "multiplier", "name", "dampen"]),
    "ocf:heartbeat:IPaddr2": ({"ip": "192.168.122.50", "cidr_netmask": "24"}, ["ip", "cidr_netmask", "nic"]),
}


def test_bundled_scripts_are_executable_posix_sh() -> None:
    scripts = sorted(p for p in RESOURCE_D.glob("*/*") if p.is_file())
    assert {f"{p.parent.name}/{p.name}" for p in scripts} >= {
        "heartbeat/Dummy", "pacemaker/Dummy", "pacemaker/Stateful", "pacemaker/ping", "heartbeat/IPaddr2"}
    for script in scripts:
        assert os.access(script, os.X_OK), f"{script} lost its executable bit"
        assert script.read_text().startswith("#!/bin/sh\n")
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0


@pytest.mark.parametrize("agent", sorted(BUNDLED))
def test_lifecycle(op, agent: str) -> None:
    params, _ = BUNDLED[agent]
    steps = [("monitor", 7), ("start", 0), ("monitor", 0), ("start", 0), ("stop", 0), ("monitor", 7), ("stop", 0)]
    for action, expected in steps:
        result = op(agent, action, params=params)
        assert (action, result.rc, result.op_status) == (action, expected, 0), result.output


@pytest.mark.parametrize("agent", sorted(BUNDLED))
def test_metadata_is_wellformed_with_params(agent: str) -> None:
    text = catalog.metadata(catalog.parse_agent(agent))
    root = ET.fromstring(text)
    assert root.tag == "resource-agent"
    assert root.get("name") == agent.rsplit(":", 1)[1]
    names = [p.get("name") for p in root.iter("parameter")]
    assert set(BUNDLED[agent][1]) <= set(names)
    actions = {a.get("name") for a in root.iter("action")}
    assert {"start", "stop", "monitor", "meta-data", "validate-all"} <= actions


@pytest.mark.parametrize("agent", sorted(BUNDLED))
def test_metadata_needs_no_environment(agent: str) -> None:
    """An admin can run a bundled agent by hand: meta-data works with an empty environment."""
    _, provider, name = agent.split(":")
    out = subprocess.run([str(RESOURCE_D / provider / name), "meta-data"], env={}, capture_output=True,
                         text=True, timeout=10)
    assert out.returncode == 0
    ET.fromstring(out.stdout)


@pytest.mark.parametrize("provider", ["heartbeat", "pacemaker"])
def test_dummy_state_file_default_and_explicit(op, node_dirs, tmp_path: Path, provider: str) -> None:
    agent = f"ocf:{provider}:Dummy"
    assert op(agent, "start", rsc="d1").rc == 0
    assert (node_dirs["srv01"] / "Dummy-d1.state").exists()
    state = tmp_path / "shared" / "d5.state"
    assert op(agent, "start", rsc="d5", params={"state": str(state)}).rc == 0
    assert state.exists()
    # a shared path still behaves like a node-local file: srv02 does not see srv01's resource
    assert op(agent, "monitor", rsc="d5", params={"state": str(state)}, node="srv02").rc == 7
    state.unlink()  # removed behind the agent's back: the monitor notices
    assert op(agent, "monitor", rsc="d5", params={"state": str(state)}, interval=10000).rc == 7


def test_dummy_fail_start_on(op) -> None:
    params = {"fail_start_on": "srv01"}
    failed = op("ocf:pacemaker:Dummy", "start", params=params, node="srv01")
    assert (failed.rc, failed.op_status) == (1, 0)
    assert "fail_start_on" in failed.output
    assert op("ocf:pacemaker:Dummy", "start", params=params, node="srv02").rc == 0


def test_dummy_migrate_and_reload(op) -> None:
    agent = "ocf:pacemaker:Dummy"
    assert op(agent, "start", node="srv01").rc == 0
    assert op(agent, "migrate_to", node="srv01", meta={"migrate_target": "srv02"}).rc == 0
    assert op(agent, "migrate_from", node="srv02", meta={"migrate_source": "srv01"}).rc == 0
    assert op(agent, "monitor", node="srv01").rc == 7
    assert op(agent, "monitor", node="srv02").rc == 0
    assert op(agent, "reload", node="srv02", params={"fake": "changed"}).rc == 0
    assert op(agent, "no-such-action").rc == 3


def test_dummy_rejects_bad_op_sleep(op) -> None:
    assert op("ocf:pacemaker:Dummy", "start", params={"op_sleep": "soon"}).rc == 6


def test_passwd_never_printed(op) -> None:
    secret = "s3cr3t-Passw0rd"
    outputs = [op("ocf:pacemaker:Dummy", a, params={"passwd": secret, "fail_start_on": "srv01"}).output
               for a in ("validate-all", "start", "monitor", "stop", "bogus")]
    assert outputs[1]  # the failed start did say something
    assert not any(secret in o for o in outputs)


def test_stateful_roles_and_promotion_score(op, node_dirs) -> None:
    agent, rsc = "ocf:pacemaker:Stateful", "stateful:0"
    assert op(agent, "promote", rsc=rsc).rc == 7  # not running
    start = op(agent, "start", rsc=rsc)
    assert (start.rc, start.promotion_score, start.node_attributes) == (0, 5, {"master-stateful": "5"})
    assert op(agent, "monitor", rsc=rsc, interval=11000).rc == 0
    promote = op(agent, "promote", rsc=rsc)
    assert (promote.rc, promote.promotion_score) == (0, 10)
    monitor = op(agent, "monitor", rsc=rsc, interval=10000)
    assert (monitor.rc, monitor.promotion_score) == (8, 10)
    probe = op(agent, "monitor", rsc=rsc)  # probes report the role but set no score
    assert (probe.rc, probe.node_attributes) == (8, {})
    assert op(agent, "monitor", rsc=rsc, node="srv02").rc == 7
    demote = op(agent, "demote", rsc=rsc)
    assert (demote.rc, demote.promotion_score) == (0, 5)
    assert op(agent, "demote", rsc=rsc).rc == 0
    stop = op(agent, "stop", rsc=rsc)
    assert (stop.rc, stop.promotion_score, stop.node_attributes) == (0, None, {"master-stateful": ""})
    assert op(agent, "monitor", rsc=rsc).rc == 7
    assert op(agent, "demote", rsc=rsc).rc == 7


def test_stateful_globally_unique_keeps_instance_score(op) -> None:
    start = op("ocf:pacemaker:Stateful", "start", rsc="st:1", meta={"globally-unique": "true"})
    assert start.node_attributes == {"master-st:1": "5"}
    assert start.promotion_score == 5


def test_ipaddr2_records_address_per_node(op, node_dirs) -> None:
    agent, params = "ocf:heartbeat:IPaddr2", {"ip": "10.0.0.9", "cidr_netmask": "24", "nic": "eth1"}
    assert op(agent, "start", rsc="vip", params=params, node="srv02").rc == 0
    record = node_dirs["srv02"] / "IPaddr2-10.0.0.9"
    assert record.read_text().split() == ["10.0.0.9/24", "eth1", "srv02"]
    assert op(agent, "monitor", rsc="vip", params=params, node="srv02", interval=10000).rc == 0
    assert op(agent, "monitor", rsc="vip", params=params, node="srv01").rc == 7
    assert op(agent, "stop", rsc="vip", params=params, node="srv02").rc == 0
    assert not record.exists()


@pytest.mark.parametrize("params", [{}, {"ip": "10.0.0.300"}, {"ip": "10.0.0"}, {"ip": "10.0.0.1", "cidr_netmask": "33"},
                                    {"ip": "fe80::zz"}])
def test_ipaddr2_rejects_bad_configuration(op, params: dict[str, str]) -> None:
    result = op("ocf:heartbeat:IPaddr2", "start", rsc="vip", params=params)
    assert result.rc == 6
    assert result.output


def test_ipaddr2_accepts_ipv6(op) -> None:
    assert op("ocf:heartbeat:IPaddr2", "start", rsc="vip6", params={"ip": "fd00::10", "cidr_netmask": "64"}).rc == 0


def test_ping_attribute_counts_reachable_hosts(op, node_dirs, monkeypatch: pytest.MonkeyPatch) -> None:
    agent, params = "ocf:pacemaker:ping", {"host_list": "gw1 gw2 gw3", "multiplier": "100"}
    assert op(agent, "start", rsc="ping", params=params).node_attributes == {"pingd": "300"}
    (node_dirs["srv01"] / "unreachable").write_text("gw2\n")
    assert op(agent, "monitor", rsc="ping", params=params, interval=10000).node_attributes == {"pingd": "200"}
    monkeypatch.setenv("CRM_SIM_UNREACHABLE", "gw1,gw3")
    assert op(agent, "monitor", rsc="ping", params=params, interval=10000).node_attributes == {"pingd": "0"}
    named = dict(params, name="connected")
    assert op(agent, "monitor", rsc="ping", params=named, interval=10000).node_attributes == {"connected": "0"}
    stop = op(agent, "stop", rsc="ping", params=params)
    assert (stop.rc, stop.node_attributes) == (0, {"pingd": ""})
    assert op(agent, "monitor", rsc="ping", params=params).rc == 7


def test_ping_requires_host_list(op) -> None:
    assert op("ocf:pacemaker:ping", "start", rsc="ping").rc == 6
