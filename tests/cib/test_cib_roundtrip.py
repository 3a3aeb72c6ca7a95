"""Property: model -> XML -> model -> XML is stable, and keeps every element."""

from __future__ import annotations

from cib_helpers import canonical, strip_generated_ids
from cib_strategies import configurations
from hypothesis import given, settings

from crmsh_py.cib import dump, load, xmlio
from crmsh_py.cib.model import Configuration


def _sorted(cfg: Configuration) -> list:
    return sorted(cfg.elements, key=lambda e: (type(e).__name__, e.id))


@settings(max_examples=80, deadline=None)
@given(configurations())
def test_model_xml_model(cfg: Configuration) -> None:
    xml1 = xmlio.configuration_to_xml(cfg)
    back = xmlio.configuration_from_xml(load(dump(xml1), root_tag=None))
    xml2 = xmlio.configuration_to_xml(back)
    assert canonical(xml2) == canonical(xml1)
    strip_generated_ids(back.elements)
    assert _sorted(back) == _sorted(cfg)


def test_colocation_influence_survives_xml() -> None:
    # Pacemaker's "influence" has no crm syntax, but a CIB that carries it keeps it
    text = ('<configuration><crm_config/><nodes/><resources/><constraints>'
            '<rsc_colocation id="c" rsc="a" with-rsc="b" score="INFINITY" influence="false"/>'
            '</constraints></configuration>')
    cfg = xmlio.configuration_from_xml(load(text, root_tag=None))
    xml = dump(xmlio.configuration_to_xml(cfg))
    assert 'influence="false"' in xml
