"""Colocation arithmetic on node scores, as Pacemaker 2.1.5 does it while placing a resource.

Two directions:

- **This with a primary** (``apply_primary``): the primary is placed first.  A mandatory
  colocation bans every node but the primary's (or, when the primary is not placed at all, every
  node); a mandatory anti-colocation bans the primary's node; a finite score is added on the
  primary's node, or subtracted everywhere when the primary is not placed (a negative one is then
  ignored).  A finite change that would leave nowhere to run is rolled back.
- **Dependents of this** (``merge_dependents``): before choosing a node, a primary takes in the
  node preferences of what is colocated with it, scaled by ``score / INFINITY`` and rounded (never
  to zero), recursively through their own dependents (a loop is broken where it closes).  A
  dependent whose preferences would leave the primary nowhere to run is left out.
"""

from __future__ import annotations

from crmsh_py.cib import scores

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Callable, Iterable

INF = scores.INFINITY
add = scores.add

Scores = dict[str, int]


def any_available(sc: Scores, available: set[str]) -> bool:
    """Whether some usable node has a non-negative score."""
    return any(v >= 0 and n in available for n, v in sc.items())


def apply_primary(sc: Scores, primary_nodes: set[str] | None, score: int, available: set[str]) -> Scores:
    """``sc`` after a colocation with a primary placed on ``primary_nodes`` (None: not placed)."""
    if not primary_nodes and score < 0:
        return sc  # anti-colocation with something that does not run
    work = dict(sc)
    for node in work:
        if not primary_nodes:
            work[node] = add(-score, work[node])
        elif node in primary_nodes:
            if score < INF:
                work[node] = add(score, work[node])
        elif score >= INF:
            work[node] = add(-score, work[node])
    if score <= -INF or score >= INF or any_available(work, available):
        return work
    return sc


def scaled(factor: float, score: int) -> int:
    """``score`` times ``factor``, rounded half away from zero, never rounded down to zero."""
    weighted = factor * score
    value = int(weighted - 0.5) if weighted < 0 else int(weighted + 0.5)
    if value == 0 and score != 0:
        value = 1 if factor > 0 else -1 if factor < 0 else 0
    return value


def merge_dependents(rsc: str, sc: Scores, factor: float, available: set[str],
                     preference: Callable[[str], Scores],
                     dependents: Callable[[str], Iterable[tuple[str, int]]],
                     merging: set[str], pinned: set[str] | None = None, hack: bool = False) -> Scores:
    """``sc`` with the preferences of ``rsc`` (scaled by ``factor``) and, recursively, of the
    resources colocated with it; unchanged when that would leave no usable node.

    ``pinned`` (a clone taking in its dependents) makes the merge non-negative: a node the
    dependents would push below zero keeps a zero score, or 1 if it was positive (and then takes
    no more changes), as Pacemaker does for a clone's allocation.  With ``hack`` a node pinned by
    this merge counts as unusable until the merge is kept (Pacemaker's INFINITY_HACK), so a merge
    that pins every usable node is rolled back; the clone's own weights (which weigh its
    promotion) are merged so.  Placement applies a clone's merged scores to each instance, which
    Pacemaker does not (it only orders the clone's nodes by them): there the pinned nodes keep
    counting, which leaves those scores flat."""
    if rsc in merging:
        return sc
    merging.add(rsc)
    pref = preference(rsc)
    work = dict(sc)
    newly_pinned: set[str] = set()
    for node in work:
        if pinned is not None and node in pinned:
            continue
        best = pref.get(node, -INF) if node in available else -INF
        if factor < 0 and best < 0:
            continue  # a negative preference for a bad node does not become a positive one
        new = add(scaled(factor, best), work[node])
        if pinned is not None and new < 0 and work[node] >= 0:
            if work[node] > 0:
                work[node] = 1
                newly_pinned.add(node)
            continue
        work[node] = new
    if any_available(work, available - newly_pinned if hack and newly_pinned else available):
        if pinned is not None:
            pinned |= newly_pinned
        sign = -1.0 if factor < 0 else 1.0
        for dependent, score in dependents(rsc):
            work = merge_dependents(dependent, work, sign * score / INF, available, preference, dependents,
                                    merging, pinned, hack)
    else:
        work = sc
    merging.discard(rsc)
    return work
