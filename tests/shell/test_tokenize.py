"""Command lines split into words exactly as ``shlex.split`` (posix, no comments) splits them: lines
without quotes or backslashes take a shorter path that must not change a single word."""

from __future__ import annotations

import re
import shlex

from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.shell.dispatch import strip_words, tokenize

# the blanks shlex splits on, white space it does not (\v \f, no-break space, line separator, the
# ASCII separators str.split() would take), quotes, backslashes and ordinary characters
ALPHABET = list(" \t\r\n\x0b\x0c\xa0\u2028\x1c\x1f\"'\\abc=:#é")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40))
def test_words_are_shlex_words(line: str) -> None:
    try:
        expected = shlex.split(line, comments=False, posix=True)
    except ValueError:  # unbalanced quotes: tokenize reports them as a command error
        return
    assert tokenize(line) == expected


def test_white_space_that_is_no_blank_stays_in_the_word() -> None:
    assert tokenize("resource\xa0move  d1\x0bx\tsrv02 ") == ["resource\xa0move", "d1\x0bx", "srv02"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40), st.integers(min_value=0, max_value=3))
def test_strip_words_drops_words_as_the_shells_regex_did(text: str, count: int) -> None:
    # the command's raw text after its level names: `^\s*\S+\s*` removed `count` times, then stripped
    expected = text
    for _ in range(count):
        expected = re.sub(r"^\s*\S+\s*", "", expected, count=1)
    assert strip_words(text, count) == expected.strip()


def test_lines_the_shell_does_not_measure_are_far_below_the_limit() -> None:
    # execute() imports the language's limit only for lines longer than SHORT_LINE_CHARS
    from crmsh_py.lang.limits import MAX_LINE_CHARS
    from crmsh_py.shell.dispatch import SHORT_LINE_CHARS

    assert SHORT_LINE_CHARS < MAX_LINE_CHARS
