"""Causes of difference from crmsh 4.4.1 found by the differential run (``fuzz.py``), round 2: one
test each, the expected texts being what crmsh 4.4.1 printed for the same input on the same CIB
(crmsh's sample configuration, as in ``test_fuzz_causes.py``)."""

from __future__ import annotations

import re

import pytest

from test_fuzz_causes import MISSING, Shell, _said

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(bool(MISSING), reason=f"Pacemaker's tools are not installed: {MISSING}")]


@pytest.fixture
def shell(tmp_path) -> Shell:  # type: ignore[no-untyped-def]
    return Shell(tmp_path)


# crmsh 4.4.1, `configure show a1 a2` after `primitive a1 Dummy params state=é` and
# `primitive a2 Dummy description="é desc"` were committed
XML_SHOWN = """xml <primitive id="a1" class="ocf" provider="heartbeat" type="Dummy"> \\
  <instance_attributes id="a1-instance_attributes"> \\
    <nvpair name="state" value="&#233;" id="a1-instance_attributes-state"/> \\
  </instance_attributes> \\
</primitive>
xml <primitive id="a2" class="ocf" provider="heartbeat" type="Dummy" description="&#xE9; desc"/>
"""


def test_an_element_with_a_value_outside_ascii_is_shown_as_xml(shell: Shell) -> None:
    rc, _, err = shell.crm(stdin='configure\nprimitive a1 Dummy params state=é\n'
                                 'primitive a2 Dummy description="é desc"\ncommit\n')
    assert (rc, err) == (0, "")
    assert shell.crm("configure", "show", "a1", "a2") == (0, XML_SHOWN, "")


def test_show_xml_writes_characters_outside_ascii_as_references(shell: Shell) -> None:
    shell.crm(stdin='configure\nprimitive a2 Dummy description="é desc"\ncommit\n')
    rc, out, _ = shell.crm("configure", "show", "xml", "a2")
    assert rc == 0
    assert '<primitive id="a2" class="ocf" provider="heartbeat" type="Dummy" description="&#233; desc"/>' in out


def test_a_group_is_shown_in_the_language_when_only_its_member_is_not(shell: Shell) -> None:
    # crmsh: the member shows as xml, its group as `group g1 a1`; a clone whose own meta
    # attribute is outside ASCII shows as xml with its member inside
    shell.crm(stdin="configure\nprimitive a1 Dummy params state=é\ngroup g1 a1\nprimitive a2 Dummy\n"
                    "clone cl2 a2 meta description=é\ncommit\n")
    rc, out, _ = shell.crm("configure", "show", "g1", "cl2")
    assert rc == 0
    assert out == """group g1 a1
xml <clone id="cl2"> \\
  <meta_attributes id="cl2-meta_attributes"> \\
    <nvpair name="description" value="&#233;" id="cl2-meta_attributes-description"/> \\
  </meta_attributes> \\
  <primitive id="a2" class="ocf" provider="heartbeat" type="Dummy"/> \\
</clone>
"""


@pytest.mark.parametrize("target, level", [
    ("attr:rack=1", '<fencing-level index="1" devices="st" target-attribute="rack" target-value="1" id="fencing"/>'),
    ("pattern:no.*", '<fencing-level index="1" devices="st" target-pattern="no.*" id="fencing"/>'),
])
def test_a_fencing_topology_by_attribute_or_pattern_is_shown_as_xml(shell: Shell, target: str, level: str) -> None:
    rc, _, err = shell.crm("configure", "fencing_topology", target, "st")
    assert (rc, err) == (0, "")
    _, out, _ = shell.crm("configure", "show")
    # in its place among the elements (before the defaults), not at the end
    assert f"xml <fencing-topology> \\\n  {level} \\\n</fencing-topology>\nop_defaults op-options: \\\n" in out


@pytest.mark.parametrize("line, rc", [
    ("property", 1), ("property foo", 1), ("rsc_defaults", 1), ("op_defaults foo", 1),
    ("rsc_defaults foo=1 bar", 1), ("property cib-bootstrap-options:", 0),
])
def test_a_cluster_set_with_nothing_or_a_name_without_value_is_refused(shell: Shell, line: str, rc: int) -> None:
    # crmsh: "syntax in property: Expected at least 1 arguments" / "Unknown arguments: foo"
    before = shell.config()
    got, _, err = shell.crm("configure", *line.split())
    assert got == rc
    if rc:
        assert err.startswith("ERROR: ") and "syntax error" in err
        assert shell.config() == before


