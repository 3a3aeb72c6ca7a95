"""crmsh's regression case files, read the way crmsh's ``test/evaltest.sh`` reads them.

A case is a sequence of *steps*:

- a **single** line (``resource start p3``) is one ``crm -R WORDS`` invocation; the words are the
  line split on blanks (the harness passes ``$*`` unquoted, so quotes are not shell quotes here);
- a **block** (``show``, ``showxml``, ``session``, ``filesession`` up to a line holding only ``.``)
  is one ``crm -R`` reading its lines on standard input; ``show``/``showxml`` wrap the lines in
  ``configure``, ``_regtest on``, ``erase``, ``erase nodes`` … ``show`` (``show xml``), ``commit``;
  ``filesession`` runs on a throw-away copy of the CIB;
- ``%setenv showobj=ID`` makes every later single step be followed by ``configure``,
  ``_regtest on``, ``show xml ID`` (crmsh's ``crm_showobj``); ``%stop`` ends the case.

Lines are read as bash's ``read`` (without ``-r``) reads them: a backslash at the end of a line joins
the next one (both kept), other backslashes quote the next character, blanks at both ends go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BLOCK_KINDS = ("show", "showxml", "session", "filesession")
MAX_CASE_LINES = 10_000  # a case file is a few hundred lines; this only bounds the reader


@dataclass(frozen=True)
class Step:
    """One invocation of ``crm``: either argv words (single) or lines on stdin (block)."""

    kind: str  # "single" or one of BLOCK_KINDS
    words: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()

    def stdin(self) -> str:
        """The text ``crm`` reads on standard input for this step ("" for a single step)."""
        body = list(self.lines)
        if self.kind == "show":
            body = ["configure", "_regtest on", "erase", "erase nodes", *body, "show", "commit"]
        elif self.kind == "showxml":
            body = ["configure", "_regtest on", "erase", "erase nodes", *body, "show xml", "commit"]
        return "".join(line + "\n" for line in body)


@dataclass
class Case:
    """A named case and its steps."""

    name: str
    steps: list[Step] = field(default_factory=list)
    folder: Path | None = None  # where the case's .pre/.post scripts are


def bash_read(lines: list[str], start: int) -> tuple[str, int] | None:
    """One logical line from ``lines[start:]`` as ``read`` (no ``-r``) returns it, and the next index."""
    if start >= len(lines):
        return None
    out: list[str] = []
    i = start
    while i < len(lines) and i - start < MAX_CASE_LINES:
        text = lines[i]
        i += 1
        j = 0
        joined = False
        while j < len(text):
            char = text[j]
            if char == "\\":
                if j + 1 == len(text):
                    joined = True  # backslash-newline: the next line continues this one
                    break
                out.append(text[j + 1])
                j += 2
                continue
            out.append(char)
            j += 1
        if not joined:
            break
    return "".join(out).strip(" \t"), i


def parse_case(name: str, text: str) -> Case:
    """The steps of one case file."""
    lines = text.splitlines()
    case = Case(name)
    showobj = ""
    i = 0
    while (got := bash_read(lines, i)) is not None:
        line, i = got
        cmd, _, rest = line.partition(" ")
        rest = rest.strip()
        if not cmd or cmd.startswith("#"):
            continue
        if cmd == "%stop":
            break
        if cmd == "%setenv":
            key, _, value = rest.partition("=")
            if key == "showobj":
                showobj = value.strip()
            continue
        if cmd.startswith("%"):
            continue  # %ext/%extcheck/%repeat are not used by the cases we hold
        if cmd in BLOCK_KINDS:
            body: list[str] = []
            while (inner := bash_read(lines, i)) is not None:
                content, i = inner
                if content == ".":
                    break
                body.append(content)
            case.steps.append(Step(cmd, lines=tuple(body)))
            continue
        case.steps.append(Step("single", words=tuple(line.split())))
        if showobj:  # crmsh's crm_showobj
            case.steps.append(Step("session", lines=("configure", "_regtest on", f"show xml {showobj}")))
    return case


def load_cases(base: Path) -> list[Case]:
    """Every case of ``basicset`` that the folder holds, in the set's order."""
    names = (base / "basicset").read_text(encoding="utf-8").split()
    cases = [parse_case(n, (base / n).read_text(encoding="utf-8")) for n in names if (base / n).is_file()]
    for case in cases:
        case.folder = base
    return cases
