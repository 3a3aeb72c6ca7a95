"""Readers for the language golden files in ``golden/`` (see ``golden/regenerate.py``)."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
PAIR_SEPARATOR = "\n====\n"
ARROW = "\n----\n"


def identity_entries() -> list[str]:
    """The entries of identity.crm: one canonical element each."""
    text = (GOLDEN / "identity.crm").read_text()
    return [entry for entry in text.rstrip("\n").split("\n\n") if entry.strip()]


def pairs() -> list[tuple[str, str]]:
    """(input, crmsh's canonical text) pairs from pairs.crm."""
    text = (GOLDEN / "pairs.crm").read_text().rstrip("\n")
    result = []
    for block in text.split(PAIR_SEPARATOR):
        given, expected = block.split(ARROW)
        result.append((given, expected))
    return result


def entry_id(entry: str) -> str:
    """A readable test id for an entry: its first non-comment line's first two words."""
    line = next(x for x in entry.splitlines() if not x.startswith("#"))
    return " ".join(line.split()[:2])





def through_cib(elements: list) -> list:  # type: ignore[type-arg]
    """``elements`` as crmsh reads them back from the CIB, where its canonical forms were printed
    (``load`` then ``show``): an expression's default type, string, is dropped on reading (see
    ``crmsh_py.cib.xml_rules``); the rest reads back as it was written."""
    from crmsh_py.cib.model import Expression

    stack: list[object] = list(elements)
    for _step in range(1_000_000):
        if not stack:
            break
        obj = stack.pop()
        if isinstance(obj, list):
            stack.extend(obj)
        elif isinstance(obj, Expression):
            if obj.type == "string":
                obj.type = None
        else:
            stack.extend(getattr(obj, name) for name in getattr(type(obj), "__record_names__", ()))
    return elements
