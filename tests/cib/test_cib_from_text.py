"""End to end with the language layer: crm text -> model -> XML equals crmsh 4.4.1's XML
(attribute order and element order within a section aside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cib_helpers import canonical

from crmsh_py.cib import load, xmlio
from crmsh_py.cib.model import Configuration

lang = pytest.importorskip("crmsh_py.lang")
GOLDEN = Path(__file__).parent / "golden"


def _sections(el) -> list[str]:
    # compare each section's children as a set of canonical texts: crmsh reorders some
    return sorted(canonical(child) for section in el for child in section)


@pytest.mark.parametrize("name", ["all_types", "explicit_ids", "bundle_alert", "ops_sets", "demo"])
def test_crm_text_gives_crmsh_xml(name: str) -> None:
    if not hasattr(lang, "parse"):
        pytest.skip("crmsh_py.lang.parse not available")
    elements = lang.parse((GOLDEN / f"{name}.crm").read_text())
    ours = xmlio.configuration_to_xml(Configuration(elements))
    xml_name = "demo_configuration" if name == "demo" else name
    theirs = load((GOLDEN / f"{xml_name}.xml").read_text(), root_tag=None)
    if theirs.tag == "cib":
        theirs = theirs.find("configuration")
    assert _sections(ours) == _sections(theirs)
