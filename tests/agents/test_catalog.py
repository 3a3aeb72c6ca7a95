"""Agent discovery and meta-data, compared with the real Pacemaker tools where installed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from crmsh_py.agents import catalog
from crmsh_py.agents.metadata import lsb_header, parse_metadata
from crmsh_py.cib.model import Agent
from crmsh_py.errors import CommandError

CRM_RESOURCE = "/usr/sbin/crm_resource"
SYSTEM_DUMMY = Path("/usr/lib/ocf/resource.d/heartbeat/Dummy")
SYSTEM_IPADDR2 = Path("/usr/lib/ocf/resource.d/heartbeat/IPaddr2")
needs_crm_resource = pytest.mark.skipif(not os.access(CRM_RESOURCE, os.X_OK),
                                        reason="needs Pacemaker's crm_resource (pacemaker-cli-utils)")
needs_system_agents = pytest.mark.skipif(not SYSTEM_DUMMY.exists(),
                                         reason="needs Debian's resource-agents in /usr/lib/ocf")


def _crm_resource(*args: str) -> list[str]:
    out = subprocess.run([CRM_RESOURCE, *args], capture_output=True, text=True, timeout=30)
    return out.stdout.split()


def test_bundled_agents_are_listed_without_system_agents(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(catalog, "SYSTEM_OCF_ROOT", tmp_path / "none")
    assert catalog.list_providers() == ["heartbeat", "pacemaker"]
    # docker/podman/rkt and remote: simulated bundle containers and Pacemaker Remote connections
    assert catalog.list_agents("ocf", "heartbeat") == ["Dummy", "IPaddr2", "docker", "podman", "rkt"]
    assert catalog.list_agents("ocf:pacemaker") == ["Dummy", "Stateful", "ping", "remote"]
    assert catalog.list_agents("ocf") == ["Dummy", "IPaddr2", "Stateful", "docker", "ping", "podman", "remote", "rkt"]
    assert catalog.list_providers("Dummy") == ["heartbeat", "pacemaker"]
    assert catalog.list_providers("Stateful") == ["pacemaker"]
    assert catalog.list_agents("ocf", "nope") == []
    assert catalog.list_agents("upstart") == []


@needs_crm_resource
def test_classes_match_crm_resource() -> None:
    assert catalog.list_classes() == _crm_resource("--list-standards")


@needs_crm_resource
def test_providers_and_agents_cover_crm_resource() -> None:
    assert set(_crm_resource("--list-ocf-providers")) <= set(catalog.list_providers())
    for provider in ("heartbeat", "pacemaker"):
        assert set(_crm_resource("--list-agents", f"ocf:{provider}")) <= set(catalog.list_agents("ocf", provider))
    assert catalog.list_agents("lsb") == _crm_resource("--list-agents", "lsb")


@needs_system_agents
def test_system_agents_found_after_bundled_ones() -> None:
    system = sorted(p.name for p in SYSTEM_DUMMY.parent.iterdir() if p.is_file() and os.access(p, os.X_OK)
                    and not p.name.startswith("."))
    assert set(system) <= set(catalog.list_agents("ocf", "heartbeat"))
    dummy = catalog.locate(Agent("ocf", "Dummy", "heartbeat"))
    assert dummy is not None and dummy.bundled and dummy.ocf_root == catalog.BUNDLED_OCF_ROOT
    other = next(n for n in system if n not in ("Dummy", "IPaddr2"))
    found = catalog.locate(Agent("ocf", other, "heartbeat"))
    assert found is not None and not found.bundled
    assert found.path == str(SYSTEM_DUMMY.parent / other) and found.ocf_root == "/usr/lib/ocf"


def test_user_agent_path(tmp_path: Path) -> None:
    resource_d = tmp_path / "resource.d"
    (resource_d / "mine").mkdir(parents=True)
    script = resource_d / "mine" / "Thing"
    script.write_text('#!/bin/sh\ncat <<X\n<resource-agent name="Thing"><version>1.1</version>'
                      '<parameters><parameter name="size" required="1"><content type="integer"/></parameter>'
                      '</parameters><actions><action name="start" timeout="5s"/></actions></resource-agent>\nX\n')
    script.chmod(0o755)
    env = {"CRM_OCF_PATH": f"/nonexistent:{resource_d}"}
    assert "mine" in catalog.list_providers(env=env)
    assert "mine" not in catalog.list_providers(env={})
    assert catalog.list_agents("ocf", "mine", env=env) == ["Thing"]
    info = catalog.agent_info(Agent("ocf", "Thing", "mine"), env=env)
    assert info.required_parameters == ["size"]
    assert info.parameter("size").type == "integer"
    # an edited agent is read again (the cache is keyed by modification time)
    script.write_text(script.read_text().replace('"size"', '"length"'))
    os.utime(script, ns=(1, 1))
    assert catalog.agent_info(Agent("ocf", "Thing", "mine"), env=env).required_parameters == ["length"]


def test_agent_info_of_bundled_dummy() -> None:
    info = catalog.agent_info(Agent("ocf", "Dummy", "pacemaker"))
    assert info.name == "Dummy" and info.version == "1.1"
    state = info.parameter("state")
    assert state is not None and state.unique and not state.required
    assert state.default == "${HA_RSCTMP}/Dummy-${OCF_RESOURCE_INSTANCE}.state"
    assert info.parameter("passwd").shortdesc == "Password"
    monitor = info.action("monitor")
    assert (monitor.timeout, monitor.interval, monitor.depth) == ("20s", "10s", "0")
    stateful = catalog.agent_info(Agent("ocf", "Stateful", "pacemaker"))
    assert stateful.action("monitor", role="Unpromoted").interval == "11s"
    assert {a.name for a in stateful.actions} >= {"promote", "demote", "notify"}


@pytest.mark.skipif(not SYSTEM_IPADDR2.exists(), reason="needs Debian's resource-agents (heartbeat/IPaddr2)")
def test_agent_info_parses_real_ipaddr2() -> None:
    out = subprocess.run([str(SYSTEM_IPADDR2), "meta-data"], env={"OCF_ROOT": "/usr/lib/ocf", "PATH": os.environ["PATH"]},
                         capture_output=True, text=True, timeout=30)
    info = parse_metadata(out.stdout, "ocf:heartbeat:IPaddr2")
    assert info.name == "IPaddr2"
    ip = info.parameter("ip")
    assert ip is not None and ip.required and ip.unique and ip.shortdesc
    assert {"nic", "cidr_netmask", "broadcast"} <= {p.name for p in info.parameters}
    assert info.action("monitor").interval == "10s"
    assert info.action("start").timeout == "20s"


@pytest.mark.skipif(not os.access("/etc/init.d/ssh", os.X_OK), reason="no /etc/init.d/ssh on this machine")
def test_lsb_metadata_from_header() -> None:
    info = catalog.agent_info(Agent("lsb", "ssh"))
    header = lsb_header(Path("/etc/init.d/ssh").read_text())
    assert info.shortdesc == " ".join(header["Short-Description"].split())
    assert info.parameters == ()
    assert info.action("monitor").interval == "15"


def test_lsb_header_parsing() -> None:
    text = ("#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          web\n# Required-Start:    $network\n"
            "# Short-Description: A web server\n# Description:       Serves pages\n#                    to browsers.\n"
            "### END INIT INFO\n")
    assert lsb_header(text) == {"Provides": "web", "Required-Start": "$network",
                                "Short-Description": "A web server", "Description": "Serves pages to browsers."}


@pytest.mark.parametrize("name", ["ocf:heartbeat:NoSuch", "stonith:nope", "lsb:nope", "systemd:nope", "ocf:x:../y"])
def test_unknown_agent_metadata(name: str) -> None:
    with pytest.raises(CommandError) as err:
        catalog.metadata(catalog.parse_agent(name))
    assert err.value.exit_code == 105
    assert str(err.value) == f"Metadata query for {catalog.parse_agent(name)} failed: No such device or address"


def test_parse_agent() -> None:
    assert catalog.parse_agent("ocf:heartbeat:Dummy") == Agent("ocf", "Dummy", "heartbeat")
    assert catalog.parse_agent("Dummy") == Agent("ocf", "Dummy", "heartbeat")
    assert catalog.parse_agent("stonith:external/ssh") == Agent("stonith", "external/ssh")
    assert catalog.parse_agent("lsb:ssh") == Agent("lsb", "ssh")
    with pytest.raises(CommandError):
        catalog.parse_agent("ocf:Dummy")


def test_malformed_metadata_is_an_error() -> None:
    with pytest.raises(CommandError):
        parse_metadata("<resource-agent name='x'>", "ocf:x:y")
    with pytest.raises(CommandError):
        parse_metadata("<html/>", "ocf:x:y")
