"""Configuration templates in crmsh's file format, and the configurations made from them.

A template is a text file: a header that names it and lists its parameters, then a body of crm
configuration lines::

    %name virtual-ip            the template's name (its parameters' prefix in a configuration)
    %depends_on other           another template pulled into the same configuration first
    %required                   the parameters below must be given ...
    %% ip                       ... one per line: ``%% NAME [VALUE]``
    %optional                   ... these may be left empty
    %% netmask
    %generate                   the body
    primitive %_ ocf:heartbeat:IPaddr2
        params ip=%_:ip
        opt cidr_netmask=%_:netmask

In the body ``%_`` is the resource id (the ``id`` parameter), ``%_:NAME`` a parameter of this
template and ``%OTHER:NAME`` one of a dependency; a line with the word ``opt`` is dropped when its
parameter is empty; ``%if %_:NAME`` ... [``%else`` ...] ``%fi`` keeps lines by whether the
parameter was given.  ``new`` turns templates into a *configuration* (the same header, one
``%pfx`` per template, the body with prefixes resolved) for the user to fill in; ``generate``
makes crm text of a filled-in configuration.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field

from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

_SANE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
HEADER_NOTE = """# Fill in the values after the parameter names on the lines that begin with '%%'
# (those under %required must all have one); leave everything else as it is.
# Comments of your own are welcome."""
BODY_NOTE = "# The lines below are generated from the templates: leave them as they are."


def sane_name(name: str, what: str) -> str:
    """``name`` when it can be a file name of its own (no path), else a CommandError."""
    if not _SANE.match(name):
        raise CommandError(f"{name}: not a valid {what} name (letters, digits, _ . -)")
    return name


def find_template(dirs: list[str], name: str) -> str | None:
    """The path of template ``name`` in the first of ``dirs`` that has it."""
    for folder in dirs:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def template_names(dirs: list[str]) -> list[str]:
    """Every template in ``dirs`` (sorted, each name once)."""
    names: set[str] = set()
    for folder in dirs:
        if os.path.isdir(folder):
            names.update(n for n in os.listdir(folder) if _SANE.match(n) and os.path.isfile(os.path.join(folder, n)))
    return sorted(names)


@dataclass
class Builder:
    """The pieces of a configuration being made from templates (``new``)."""

    dirs: list[str]
    header: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    pulled: list[str] = field(default_factory=list)  # template names, in the order they were taken up

    def pull(self, name: str, depth: int = 0) -> str:
        """Add template ``name`` (its dependencies first); its prefix in the configuration."""
        if depth > 16:  # bounded: a template that depends on itself
            raise CommandError(f"template {name}: dependencies nest too deep (a cycle?)")
        path = find_template(self.dirs, sane_name(name, "template"))
        if path is None:
            raise CommandError(f"{name}: no such template (see `list templates`)")
        self.pulled.append(name)
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().split("\n")
        own_name = _checked(lines, name)
        cut = lines.index("%generate")
        header, body = lines[:cut], lines[cut + 1:]
        for line in header:
            words = line.split()
            if words[:1] == ["%depends_on"] and len(words) == 2:
                prefix = self.pull(words[1], depth + 1)
                body = [b.replace("%" + words[1], "%" + prefix) for b in body]
        prefix = own_name
        for count in range(1, 100):
            if prefix not in self.prefixes:
                break
            prefix = f"{own_name}_{count}"
        self.prefixes.append(prefix)
        body = [b.replace("%_:", f"%{prefix}:").replace("%_", prefix) for b in body]
        first = next(i for i, line in enumerate(header) if line.strip() in ("%required", "%optional"))
        header.insert(first, f"%pfx {prefix}")
        self.header.extend(header)
        self.body.extend(body)
        return prefix

    def text(self, config: str, params: Mapping[str, str]) -> str:
        """The configuration file, with ``params`` filled in (``id`` is the configuration's name)."""
        header = list(self.header)
        for name, value in params.items():
            header = [re.sub(rf"^%% {re.escape(name)}\s*$", f"%% {name}  {value}", h) for h in header]
        # a prefix followed by neither ':' nor more of a name is the id itself (%_ of a dependency)
        alternatives = "|".join(re.escape(p) for p in sorted(self.prefixes, key=len, reverse=True))
        body = _conditionals([re.sub(rf"%({alternatives})(?![\w:])", r"\1", b) for b in self.body])
        return "\n".join([f"# Configuration: {config}", "", HEADER_NOTE, "", *header, BODY_NOTE, "",
                          "%generate", *body]) + "\n"


