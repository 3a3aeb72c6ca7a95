"""Blocks of name/value pairs with scores and rules, resolved the way Pacemaker 2.1.5 does it.

Cluster properties, ``rsc_defaults``/``op_defaults``, a resource's meta attributes and a node's
attributes or utilization may come in several blocks, each with an optional ``score`` and rule:

- a block whose rule does not hold at ``now`` (dates) or for the resource (``rsc_expression``:
  class, provider and type of the primitive) is skipped; a block without a rule always holds;
- the blocks are taken highest score first (no score is 0); among equal scores the block written
  last comes first (Pacemaker builds its list back to front and sorts it stably); the block named
  ``first`` (``cib-bootstrap-options`` for properties) always comes first;
- the first value given for a name wins; the value ``#default`` unsets the name.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.cib.model import NVPair, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Protocol

    from crmsh_py.cib.rules import AgentKey

    class Block(Protocol):
        """What an attribute block (``AttrSet`` or ``ClusterSet``) offers."""

        @property
        def id(self) -> str | None: ...  # read-only: a ClusterSet's id is always a str

        score: str | None
        rules: list[Rule]
        nvpairs: list[NVPair]


DEFAULT = "#default"  # a value meaning "not set"


def _score(block: Block) -> int:
    try:
        return scores.score_value(block.score) if block.score else 0
    except ValueError:
        return 0


def ordered(blocks: Iterable[Block], first: str | None = None) -> list[Block]:
    """The blocks in the order their values are taken (see the module docstring)."""
    backwards = list(blocks)[::-1]
    return sorted(backwards, key=lambda b: (not (first and (b.id or "").lower() == first.lower()), -_score(b)))


def holds(block: Block, now: int, rsc: AgentKey | None = None,
          node_attrs: Mapping[str, str] | None = None) -> bool:
    """Whether the block applies: no rule, or some rule of it holds."""
    if not block.rules:
        return True
    from crmsh_py.cib.rules import eval_rule  # here: most attribute blocks have no rule

    return any(eval_rule(rule, node_attrs or {}, now, None, rsc) for rule in block.rules)


def resolve(blocks: Iterable[Block], now: int, rsc: AgentKey | None = None, first: str | None = None,
            node_attrs: Mapping[str, str] | None = None) -> dict[str, str]:
    """The values the blocks give, each name's first applicable value winning."""
    out: dict[str, str] = {}
    for block in ordered(blocks, first):
        if not holds(block, now, rsc, node_attrs):
            continue
        for pair in block.nvpairs:
            if pair.value is not None and pair.value.lower() == DEFAULT:
                out.pop(pair.name, None)  # "#default" unsets the name (Pacemaker drops the value)
            elif pair.value is not None:
                out.setdefault(pair.name, pair.value)
    return out