def test_a_monitor_without_interval_is_warned_about(shell: Shell) -> None:
    # crmsh stores interval=0 and says so
    rc, out, err = shell.crm("configure", "primitive", "d-x", "ocf:heartbeat:Dummy", "op", "monitor")
    assert rc == 0
    assert _said(out, err)[0] == ["WARNING: d-x: interval in monitor should be larger than 0, advised is 10s"]
    assert '<op name="monitor" interval="0" id="d-x-monitor-0"/>' in shell.config()


def test_delete_of_a_missing_id_is_no_error_with_force_and_the_others_go_anyway(shell: Shell) -> None:
    # crmsh: with -F (scripts) a missing id is skipped silently; without it each missing id is an
    # error, yet the ids that exist are deleted all the same
    rc, out, err = shell.crm("-F", stdin="configure\ndelete no-such-thing\ncommit\n")
    assert (rc, _said(out, err)[1]) == (0, [])
    rc, out, err = shell.crm(stdin="configure\ndelete p3 no-such-thing\ncommit\n")
    assert rc == 1
    assert _said(out, err)[1] == ["ERROR: object no-such-thing does not exist"]
    assert 'id="p3"' not in shell.config()


SKELETON = """<?xml version="1.0" ?>
<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="2" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
</cib>

"""


def test_show_xml_of_a_missing_id_prints_an_empty_document_then_the_error(shell: Shell) -> None:
    rc, out, err = shell.crm("configure", "show", "xml", "p0", "nosuch")
    assert rc == 1
    versions = re.compile(r'(crm_feature_set|epoch)="[^"]*"')
    assert versions.sub(r'\1="*"', out) == versions.sub(r'\1="*"', SKELETON)  # p0 left out too
    assert err == "ERROR: object nosuch does not exist\n"


def test_show_xml_of_a_resource_leaves_out_what_only_refers_to_it(shell: Shell) -> None:
    shell.crm(stdin="configure\ntag t1 p0 p3\nrsc_ticket tk1 ticket1: p0 p3\ncommit\n")
    rc, out, _ = shell.crm("configure", "show", "xml", "p3")
    assert rc == 0
    assert "<constraints/>" in out and "<tags>" not in out and 'id="p3"' in out


def test_a_string_comparison_shows_its_type_until_read_back_from_the_cib(shell: Shell) -> None:
    rc, out, _ = shell.crm(stdin="configure\nlocation l1 p0 rule -inf: s string:eq abc\nshow l1\ncommit\n")
    assert (rc, out) == (0, "location l1 p0 \\\n\trule -inf: s string:eq abc\n")
    assert shell.crm("configure", "show", "l1")[1] == "location l1 p0 \\\n\trule -inf: s eq abc\n"
    assert 'type="string"' in shell.config()  # the CIB keeps it, as crmsh writes it
    assert 'type="string"' not in shell.crm("configure", "show", "xml", "l1")[1]
    # a commit that changes something else leaves the expression as it is in the CIB: dropping the
    # type there would turn `lt`/`gt` on numbers-as-text into number comparisons in Pacemaker
    assert shell.crm("configure", "primitive", "p9", "ocf:pacemaker:Dummy")[0] == 0
    assert 'type="string"' in shell.config()


def test_a_podman_bundle_is_taken_though_crmsh_4_4_1_refuses_it(shell: Shell) -> None:
    # crmsh 4.4.1's language knows docker and rkt only ("Unknown arguments: podman ..."); Pacemaker
    # 2.1 runs podman bundles, so ours takes the line and shows it in the language
    rc, _, err = shell.crm("configure", "bundle", "b1", "podman", "image=img", "replicas=2")
    assert (rc, err) == (0, "")
    assert '<podman image="img" replicas="2"/>' in shell.config()
    assert shell.crm("configure", "show", "b1") == (0, "bundle b1 \\\n\tpodman image=img replicas=2\n", "")


