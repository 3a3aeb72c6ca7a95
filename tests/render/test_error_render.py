"""Errors shown in colour on a terminal print the user's and the CIB's text literally: no emoji codes
(``:heartbeat:`` is part of agent names), no rich markup (``[red]`` in a description)."""

from __future__ import annotations

import io
import re

from crmsh_py.errors import CommandError, ParseError
from crmsh_py.render.errors import report

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shown(error: CommandError | ParseError) -> str:
    stream = io.StringIO()
    report(error, stream, env={}, scheme="always")  # colour forced: the terminal path
    out = stream.getvalue()
    assert ANSI.search(out), "the terminal path was not taken (no colour codes)"
    return ANSI.sub("", out)


def test_agent_names_keep_their_colons() -> None:
    shown = _shown(CommandError("usage: info AGENT (e.g. ocf:heartbeat:Dummy, stonith:external/ssh)"))
    assert shown == "ERROR: usage: info AGENT (e.g. ocf:heartbeat:Dummy, stonith:external/ssh)\n"
    assert "\N{BEATING HEART}" not in shown


def test_markup_like_text_prints_as_typed() -> None:
    for text in ("description [red]x", "[/]", "[bold]unclosed", "a [link=x]b[/link]"):
        assert _shown(CommandError(f"bad value {text}")) == f"ERROR: bad value {text}\n"


def test_caret_stays_under_the_column_of_a_line_with_an_agent_name() -> None:
    line = "primitive d5 ocf:heartbeat:Dummy op"
    error = ParseError("expected an operation name", line=1, col=len(line) + 1, context=line)
    shown = _shown(error).splitlines()
    echoed = next(i for i, l in enumerate(shown) if l.strip() == line)
    caret = shown[echoed + 1]
    assert caret.strip() == "^"
    assert caret.index("^") - shown[echoed].index("primitive") == len(line)
