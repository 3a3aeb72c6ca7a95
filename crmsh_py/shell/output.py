"""Long output as a terminal user wants it: crmsh's colours and the pager, plain text otherwise.

``show(session, text, kind)`` is the one way commands print long text (``help``, ``configure
show``, ``status``, ``ra info``, ...).  On a terminal the text is coloured (``kind`` says how) and,
when it is taller than the window, goes through the pager: ``options pager``, else ``$PAGER``,
else ``less -R``.  Piped, redirected, in a batch or with ``NO_COLOR``/``options output plain``,
it is printed as is.
"""

from __future__ import annotations

import os

from crmsh_py.render.theme import scheme_from_options, use_color

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session

DEFAULT_PAGER = "less -R"


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def on_terminal(session: "Session") -> bool:
    """Whether the session's output goes to a terminal."""
    return _isatty(session.out)


def colored(session: "Session") -> bool:
    """Whether this session's output is coloured (a terminal, no NO_COLOR, options allow it)."""
    return use_color(session.out, session.env, scheme_from_options(session.options))


def pager_command(session: "Session") -> list[str]:
    """The pager's argv: ``options pager``, else ``$PAGER``, else ``less -R``; ``less`` gets ``-R``
    so that the colours pass through as colours, not as escape codes."""
    import shlex  # only when a pager runs: one-shots print without one

    text = session.options.get("pager") or session.env.get("PAGER") or DEFAULT_PAGER
    try:
        argv = shlex.split(text)
    except ValueError:
        argv = text.split()
    if argv and os.path.basename(argv[0]) == "less" and not any(a.startswith("-") and "R" in a for a in argv[1:]):
        argv.append("-R")
    return argv


def wants_pager(session: "Session", text: str) -> bool:
    """Page only for someone at a terminal (stdin and stdout), outside a batch, when the text is
    taller than the window."""
    if session.mode == "batch" or not session.terminal or not _isatty(session.out):
        return False
    import shutil  # here: only a terminal session pages (shutil brings bz2 and lzma along)

    height = shutil.get_terminal_size((80, 24)).lines
    return text.count("\n") + 1 > height - 1


def _page(session: "Session", text: str) -> bool:
    """Run the pager on ``text``; False when it could not be started (the caller prints instead)."""
    argv = pager_command(session)
    if not argv:
        return False
    import subprocess  # only when a pager runs: one-shots print without one

    session.out.flush()
    try:
        subprocess.run(argv, input=text if text.endswith("\n") else text + "\n", text=True,
                       env=session.env, check=False)
    except OSError:
        return False
    return True


def show(session: "Session", text: str, kind: str = "plain") -> None:
    """Print ``text`` (coloured as ``kind``: config, status, plain) through the pager when wanted."""
    if not text:
        return
    if colored(session):
        from crmsh_py.render.colorize import COLORIZERS  # only for a terminal: its patterns are dear to compile

        text = COLORIZERS.get(kind, COLORIZERS["plain"])(text, session.options.get("colorscheme", ""))
    if wants_pager(session, text) and _page(session, text):
        return
    session.write(text)


def prompt_text(session: "Session") -> str:
    """The prompt, bold green on a colour terminal (crmsh's)."""
    prompt = session.prompt()
    if not colored(session):
        return prompt
    from crmsh_py.render.colorize import color_prompt

    return color_prompt(prompt)


def columns(words: list[str], width: int) -> str:
    """Words in aligned columns across ``width`` (crmsh's ``ra list`` layout), row by row."""
    if not words:
        return ""
    cell = max(len(w) for w in words) + 4
    per_line = max(1, width // cell)
    rows = ["".join(w.ljust(cell) for w in words[i:i + per_line]).rstrip()
            for i in range(0, len(words), per_line)]
    return "\n".join(rows)


# crmsh's own values of the ``output`` option (how text is coloured): all mean text here
TEXT_STYLES = ("text", "plain", "color", "color-always", "colour", "uppercase")


def structured_asked(session: "Session") -> bool:
    """Whether the ``output`` option asks for anything but text (crmsh's styles, ``color`` by
    default): only then does a command load :mod:`crmsh_py.shell.structured`, whose ``wanted``
    names the format (or refuses an unknown one)."""
    fmt = (session.options.get("output") or "text").lower()
    return not all(word in TEXT_STYLES for word in fmt.replace(",", " ").split())
