"""``crm_ticket``: show, grant, revoke, put in standby and edit a site's tickets (Pacemaker 2.1.5).

Ticket state lives in the status section (``<tickets><ticket_state id=T granted= standby=
last-granted=/>``, see :mod:`crmsh_py.cib.tickets`); a ticket that only ``rsc_ticket``
constraints name is listed too, as revoked.  Granting or revoking (and setting or deleting the
``granted`` attribute) asks for ``--force``: Pacemaker's tool cannot know whether another site holds
the ticket (exit 4, a warning on stdout).  On the bundled cluster a change is settled at once, so
revoking a ticket applies its constraints' ``loss-policy`` (stop, demote, fence, freeze).

Exit codes as Pacemaker's: 0 ok, 64 usage, 4 not allowed without ``--force``, 105 no such ticket or
attribute.
"""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.cib import tickets
from crmsh_py.cib.pcmk_hash import hash_order
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.invocation import log_invocation
from crmsh_py.engine.facade import Cluster, open_cluster
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, Parsed, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_ticket"
SPEC = [
    Opt("l", "info"), Opt("L", "details"), Opt("w", "raw"), Opt("q", "query-xml"), Opt("c", "constraints"),
    Opt("g", "grant"), Opt("r", "revoke"), Opt("s", "standby"), Opt("a", "activate"),
    Opt("G", "get-attr", arg=True), Opt("S", "set-attr", arg=True), Opt("D", "delete-attr", arg=True),
    Opt("C", "cleanup"), Opt("v", "attr-value", arg=True), Opt("d", "default", arg=True), Opt("f", "force"),
    Opt("t", "ticket", arg=True), Opt("n", "set-name", arg=True), Opt("i", "nvpair", arg=True),
    Opt("Q", "quiet"), Opt("V", "verbose"), Opt("x", "xml-file", arg=True),
]
SUMMARY = "Perform tasks related to cluster tickets"
NO_SUCH = "No such device or address"
# Query commands, by option: the last one given wins (as with Pacemaker's callbacks).
QUERIES = {"info": "l", "details": "L", "raw": "w", "query-xml": "q", "constraints": "c", "cleanup": "C",
           "get-attr": "G"}
# Commands that change the state: option -> (attribute, value).
SETTERS = {"grant": ("granted", "true"), "revoke": ("granted", "false"), "standby": ("standby", "true"),
           "activate": ("standby", "false")}


def _command(p: Parsed) -> str:
    command = "S"
    for key, _ in p.order:
        command = QUERIES.get(key, command)
    return command


def _changes(p: Parsed) -> tuple[dict[str, str], list[str]]:
    """Attributes to set and to delete, in the order given."""
    values: dict[str, str] = {}
    name: str | None = None
    value: str | None = None
    for key, arg in p.order:
        if key in SETTERS:
            attr, setting = SETTERS[key]
            values[attr] = setting
        elif key == "set-attr":
            name = arg
        elif key == "attr-value":
            value = arg
        if name and value:
            values[name] = value
            name = value = None
    return values, [arg or "" for key, arg in p.order if key == "delete-attr"]


def _date(seconds: str) -> str:
    try:
        return "'" + time.asctime(time.localtime(int(seconds))) + "'"
    except (ValueError, OverflowError, OSError):
        return "'" + time.asctime(time.localtime(0)) + "'"


def _state_items(attrs: dict[str, str]) -> list[tuple[str, str]]:
    """A ticket's state attributes in the order Pacemaker's tool prints them (its hash table's)."""
    return [(k, attrs[k]) for k in hash_order(attrs)]


def ticket_line(name: str, state: tickets.TicketState | None, details: bool) -> str:
    """One line of ``-l``/``-L``."""
    granted = state is not None and state.granted
    standby = state is not None and state.standby
    line = f"{name}\t{'granted' if granted else 'revoked'} {'[standby]' if standby else ' ' * 9}"
    attrs = state.attributes if state is not None else {}
    if details and attrs:
        shown = [f"{k}={_date(v) if k in ('last-granted', 'expires') else v}" for k, v in _state_items(attrs)]
        return f"{line} ({', '.join(shown)})"
    if state is not None and state.last_granted is not None:
        line += f" last-granted={_date(str(state.last_granted))}"
    return line


def _known(root: ET.Element) -> dict[str, tickets.TicketState | None]:
    """Every ticket this site knows: those constraints name, then those with state only."""
    states = tickets.read_tickets(root)
    known: dict[str, tickets.TicketState | None] = {name: states.get(name) for name in tickets.constraint_tickets(root)}
    for name, state in states.items():
        known.setdefault(name, state)
    return known


def _formatted(element: ET.Element) -> str:
    copy = ET.fromstring(ET.tostring(element))
    copy.tail = None
    for node in copy.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
    ET.indent(copy, "  ")
    return ET.tostring(copy, encoding="unicode").replace(" />", "/>")


def _matches(elements: list[ET.Element]) -> ET.Element:
    """One match as itself, several wrapped like a CIB XPath query answer."""
    if len(elements) == 1:
        return elements[0]
    wrapper = ET.Element("xpath-query")
    wrapper.extend(elements)
    return wrapper


def _warning(ticket: str, action: str) -> str:
    if action == "grant":
        head = f"This command cannot help you verify whether '{ticket}' has been already granted elsewhere.\n"
        word = "to"
    else:
        head = (f"Revoking '{ticket}' can trigger the specified 'loss-policy'(s) relating to '{ticket}'.\n\n"
                f"You can check that with:\ncrm_ticket --ticket {ticket} --constraints\n\n"
                f"Otherwise before revoking '{ticket}', you may want to make '{ticket}' standby with:\n"
                f"crm_ticket --ticket {ticket} --standby\n\n")
        word = "from"
    return (head + f"If you really want to {action} '{ticket}' {word} this site now, and you know what you are "
            "doing,\nplease specify --force.")


