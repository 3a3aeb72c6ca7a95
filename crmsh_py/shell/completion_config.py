"""Completion inside configure element lines: primitives from their agent's meta-data, meta
attributes with their values, constraint scores, rule expressions, resource sets.

Each completer is ``f(source, args, partial) -> [candidates]`` where ``args`` are the words after
the element keyword.  A candidate may carry a note (:class:`Cand`: ``state=`` "(required)",
``interval=10s`` "monitor default") that the REPL shows beside it; it is a ``str`` all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from crmsh_py.cib.vocabulary import OP_USER_ATTRIBUTES
from crmsh_py.lang import keywords as lang

class CompletionSource(Protocol):
    """What completion may ask about the cluster."""

    def resources(self, state: str | None = None) -> list[str]:
        """Resource ids; ``state`` ``stopped``/``running`` filters."""

    def nodes(self) -> list[str]:
        """Node names."""

    def ra_classes(self) -> list[str]:
        """Resource agent classes (ocf, lsb, service, stonith, systemd)."""

    def providers(self) -> list[str]:
        """OCF providers."""

    def agents(self, ra_class: str, provider: str | None = None) -> list[str]:
        """Agent types of a class (and provider)."""

    def agent_params(self, agent: str) -> list[str]:
        """Parameter names of an agent (``ocf:heartbeat:Dummy``) from its meta-data."""

    def shadows(self) -> list[str]:
        """Shadow CIB names."""

    def elements(self) -> list[str]:
        """Ids of configuration elements."""


def agent_candidates(source: CompletionSource, partial: str) -> list[str]:
    """``ocf:`` → ``ocf:heartbeat:``...; ``stonith:`` → the plugins; no colon → classes."""
    parts = partial.split(":")
    if len(parts) == 1:
        return [f"{c}:" for c in source.ra_classes()]
    ra_class = parts[0]
    if ra_class == "ocf":
        if len(parts) == 2:
            return [f"ocf:{p}:" for p in source.providers()]
        return [f"ocf:{parts[1]}:{a}" for a in source.agents("ocf", parts[1])]
    return [f"{ra_class}:{a}" for a in source.agents(ra_class)]


class Cand(str):
    """A completion candidate with a note shown beside it (``meta``)."""

    meta: str

    def __new__(cls, text: str, meta: str = "") -> "Cand":
        made = super().__new__(cls, text)
        made.meta = meta
        return made


Completer = Callable[[CompletionSource, list[str], str], list[str]]

# What completion offers is read from the language's own tables (crmsh_py.lang.keywords): a word
# the parser would not take is never offered, and a word it learns is offered without a second list.
PRIMITIVE_SECTIONS: tuple[str, ...] = lang.words_of("PARAMS", "META", "UTILIZATION", "OP")
OP_NAMES: tuple[str, ...] = ("start", "stop", "monitor", "promote", "demote", "notify", "reload",
                             "reload-agent", "migrate_to", "migrate_from", "meta-data", "validate-all")
OP_ATTRIBUTES = OP_USER_ATTRIBUTES  # the <op> attributes a user sets, in the order offered
# meta attributes of resources with the values Pacemaker accepts (empty: any value)
META_VALUES: dict[str, tuple[str, ...]] = {
    "target-role": ("Started", "Stopped", "Promoted", "Unpromoted"),
    "is-managed": ("true", "false"),
    "maintenance": ("true", "false"),
    "allow-migrate": ("true", "false"),
    "critical": ("true", "false"),
    "multiple-active": ("block", "stop_only", "stop_start", "stop_unexpected"),
    "requires": ("nothing", "quorum", "fencing", "unfencing"),
    "resource-stickiness": ("0", "100", "INFINITY"),
    "migration-threshold": ("1", "3", "INFINITY"),
    "failure-timeout": ("0", "60s", "10min"),
    "priority": ("0", "10"),
    "interleave": ("true", "false"),
    "notify": ("true", "false"),
    "globally-unique": ("true", "false"),
    "ordered": ("true", "false"),
    "promotable": ("true", "false"),
    "clone-max": (), "clone-node-max": (), "promoted-max": (), "promoted-node-max": (),
}
PRIMITIVE_META: tuple[str, ...] = (
    "allow-migrate", "critical", "failure-timeout", "is-managed", "maintenance", "migration-threshold",
    "multiple-active", "priority", "requires", "resource-stickiness", "target-role",
)
CLONE_META: tuple[str, ...] = PRIMITIVE_META + (
    "clone-max", "clone-node-max", "globally-unique", "interleave", "notify", "ordered", "promotable",
    "promoted-max", "promoted-node-max")
OP_VALUES: dict[str, tuple[str, ...]] = {
    "on-fail": ("ignore", "block", "stop", "restart", "standby", "fence", "demote"),
    "role": tuple(r for r in lang.ROLES.values() if r not in lang.LEGACY_ROLES),
    "enabled": ("true", "false"), "record-pending": ("true", "false"),
    "requires": ("nothing", "quorum", "fencing", "unfencing"),
}
SCORES: tuple[str, ...] = ("inf:", "-inf:", "+inf:", "100:", "0:")
ORDER_KINDS: tuple[str, ...] = (*(f"{kind}:" for kind in lang.ORDER_KINDS.values()), "inf:", "0:")
RULE_ATTRIBUTES: tuple[str, ...] = ("#uname", "#id", "#kind", "#cluster-name", "#role", "date")
RULE_UNARY: tuple[str, ...] = lang.words_of("UNARYOP")
# the operators, and a few typed ones to show that a type may prefix them
RULE_OPERATORS: tuple[str, ...] = (*sorted(lang.BINARY_OPS), "string:eq", "number:lt", "version:gt")
RULE_JOINS: tuple[str, ...] = lang.words_of("BOOLOP")
DATE_WORDS: tuple[str, ...] = tuple(w for w in lang.DATE_OPS if "_" not in w)  # the short spellings
SET_OPTIONS: tuple[str, ...] = tuple(f"{option}=" for option in lang.SET_OPTIONS)


def _agent_info(source: CompletionSource, agent: str) -> Any:
    """The agent's parsed meta-data when the source can give it (else None)."""
    getter = getattr(source, "agent_info", None)
    if getter is None:
        return None
    try:
        return getter(agent)
    except Exception:  # noqa: BLE001 - completion never breaks typing
        return None


