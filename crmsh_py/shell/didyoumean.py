""""Did you mean ...?" for names that do not exist: resource and element ids, nodes, agents,
parameters.

``close(word, candidates)`` is pure (tested on its own).  ``with_hint(session, error)`` recognises
the "no such thing" messages of our handlers and of Pacemaker's tools and appends the nearest
names the cluster really has.  Hints are for people: none in ``-R`` regression mode, whose output
is compared line by line with crmsh's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError, CrmError, ValidationError, ValidationErrors

if TYPE_CHECKING:
    from crmsh_py.session import Session
    from crmsh_py.shell.completion_source import SessionSource

MAX_HINTS = 3
CUTOFF = 0.6  # difflib's similarity below which a name is not offered
BAND = 0.1  # offered names are at most this much less similar than the best


def close(word: str, candidates: Iterable[str], limit: int = MAX_HINTS) -> list[str]:
    """The candidates nearest to ``word``, best first: a case-insensitive equal, then the close
    misspellings (difflib ratio at least 0.6, and within 0.1 of the best one, so that ``Dumy``
    offers ``Dummy`` without ``mysql``), then the names ``word`` is a prefix of; never ``word``."""
    names = [c for c in dict.fromkeys(candidates) if c and c != word]
    low = word.lower()
    found = [c for c in names if c.lower() == low]
    matcher = difflib.SequenceMatcher(b=low)
    scored: list[tuple[float, str]] = []
    for name in names:
        matcher.set_seq1(name.lower())
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            ratio = matcher.ratio()
            if ratio >= CUTOFF:
                scored.append((ratio, name))
    if scored:
        best = max(r for r, _ in scored)
        found += [n for r, n in sorted(scored, key=lambda x: (-x[0], x[1])) if r >= best - BAND]
    found += [c for c in names if c.lower().startswith(low)]
    return list(dict.fromkeys(found))[:limit]


def hint(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean "web"?)`` / `` (did you mean "web1" or "web2"?)``, or '' when nothing is near.

    An agent (``ocf:heartbeat:Dumy``) is compared by its type among those of its class and provider."""
    prefix = word.rpartition(":")[0] + ":" if ":" in word else ""
    tails = [c[len(prefix):] for c in candidates if c.startswith(prefix)]
    near = [prefix + n for n in close(word[len(prefix):], tails)]
    if not near:
        return ""
    quoted = [f'"{n}"' for n in near]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"


def _agents(source: "SessionSource", spec: str) -> list[str]:
    """Agents of the same class (and provider) as ``spec``, written the way ``spec`` is."""
    parts = spec.split(":")
    if len(parts) == 3:
        return [f"{parts[0]}:{parts[1]}:{a}" for a in source.agents(parts[0], parts[1])]
    if len(parts) == 2:
        return [f"{parts[0]}:{a}" for a in source.agents(parts[0])]
    return source.agents("ocf", "heartbeat") + source.agents("ocf", "pacemaker")


# message pattern (group 1: the name) -> the names of that kind the cluster has
KINDS: tuple[tuple[re.Pattern[str], Callable[["SessionSource", str], list[str]]], ...] = (
    (re.compile(r"Resource not found: (\S+)"), lambda s, w: s.resources()),
    (re.compile(r"Resource '([^']+)' not found"), lambda s, w: s.resources()),
    (re.compile(r"resource '?([^'\s]+)'? does not exist"), lambda s, w: s.resources()),
    (re.compile(r"Could not map name=(\S+) to a UUID"), lambda s, w: s.nodes()),
    (re.compile(r"[Nn]ode '?([^'\s]+)'? not found"), lambda s, w: s.nodes()),
    (re.compile(r"^(\S+): got no meta-data"), _agents),
    (re.compile(r"Metadata query for (\S+) failed"), _agents),
    (re.compile(r"object (\S+) does not exist"), lambda s, w: s.elements()),
    (re.compile(r"^(\S+): no such element"), lambda s, w: s.elements()),
)


# references inside a configuration being edited: the working copy's ids are the candidates
REFERENCE = re.compile(r"(?:resource|tagged object|template) '([^']+)' does not exist")


def _hinted(source: "SessionSource", text: str,
            kinds: tuple[tuple[re.Pattern[str], Callable[["SessionSource", str], list[str]]], ...]) -> str:
    """``text`` with a hint after its first line when it names something that does not exist."""
    for pattern, names in kinds:
        match = pattern.search(text)
        if match is None:
            continue
        extra = hint(match.group(1), names(source, match.group(1)))
        first, _, rest = text.partition("\n")
        return first + extra + ("\n" + rest if rest else "")
    return text


def with_hint(session: "Session", error: CrmError) -> CrmError:
    """``error`` with a "did you mean" added when it says a name does not exist (else itself):
    a command's error, or the validation errors of a configuration line."""
    if session.regression or "did you mean" in str(error):
        return error
    from crmsh_py.shell.completion_source import SessionSource

    source = SessionSource(session)
    try:
        if isinstance(error, CommandError):
            text = _hinted(source, error.text, KINDS)
            return error if text == error.text else CommandError(text, error.code, error.exit_code)
        if isinstance(error, ValidationErrors):
            kinds = ((REFERENCE, lambda s, w: s.elements()),)
            errors = [ValidationError(_hinted(source, e.text, kinds), e.element_id, e.code) for e in error.errors]
            changed = [e.text for e in errors] != [e.text for e in error.errors]
            return ValidationErrors(errors, error.code) if changed else error
    except Exception:  # noqa: BLE001 - a hint must never hide the error itself
        return error
    return error
