"""Showing errors to the user: ``ERROR: message``, with the caret line under syntax errors.

Plain text when not a terminal (or ``NO_COLOR``); the same words in colour otherwise.
"""

from __future__ import annotations

from crmsh_py.errors import CommandError, CrmError
from crmsh_py.render.theme import console, use_color

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO


def error_text(error: CrmError, where: str = "") -> str:
    """``ERROR: message``, or ``ERROR: FILE:LINE: message`` when ``where`` is given (a batch line)."""
    message = error.message()
    return f"ERROR: {where}: {message}" if where else f"ERROR: {message}"


def report(error: CrmError, stream: TextIO, env: Mapping[str, str], where: str = "",
           scheme: str = "auto") -> None:
    """Print an error to ``stream``, coloured on a terminal (nothing when it was shown already)."""
    if isinstance(error, CommandError) and error.shown:
        return
    text = error_text(error, where)
    if not use_color(stream, env, scheme):
        stream.write(text + "\n")
        return
    from rich.markup import escape

    con = console(stream)
    lines = text.split("\n")
    con.print(f"[error]{escape(lines[0])}[/error]")
    for line in lines[1:]:
        style = "caret" if line.strip() == "^" else "info"
        con.print(f"[{style}]{escape(line)}[/{style}]")
