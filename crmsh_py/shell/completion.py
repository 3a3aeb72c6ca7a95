"""Completion as a pure function: ``suggest(source, level_path, text_before_cursor) -> [words]``.

No terminal and no cluster here: what the cluster holds (resource ids, nodes, agents, ...) comes
from a :class:`CompletionSource` (``completion_source.SessionSource`` reads it through the backend;
tests pass a fake).  The command specs in the registry say what each argument is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.shell import completion_config
from crmsh_py.shell.completion_config import OP_ATTRIBUTES, CompletionSource, agent_candidates
from crmsh_py.shell.registry import (
    LEVEL_MODULES,
    Arg,
    CommandSpec,
    all_names,
    common_commands,
    level_of,
    resolve,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session


# Pacemaker 2.1 cluster options (crm_config), for `property <TAB>`.
CLUSTER_PROPERTIES: tuple[str, ...] = (
    "batch-limit", "cluster-delay", "cluster-infrastructure", "cluster-ipc-limit", "cluster-name",
    "cluster-recheck-interval", "concurrent-fencing", "dc-deadtime", "election-timeout", "enable-acl",
    "enable-startup-probes", "fence-reaction", "join-finalization-timeout", "join-integration-timeout",
    "load-threshold", "maintenance-mode", "migration-limit", "no-quorum-policy", "node-action-limit",
    "node-health-base", "node-health-green", "node-health-red", "node-health-strategy",
    "node-health-yellow", "pe-error-series-max", "pe-input-series-max", "pe-warn-series-max",
    "placement-strategy", "priority-fencing-delay", "shutdown-escalation", "shutdown-lock",
    "shutdown-lock-limit", "start-failure-is-fatal", "startup-fencing", "stonith-action",
    "stonith-enabled", "stonith-max-attempts", "stonith-timeout", "stonith-watchdog-timeout",
    "stop-all-resources", "stop-orphan-actions", "stop-orphan-resources", "symmetric-cluster",
    "transition-delay",
)
RESOURCE_META: tuple[str, ...] = completion_config.PRIMITIVE_META  # rsc_defaults offers a primitive's
def split_line(text: str) -> tuple[list[str], str]:
    """Completed words and the word being typed (empty after a space)."""
    words = text.split()
    if not text or text[-1].isspace():
        return words, ""
    return words[:-1], words[-1]


def _arg_candidates(source: CompletionSource, path: list[str], arg: Arg, partial: str,
                    before: list[str]) -> list[str]:
    table: dict[str, Callable[[], list[str]]] = {
        "meta-name": lambda: sorted(set(completion_config.CLONE_META)),
        "meta-value": lambda: list(completion_config.META_VALUES.get(before[-1] if before else "", ())),
        "resource": lambda: source.resources(),
        "resource-stopped": lambda: source.resources("stopped"),
        "resource-running": lambda: source.resources("running"),
        "node": source.nodes,
        "ra-class": source.ra_classes,
        "ra-provider": source.providers,
        "ra-type": lambda: source.agents("ocf"),
        "agent": lambda: agent_candidates(source, partial),
        "shadow": source.shadows,
        "element": source.elements,
        "property": lambda: list(CLUSTER_PROPERTIES),
        "choice": lambda: list(arg.choices),
        "level": lambda: [s.name for s in level_of(path).commands if s.level],
        "command": lambda: all_names(path) + sorted(LEVEL_MODULES) + _topics(),
    }
    produce = table.get(arg.kind)
    return produce() if produce else []


def _topics() -> list[str]:
    from crmsh_py.shell.help_topics import topic_names

    return topic_names()


def _next_candidates(source: CompletionSource, path: list[str], spec: CommandSpec, partial: str,
                     before: list[str]) -> list[str]:
    """What the command's argument list allows after ``before`` (the parser's own reading of the
    words): the next argument's candidates, and the keywords (``force``) when that one offers none."""
    from crmsh_py.shell.arguments import next_args

    following = next_args(spec, before)
    positional = [arg for arg in following if arg.kind != "keyword"]
    found = _arg_candidates(source, path, positional[0], partial, before) if positional else []
    if found:
        return found
    return [word for arg in following if arg.kind == "keyword" for word in arg.choices]


# ---------------------------------------------------------------------- configure element lines


def _nvpairs(names: tuple[str, ...]) -> Callable[[CompletionSource, list[str], str], list[str]]:
    return lambda source, args, partial: [] if "=" in partial else [f"{n}=" for n in names]


def _resources_after(skip: int) -> Callable[[CompletionSource, list[str], str], list[str]]:
    return lambda source, args, partial: source.resources() if len(args) >= skip else []


ELEMENT_COMPLETERS: dict[str, Callable[[CompletionSource, list[str], str], list[str]]] = {
    "primitive": completion_config.primitive,
    "rsc_template": completion_config.primitive,
    "property": _nvpairs(CLUSTER_PROPERTIES),
    "rsc_defaults": lambda source, args, partial: completion_config.meta_cands(RESOURCE_META, partial),
    "op_defaults": _nvpairs(OP_ATTRIBUTES),
    "group": _resources_after(1),
    "clone": completion_config.clone,
    "ms": completion_config.clone,
    "master": completion_config.clone,
    "location": completion_config.location,
    "colocation": completion_config.colocation,
    "collocation": completion_config.colocation,
    "order": completion_config.order,
    "tag": _resources_after(1),
}


# ---------------------------------------------------------------------- entry points


def candidates(source: CompletionSource, level_path: list[str], text_before_cursor: str) -> list[str]:
    """Every candidate for the word at the cursor (not yet filtered by what was typed)."""
    words, partial = split_line(text_before_cursor)
    path = list(level_path)
    index = 0
    while index < len(words):
        spec = resolve(path, words[index])
        if spec is None:
            return []
        if spec.level is not None:
            path = [*path, spec.level]
            index += 1
            continue
        args = words[index + 1:]
        if spec.name in ELEMENT_COMPLETERS or any(n in ELEMENT_COMPLETERS for n in spec.names):
            name = spec.name if spec.name in ELEMENT_COMPLETERS else words[index]
            return ELEMENT_COMPLETERS[name](source, args, partial)
        if spec.raw:
            return []
        return _next_candidates(source, path, spec, partial, args)
    if partial:
        return all_names(path)
    # An empty word: the commands themselves, not every alias (`?`, `..`, `bye`, ...).
    return level_of(path).names() + [s.name for s in common_commands()]


def suggest(source: CompletionSource, level_path: list[str], text_before_cursor: str) -> list[str]:
    """Candidates for the word being typed that start with it, sorted, without duplicates."""
    _, partial = split_line(text_before_cursor)
    try:
        found = candidates(source, level_path, text_before_cursor)
    except Exception:  # noqa: BLE001 - completion must never break typing
        return []
    return sorted({c for c in found if c.startswith(partial)})


def compgen(session: "Session", line: str, point: int) -> list[str]:
    """``crm --compgen POINT LINE`` for bash: the line up to the cursor, minus ``crm`` and its options."""
    from crmsh_py.shell.completion_source import SessionSource

    text = line[:point]
    words, partial = split_line(text)
    rest = words[1:]  # the program name
    valued = {"-f", "--file", "-c", "--cib", "-o", "--opt", "--cluster", "--backend", "-H", "--host"}
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] in valued else rest[1:]
    rebuilt = " ".join(rest) + (" " if rest else "") + partial
    return suggest(SessionSource(session), [], rebuilt)
