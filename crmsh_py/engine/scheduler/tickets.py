"""Ticket constraints (``rsc_ticket``): what a revoked or standby ticket does to its resources.

Pacemaker 2.1's rules, per primitive instance of each resource a ticket constraint names (a group
or clone passes the constraint on to every member and instance):

- granted and active ticket: no effect;
- ticket revoked while the instance runs: the ``loss-policy`` acts.  ``stop`` bans it everywhere;
  ``demote`` bans it too unless the constraint is for the Promoted role (then only promotion is
  forbidden); ``fence`` fences every node it runs on ("deadman ticket was lost") and bans it;
  ``freeze`` leaves it where it is, unmanaged.  ``fence`` and ``freeze`` only act on an instance
  whose current role matches the constraint's role (no role, or ``Started``, matches any);
- ticket revoked, instance not running, or ticket in standby: banned everywhere, except for a
  constraint on the Promoted role whose policy is not ``stop`` (then it may run, unpromoted);
- a promotable clone with a Promoted-role constraint on a revoked or standby ticket promotes nothing.

``loss-policy`` defaults to ``demote`` for a Promoted-role constraint and to ``stop`` otherwise;
``fence`` without ``stonith-enabled`` falls back to ``stop``.
"""

from __future__ import annotations

from crmsh_py.cib.model import Configuration, Primitive, ResourceRef, ResourceSet, RscTicket
from crmsh_py.engine.scheduler.constraints import ROLE_NAMES
from crmsh_py.engine.scheduler.order import leaves_of
from crmsh_py.engine.scheduler.placement import PlacementInput
from crmsh_py.engine.scheduler.resources import ResourceTree
from crmsh_py.engine.scheduler.state import PROMOTED, STOPPED, LeafState
from crmsh_py.cib.tickets import TicketState
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's names are for type checkers only (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FENCE_REASON = "deadman ticket was lost"
POLICIES = frozenset({"stop", "demote", "fence", "freeze"})


@record
class TicketEffects:
    """What tickets impose on placement: leaves banned everywhere, leaves frozen in place, leaves
    that may not be promoted, and nodes to fence (node -> reason)."""

    banned: set[str] = field(default_factory=set)
    frozen: set[str] = field(default_factory=set)
    no_promote: set[str] = field(default_factory=set)
    fence: dict[str, str] = field(default_factory=dict)


@record(frozen=True)
class TicketDependency:
    """One resource's dependency on a ticket (a constraint, or one resource of a constraint's set)."""

    rsc: str
    ticket: str
    role: str | None  # None: any role
    policy: str


def _role(text: str | None) -> str | None:
    role = ROLE_NAMES.get(text.lower()) if text else None
    return None if role == "Started" else role


def _policy(text: str | None, role: str | None, stonith: bool) -> str:
    policy = (text or "").lower()
    if policy == "fence" and not stonith:
        return "stop"
    if policy in POLICIES:
        return policy
    return "demote" if role == PROMOTED else "stop"


def dependencies(cfg: Configuration, stonith: bool) -> list[TicketDependency]:
    """Every (resource, ticket) dependency the configuration's ``rsc_ticket`` constraints declare.
    A resource template stands for every primitive made from it."""
    made_from: dict[str, list[str]] = {}
    for prim in cfg.of_type(Primitive):
        if prim.template:
            made_from.setdefault(prim.template, []).append(prim.id)
    out: list[TicketDependency] = []
    for element in cfg.of_type(RscTicket):
        for item in element.items:
            if isinstance(item, ResourceRef):
                role = _role(item.role_or_action)
                policy = _policy(element.loss_policy, role, stonith)
                out.extend(TicketDependency(rid, element.ticket, role, policy)
                           for rid in made_from.get(item.id, [item.id]))
            elif isinstance(item, ResourceSet):
                extra = {p.name: p.value for p in item.attributes}
                role = _role(item.role or extra.get("role"))
                policy = _policy(element.loss_policy, role, stonith)
                out.extend(TicketDependency(rid, element.ticket, role, policy)
                           for ref in item.resources for rid in made_from.get(ref, [ref]))
    return out


def ticket_effects(cfg: Configuration, tree: ResourceTree, states: dict[str, LeafState],
                   tickets: dict[str, TicketState], stonith: bool) -> TicketEffects:
    """Bans, freezes, promotion bans and fencing caused by tickets that are revoked or in standby."""
    effects = TicketEffects()
    for dep in dependencies(cfg, stonith):
        state = tickets.get(dep.ticket)
        granted = state is not None and state.granted
        standby = state is not None and state.standby
        if granted and not standby:
            continue
        leaf_ids = leaves_of(tree, dep.rsc)
        if dep.role == PROMOTED:
            effects.no_promote.update(l for l in leaf_ids if tree.leaf_by_id[l].promotable)
        for leaf_id in leaf_ids:
            _apply(effects, dep, leaf_id, states[leaf_id], granted)
    return effects


def _apply(effects: TicketEffects, dep: TicketDependency, leaf_id: str, st: LeafState, granted: bool) -> None:
    active = st.active_nodes
    if granted or not active:
        # Not granted (or standby) and nothing to lose: it may simply not run.
        if dep.role != PROMOTED or dep.policy == "stop":
            effects.banned.add(leaf_id)
        return
    role_matches = dep.role is None or st.role_on(active[0]) == dep.role
    if dep.policy == "stop" or (dep.policy == "demote" and dep.role != PROMOTED):
        effects.banned.add(leaf_id)
    elif dep.policy == "fence" and role_matches:
        effects.banned.add(leaf_id)
        for node in active:
            effects.fence.setdefault(node, FENCE_REASON)
    elif dep.policy == "freeze" and role_matches:
        effects.frozen.add(leaf_id)


def apply_ticket_effects(inp: PlacementInput, effects: TicketEffects) -> None:
    """Fold ticket effects into placement's input: bans as disabled leaves, freezes as fixed ones."""
    inp.disabled.update(effects.banned)
    inp.no_promote.update(effects.no_promote)
    for leaf_id in effects.frozen:
        inp.fixed.setdefault(leaf_id, inp.current.get(leaf_id))


def orphan_fences(cfg: Configuration, tickets: dict[str, TicketState], stonith: bool,
                  orphans: dict[str, dict[str, Any]], owner_of: Callable[[str], str | None]) -> dict[str, str]:
    """Nodes to fence for orphan instances (beyond clone-max) of a clone that lost a ticket with
    ``loss-policy=fence``: they are the clone's children too (``owner_of``: the clone id an
    orphan instance belongs to, or None)."""
    out: dict[str, str] = {}
    for dep in dependencies(cfg, stonith):
        state = tickets.get(dep.ticket)
        if dep.policy != "fence" or (state is not None and state.granted and not state.standby):
            continue
        for rsc_id, where in orphans.items():
            if owner_of(rsc_id) != dep.rsc:
                continue
            for node, st in where.items():
                if st.role != STOPPED and (dep.role is None or st.role == dep.role):
                    out.setdefault(node, FENCE_REASON)
    return out
