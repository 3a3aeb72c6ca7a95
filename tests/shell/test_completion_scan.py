"""The text scans completion reads a CIB with (issue 16): the same ids and parents as an XML parse
for every way of writing the tags, and None (parse it) for what they cannot read with certainty."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crmsh_py.shell.completion_scan import node_parts, readable, resource_tree, scan_status

TAGS = ("primitive", "group", "clone", "master", "bundle", "template")


def parsed_tree(text: str) -> list[tuple[str, str, int]]:
    """(tag, id, parent index) of the resource elements, by ElementTree."""
    out: list[tuple[str, str, int]] = []

    def walk(element: ET.Element, parent: int) -> None:
        for child in element:
            if child.tag in TAGS:
                out.append((child.tag, child.get("id", ""), parent))
                walk(child, len(out) - 1)
            else:
                walk(child, parent)

    walk(ET.fromstring(text), -1)
    return out


@pytest.mark.parametrize("text", [
    '<resources><primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/></resources>',
    '<resources><group id="g"><primitive id="a" class="ocf" type="D"><operations><op id="a-m" name="monitor"/>'
    '</operations></primitive><primitive class="ocf" id="b"/></group></resources>',
    "<resources>\n  <clone id='c'>\n    <primitive\n      id = 'p'\n      type=\"D\" />\n  </clone>\n</resources>",
    '<resources><master id="m"><group id="mg"><primitive id="x"/></group></master><template id="t"/></resources>',
    '<resources><primitive id="a&amp;b" description="x id=\'y\'"/></resources>',
    '<resources><primitive description="a > b" id="z"/></resources>',
], ids=["one", "group-with-ops", "layout", "nested", "entities", "gt-in-value"])
def test_the_same_tree_as_an_xml_parse(text: str) -> None:
    tree = resource_tree(text)
    assert tree is not None
    assert [(tag, ident, parent) for tag, ident, parent, _ in tree] == parsed_tree(text)


def test_a_comment_is_not_read_and_cdata_is_left_to_the_parser() -> None:
    text = readable('<resources><!-- <primitive id="ghost"/> --><primitive id="a"/></resources>')
    assert text is not None and [e[1] for e in resource_tree(text) or []] == ["a"]
    assert readable('<resources><primitive id="a"><![CDATA[x]]></primitive></resources>') is None


def test_a_tag_the_scan_cannot_match_gives_none() -> None:
    assert resource_tree('<resources><primitive id=a/></resources>') is None  # not XML: parse it
    assert resource_tree('<resources><group id="g"><primitive id="a"/></resources>') is None  # unclosed


def test_status_histories_by_resource_and_node_with_their_instances_together() -> None:
    status = ('<status><node_state id="1" uname="n1"><lrm id="1"><lrm_resources>'
              '<lrm_resource id="c:0" class="ocf"><lrm_rsc_op id="c_start_0" operation="start" '
              'transition-key="1:1:0:u" transition-magic="0:0;1:1:0:u" call-id="5" rc-code="0" op-status="0" '
              'interval="0"/></lrm_resource>'
              '<lrm_resource id="c:1" class="ocf"><lrm_rsc_op id="c_stop_0" operation="stop" '
              'transition-key="2:1:0:u" transition-magic="0:0;2:1:0:u" call-id="6" rc-code="0" op-status="0" '
              'interval="0"/></lrm_resource></lrm_resources></lrm></node_state>'
              '<node_state id="2"/></status>')
    scan = scan_status(status)
    assert scan is not None
    assert [s.get("uname") or s.get("id") for s in scan.node_states] == ["n1", "2"]
    assert scan.histories == {("c", "n1"): [("start", "1:1:0:u", "5", "0", "0", "0"),
                                            ("stop", "2:1:0:u", "6", "0", "0", "0")]}
    assert "".join(node_parts(status)) == status and len(node_parts(status)) == 3
