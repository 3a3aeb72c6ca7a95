"""Quoting and score spelling in canonical crm text (crmsh 4.4 ``configure show``).

crmsh leaves a value bare when it consists only of word characters, dots and dashes (Unicode
word characters count); anything else, including the empty string, is double-quoted, with
embedded double quotes escaped as ``\\"``.
"""

from __future__ import annotations

# Score spellings that all mean the same infinite score, mapped to the CIB spelling.
_INFINITE = {
    "inf": "INFINITY",
    "infinity": "INFINITY",
    "+inf": "+INFINITY",
    "+infinity": "+INFINITY",
    "-inf": "-INFINITY",
    "-infinity": "-INFINITY",
}


def is_bare(value: str) -> bool:
    """True when crmsh shows ``value`` without quotes: word characters, dots and dashes only (what
    ``re.match(r"^[\\w.-]+$", value)`` reads, a final new line allowed; by hand, for ``re`` and
    the ``enum`` it loads would cost ``crm configure show`` 5 ms)."""
    if value.endswith("\n"):
        value = value[:-1]
    return value.replace("_", "a").replace(".", "a").replace("-", "a").isalnum()


def quote(value: str) -> str:
    """``value`` as crmsh shows it: bare, or double-quoted with inner quotes escaped."""
    if is_bare(value):
        return value
    return '"' + value.replace('"', '\\"') + '"'


def nvpair(name: str, value: str | None) -> str:
    """``name=value`` with the value quoted as needed; a bare ``name`` when value is None."""
    if value is None:
        return name
    return f"{name}={quote(value)}"


def cib_score(score: str) -> str:
    """The CIB spelling of a score: ``inf``/``+inf``/``-inf`` in any case become
    ``INFINITY``/``+INFINITY``/``-INFINITY``; other text is returned unchanged."""
    return _INFINITE.get(score.lower(), score)


def shown_score(score: str) -> str:
    """How crmsh shows a score in a constraint head: ``INFINITY`` spelled ``inf``."""
    return cib_score(score).replace("INFINITY", "inf")
