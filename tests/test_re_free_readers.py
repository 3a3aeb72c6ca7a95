"""The readers that replaced regular expressions on the one-shot and ``crm_simulate`` paths (issue
16: ``re`` and the ``enum`` it loads cost a one-shot about 5 ms) read exactly what those
expressions read; each is held to its expression, kept here, on generated text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.cib.rules import _version
from crmsh_py.engine.cibfile import without_layout, without_layout_by_hand
from crmsh_py.engine.scheduler.state import failure_attribute_kind
from crmsh_py.engine.status_view import _leading_int
from crmsh_py.lowlevel.cibadmin_ops import tight_empty_tags
from crmsh_py.lowlevel.detect import _listening
from crmsh_py.shell.arguments import is_lifetime

# the expressions as they were
LIFETIME = re.compile(r"^P(?:\d+[YMWD])*(?:T(?:\d+[HMS])+)?$")
EMPTY_TAG = re.compile(r"(<[^<>]*?) />")
GAPS = re.compile(rb">\s+<")
LEADING_INT = re.compile(r"\s*[-+]?\d+")
DIGIT_RUNS = re.compile(r"\d+")

# digits of several scripts, white space of several kinds, and the letters each reader looks for
DIGITS_AND_SPACE = list("0129٣\u0663²") + [" ", "\t", "\n", "\r", "\u2003", "\x0b"]


@settings(max_examples=500)
@given(st.text(st.sampled_from(DIGITS_AND_SPACE + list("PTYMWDHSx")), max_size=10))
def test_lifetimes_read_as_the_expression_did(word: str) -> None:
    assert is_lifetime(word) == (LIFETIME.match(word) is not None)


def test_lifetimes() -> None:
    assert [is_lifetime(w) for w in ("PT1H", "P1D", "P1Y2M3W4DT5H6M7S", "P", "PT", "srv01", "force", "P1")] == \
        [True, True, True, True, False, False, False, False]


@settings(max_examples=500)
@given(st.text(st.sampled_from(list("<> /ab\n\"=-!")), max_size=16))
def test_empty_tags_are_tightened_as_the_expression_did(text: str) -> None:
    assert tight_empty_tags(text) == EMPTY_TAG.sub(r"\1/>", text)


@settings(max_examples=500)
@given(st.binary(max_size=16).map(lambda b: bytes(b"<> \t\n\r\x0b\x0ca\x1c\x85"[c % 11] for c in b)))
def test_layout_is_dropped_as_the_expression_dropped_it(data: bytes) -> None:
    assert without_layout_by_hand(data) == GAPS.sub(b"><", data) == without_layout(data)


@settings(max_examples=500)
@given(st.text(st.sampled_from(DIGITS_AND_SPACE + list("+-.ab")), max_size=10))
def test_leading_integers_and_digit_runs_read_as_the_expressions_did(text: str) -> None:
    match = LEADING_INT.match(text)
    assert _leading_int(text) == (int(match.group(0)) if match else 0)
    assert _version(text) == tuple(int(run) for run in DIGIT_RUNS.findall(text))


NAMES = st.sampled_from(["rsc", "r", "rsc:1", "a#b", "x_1", "d.1"])


@settings(max_examples=800)
@given(NAMES, st.sampled_from(["fail-count-", "last-failure-", "fail-count", "probe-"]),
       st.sampled_from(["", "full", "cut"]), st.text(st.sampled_from(list("#_:09\n٣xs")), max_size=8),
       st.booleans(), st.booleans())
def test_failure_attributes_are_told_apart_as_the_expression_did(
        name: str, prefix: str, middle: str, rest: str, numbered: bool, legacy: bool) -> None:
    key = prefix + {"": "", "full": name, "cut": name[:-1]}[middle] + rest
    pattern = re.escape(name) + (r"(?::[0-9]+)?" if numbered else "")
    match = re.fullmatch(rf"(fail-count|last-failure)-{pattern}{'' if legacy else '#.+_[0-9]+'}", key)
    assert failure_attribute_kind(key, name, numbered, legacy) == (match.group(1) if match else None)


def test_failure_attributes() -> None:
    assert failure_attribute_kind("fail-count-rsc#start_0", "rsc", False, False) == "fail-count"
    assert failure_attribute_kind("last-failure-rsc:2#monitor_10000", "rsc", True, False) == "last-failure"
    assert failure_attribute_kind("fail-count-rsc2#start_0", "rsc", True, False) is None
    assert failure_attribute_kind("fail-count-rsc", "rsc", False, True) == "fail-count"


@settings(max_examples=300)
@given(st.lists(st.text(st.sampled_from(list("@/cib_rwpacemakerd x")), max_size=14), max_size=4))
def test_sockets_are_recognised_as_the_expressions_did(lines: list[str]) -> None:
    sockets = "\n".join(lines)
    for name in ("cib_rw", "pacemakerd"):
        assert _listening(sockets, name) == (re.search(rf"(?m)(?:@|/){name}(?:@*)$", sockets) is not None)