def _conditionals(body: list[str]) -> list[str]:
    """``%if %TEMPLATE`` ... [``%else`` ...] ``%fi`` resolved: the first part is kept when that
    template is part of the configuration (its reference was resolved, so no ``%`` is left)."""
    kept: list[str] = []
    keeping: bool | None = None
    for line in body:
        words = line.split()
        if len(words) == 2 and words[0] == "%if":
            keeping = not words[1].startswith("%")
        elif words[:1] == ["%else"] and keeping is not None:
            keeping = not keeping
        elif words[:1] == ["%fi"]:
            keeping = None
        elif keeping is not False:
            kept.append(line)
    return kept


def _checked(lines: list[str], name: str) -> str:
    """The ``%name`` of a template after checking its shape (CommandError naming what is wrong)."""
    named = [line.split() for line in lines if line.startswith("%name")]
    if not named or len(named[0]) != 2:
        raise CommandError(f"template {name}: invalid: missing '%name'")
    if "%generate" not in lines:
        raise CommandError(f"template {name}: invalid: missing '%generate'")
    head = lines[:lines.index("%generate")]
    if not any(line.strip() in ("%required", "%optional") for line in head):
        raise CommandError(f"template {name}: invalid: missing '%required' or '%optional'")
    return named[0][1]


# ---------------------------------------------------------------------- configuration → crm text


def generate(text: str, source: str) -> str:
    """The crm configuration a filled-in configuration file describes (CommandError for a
    required parameter left empty or a line out of place, with its line number)."""
    values: dict[str, str] = {}
    pieces: list[list[list[str]]] = []
    piece: list[list[str]] = []
    prefix, required, in_body = "", False, False
    for number, raw in enumerate(text.split("\n"), 1):
        if raw.startswith("#"):
            continue
        try:
            words = shlex.split(raw.strip())
        except ValueError as error:
            raise CommandError(f"{source}:{number}: {error}") from None
        if in_body:
            if words:
                piece.append(words)
            elif piece:
                pieces.append(piece)
                piece = []
            continue
        if not words or words[0] in ("%name", "%depends_on", "%suggests"):
            continue
        if words[0] == "%pfx" and len(words) == 2:
            prefix = words[1]
        elif words[0] in ("%required", "%optional"):
            required = words[0] == "%required"
        elif words[0] == "%%" and len(words) in (2, 3):
            if len(words) == 3:
                values[f"{prefix}:{words[1]}"] = words[2]
            elif required:
                raise CommandError(f"{source}:{number}: required parameter {words[1]} not set")
        elif words[0] == "%generate":
            in_body = True
        else:
            raise CommandError(f"{source}:{number}: unexpected line: {raw.strip()}")
    if piece:
        pieces.append(piece)
    out = []
    for lines in pieces:
        kept = [" ".join(words) for words in (_filled(w, values) for w in lines) if words]
        if kept:
            out.append(" \\\n\t".join(kept))
    return "\n".join(out) + ("\n" if out else "")


def _filled(words: list[str], values: Mapping[str, str]) -> list[str]:
    """A body line's words with parameters put in; [] for an ``opt`` line whose parameter is empty."""
    changed = False
    out = []
    for word in words:
        for name in sorted(values, key=len, reverse=True):
            spot = word.find("%" + name)
            end = spot + len(name) + 1
            if spot < 0 or re.match(r"[A-Za-z0-9]", word[end:end + 1]):
                continue
            value = values[name]
            quoted = f'"{value}"' if " " in value or word[spot - 1:spot] == "=" else value
            word = word.replace("%" + name, quoted)
            changed = True
        out.append(word)
    if "opt" in out:
        if not changed:
            return []
        out.remove("opt")
    return out
