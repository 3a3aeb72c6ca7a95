"""crm_resource: move/ban/clear, parameters, queries, clean-up, agents, bad arguments — on CIB files,
compared with Pacemaker's own crm_resource where it is installed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.cib_files import write_cib
from support.ours import tool_on as ours
from support.reference import have, run_on as real

WARN = ("WARNING: Creating rsc_location constraint 'cli-ban-dummy-on-srv01' with a score of -INFINITY for "
        "resource dummy on srv01.\n")


def _locations(path: Path) -> list[dict[str, str]]:
    root = ET.parse(path).getroot()
    return [dict(c.attrib) for c in root.findall("configuration/constraints/rsc_location")]


def test_move_force_prefers_target_and_bans_current(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    rc, out, err = ours(["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"], cib)
    assert rc == 0 and err == ""
    assert out.startswith(WARN)
    assert _locations(cib) == [
        {"id": "cli-prefer-dummy", "rsc": "dummy", "role": "Started", "node": "srv02", "score": "INFINITY"},
        {"id": "cli-ban-dummy-on-srv01", "rsc": "dummy", "role": "Started", "node": "srv01", "score": "-INFINITY"},
    ]
    rc, out, _ = ours(["crm_resource", "-U", "-r", "dummy"], cib)
    assert rc == 0
    assert out == "Removing constraint: cli-ban-dummy-on-srv01\nRemoving constraint: cli-prefer-dummy\n"
    assert _locations(cib) == []


def test_move_without_force_only_prefers(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    rc, out, _ = ours(["crm_resource", "-M", "-r", "dummy", "-N", "srv02"], cib)
    assert (rc, out) == (0, "")
    assert [c["id"] for c in _locations(cib)] == ["cli-prefer-dummy"]


def test_move_without_node_bans_current_node(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    rc, out, _ = ours(["crm_resource", "-M", "-r", "dummy"], cib)
    assert rc == 0 and out.startswith(WARN)
    assert [c["id"] for c in _locations(cib)] == ["cli-ban-dummy-on-srv01"]


def test_move_with_lifetime_writes_a_rule(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    rc, out, _ = ours(["crm_resource", "-M", "-r", "dummy", "-N", "srv02", "-u", "PT1H"], cib)
    assert rc == 0 and out.startswith("Migration will take effect until: ")
    root = ET.parse(cib).getroot()
    rule = root.find("configuration/constraints/rsc_location/rule")
    assert rule is not None and rule.get("id") == "cli-prefer-rule-dummy"
    assert rule.find("date_expression").get("operation") == "lt"
    assert rule.find("expression").get("value") == "srv02"


@pytest.mark.parametrize("argv, rc, err", [
    (["-M", "-r", "nosuch", "-N", "srv01"], 105,
     "crm_resource: Resource 'nosuch' not found\nError performing operation: No such object\n"),
    (["-M", "-r", "dummy", "-N", "srv09"], 105,
     "crm_resource: Node 'srv09' not found\nError performing operation: No such object\n"),
    (["-M", "-r", "dummy", "-N", "srv01"], 108,
     "crm_resource: Error performing operation: Requested item already exists\n"),
    (["-M"], 64, "crm_resource: Must supply a resource id with -r\n"),
    (["--bogus"], 64, "crm_resource: Unknown option --bogus\n"),
    (["-F", "-r", "dummy"], 64, "crm_resource: Must supply a node name with -N\n"),
])
def test_errors_leave_the_cib_untouched(tmp_path: Path, argv: list[str], rc: int, err: str) -> None:
    cib = write_cib(tmp_path)
    before = cib.read_text()
    assert ours(["crm_resource", *argv], cib) == (rc, "", err)
    assert cib.read_text() == before


def test_parameters_set_get_delete(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    cases = [
        (["-r", "dummy", "-p", "state", "-v", "/tmp/x"],
         "Set 'dummy' option: id=dummy-instance_attributes-state set=dummy-instance_attributes name=state value=/tmp/x\n"),
        (["-r", "dummy", "-g", "state"], "/tmp/x\n"),
        (["-r", "dummy", "--meta", "-p", "target-role", "-v", "Stopped"],
         "Set 'dummy' option: id=dummy-meta_attributes-target-role set=dummy-meta_attributes name=target-role "
         "value=Stopped\n"),
        (["--resource", "dummy", "--meta", "--get-parameter", "target-role"], "Stopped\n"),
        (["-r", "dummy", "--utilization", "-p", "cap", "-v", "3"],
         "Set 'dummy' option: id=dummy-utilization-cap set=dummy-utilization name=cap value=3\n"),
        (["-r", "dummy", "-d", "state"], "Deleted 'dummy' option: id=dummy-instance_attributes-state name=state\n"),
        (["-r", "dummy", "-d", "state"], ""),
    ]
    for argv, expected in cases:
        rc, out, _ = ours(["crm_resource", *argv], cib)
        assert (rc, out) == (0, expected), argv
    rc, out, err = ours(["crm_resource", "-r", "dummy", "-g", "nope"], cib)
    assert (rc, out, err) == (0, "", "Attribute 'nope' not found for 'dummy'\n")


def test_queries(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    assert ours(["crm_resource", "-W", "-r", "dummy"], cib)[1] == "resource dummy is running on: srv01\n"
    assert ours(["crm_resource", "-W", "-r", "dummy", "-Q"], cib)[1] == "srv01\n"
    assert ours(["crm_resource", "-l"], cib)[1] == "dummy\n"
    assert ours(["crm_resource", "-L"], cib)[1] == (
        "Full List of Resources:\n  * dummy\t(ocf:heartbeat:Dummy):\t Started srv01\n")
    ops = ours(["crm_resource", "-O"], cib)[1].splitlines()
    assert len(ops) == 3
    assert ops[0].startswith("dummy\t(ocf:heartbeat:Dummy):\t Started: dummy_start_0 (node=srv01, call=2, rc=0, ")
    ours(["crm_resource", "-M", "-r", "dummy", "-N", "srv02"], cib)
    assert ours(["crm_resource", "-a", "-r", "dummy"], cib)[1] == (
        "Locations:\n  * Node srv02 (score=INFINITY, id=cli-prefer-dummy, rsc=dummy)\n")


def test_cleanup_forgets_failures(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    assert ours(["crm_resource", "-F", "-r", "dummy", "-N", "srv01"], cib)[0] == 0
    assert "fail-count-dummy" in cib.read_text()
    rc, out, _ = ours(["crm_resource", "-C", "-r", "dummy", "-N", "srv01"], cib)
    assert (rc, out) == (0, "Cleaned up dummy on srv01\n")
    text = cib.read_text()
    assert "fail-count-dummy" not in text and "dummy_last_failure_0" not in text


def test_agent_listings() -> None:
    assert ours(["crm_resource", "--list-standards"])[1].split() [:1] == ["ocf"]
    assert "Dummy" in ours(["crm_resource", "--list-agents", "ocf:heartbeat"])[1].split()
    rc, out, _ = ours(["crm_resource", "--show-metadata", "ocf:heartbeat:Dummy"])
    assert rc == 0 and '<resource-agent name="Dummy"' in out
    rc, _, err = ours(["crm_resource", "--list-agents", "foo"])
    assert rc == 1 and "No agents found for standard 'foo'" in err


@pytest.mark.skipif(not have("crm_resource"), reason="Pacemaker's crm_resource is not installed")
@pytest.mark.parametrize("argv", [
    ["-M", "-r", "dummy", "--node=srv02", "--force"], ["-M", "-r", "dummy"], ["-B", "-r", "dummy", "-N", "srv02"],
    ["-M", "-r", "dummy", "-N", "srv01"], ["-W", "-r", "dummy"], ["-l"], ["-r", "dummy", "-p", "a", "-v", "1"],
    ["-U", "-r", "nosuch"],
])
def test_same_as_pacemaker(tmp_path: Path, argv: list[str]) -> None:
    a, b = write_cib(tmp_path, name="a.xml"), write_cib(tmp_path, name="b.xml")
    assert ours(["crm_resource", *argv], a) == real(["crm_resource", *argv], b)
    assert _locations(a) == _locations(b)


def test_reference_demo_on_the_bundled_cluster(tmp_path: Path) -> None:
    """Demo path: dummy starts on srv01; move --force puts it on srv02 with cli-prefer-dummy; unmove
    removes the constraints and dummy stays (stickiness)."""
    from crmsh_py.engine.controller import init_cluster

    cluster = init_cluster(tmp_path / "c")
    new = ET.fromstring(
        '<configuration><crm_config><cluster_property_set id="cib-bootstrap-options">'
        '<nvpair id="o-nqp" name="no-quorum-policy" value="ignore"/>'
        '<nvpair id="o-se" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>'
        '<resources><primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"><operations>'
        '<op name="monitor" interval="10s" timeout="120s" id="dummy-monitor-10s"/></operations></primitive>'
        '</resources><rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-resource-stickiness" '
        'name="resource-stickiness" value="INFINITY"/></meta_attributes></rsc_defaults></configuration>')
    with cluster.mutate("cibadmin") as snap:
        conf = snap.root.find("configuration")
        for section in new:
            old = conf.find(section.tag)
            if old is not None:
                conf.remove(old)
            conf.append(section)
    env = {"CRM_CLUSTER_DIR": str(tmp_path / "c")}
    where = ["crm_resource", "-W", "-r", "dummy"]
    assert ours(where, None, **env)[1] == "resource dummy is running on: srv01\n"
    assert ours(["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"], None, **env)[0] == 0
    assert ours(where, None, **env)[1] == "resource dummy is running on: srv02\n"
    ids = [c.get("id") for c in cluster.read().root.iter("rsc_location")]
    assert "cli-prefer-dummy" in ids
    assert ours(["crm_resource", "-U", "-r", "dummy"], None, **env)[0] == 0
    assert [c.get("id") for c in cluster.read().root.iter("rsc_location")] == []
    assert ours(where, None, **env)[1] == "resource dummy is running on: srv02\n"


def _child_tags(path: Path, rsc_id: str) -> list[str]:
    root = ET.parse(path).getroot()
    rsc = root.find(f".//primitive[@id='{rsc_id}']")
    assert rsc is not None
    return [c.tag for c in rsc if isinstance(c.tag, str)]


@pytest.mark.skipif(not have("crm_resource"), reason="Pacemaker's crm_resource is not installed")
def test_new_sets_go_where_pacemaker_puts_them(tmp_path: Path) -> None:
    """A new meta/instance set is appended as the primitive's last child, after <operations>."""
    a, b = write_cib(tmp_path, name="a.xml"), write_cib(tmp_path, name="b.xml")
    for argv in (["-r", "dummy", "--meta", "-p", "target-role", "-v", "Stopped"],
                 ["-r", "dummy", "-p", "fake", "-v", "1"]):
        assert ours(["crm_resource", *argv], a) == real(["crm_resource", *argv], b)
    assert _child_tags(a, "dummy") == _child_tags(b, "dummy")
    assert _child_tags(a, "dummy")[-2:] == ["meta_attributes", "instance_attributes"]
