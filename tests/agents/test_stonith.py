"""The stonith catalogue, its meta-data, and simulated fencing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.agents import catalog, stonith
from crmsh_py.cib.model import Agent

DEMO_LIST = """apcmaster apcmastersnmp apcsmart baytech bladehpi cyclades drac3 external/drac5 external/dracmc-telnet
external/hmchttp external/ibmrsa external/ibmrsa-telnet external/ipmi external/ippower9258
external/kdumpcheck external/nut external/rackpdu external/riloe external/sbd external/ssh
external/stonith-helper external/vmware external/xen0 external/xen0-ha ibmhmc ipmilan meatware null
nw_rpc100s rcd_serial rps10 ssh suicide wti_mpc wti_nps""".split()


def test_list_is_demo_list_then_fence_agents() -> None:
    fence = sorted(p.name for p in Path("/usr/sbin").glob("fence_*"))
    assert catalog.stonith_plugins() == DEMO_LIST + fence
    assert catalog.list_agents("stonith") == DEMO_LIST + fence


def test_list_without_fence_agents(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(stonith, "FENCE_DIR", tmp_path)
    assert catalog.stonith_plugins() == DEMO_LIST


@pytest.mark.parametrize("plugin", DEMO_LIST)
def test_every_plugin_has_wellformed_metadata(plugin: str) -> None:
    root = ET.fromstring(catalog.metadata(Agent("stonith", plugin)))
    assert root.get("name") == plugin
    assert root.findtext("shortdesc")
    assert {a.get("name") for a in root.iter("action")} >= {"start", "stop", "monitor", "status", "meta-data"}


@pytest.mark.parametrize(("plugin", "params", "required"), [
    ("external/ipmi", {"hostname", "ipaddr", "userid", "passwd", "interface"}, set()),
    ("external/ssh", {"hostlist", "livedangerously"}, {"hostlist"}),
    ("ssh", {"hostlist"}, {"hostlist"}),
    ("null", {"hostlist"}, {"hostlist"}),
    ("meatware", {"hostlist"}, {"hostlist"}),
    ("external/sbd", {"sbd_device"}, {"sbd_device"}),
    ("suicide", set(), set()),
])
def test_plugin_parameters(plugin: str, params: set[str], required: set[str]) -> None:
    info = catalog.agent_info(Agent("stonith", plugin))
    assert params <= {p.name for p in info.parameters}
    assert set(info.required_parameters) == required


def test_ipmi_interface_default() -> None:
    info = catalog.agent_info(Agent("stonith", "external/ipmi"))
    assert info.parameter("interface").default == "lan"
    assert info.parameter("hostname").unique


def test_fence_agent_metadata_when_installed() -> None:
    fence = stonith.fence_agents()
    if "fence_ipmilan" not in fence:
        pytest.skip("fence-agents not installed")
    info = catalog.agent_info(Agent("stonith", "fence_ipmilan"))
    assert info.parameter("ip") is not None


def test_fence_hostlist(tmp_path: Path) -> None:
    params = {"hostlist": "srv01 srv02"}
    off = stonith.fence("external/ssh", params, "srv02", "off", tmp_path)
    assert (off.ok, off.can_fence, off.power) == (True, True, "off")
    assert stonith.fence("external/ssh", params, "srv02", "status", tmp_path).power == "off"
    assert stonith.power_state(tmp_path, "srv02") == "off"
    on = stonith.fence("external/ssh", params, "srv02", "on", tmp_path)
    assert (on.ok, on.power) == (True, "on")
    reboot = stonith.fence("null", params, "srv01", "reboot", tmp_path)
    assert (reboot.ok, reboot.power) == (True, "on")
    refused = stonith.fence("external/ssh", params, "srv03", "reboot", tmp_path)
    assert (refused.ok, refused.can_fence) == (False, False)
    assert "srv03" in refused.message
    assert stonith.fence("null", params, "x", "list", None).hosts == ("srv01", "srv02")


def test_fence_host_selection() -> None:
    assert stonith.can_fence("external/ipmi", {"hostname": "srv01", "ipaddr": "10.0.0.1"}, "srv01")
    assert not stonith.can_fence("external/ipmi", {"hostname": "srv01"}, "srv02")
    assert stonith.can_fence("apcmaster", {"ipaddr": "1.2.3.4"}, "anything")  # device knows its outlets
    assert stonith.can_fence("external/xen0", {"hostlist": "srv01:/etc/xen/a.cfg srv02:/etc/xen/b.cfg"}, "srv02")
    assert stonith.can_fence("external/rackpdu", {"hostlist": "AUTO"}, "srv09")
    assert stonith.can_fence("null", {"hostlist": "srv01", "pcmk_host_list": "srv02"}, "srv02")
    assert not stonith.can_fence("null", {"hostlist": "srv01", "pcmk_host_list": "srv02"}, "srv01")
    assert stonith.can_fence("null", {"hostlist": "srv01", "pcmk_host_check": "none"}, "srv05")
    assert stonith.can_fence("null", {"hostlist": "srv01", "pcmk_host_map": "srv03:3;srv04:4"}, "srv04")
    assert stonith.can_fence("fence_ipmilan", {"plug": "srv01"}, "srv01") or "fence_ipmilan" not in stonith.fence_agents()


def test_fence_failures(tmp_path: Path) -> None:
    missing = stonith.fence("external/ssh", {}, "srv01", "reboot", tmp_path)
    assert not missing.ok and "hostlist" in missing.message
    assert not stonith.fence("nope", {}, "srv01", "reboot", tmp_path).ok
    assert not stonith.fence("suicide", {}, "srv01", "on", tmp_path).ok
    assert stonith.fence("suicide", {}, "srv01", "off", tmp_path).ok
    assert not stonith.fence("null", {"hostlist": "srv01"}, "srv01", "explode", tmp_path).ok
    assert not stonith.fence("null", {"hostlist": "srv01"}, "../x", "off", tmp_path).ok
    assert not (tmp_path.parent / "x.power").exists()


def test_a_glue_plugins_parameters_read_back_from_its_metadata_unchanged() -> None:
    # one model of an agent parameter: the catalogue's entries are what the meta-data parser makes
    from crmsh_py.agents.metadata import parse_metadata
    from crmsh_py.agents.stonith import glue_plugins, plugin_metadata, plugin_spec

    for name in glue_plugins():
        spec = plugin_spec(name)
        text = plugin_metadata(name)
        assert spec is not None and text is not None
        parsed = {p.name: p for p in parse_metadata(text, f"stonith:{name}").parameters}
        for param in spec.parameters:
            again = parsed[param.name]
            assert type(again) is type(param)  # the same record, not a look-alike
            assert (again.required, again.unique, again.type, again.default, again.shortdesc) == \
                (param.required, param.unique, param.type, param.default, param.shortdesc), (name, param.name)
