"""Ticket state in the CIB status section, as Pacemaker keeps it.

A site's view of a ticket lives in ``<status><tickets><ticket_state id=T granted=.. standby=..
last-granted=../></tickets></status>``; tickets that only constraints name have no state and count as
revoked.  ``crm_ticket`` changes these elements; the scheduler reads them (``read_tickets``) through
:class:`crmsh_py.engine.status.ClusterStatus`, ``crm_mon --tickets`` to list them.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib.vocabulary import is_true
from crmsh_py.records import field, record


@record
class TicketState:
    """One ticket's state at this site (a ``<ticket_state>`` in the status section's ``<tickets>``).

    A ticket that is named only by constraints and has no state is not granted.
    """

    id: str
    granted: bool = False
    standby: bool = False
    last_granted: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)


def tickets_element(root: ET.Element, create: bool = False) -> ET.Element | None:
    """``<status><tickets>`` of a CIB (created when ``create``)."""
    status = root.find("status")
    if status is None:
        if not create:
            return None
        status = ET.SubElement(root, "status")
    tickets = status.find("tickets")
    if tickets is None and create:
        tickets = ET.SubElement(status, "tickets")
    return tickets


def state_element(root: ET.Element, ticket: str) -> ET.Element | None:
    """The ``<ticket_state>`` of ``ticket``, or None."""
    tickets = tickets_element(root)
    if tickets is None:
        return None
    return next((t for t in tickets.findall("ticket_state") if t.get("id") == ticket), None)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def state_from_xml(element: ET.Element) -> TicketState:
    """A ``<ticket_state>`` as a TicketState (every attribute but ``id`` kept in ``attributes``)."""
    attrs = {k: v for k, v in element.attrib.items() if k != "id"}
    return TicketState(id=element.get("id", ""), granted=is_true(attrs.get("granted")),
                       standby=is_true(attrs.get("standby")), last_granted=_int(attrs.get("last-granted")),
                       attributes=attrs)


def read_tickets(root: ET.Element) -> dict[str, TicketState]:
    """Every ticket with state at this site, in document order."""
    tickets = tickets_element(root)
    if tickets is None:
        return {}
    out: dict[str, TicketState] = {}
    for element in tickets.findall("ticket_state"):
        if element.get("id"):
            out.setdefault(element.get("id", ""), state_from_xml(element))
    return out


def constraint_tickets(root: ET.Element) -> list[str]:
    """Ticket names that ``rsc_ticket`` constraints refer to, in document order."""
    out: list[str] = []
    for element in root.iterfind("configuration/constraints/rsc_ticket"):
        name = element.get("ticket")
        if name and name not in out:
            out.append(name)
    return out


def set_attributes(root: ET.Element, ticket: str, values: dict[str, str], delete: list[str], now: int) -> None:
    """Set and delete attributes of ``ticket``'s state (created when something is set).  Granting a
    ticket that was not granted records ``last-granted`` (as Pacemaker's ``crm_ticket`` does)."""
    element = state_element(root, ticket)
    if element is None:
        if not values:
            return
        tickets = tickets_element(root, create=True)
        assert tickets is not None
        element = ET.SubElement(tickets, "ticket_state", {"id": ticket})
    was_granted = is_true(element.get("granted"))
    for name in delete:
        element.attrib.pop(name, None)
    for name, value in values.items():
        element.set(name, value)
        if name == "granted" and is_true(value) and not was_granted:
            element.set("last-granted", str(now))


def remove_state(root: ET.Element, ticket: str) -> bool:
    """Forget ``ticket``'s state at this site; True when there was one."""
    tickets = tickets_element(root)
    element = state_element(root, ticket)
    if tickets is None or element is None:
        return False
    tickets.remove(element)
    return True
