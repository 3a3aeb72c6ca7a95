"""Causes of difference from crmsh 4.4.1 found by the differential run (``fuzz.py``), round 2: one
test each, the expected texts being what crmsh 4.4.1 printed for the same input on the same CIB
(crmsh's sample configuration, as in ``test_fuzz_causes.py``)."""

from __future__ import annotations

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
