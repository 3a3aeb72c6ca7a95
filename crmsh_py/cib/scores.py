"""Pacemaker scores: text <-> integer and INFINITY arithmetic.

Pacemaker clamps every score to +/-1,000,000 (``INFINITY``) and lets ``-INFINITY`` win over
``+INFINITY`` when both are added, so that a ban always beats a preference.
"""

from __future__ import annotations

INFINITY = 1_000_000

# Every spelling of infinity that crm and Pacemaker accept, case-insensitive.
_INFINITE: dict[str, int] = {
    "inf": INFINITY,
    "+inf": INFINITY,
    "infinity": INFINITY,
    "+infinity": INFINITY,
    "-inf": -INFINITY,
    "-infinity": -INFINITY,
}

def score_value(text: str) -> int:
    """The integer value of a score written as text (``100``, ``-inf``, ``INFINITY``...).

    Integers beyond +/-INFINITY are clamped.  Raises ValueError with a readable message for
    anything else.
    """
    word = text.strip()
    infinite = _INFINITE.get(word.lower())
    if infinite is not None:
        return infinite
    digits = word[1:] if word[:1] in ("+", "-") else word
    if not (digits.isascii() and digits.isdigit()):  # [+-]?[0-9]+ without compiling it
        raise ValueError(
            f"invalid score {text!r}: expected an integer, INFINITY, +INFINITY, -INFINITY or inf"
        )
    return clamp(int(word))


def is_score(text: str) -> bool:
    """True if ``text`` is a valid score."""
    try:
        score_value(text)
    except ValueError:
        return False
    return True


def clamp(value: int) -> int:
    """Limit ``value`` to the range [-INFINITY, INFINITY]."""
    return max(-INFINITY, min(INFINITY, value))


def add(a: int, b: int) -> int:
    """Add two scores the way Pacemaker does: -INFINITY wins, then +INFINITY, then clamp."""
    if a <= -INFINITY or b <= -INFINITY:
        return -INFINITY
    if a >= INFINITY or b >= INFINITY:
        return INFINITY
    return clamp(a + b)


def to_text(value: int) -> str:
    """The canonical text of a score: ``INFINITY``, ``-INFINITY`` or the decimal integer."""
    if value >= INFINITY:
        return "INFINITY"
    if value <= -INFINITY:
        return "-INFINITY"
    return str(value)


def canonical(text: str) -> str:
    """The canonical spelling of a score given as text (``inf`` -> ``INFINITY``)."""
    return to_text(score_value(text))
