"""The CIB writer gives exactly what ElementTree's writer gives (plain, and laid out as ``ET.indent``
lays out a tree whose whitespace-only text between tags was dropped), on every CIB of Pacemaker's
scheduler suite and on awkward hand-made trees."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.cib.serialize import to_bytes, to_text

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"


def _elementtree_laid_out(elem: ET.Element) -> str:
    tree = copy.deepcopy(elem)
    for sub in tree.iter():
        if sub.text is not None and not sub.text.strip() and len(sub):
            sub.text = None
        if sub.tail is not None and not sub.tail.strip():
            sub.tail = None
    ET.indent(tree, space="  ")
    return ET.tostring(tree, encoding="unicode")


def _same(elem: ET.Element) -> None:
    before = ET.tostring(elem)
    assert to_text(elem) == ET.tostring(elem, encoding="unicode")
    assert to_bytes(elem) == ET.tostring(elem)
    assert to_text(elem, "  ") == _elementtree_laid_out(elem)
    assert ET.tostring(elem) == before  # nothing changed in the tree


AWKWARD = [
    '<cib a="x&amp;y&lt;&gt;&quot;" b="tab&#09;cr&#13;lf&#10;end"><configuration/></cib>',
    "<a>text<b/>tail of b<c>inner</c>  <d> </d>\n</a>",
    "<a><!-- a comment --><?pi data?><b>é ü → 漢</b></a>",
    "<a>\n  <b>\n    <c/>\n  </b>\n\n  <e></e>\n</a>",
    "<a>   <b/>text after</a>",
    "<a/>",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_trees_are_written_as_elementtree_writes_them(text: str) -> None:
    _same(ET.fromstring(text))


def test_a_tail_on_the_root_and_namespaces_are_handled() -> None:
    root = ET.fromstring('<a xmlns:x="urn:x"><x:b x:c="1"/></a>')  # namespaced: ElementTree writes it
    _same(root)
    _same(ET.Element(ET.QName("urn:x", "b")))  # QNames too
    _same(ET.Element("a", {ET.QName("k"): "v"}))  # type: ignore[dict-item]
    plain = ET.fromstring("<r><s/></r>")
    plain.tail = " after"
    _same(plain)


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SUITE}")
def test_every_cib_of_pacemakers_suite_is_written_as_elementtree_writes_it() -> None:
    files = sorted(SUITE.glob("*.xml"))
    assert len(files) > 100
    for path in files:
        _same(ET.parse(path).getroot())
