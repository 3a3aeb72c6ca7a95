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