def _param_cands(source: CompletionSource, agent: str, partial: str) -> list[str]:
    """``name=`` with "(required)" or its default; after ``name=``: its default or its choices."""
    info = _agent_info(source, agent)
    if info is None:
        return [f"{p}=" for p in source.agent_params(agent)] + list(PRIMITIVE_SECTIONS)
    if "=" in partial:
        name = partial.split("=", 1)[0]
        param = info.parameter(name)
        if param is None:
            return []
        values = list(param.choices) or ([param.default] if param.default else [])
        return [Cand(f"{name}={v}", "default" if v == param.default else "") for v in values]
    out: list[str] = []
    for param in info.parameters:
        if param.deprecated:
            continue
        note = "(required)" if param.required else (f"default: {param.default}" if param.default else "")
        out.append(Cand(f"{param.name}=", note))
    return out + list(PRIMITIVE_SECTIONS)


def _op_cands(source: CompletionSource, agent: str, op_words: list[str], partial: str) -> list[str]:
    """After ``op``: the agent's own actions; after ``op NAME``: its default interval and timeout
    (from meta-data), then the other op attributes and their values."""
    info = _agent_info(source, agent)
    if not op_words:
        if info is not None and info.actions:
            return [Cand(a, "") for a in dict.fromkeys(a.name for a in info.actions)]
        return list(OP_NAMES)
    if "=" in partial:
        name = partial.split("=", 1)[0]
        return [f"{name}={v}" for v in OP_VALUES.get(name, ())]
    given = {w.split("=", 1)[0] for w in op_words[1:] if "=" in w}
    out: list[str] = []
    action = info.action(op_words[0]) if info is not None else None
    if action is not None:
        for attr in ("interval", "timeout"):
            value = getattr(action, attr)
            if value and attr not in given:
                out.append(Cand(f"{attr}={value}", f"{op_words[0]} default"))
    out += [f"{a}=" for a in OP_ATTRIBUTES if a not in given]
    return out + list(PRIMITIVE_SECTIONS)


