"""Scores: text <-> integer and Pacemaker's INFINITY arithmetic."""

from __future__ import annotations

import pytest

from crmsh_py.cib.scores import INFINITY, add, canonical, is_score, score_value, to_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("inf", INFINITY), ("+inf", INFINITY), ("-inf", -INFINITY), ("INFINITY", INFINITY),
        ("+INFINITY", INFINITY), ("-INFINITY", -INFINITY), ("Infinity", INFINITY),
        ("100", 100), ("-100", -100), ("+5", 5), ("0", 0), ("5000000", INFINITY),
        ("-5000000", -INFINITY),
    ],
)
def test_score_value(text: str, value: int) -> None:
    assert score_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.5", "10s", "++inf", "inf inity"])
def test_bad_score_names_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="invalid score"):
        score_value(text)
    assert not is_score(text)


@pytest.mark.parametrize(
    ("a", "b", "total"),
    [
        (-INFINITY, INFINITY, -INFINITY), (INFINITY, -INFINITY, -INFINITY),
        (INFINITY, 5, INFINITY), (-INFINITY, 5, -INFINITY), (INFINITY, INFINITY, INFINITY),
        (600_000, 600_000, INFINITY), (-600_000, -600_000, -INFINITY), (100, -30, 70),
    ],
)
def test_add(a: int, b: int, total: int) -> None:
    assert add(a, b) == total


def test_to_text_and_canonical() -> None:
    assert to_text(INFINITY) == "INFINITY"
    assert to_text(-INFINITY) == "-INFINITY"
    assert to_text(-7) == "-7"
    assert canonical("inf") == "INFINITY"
    assert canonical("+100") == "100"
