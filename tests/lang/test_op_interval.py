"""An op's ``interval`` keeps the place it was written in, in text and in XML, as crmsh 4.4 does.

The expected texts and XML attribute orders were recorded from the reference crmsh 4.4.1
(``crm configure load update`` then ``configure show`` and the CIB file); the live test checks
them again when crmsh is installed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import crmsh_ref
from crmsh_py.cib import xmlio
from crmsh_py.cib.model import Agent, Configuration, NVPair, Op, Primitive
from crmsh_py.lang import parse
from crmsh_py.lang.writer import write

# (crm text, crmsh's configure show of the op line, crmsh's <op> attribute order without id)
CASES = [
    ("primitive a1 Dummy op start timeout=30 interval=0",
     "op start timeout=30 interval=0", ["name", "timeout", "interval"]),
    ("primitive a2 Dummy op stop timeout=20s",
     "op stop timeout=20s interval=0", ["name", "timeout", "interval"]),
    ("primitive a3 Dummy op monitor timeout=20 interval=10 on-fail=restart",
     "op monitor timeout=20 interval=10 on-fail=restart", ["name", "timeout", "interval", "on-fail"]),
    ("primitive a4 Dummy op monitor interval=10 timeout=20",
     "op monitor interval=10 timeout=20", ["name", "interval", "timeout"]),
    ("primitive a6 Dummy op monitor timeout=20 interval=10 depth=0",
     "op monitor timeout=20 interval=10 \\\n\top_params depth=0", ["name", "timeout", "interval"]),
    ("primitive a9 Dummy op start timeout=30 op_meta x=1",
     "op start timeout=30 interval=0 \\\n\top_meta x=1", ["name", "timeout", "interval"]),
    ("primitive a10 Dummy op monitor timeout=20 on-fail=restart interval=10",
     "op monitor timeout=20 on-fail=restart interval=10", ["name", "timeout", "on-fail", "interval"]),
]
DUMMY = Agent("ocf", "Dummy", "heartbeat")
IDS = [case[0].split()[1] for case in CASES]


def _op_xml(text: str) -> ET.Element:
    cfg = Configuration(parse(text))
    found = xmlio.configuration_to_xml(cfg).find(".//op")
    assert found is not None
    return found


@pytest.mark.parametrize(("text", "shown", "order"), CASES, ids=IDS)
def test_text_keeps_interval_position(text: str, shown: str, order: list[str]) -> None:
    (element,) = parse(text)
    assert write(element) == f"{' '.join(text.split()[:3])} \\\n\t{shown}"


@pytest.mark.parametrize(("text", "shown", "order"), CASES, ids=IDS)
def test_xml_keeps_interval_position(text: str, shown: str, order: list[str]) -> None:
    assert [k for k in _op_xml(text).attrib if k != "id"] == order


@pytest.mark.parametrize(("text", "shown", "order"), CASES, ids=IDS)
def test_xml_to_text_keeps_interval_position(text: str, shown: str, order: list[str]) -> None:
    cfg = xmlio.configuration_to_xml(Configuration(parse(text)))
    (element,) = xmlio.configuration_from_xml(cfg).elements
    assert write(element).endswith(shown)


def test_interval_position_in_model() -> None:
    (prim,) = parse("primitive a Dummy op monitor timeout=20 on-fail=restart interval=10 op start timeout=5")
    assert isinstance(prim, Primitive)
    assert (prim.ops[0].interval, prim.ops[0].interval_index) == ("10", 2)
    assert (prim.ops[1].interval, prim.ops[1].interval_index) == (None, 0)


def test_model_built_without_position_shows_interval_first() -> None:
    # Code that builds an Op (the engine, tests) without a position gets crmsh's usual order.
    prim = Primitive("a", agent=DUMMY, ops=[Op("monitor", "10s", [NVPair("timeout", "20s")])])
    assert write(prim).endswith("op monitor interval=10s timeout=20s")


def test_index_beyond_attributes_is_clamped() -> None:
    op = Op("monitor", "10s", interval_index=7)
    prim = Primitive("a", agent=DUMMY, ops=[op])
    assert write(prim).endswith("op monitor interval=10s")
    el = xmlio.configuration_to_xml(Configuration([prim])).find(".//op")
    assert el is not None and el.get("interval") == "10s"


@pytest.mark.skipif(not crmsh_ref.available(), reason="reference crmsh (/usr/sbin/crm) not installed")
def test_matches_reference_crmsh() -> None:
    text = "property stonith-enabled=false\n" + "\n".join(case[0] for case in CASES) + "\n"
    reference = crmsh_ref.load_and_show(text)
    assert reference.ok, reference.errors
    root = ET.fromstring(reference.cib_xml)
    for (source, shown, order), rid in zip(CASES, IDS):
        op = root.find(f".//primitive[@id='{rid}']//op")
        assert op is not None
        assert [k for k in op.attrib if k != "id"] == order
        assert f"{' '.join(source.split()[:3])} \\\n\t{shown}" in reference.show
