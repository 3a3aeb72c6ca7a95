"""crmsh_py.xmltree behaves as xml.etree.ElementTree does, without loading it (issue 16).

The comparisons run in this process, where pytest has loaded ElementTree already: xmltree then
shares its element type and factories, but ``tostring``, ``indent`` and the plain-path answers are
always xmltree's own code, held here to ElementTree's on generated trees and on Pacemaker's
scheduler suite.  What a fresh interpreter loads is checked in a subprocess.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import xml.etree.ElementPath as RealPath
import xml.etree.ElementTree as RealET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py import xmltree
from crmsh_py.xmltree import _ElementPathStandIn

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT.parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"

TAGS = st.sampled_from(["a", "b", "node_state", "lrm-x", "c1"])
TEXT = st.one_of(st.none(), st.text(st.sampled_from(list("ab \n\t&<>\"'\r é€\u2028")), max_size=6))
VALUES = st.text(st.sampled_from(list("ab \n\t&<>\"'\r é€")), max_size=6)


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> RealET.Element:
    elem = RealET.Element(draw(TAGS), draw(st.dictionaries(st.sampled_from(["id", "name", "value"]), VALUES,
                                                           max_size=3)))
    elem.text = draw(TEXT)
    elem.tail = draw(TEXT)
    if depth:
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.integers(0, 5)) == 0:
                child = RealET.Comment(draw(st.text(st.sampled_from(list("ab -")), max_size=4)))
                child.tail = draw(TEXT)
                elem.append(child)
            else:
                elem.append(draw(trees(depth - 1)))
    return elem


@settings(max_examples=300)
@given(trees(), st.sampled_from([None, "unicode", "us-ascii", "utf-8", "UTF-8", "latin-1"]), st.booleans())
def test_tostring_writes_what_elementtree_writes(tree: RealET.Element, encoding: str | None, short: bool) -> None:
    assert xmltree.tostring(tree, encoding, short_empty_elements=short) == \
        RealET.tostring(tree, encoding, short_empty_elements=short)


def test_tostring_hands_namespaces_and_other_methods_to_elementtree() -> None:
    tree = RealET.fromstring('<a xmlns:x="urn:x"><x:b x:id="1">t</x:b><br/></a>')
    for options in ({}, {"method": "html"}, {"method": "text"}, {"xml_declaration": True}):
        assert xmltree.tostring(tree, "unicode", **options) == RealET.tostring(tree, "unicode", **options)
    with pytest.raises(TypeError):  # a value that is no string: ElementTree's own error
        xmltree.tostring(RealET.Element("a", {"n": 1}))  # type: ignore[dict-item]


@settings(max_examples=300)
@given(trees(), st.sampled_from(["  ", "\t", ""]), st.integers(0, 2))
def test_indent_lays_out_as_elementtree(tree: RealET.Element, space: str, level: int) -> None:
    ours, theirs = copy.deepcopy(tree), copy.deepcopy(tree)
    xmltree.indent(ours, space, level)
    RealET.indent(theirs, space, level)
    assert RealET.tostring(ours) == RealET.tostring(theirs)


def test_indent_refuses_a_negative_level() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        xmltree.indent(RealET.Element("a"), level=-1)


PATHS = st.lists(st.sampled_from(["a", "b", "node_state", "lrm-x", "*", "c1"]), min_size=1, max_size=4).map("/".join)


@settings(max_examples=300)
@given(trees(), PATHS)
def test_plain_paths_are_answered_as_elementpath_answers_them(tree: RealET.Element, path: str) -> None:
    stand_in = _ElementPathStandIn("xml.etree.ElementPath")
    assert stand_in.findall(tree, path) == RealPath.findall(tree, path)
    assert list(stand_in.iterfind(tree, path)) == list(RealPath.iterfind(tree, path))
    assert stand_in.find(tree, path) is RealPath.find(tree, path)
    assert stand_in.findtext(tree, path, "none") == RealPath.findtext(tree, path, "none")


def test_other_paths_go_to_the_real_elementpath() -> None:
    tree = RealET.fromstring('<r><a id="1"><b/></a><a id="2"><c><b/></c></a></r>')
    stand_in = _ElementPathStandIn("xml.etree.ElementPath")
    for path in (".//b", "a[@id='2']", "./a", "a/", "a//b", "{urn:x}a", "a/..", "a[1]"):
        assert stand_in.findall(tree, path) == RealPath.findall(tree, path), path
    assert stand_in.findall(tree, "x:a", {"x": "urn:x"}) == []
    assert stand_in.findtext(tree, "a[@id='1']") == ""


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SUITE}")
def test_the_scheduler_suite_reads_and_writes_as_with_elementtree() -> None:
    stand_in = _ElementPathStandIn("xml.etree.ElementPath")
    paths = ("configuration/resources", "status/node_state", "configuration/nodes/node",
             "status/node_state/lrm/lrm_resources/lrm_resource", "configuration/resources/*",
             "configuration/crm_config/cluster_property_set/nvpair")
    cases = sorted(SUITE.glob("*.xml"))
    assert len(cases) > 300
    for case in cases:
        text = case.read_bytes()
        ours = xmltree.fromstring(text)
        theirs = RealET.fromstring(text)
        assert xmltree.tostring(ours) == RealET.tostring(theirs), case.name
        for path in paths:
            assert [e.attrib for e in stand_in.findall(ours, path)] == \
                [e.attrib for e in RealPath.findall(theirs, path)], (case.name, path)


FRESH = """\
import sys
sys.path.insert(0, {root!r})
from crmsh_py import xmltree as ET
assert not {{"re", "enum", "xml.etree.ElementTree"}} & set(sys.modules), "loaded at import"
parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
parser.feed('<cib><configuration><resources><primitive id="p1"/><!-- kept --><group id="g">'
            '<primitive id="p2"/></group></resources></configuration><status><node_state id="1"/></status></cib>')
root = parser.close()
assert [e.get("id") for e in root.findall("configuration/resources/*") if isinstance(e.tag, str)] == ["p1", "g"]
comment = root.find("configuration/resources")[1]
assert ET.is_comment(comment.tag) and not ET.is_processing_instruction(comment.tag)
added = ET.SubElement(root.find("configuration/resources"), "primitive", {{"id": "p3"}})
added.append(ET.Comment("new"))
written = ET.tostring(root, encoding="unicode")
assert "<!-- kept -->" in written and '<primitive id="p3"><!--new--></primitive>' in written, written
assert root.findtext("status/node_state") == "" and root.find("status/x") is None
assert not {{"re", "enum", "xml.etree.ElementTree"}} & set(sys.modules), "loaded by a plain query"
assert [e.get("id") for e in root.iterfind(".//primitive")] == ["p1", "p2", "p3"]
assert "re" in sys.modules and type(sys.modules["xml.etree.ElementPath"]).__name__ == "module"
try:
    ET.fromstring("<a><b></a>")
except ET.ParseError as error:
    assert error.position == (1, 8), error.position
else:
    raise AssertionError("no ParseError")
import xml.etree.ElementTree as Real  # loaded afterwards: its parser's comments are comments too
late = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True, insert_pis=True))
late.feed("<a><!--x--><?pi y?></a>")
tree = late.close()
assert ET.is_comment(tree[0].tag) and ET.is_processing_instruction(tree[1].tag)
assert ET.tostring(tree) == b"<a><!--x--><?pi y?></a>" == Real.tostring(tree)
print("ok")
"""


def test_a_fresh_interpreter_parses_queries_and_writes_without_elementtree_or_re() -> None:
    done = subprocess.run([sys.executable, "-S", "-c", FRESH.format(root=str(ROOT))], capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr
