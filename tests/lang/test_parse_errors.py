"""Syntax errors: position, offending word, the line, and what was expected, in words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.errors import ParseError
from crmsh_py.lang import parse


def error_of(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text, source="test.crm")
    return info.value


def test_missing_score_colon() -> None:
    err = error_of("primitive a Dummy\ncolocation c1 inf a b")
    assert (err.line, err.col) == (2, 15)
    assert err.text == 'unexpected "inf"'
    assert err.expected == "expected a score like 100: or inf:"
    assert err.context == "colocation c1 inf a b"
    assert err.source == "test.crm"


def test_message_has_caret_under_the_word() -> None:
    msg = str(error_of("colocation c1 inf a b"))
    assert msg.splitlines() == [
        'test.crm:1:15: syntax error: unexpected "inf" (expected a score like 100: or inf:)',
        "  colocation c1 inf a b",
        "                ^",
    ]


def test_location_without_score_or_rule() -> None:
    err = error_of("location l1 d1 srv01")
    assert (err.line, err.col, err.text) == (1, 16, 'unexpected "srv01"')
    assert "a score like 100: or inf:" in err.expected and "rule" in err.expected


def test_unknown_element() -> None:
    err = error_of("\n\nprimtive p Dummy")
    assert (err.line, err.col) == (3, 1)
    assert err.text == 'unknown element "primtive"'
    assert err.expected.startswith("expected an element type: node, primitive")


def test_unterminated_quote() -> None:
    err = error_of('primitive p Dummy params a="x y')
    assert (err.line, err.col) == (1, 28)
    assert "unterminated quote" in err.text
    assert "closing quote" in err.expected


def test_op_without_name() -> None:
    err = error_of("primitive p Dummy op interval=10s")
    assert (err.col, err.text) == (22, 'unexpected "interval=10s"')
    assert err.expected == "expected an operation name such as monitor"


def test_op_at_end_of_line() -> None:
    err = error_of("primitive p Dummy \\\n  op")
    assert err.line == 2 and err.text == "unexpected end of line"
    assert "operation name" in err.expected


def test_error_line_inside_continuation() -> None:
    err = error_of("primitive p Dummy \\\n  params a=1 \\\n  op monitor interval=10 op_meta $id-ref=x \\\n  rule")
    assert err.line == 4


def test_invalid_role() -> None:
    err = error_of("colocation c inf: a b:Boss")
    assert (err.col, err.text) == (21, 'invalid role "Boss"')
    assert "Promoted" in err.expected


def test_invalid_score_in_constraint() -> None:
    err = error_of("colocation c pingd: a b")
    assert err.text == 'invalid score "pingd:"'


def test_bad_comparison() -> None:
    err = error_of("location l d rule inf: a like b")
    assert err.text == 'unknown comparison "like"' and err.col == 26


def test_mixed_boolean_ops() -> None:
    err = error_of("location l d rule inf: defined a and defined b or defined c")
    assert err.text == "mixing and and or in one rule"


def test_unknown_constraint_option() -> None:
    err = error_of("order o Mandatory: a b symetrical=false")
    assert err.text == 'unknown option "symetrical"' and err.col == 24


def test_bad_xml() -> None:
    err = error_of("xml <tag id='x'>")
    assert err.text.startswith("bad XML")


_WORDS = st.sampled_from(["primitive", "p", "Dummy", "params", "a=1", "op", "monitor", "interval=10s",
                          "inf:", "location", "(", ")", "[", "]", "{", "}", "rule", "and", "\"q", "#c",
                          "\\", "group", "colocation", "x:y", "$id=i", "date", "defined", "xml", "<a/>"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=8), max_size=4))
def test_arbitrary_word_soup_parses_or_raises_parse_error(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(words) for words in lines)
    try:
        parse(text)
    except ParseError as err:
        assert err.line >= 1 and err.col >= 1
        assert str(err)
