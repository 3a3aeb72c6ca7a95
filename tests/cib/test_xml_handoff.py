"""Handing a tool its XML input as a tree: only when the text would have parsed back the same."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crmsh_py.cib import dump, empty_cib, load
from crmsh_py.cib.xml_handoff import HandedStdin, XmlInput, handed_tree, round_trips, stdin_for
from crmsh_py.errors import CibFileError


def _cib_with(value: str = "x", comment: str | None = None, text: str | None = None) -> ET.Element:
    root = empty_cib()
    resources = root.find("configuration/resources")
    assert resources is not None
    primitive = ET.SubElement(resources, "primitive", {"id": "p", "class": "ocf", "provider": "heartbeat",
                                                      "type": "Dummy"})
    if comment is not None:
        primitive.append(ET.Comment(comment))
    attrs = ET.SubElement(primitive, "instance_attributes", {"id": "p-ia"})
    ET.SubElement(attrs, "nvpair", {"id": "p-ia-a", "name": "a", "value": value})
    if text is not None:
        ET.SubElement(primitive, "description").text = text
    return root


def _parsed_back(tree: ET.Element) -> str:
    return dump(load(dump(tree)))


# trees whose text parses back into the same document: tabs, line ends and markup characters in
# values are written as references; comments and text as they are
SAME = [_cib_with(), _cib_with("a\tb\nc\r&<>\"'"), _cib_with(comment=" a comment "),
        _cib_with(text="line 1\nline 2 & <more>"), _cib_with("caf\u00e9 \U0001f600")]


@pytest.mark.parametrize("tree", SAME)
def test_a_tree_that_round_trips_is_handed_over_as_it_is(tree: ET.Element) -> None:
    assert round_trips(tree)
    assert _parsed_back(tree) == dump(tree)
    stdin = stdin_for(tree)
    assert handed_tree(stdin) is tree
    assert handed_tree(stdin) is None  # once


# trees whose text does not parse (or parses into something else): they go as text, and the tool
# fails on them as it always did
DIFFERENT = {
    "control character in a value": _cib_with("a\x01b"),
    "control character in a comment": _cib_with(comment="a\x02"),
    "carriage return in text": _cib_with(text="a\rb"),
    "double hyphen in a comment": _cib_with(comment="a -- b"),
    "comment ending in a hyphen": _cib_with(comment="a-"),
    "lone surrogate": _cib_with("\udc80"),
    "not a character": _cib_with("\uffff"),
}


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_a_tree_that_would_not_parse_back_goes_as_text(case: str) -> None:
    tree = DIFFERENT[case]
    assert not round_trips(tree)
    try:
        assert _parsed_back(tree) != dump(tree)
    except (CibFileError, UnicodeEncodeError):
        pass  # it does not parse at all
    stdin = stdin_for(tree)
    assert handed_tree(stdin) is None
    assert stdin.read() == dump(tree)


def test_odd_names_and_processing_instructions_go_as_text() -> None:
    for odd in (ET.Element("a:b"), ET.Element("{urn:x}b"), ET.Element("a", {"x y": "1"}),
                ET.Element("a", {"\u00e9": "1"})):
        assert not round_trips(odd)
    root = empty_cib()
    root.append(ET.ProcessingInstruction("target", "data"))
    assert not round_trips(root)
    valued = empty_cib()
    valued.set("epoch", 3)  # type: ignore[arg-type]  # not a string: the writer's own error, as before
    assert not round_trips(valued)


def test_reading_the_handed_stdin_gives_the_text_and_takes_the_tree_away() -> None:
    tree = _cib_with()
    stdin = HandedStdin(tree)
    first = stdin.readline()
    assert first == dump(tree).splitlines(keepends=True)[0]
    assert first + stdin.read() == dump(tree)
    assert handed_tree(stdin) is None  # the text was read: the tool parses that, not the tree
    assert XmlInput(tree).text() == dump(tree)
