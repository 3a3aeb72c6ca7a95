"""Command lines split into words exactly as ``shlex.split`` (posix, no comments) splits them: lines
without quotes or backslashes take a shorter path that must not change a single word."""

from __future__ import annotations

import shlex

from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.shell.dispatch import tokenize

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