def _fail(io: ToolIO, code: int, text: str) -> int:
    io.err(f"{TOOL}: {text}")
    return code


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        p = parse_options(TOOL, args, SPEC)
    except UsageError as error:
        return error.report(io)
    answered = help_or_version(p, io, lambda: usage_from_spec(TOOL, SPEC, SUMMARY))
    if answered is not None:
        return answered
    if p.positional:
        return _fail(io, exitcodes.CRM_EX_USAGE, f"Unexpected argument '{p.positional[0]}'")
    ticket = p.get("ticket")
    command = _command(p)
    values, delete = _changes(p)
    cluster = open_cluster(io.env, notice=io.stderr)
    root = cluster.read().root
    if command in ("l", "L", "w"):
        return _list(io, root, ticket, command)
    if command == "q":
        return _query_xml(io, root, ticket)
    if command == "c":
        return _constraints(io, root, ticket)
    if command == "G":
        return _get(io, root, ticket, p.get("get-attr") or "", p.get("default"))
    if command == "C":
        return _cleanup(io, cluster, root, ticket, p.has("force"))
    if values or delete:
        return _modify(io, cluster, ticket, values, delete, p)
    if not p.get("set-attr"):
        return _fail(io, exitcodes.CRM_EX_USAGE, "Must supply a command")
    if ticket is None:
        return _fail(io, exitcodes.CRM_EX_USAGE, "Must supply ticket ID with -t")
    return _fail(io, exitcodes.CRM_EX_USAGE, f"Must supply value with -v for -S {p.get('set-attr')}")


def _list(io: ToolIO, root: ET.Element, ticket: str | None, command: str) -> int:
    known = _known(root)
    names = [ticket] if ticket else hash_order(known)  # Pacemaker's hash table order
    if ticket and ticket not in known:
        return _fail(io, exitcodes.CRM_EX_NOSUCH, f"No such ticket '{ticket}'")
    for name in names:
        io.out(name if command == "w" else ticket_line(name, known[name], command == "L"))
    return exitcodes.CRM_EX_OK


def _query_xml(io: ToolIO, root: ET.Element, ticket: str | None) -> int:
    holder = tickets.tickets_element(root)
    if ticket is None:
        found = holder
    else:
        found = tickets.state_element(root, ticket)
    if found is None:
        return _fail(io, exitcodes.CRM_EX_NOSUCH, f"Could not query ticket XML: {NO_SUCH}")
    io.out("State XML:\n")
    io.out(_formatted(found))
    return exitcodes.CRM_EX_OK


def _constraints(io: ToolIO, root: ET.Element, ticket: str | None) -> int:
    found = [c for c in root.iterfind("configuration/constraints/rsc_ticket")
             if ticket is None or c.get("ticket") == ticket]
    if not found:
        return _fail(io, exitcodes.CRM_EX_NOSUCH, f"Could not show ticket constraints: {NO_SUCH}")
    io.out("Constraints XML:\n")
    io.out(_formatted(_matches(found)))
    return exitcodes.CRM_EX_OK


def _get(io: ToolIO, root: ET.Element, ticket: str | None, name: str, default: str | None) -> int:
    if ticket is None:
        return _fail(io, exitcodes.CRM_EX_NOSUCH, "Must supply ticket ID with -t")
    known = _known(root)
    state = known.get(ticket)
    value = state.attributes.get(name) if state is not None else None
    if value is None and default is not None:
        value = default
    if value is None:
        return exitcodes.CRM_EX_NOSUCH
    io.out(value)
    return exitcodes.CRM_EX_OK


def _cleanup(io: ToolIO, cluster: Cluster, root: ET.Element, ticket: str | None, force: bool) -> int:
    if ticket is None:
        return _fail(io, exitcodes.CRM_EX_USAGE, "Must supply ticket ID with -t")
    if not force:
        known = _known(root)
        if ticket not in known:
            return _fail(io, exitcodes.CRM_EX_NOSUCH, f"No such ticket '{ticket}'")
        state = known[ticket]
        if state is not None and state.granted:
            io.out(_warning(ticket, "revoke"))
            return exitcodes.CRM_EX_INSUFFICIENT_PRIV
    if tickets.state_element(root, ticket) is None:
        return exitcodes.CRM_EX_OK
    with cluster.mutate(TOOL) as snap:
        tickets.remove_state(snap.root, ticket)
    io.out(f"Cleaned up {ticket}")
    return exitcodes.CRM_EX_OK


def _modify(io: ToolIO, cluster: Cluster, ticket: str | None, values: dict[str, str], delete: list[str],
            p: Parsed) -> int:
    if ticket is None:
        return _fail(io, exitcodes.CRM_EX_USAGE, "Must supply ticket ID with -t")
    if not p.has("force"):
        action = None
        if "granted" in values:
            action = "grant" if is_true(values["granted"]) else "revoke"
        elif any(name.lower() == "granted" for name in delete):
            action = "revoke"
        if action is not None:
            io.out(_warning(ticket, action))
            return _fail(io, exitcodes.CRM_EX_INSUFFICIENT_PRIV, "Ticket modification not allowed")
    with cluster.mutate(TOOL) as snap:
        tickets.set_attributes(snap.root, ticket, values, delete, int(time.time()))
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
