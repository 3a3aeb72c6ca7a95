"""The REPL's first prompt, drawn before the line editor has loaded.

prompt_toolkit (with asyncio behind it) takes longer to import than the rest of the shell's
start-up together.  So on a terminal the shell writes its first prompt at once, keeps what the
user types meanwhile unechoed in the terminal's input queue (echo and line editing off: the
line editor shows it), and when prompt_toolkit is ready hands the terminal back (modes restored,
cursor at the start of the line) so that the editor draws the same prompt over it and reads the
keys typed ahead (Ctrl-C and Ctrl-D included): Tab, history and colour work from the first key.  A terminal that cannot be
put in that mode (no termios, not a tty) gets the editor's prompt only, as before.

The editor is imported with ``ssl`` held off: asyncio imports it only to offer TLS transports,
which the shell never uses; the module stays importable for whoever needs it later.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session


def _tty_fd(stream: TextIO) -> int | None:
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # a StringIO in tests, a closed stream
        return None
    return fd if stream.isatty() else None


def draw_early_prompt(session: "Session", stdin: TextIO | None = None) -> Callable[[], None] | None:
    """Write the prompt now and hold typed-ahead keys; the function returned gives the terminal
    back for the line editor (call it right before the editor starts).  None: nothing was drawn
    (not a terminal)."""
    from crmsh_py.shell.output import prompt_text

    fd = _tty_fd(stdin if stdin is not None else sys.stdin)
    if fd is None or _tty_fd(session.out) is None:
        return None
    try:
        import termios

        saved = termios.tcgetattr(fd)
        held = list(saved)
        # Ctrl-C and Ctrl-D typed ahead wait in the queue too: the editor gives them their
        # meaning at a prompt (drop the line, leave) rather than a signal in mid-import
        held[3] = saved[3] & ~(termios.ECHO | termios.ICANON | termios.ISIG)
        # TCSANOW, never TCSAFLUSH: keys already typed must reach the editor
        termios.tcsetattr(fd, termios.TCSANOW, held)
    except (ImportError, OSError):  # termios.error is an OSError
        return None
    session.out.write(prompt_text(session))
    session.out.flush()

    def hand_over() -> None:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        except OSError:
            pass
        session.out.write("\r")  # the editor draws its prompt over this one
        session.out.flush()

    return hand_over


def import_repl() -> ModuleType:
    """``crmsh_py.shell.repl`` (and prompt_toolkit) imported without asyncio's optional ``ssl``."""
    held = "ssl" not in sys.modules
    if held:
        sys.modules["ssl"] = None  # type: ignore[assignment]  # import ssl -> ImportError: asyncio goes without
    try:
        from crmsh_py.shell import repl
    finally:
        if held and "ssl" in sys.modules and sys.modules["ssl"] is None:
            del sys.modules["ssl"]
    return repl
