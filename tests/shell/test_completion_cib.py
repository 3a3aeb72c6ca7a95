"""Completion's CIB read by sections (issue 16): the same elements as a whole parse, a section
parsed again only when its text changed, the status only when asked for, and odd shapes parsed
whole."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.cib import load
from crmsh_py.errors import CibFileError
from crmsh_py.shell.completion_cib import CibSections

SCENARIOS = Path(__file__).resolve().parents[2].parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"

CIB = ('<?xml version="1.0"?>\n<cib epoch="{epoch}" num_updates="0" admin_epoch="0">\n  <configuration>\n'
       '    <crm_config/>\n    <nodes><node id="1" uname="srv01"/></nodes>\n'
       '    <resources>{resources}</resources>\n    <constraints/>\n  </configuration>\n'
       '  <status>{status}</status>\n</cib>\n')
PRIM = '<primitive id="{}" class="ocf" provider="heartbeat" type="Dummy"/>'


def _shape(element: ET.Element) -> list[tuple[object, dict[str, str]]]:
    """Tags and attributes in document order (whitespace between elements does not count)."""
    return [(x.tag, dict(x.attrib)) for x in element.iter()]


def _cib(resources: list[str], status: str = "", epoch: int = 1) -> str:
    return CIB.format(epoch=epoch, resources="".join(PRIM.format(r) for r in resources), status=status)


@pytest.mark.skipif(not SCENARIOS.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SCENARIOS}")
def test_the_same_elements_as_a_whole_parse_on_pacemakers_suite() -> None:
    for path in sorted(SCENARIOS.glob("*.xml"))[::8]:
        text = path.read_text(encoding="utf-8")
        whole = load(text, str(path))
        assert _shape(CibSections(text, str(path)).root()) == _shape(whole), path.name
        config = CibSections(text, str(path)).configuration()
        assert config is not None and _shape(config) == _shape(whole.find("configuration")), path.name  # type: ignore[arg-type]


def test_an_unchanged_section_keeps_its_parse_and_a_changed_one_shows() -> None:
    first = CibSections(_cib(["a"]), "cib.xml")
    config = first.configuration()
    first.root()
    status_changed = CibSections(_cib(["a"], status='<node_state id="1" uname="srv01"/>'), "cib.xml", first)
    assert status_changed.configuration() is config  # only the status was read again
    assert status_changed.root().find("status/node_state") is not None
    config_changed = CibSections(_cib(["a", "b"], epoch=2), "cib.xml", status_changed)
    changed = config_changed.configuration()
    assert changed is not config
    assert [p.get("id") for p in changed.iter("primitive")] == ["a", "b"]  # type: ignore[union-attr]
    assert config_changed.root().get("epoch") == "2"


def test_the_status_is_not_parsed_for_the_configuration() -> None:
    broken_status = _cib(["a"], status="<node_state id='1'")  # malformed, and never looked at
    assert [p.get("id") for p in CibSections(broken_status, "cib.xml").configuration().iter("primitive")] == ["a"]  # type: ignore[union-attr]
    with pytest.raises(CibFileError):
        CibSections(broken_status, "cib.xml").root()


@pytest.mark.parametrize("text", [
    _cib(["a"]).replace("  <status>", "  <!-- a note --><status>"),  # a comment between the sections
    _cib(["a"]).replace("<crm_config/>", "<!-- </configuration> --><crm_config/>"),  # a look-alike
    _cib(["a"]).replace("<status></status>", "<status/>"),
    _cib(["a"]).replace("  <status></status>\n", ""),
], ids=["comment-between", "closing-tag-in-comment", "empty-status", "no-status"])
def test_odd_shapes_give_what_a_whole_parse_gives(text: str) -> None:
    whole = load(text)
    assert _shape(CibSections(text, "cib.xml").root()) == _shape(whole)
    config = CibSections(text, "cib.xml").configuration()
    assert config is not None and [p.get("id") for p in config.iter("primitive")] == ["a"]
