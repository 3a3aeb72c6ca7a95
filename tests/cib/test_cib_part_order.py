"""Mixed parts keep their written order in XML, as crmsh writes them (golden XML recorded from
crmsh 4.4.1: tests/lang/golden/crmsh_config.xml), and XML order survives a read back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import Configuration
from crmsh_py.lang import parse, write

GOLDEN = Path(__file__).resolve().parent.parent / "lang" / "golden"
SOURCE = [line for line in (GOLDEN / "identity_source.crm").read_text().splitlines()
          if line.split()[1:2] and line.split()[1].startswith("ord")]


def _tags(el: ET.Element) -> list[str]:
    return [c.tag for c in el if isinstance(c.tag, str)]


def _golden(element_id: str) -> ET.Element:
    root = ET.fromstring((GOLDEN / "crmsh_config.xml").read_text())
    found = root.find(f".//*[@id='{element_id}']")
    if found is None:
        found = root.find(f".//*[@uname='{element_id}']")
    assert found is not None, element_id
    return found


@pytest.mark.parametrize("line", SOURCE, ids=lambda s: s.split()[1])
def test_child_order_is_crmshs(line: str) -> None:
    element = parse(line)[0]
    ours = xmlio.configuration_to_xml(Configuration([element]))
    mine = ours.find(f".//*[@id='{element.id}']")
    if mine is None:
        mine = ours.find(f".//*[@uname='{element.id}']")
    assert mine is not None
    assert _tags(mine) == _tags(_golden(element.id))


@pytest.mark.parametrize("line", SOURCE, ids=lambda s: s.split()[1])
def test_xml_order_reads_back_to_the_same_text(line: str) -> None:
    element = parse(line)[0]
    back = xmlio.configuration_from_xml(xmlio.configuration_to_xml(Configuration([element])))
    assert write(back.elements[0]) == write(element)


def test_ops_after_meta_in_xml_show_first() -> None:
    """What Pacemaker's crm_resource leaves behind: <operations> then a new <meta_attributes>."""
    xml = ET.fromstring(
        '<configuration><crm_config/><nodes/><resources>'
        '<primitive id="d" class="ocf" provider="heartbeat" type="Dummy">'
        '<operations><op id="d-m" name="monitor" interval="10s"/></operations>'
        '<meta_attributes id="d-meta_attributes"><nvpair id="d-m-t" name="target-role" value="Stopped"/>'
        '</meta_attributes></primitive></resources><constraints/></configuration>')
    element = xmlio.configuration_from_xml(xml).elements[0]
    assert write(element) == ("primitive d Dummy \\\n\top monitor interval=10s \\\n"
                              "\tmeta target-role=Stopped")
    again = xmlio.configuration_to_xml(Configuration([element])).find(".//primitive")
    assert again is not None and _tags(again) == ["operations", "meta_attributes"]
