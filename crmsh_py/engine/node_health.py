"""Node health (``node-health-strategy``), as Pacemaker 2.1.5 reads it.

Node attributes whose names start with ``#health`` carry ``red``/``yellow``/``green`` or a score.
The strategy gives the colours their scores: ``migrate-on-red`` (red -INFINITY), ``only-green``
(red and yellow -INFINITY), ``progressive``/``custom`` (``node-health-red``/``-yellow``/``-green``,
progressive adding ``node-health-base``).  A node's health is the sum; when not zero it is a
location score for every resource on that node (a negative one spares resources with
``allow-unhealthy-nodes=true``).  Displays show a node as ``online (health is YELLOW)`` or ``RED``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Mapping


INF = 1_000_000
STRATEGIES = frozenset({"migrate-on-red", "only-green", "progressive", "custom"})


def _score(text: str | None, colours: Mapping[str, int]) -> int:
    value = (text or "").strip().lower()
    if value in colours:
        return colours[value]
    if value in ("infinity", "+infinity"):
        return INF
    if value == "-infinity":
        return -INF
    try:
        return max(-INF, min(INF, int(value)))
    except ValueError:
        return 0


def strategy(props: Mapping[str, str]) -> str:
    """The configured strategy (``none`` when unset or unknown)."""
    value = props.get("node-health-strategy", "none").strip().lower()
    return value if value in STRATEGIES else "none"


def colour_scores(props: Mapping[str, str]) -> dict[str, int]:
    """The score of each colour under the configured strategy."""
    kind = strategy(props)
    if kind == "none":
        return {"red": 0, "yellow": 0, "green": 0}
    if kind == "migrate-on-red":
        return {"red": -INF, "yellow": 0, "green": 0}
    if kind == "only-green":
        return {"red": -INF, "yellow": -INF, "green": 0}
    plain: dict[str, int] = {}
    return {colour: _score(props.get(f"node-health-{colour}", "-INFINITY" if colour == "red" else "0"), plain)
            for colour in ("red", "yellow", "green")}


def _add(a: int, b: int) -> int:
    if a <= -INF or b <= -INF:
        return -INF
    return min(INF, a + b)


def node_score(props: Mapping[str, str], attrs: Mapping[str, str]) -> int:
    """A node's health score (0: no effect)."""
    kind = strategy(props)
    if kind == "none":
        return 0
    colours = colour_scores(props)
    total = _score(props.get("node-health-base", "0"), {}) if kind == "progressive" else 0
    for name, value in attrs.items():
        if name.startswith("#health"):
            total = _add(total, _score(value, colours))
    return total


def display_state(props: Mapping[str, str], attrs: Mapping[str, str]) -> str | None:
    """``RED``, ``YELLOW`` or None (healthy, or no strategy) for status displays."""
    if strategy(props) == "none":
        return None
    colours = colour_scores(props)
    state = None
    for name, value in attrs.items():
        if not name.startswith("#health"):
            continue
        text = (value or "").strip().lower()
        if text == "red":
            return "RED"
        if text == "yellow":
            state = "YELLOW"
            continue
        score = _score(text, colours)
        if score <= colours["red"]:
            return "RED"
        if score <= colours["yellow"] and colours["yellow"] != colours["green"]:
            state = "YELLOW"
    return state
