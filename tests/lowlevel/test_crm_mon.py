"""crm_mon: Pacemaker 2.1 text (compared line by line with the real crm_mon on the same CIB), the
1.0 layout of the reference demo, XML output, bad arguments."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.cib_files import DEMO_RUNNING, write_cib
from support.ours import tool_on as ours
from support.reference import have, run_on as real

BIG = """node srv01
node srv02
node srv03
property stonith-enabled=false no-quorum-policy=ignore
primitive dummy ocf:heartbeat:Dummy op monitor interval=10s
primitive a ocf:heartbeat:Dummy
primitive b ocf:heartbeat:Dummy
group g1 a b
primitive d ocf:heartbeat:Dummy
clone c1 d
primitive st ocf:pacemaker:Stateful op monitor interval=10s role=Promoted op monitor interval=11s role=Unpromoted
clone ms1 st meta promotable=true
primitive stopped ocf:heartbeat:Dummy meta target-role=Stopped
primitive fence stonith:null params hostlist="srv01 srv02"
"""
FLAGS = [[], ["-r"], ["-r", "-f", "-A"], ["-f"]]


def _strip(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Last updated" not in line]


def test_demo_text(tmp_path: Path) -> None:
    rc, out, _ = ours(["crm_mon", "-1"], write_cib(tmp_path))
    assert rc == 0
    assert _strip(out) == [
        "Cluster Summary:", "  * Stack: unknown", "  * Current DC: NONE", "  * Last change:  ",
        "  * 2 nodes configured", "  * 1 resource instance configured", "", "Node List:",
        "  * Online: [ srv01 srv02 ]", "", "Active Resources:", "  * dummy\t(ocf:heartbeat:Dummy):\t Started srv01"]


def test_failcounts_and_failed_actions(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    ours(["crm_resource", "-F", "-r", "dummy", "-N", "srv01"], cib)
    out = ours(["crm_mon", "-1", "-f"], cib)[1]
    assert "Migration Summary:\n  * Node: srv01:\n    * dummy: migration-threshold=1 fail-count=1 last-failure=" in out
    assert re.search(r"Failed Resource Actions:\n  \* dummy 10s-interval monitor on srv01 returned 'error' \(Simulated failure", out)


def test_xml_output(tmp_path: Path) -> None:
    rc, out, _ = ours(["crm_mon", "--output-as=xml"], write_cib(tmp_path))
    assert rc == 0
    root = ET.fromstring(out)
    res = root.find("resources/resource")
    assert res.get("id") == "dummy" and res.get("role") == "Started" and res.find("node").get("name") == "srv01"
    assert [n.get("name") for n in root.findall("nodes/node")] == ["srv01", "srv02"]


def test_bad_arguments(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    assert ours(["crm_mon", "--bogus"], cib) == (64, "", "crm_mon: Unknown option --bogus\n")
    assert ours(["crm_mon", "--output-as=foo"], cib)[0] == 64


def test_heartbeat_cluster_uses_the_10_layout(tmp_path: Path) -> None:
    from crmsh_py.engine.controller import init_cluster

    init_cluster(tmp_path / "hb", stack="Heartbeat", version="1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87")
    rc, out, _ = ours(["crm_mon", "-1"], None, CRM_CLUSTER_DIR=str(tmp_path / "hb"))
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "============" and lines[1].startswith("Last updated: ")
    assert lines[2:7] == ["Stack: Heartbeat",
                          f"Current DC: {lines[3].split()[2]} {lines[3].split()[3]} - partition with quorum",
                          "Version: 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87",
                          "2 Nodes configured, unknown expected votes", "0 Resources configured."]
    assert re.match(r"Current DC: srv0[12] \([0-9-]{36}\) - partition with quorum", lines[3])
    assert lines[7:10] == ["============", "", "Online: [ srv01 srv02 ]"]


def test_10_resource_line(tmp_path: Path) -> None:
    from crmsh_py.render import mon_text, mon_text_legacy
    from crmsh_py.render.mon_view import build_view

    view = build_view(ET.fromstring(DEMO_RUNNING))
    text = mon_text_legacy.render(view, mon_text.MonOptions(), mon_text.StackInfo("Heartbeat", "1.0.11"))
    assert text.endswith("\nOnline: [ srv01 srv02 ]\n\ndummy  (ocf::heartbeat:Dummy): Started srv01\n")


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """CIBs in many states, made by Pacemaker's crm_simulate from one configuration."""
    if not (have("crm_simulate") and Path("/usr/sbin/crm").exists()):
        pytest.skip("Pacemaker's crm_simulate/crmsh are not installed")
    import os
    import subprocess

    d = tmp_path_factory.mktemp("states")
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "CIB_file": str(d / "big.xml"), "LC_ALL": "C",
           "HOME": os.environ.get("HOME", "/root")}
    (d / "big.xml").write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True,
                                              text=True, check=True).stdout)
    (d / "big.crm").write_text(BIG)
    subprocess.run(["/usr/sbin/crm", "configure", "load", "update", str(d / "big.crm")], env=env,
                   capture_output=True, check=True, timeout=60)
    sim = ["/usr/sbin/crm_simulate", "-x"]

    def make(src: str, dst: str, *args: str) -> Path:
        subprocess.run([*sim, str(d / src), *args, "-O", str(d / dst)], env=env, capture_output=True,
                       check=True, timeout=30)
        return d / dst

    up = make("big.xml", "up.xml", "-u", "srv01", "-u", "srv02", "-u", "srv03", "-S")
    text = up.read_text().replace('name="stonith-enabled" value="false"', 'name="stonith-enabled" value="true"')
    (d / "up_st.xml").write_text(text)
    return [up, make("up.xml", "down.xml", "-d", "srv03"), make("up_st.xml", "unclean.xml", "-f", "srv03"),
            make("up.xml", "failed.xml", "-i", "dummy_monitor_10000@srv01=7"),
            make("up.xml", "recovered.xml", "-i", "dummy_monitor_10000@srv01=7", "-S"), d / "big.xml"]


@pytest.mark.parametrize("flags", FLAGS)
def test_same_as_pacemaker(states: list[Path], flags: list[str]) -> None:
    for cib in states:
        ours_out = ours(["crm_mon", "-1", *flags], cib)[1]
        real_out = real(["crm_mon", "-1", *flags], cib)[1]
        assert _strip(ours_out) == _strip(real_out), (cib.name, flags)
