""""Did you mean ...?": the names nearest to one that does not exist (pure functions).

``close(word, candidates)`` ranks, ``hint(word, candidates)`` words it.  Reading what the cluster
has and adding hints to errors is :mod:`crmsh_py.shell.error_hints`'s job.
"""

from __future__ import annotations

import difflib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterable

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
