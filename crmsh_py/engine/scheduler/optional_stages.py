"""Plan stages that few clusters need, loaded only for those that do: tickets (``rsc_ticket``
constraints) and unfencing (a resource whose meta attributes say ``provides=unfencing``).

Without an ``rsc_ticket`` no resource depends on a ticket, so the ticket stage imposes nothing;
without a resource that provides unfencing no node is unfenced and nothing restarts for it.  For
those clusters (most of them) ``plan`` takes this module's stand-ins, which give exactly those
empty results, and a one-shot that settles (``crm resource move``) does not import the stages'
modules.  The scheduler suite's ticket and unfencing cases run through the real modules.
"""

from __future__ import annotations

from crmsh_py.cib.model import Configuration, RscTicket
from crmsh_py.engine.scheduler.resources import unfencing_enabled

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from crmsh_py.engine.scheduler.resources import ResourceTree


class NoTicketEffects:
    """``tickets.TicketEffects`` of a configuration without tickets: nothing banned, frozen,
    kept from promotion or fenced."""

    def __init__(self) -> None:
        self.banned: set[str] = set()
        self.frozen: set[str] = set()
        self.no_promote: set[str] = set()
        self.fence: dict[str, str] = {}


def _no_ticket_effects(cfg: Configuration, tree: Any, states: Any, tickets: Any, stonith: bool) -> NoTicketEffects:
    return NoTicketEffects()


def _apply_nothing(inp: Any, effects: Any) -> None:
    """Nothing to fold into placement's input."""


def ticket_stage(cfg: Configuration) -> tuple[Callable[..., Any], Callable[..., None]]:
    """``(ticket_effects, apply_ticket_effects)``: :mod:`tickets`' when ``cfg`` has an
    ``rsc_ticket`` constraint, else stand-ins that impose nothing."""
    if not any(isinstance(element, RscTicket) for element in cfg.elements):
        return _no_ticket_effects, _apply_nothing
    from crmsh_py.engine.scheduler.tickets import apply_ticket_effects, ticket_effects

    return ticket_effects, apply_ticket_effects


def _no_lines(*args: Any) -> list[Any]:
    return []


def unfencing_stage(tree: ResourceTree) -> tuple[Callable[..., bool], Callable[..., list[Any]],
                                                 Callable[..., list[Any]], Callable[..., list[Any]]]:
    """``(unfencing_enabled, device_changes, unfence_lines, restarts_for_unfencing)``:
    :mod:`unfencing`'s when a resource of ``tree`` provides unfencing, else stand-ins that find
    no device change, no node to unfence and nothing to restart."""
    if not unfencing_enabled(tree):
        return unfencing_enabled, _no_lines, _no_lines, _no_lines
    from crmsh_py.engine.scheduler import unfencing

    return unfencing_enabled, unfencing.device_changes, unfencing.unfence_lines, unfencing.restarts_for_unfencing