def meta_cands(names: tuple[str, ...], partial: str, given: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """``name=`` for meta attributes; after ``name=``: the values it takes."""
    if "=" in partial:
        name = partial.split("=", 1)[0]
        return [f"{name}={v}" for v in META_VALUES.get(name, ())]
    return [Cand(f"{n}=", "|".join(META_VALUES.get(n, ()))) for n in names if n not in given]


def primitive(source: CompletionSource, args: list[str], partial: str) -> list[str]:
    """``primitive ID AGENT [params ...] [meta ...] [op NAME ...]...``."""
    if len(args) == 0:
        return []
    if len(args) == 1:
        return agent_candidates(source, partial)
    rest = args[2:]
    starts = [i for i, w in enumerate(rest) if w in PRIMITIVE_SECTIONS]
    if not starts:
        return list(PRIMITIVE_SECTIONS)
    section = rest[starts[-1]]
    words = rest[starts[-1] + 1:]
    if section == "params":
        return _param_cands(source, args[1], partial)
    if section == "meta":
        given = {w.split("=", 1)[0] for w in words if "=" in w}
        return meta_cands(PRIMITIVE_META, partial, given) + ([] if "=" in partial else list(PRIMITIVE_SECTIONS))
    if section == "op":
        return _op_cands(source, args[1], words, partial)
    return [] if "=" in partial else list(PRIMITIVE_SECTIONS)


def clone(source: CompletionSource, args: list[str], partial: str) -> list[str]:
    """``clone ID RSC [meta ...]``: resources, then the clone's meta attributes and values."""
    if len(args) == 1:
        return source.resources()
    if "meta" in args[2:]:
        return meta_cands(CLONE_META, partial)
    return [] if "=" in partial else ["meta"]


def _rule(source: CompletionSource, words: list[str], partial: str) -> list[str]:
    """Inside ``rule [SCORE:] EXPR [and|or EXPR]...``: what may come next."""
    if not words:
        return list(SCORES) + list(RULE_ATTRIBUTES) + list(RULE_UNARY)
    last = words[-1]
    if last in RULE_JOINS or (last.endswith(":") and len(words) == 1):
        return list(RULE_ATTRIBUTES) + list(RULE_UNARY)
    if last == "date":
        return list(DATE_WORDS)
    if last in RULE_UNARY:
        return ["#uname", "#id", "#kind"]
    if last in RULE_OPERATORS:
        attribute = words[-2] if len(words) >= 2 else ""
        return source.nodes() if attribute == "#uname" else []
    if len(words) >= 2 and words[-2] in RULE_OPERATORS + RULE_UNARY:
        return list(RULE_JOINS)
    if len(words) >= 2 and words[-2] in RULE_UNARY:
        return list(RULE_JOINS)
    if last.startswith("#") or last not in SCORES:
        return list(RULE_OPERATORS)
    return []


def location(source: CompletionSource, args: list[str], partial: str) -> list[str]:
    """``location ID RSC { SCORE: NODE | rule [SCORE:] EXPR ... }``."""
    if len(args) == 1:
        return source.resources()
    if len(args) == 2:
        return list(SCORES) + ["rule"]
    if "rule" in args[2:]:
        rules = [i for i, w in enumerate(args) if w == "rule"]
        found = _rule(source, args[rules[-1] + 1:], partial)
        return found + (["rule"] if "and" in found else [])  # an expression is complete: another rule may follow
    if args[-1].endswith(":"):
        return source.nodes()
    return []


def _with_sets(kinds: tuple[str, ...]) -> Completer:
    """colocation/order: ``ID SCORE: RSC RSC`` or resource sets ``( A B ) [ C D ]`` with options."""

    def complete(source: CompletionSource, args: list[str], partial: str) -> list[str]:
        if len(args) == 1:
            return list(kinds)
        if len(args) < 2:
            return []
        depth = sum(1 for w in args[2:] if w in ("(", "[")) - sum(1 for w in args[2:] if w in (")", "]"))
        closers = [")" if [w for w in args if w in ("(", ")")][-1:] == ["("] else "]"] if depth > 0 else []
        extra = ["(", "["] if depth <= 0 else closers + list(SET_OPTIONS)
        return source.resources() + extra

    return complete


colocation = _with_sets(("inf:", "-inf:", "100:", "-100:"))
order = _with_sets(ORDER_KINDS)
