"""What ``commit`` and ``verify`` say when ``crm_verify`` finds problems, in crmsh 4.4.1's words.

crmsh logs ``crm_verify -VV``'s lines itself: the first as a warning when it is one and as an error
otherwise, every later line as an error; schema complaints (``Entity: line N: element E:
Relax-NG validity error : TEXT``) are shortened to ``E (N): TEXT``.  Nothing is added after them:
a refused commit in a batch ends there (the command fails), a forced one says ``commit forced``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError

if TYPE_CHECKING:
    from crmsh_py.session import Session

_RELAX_NG = re.compile(r"^Entity: line (\d+): element (\w+): Relax-NG validity error : (.+)$")


def prettify(line: str) -> str:
    """A schema complaint shortened as crmsh shows it; other lines unchanged."""
    m = _RELAX_NG.match(line)
    return f"{m.group(2)} ({m.group(1)}): {m.group(3)}" if m else line


def report(session: "Session", said: str) -> None:
    """Print crm_verify's lines as crmsh does (see the module's docstring)."""
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        text = prettify(line)
        if index == 0 and "warning:" in line:
            session.warning(text)
        else:
            session.err.write(f"ERROR: {session._at()}{text}\n")


def refuse_or_force(session: "Session", forced: bool, said: str = "") -> None:
    """After crm_verify or the sanity checks refused a configuration (and said why): go on only
    when forced (``-F`` or ``commit force``: "commit forced") or when the user at the terminal says
    so; otherwise the command fails with nothing more to say (crmsh's batch behaviour).  ``said``:
    crm_verify's lines, kept in the error for a caller that looks at it."""
    if forced:
        session.info("commit forced")
        return
    if session.ask is not None and session.ask("Do you still want to commit?"):
        return
    # shown: the lines are on the screen already; the error still carries them for a caller
    raise CommandError(f"not committed: crm_verify or the sanity checks found problems\n{said}".rstrip(),
                       shown=True)