def test_a_location_by_resource_pattern_draws_crmsh_s_warning(shell: Shell) -> None:
    # crmsh looks the location's rsc attribute up and finds none (a crmsh slip, but what it says)
    rc, out, err = shell.crm("configure", "location", "loc-5", "/p.3/", "inf:", "node1")
    assert rc == 0
    assert _said(out, err)[0] == ["WARNING: loc-5: resource None does not exist"]


def test_a_constraint_on_a_missing_resource_is_taken_and_refused_at_commit(shell: Shell) -> None:
    # crmsh: the line is taken (show lists it), the commit's checks warn and crm_verify refuses
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nlocation l-x nosuch 100: node1\nshow l-x\ncommit\n")
    assert (rc, out) == (1, "location l-x nosuch 100: node1\n")
    logged, errors = _said(out, err)
    # crmsh checks twice (the commit, then leaving the batch), and says it all twice
    assert logged == ["WARNING: l-x: resource nosuch does not exist"] * 2
    assert errors == ['ERROR: element rsc_location: validity error : IDREF attribute rsc references an unknown '
                      'ID "nosuch"', "ERROR: (main) error: CIB did not pass schema validation",
                      "ERROR: crm_verify: Errors found during check: config not valid"] * 2
    assert shell.config() == before


def test_an_acl_target_with_a_missing_role_is_taken_and_refused_at_commit(shell: Shell) -> None:
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nacl_target u-x nosuch-role\nshow u-x\ncommit\n")
    assert (rc, out) == (1, "acl_target u-x \\\n\tnosuch-role\n")
    assert 'IDREF attribute id references an unknown ID "nosuch-role"' in err
    assert shell.config() == before


def test_rename_keeps_the_ids_made_from_the_old_name(shell: Shell) -> None:
    # crmsh makes an element's inner ids when it makes the element; a rename leaves them
    rc, _, _ = shell.crm(stdin="configure\nprimitive d2 Dummy params fake=1 op start interval=10\n"
                               "rename d2 d2-new\ncommit\n")
    assert rc == 0
    config = shell.config()
    assert '<primitive id="d2-new"' in config
    assert 'id="d2-instance_attributes-fake"' in config and 'id="d2-start-10"' in config


@pytest.mark.parametrize("command, said, code", [
    # a missing object: crmsh says so and leaves the group as it is, without failing
    ("modgroup g1 add nosuch", "ERROR: g1 refers to missing object nosuch", 0),
    ("modgroup g1 add c1", "ERROR: a group may contain only primitives; c1 is clone", 1),
    ("modgroup g1 add d1", "ERROR: syntax in group: child d1 listed more than once in group g1 parsing "
                           "'group g1 d1 d2 d1'", 1),
])
def test_modgroup_refusals_in_crmsh_s_words(shell: Shell, command: str, said: str, code: int) -> None:
    # crmsh's regression case edit (crmsh-testcases/edit.exp); the first two without a line number
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 Dummy\nprimitive d2 Dummy\nclone c1 p3\n"
                                   f"group g1 d1 d2\n{command}\n")
    assert rc == code
    assert [line for line in err.splitlines() if line.startswith("ERROR")] == [said]


def test_edit_of_a_missing_id_says_so_first(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nedit nosuch\n")
    assert (rc, err) == (1, "ERROR: object nosuch does not exist\nINFO: edit not allowed in batch mode\n")


def test_a_node_whose_id_has_a_dot_is_shown_as_xml(shell: Shell) -> None:
    # crmsh writes `node ID: NAME`, which its parser cannot read back with a dot in ID
    shell.crm(stdin="configure\nnode $id=a.b-id n1\nnode $id=a_b n2\ncommit\n")
    rc, out, _ = shell.crm("configure", "show", "type:node")
    assert (rc, out) == (0, 'xml <node id="a.b-id" uname="n1"/>\nnode a_b: n2\nnode node1\n')


def test_show_finds_a_node_by_its_xml_id(shell: Shell) -> None:
    # `node n-3: member` is the node `member` with the XML id n-3, which crmsh knows it by
    rc, out, _ = shell.crm(stdin="configure\nnode n-3: member utilization cpu=6 memory=2048\nshow n-3\n")
    assert (rc, out) == (0, "node n-3: member \\\n\tutilization cpu=6 memory=2048\n")
