"""crmsh's sanity warnings on ``verify`` (every element) and ``commit`` (the changed ones).

Warnings, not errors: the configuration is valid for Pacemaker but probably not what was meant —
a meta attribute Pacemaker does not know (a typo: ``target_role``), or a colocation with one member
of a group instead of the group.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from crmsh_py.cib.model import Bundle, Clone, Colocation, Group, Primitive, ResourceRef, ResourceSet

if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session

_COMMON = ("priority", "target-role", "is-managed")
# the meta attributes each kind of resource takes (as crmsh 4.4.1 lists them)
META_NAMES: dict[type, frozenset[str]] = {
    Primitive: frozenset(("allow-migrate", "maintenance", "is-managed", "interval-origin", "migration-threshold",
                          "priority", "multiple-active", "failure-timeout", "resource-stickiness", "target-role",
                          "restart-type", "description", "remote-node", "requires", "provides", "remote-port",
                          "remote-addr", "remote-connect-timeout")),
    Group: frozenset((*_COMMON, "container")),
    Clone: frozenset((*_COMMON, "ordered", "notify", "interleave", "globally-unique", "clone-max",
                      "clone-node-max", "clone-state", "description", "clone-min", "promotable",
                      "promoted-max", "promoted-node-max", "master-max", "master-node-max")),
    Bundle: frozenset(_COMMON),
}


def _meta_warnings(element: "Element") -> list[str]:
    known = META_NAMES.get(type(element))
    if known is None:
        return []
    return [f"{element.id}: unknown attribute '{nv.name}'"
            for s in getattr(element, "attr_sets", []) if s.kind == "meta" and not s.id_ref
            for nv in s.nvpairs if nv.name not in known]


def _grouped_warnings(element: "Element", grouped: set[str]) -> list[str]:
    if not isinstance(element, Colocation):
        return []
    ids: list[str] = []
    for item in element.items:
        if isinstance(item, ResourceRef):
            ids.append(item.id)
        elif isinstance(item, ResourceSet):
            ids.extend(item.resources)
    return [f"{element.id}: resource {rid} is grouped, constraints should apply to the group"
            for rid in ids if rid in grouped]


def sanity_warnings(elements: list["Element"], chosen: Iterable["Element"]) -> list[str]:
    """The warnings crmsh gives for ``chosen`` in the configuration ``elements``."""
    grouped = {c for e in elements if isinstance(e, Group) for c in e.children}
    out: list[str] = []
    for element in chosen:
        out += _meta_warnings(element) + _grouped_warnings(element, grouped)
    return out


def warn(session: "Session", chosen_ids: Iterable[str] | None = None) -> None:
    """Print the warnings for the working copy (all elements, or those with ``chosen_ids``)."""
    from crmsh_py.shell.levels.configure_state import effective_id, working

    wc = working(session)
    wanted = None if chosen_ids is None else set(chosen_ids)
    chosen = [e for e in wc.elements if wanted is None or effective_id(e) in wanted]
    for text in sanity_warnings(wc.elements, chosen):
        session.warning(text)
