"""The writer on models read from crmsh-made CIB XML must print what crmsh printed.

``golden/crmsh_config.xml`` and ``golden/crmsh_show.crm`` were recorded from the reference
crmsh 4.4.1 (``golden/regenerate.py``); this test needs neither crmsh nor the text parser.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crmsh_py.cib import xmlio
from crmsh_py.lang.writer import context_for, sort_key, write, write_all
from crmsh_ref import split_entries
from lang_golden import GOLDEN, entry_id


def _elements():
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.fromstring((GOLDEN / "crmsh_config.xml").read_text(), parser=parser)
    return xmlio.configuration_from_xml(root).elements


SHOWN = split_entries((GOLDEN / "crmsh_show.crm").read_text())


def _params():
    for entry in SHOWN:
        yield pytest.param(entry, id=entry_id(entry))


@pytest.fixture(scope="module")
def written() -> dict[str, str]:
    elements = _elements()
    ctx = context_for(elements)
    texts = [write(e, ctx) for e in sorted(elements, key=sort_key)]
    return {entry_id(t): t for t in texts}


@pytest.mark.parametrize("entry", list(_params()))
def test_element_as_crmsh_shows_it(entry: str, written: dict[str, str]) -> None:
    assert written[entry_id(entry)] == entry


def test_display_order_matches_crmsh() -> None:
    mine = split_entries(write_all(_elements()))
    assert [entry_id(e) for e in mine] == [entry_id(e) for e in SHOWN]
