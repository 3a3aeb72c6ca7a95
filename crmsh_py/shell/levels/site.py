"""The site level: a geo cluster site's tickets, through ``crm_ticket`` (as crmsh 4.4 does).

``ticket grant|revoke|standby|activate|delete T`` changes the ticket's state at this site;
``show`` and ``time`` read its ``granted`` and ``last-granted`` attributes.  Granting and revoking
need ``crm -F`` (passed on as ``crm_ticket --force``): the site cannot know whether another site
holds the ticket, so Pacemaker's tool refuses without it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

# subcommand -> crm_ticket flags after ``-t TICKET`` (crmsh 4.4's table)
TICKET_FLAGS: dict[str, tuple[str, ...]] = {
    "grant": ("-g",),
    "revoke": ("-r",),
    "delete": ("-D", "granted"),
    "standby": ("-s",),
    "activate": ("-a",),
    "show": ("-G", "granted"),
    "time": ("-G", "last-granted"),
}
USAGE = "ticket {grant|revoke|standby|activate|show|time|delete} <ticket>"


def _sane(name: str) -> bool:
    """A ticket name crm accepts: a plain word (no quoting tricks, no spaces)."""
    return bool(name) and all(c.isalnum() or c in "-_.:" for c in name)


def _show(ticket: str, value: str) -> str:
    words = {"true": "granted", "false": "revoked"}
    if value not in words:
        raise CommandError(f"unexpected value for ticket {ticket}: {value}")
    return f"ticket {ticket} is {words[value]}"


def _time(ticket: str, value: str) -> str:
    if not value.lstrip("-").isdigit():
        raise CommandError(f"unexpected value for ticket {ticket}: {value}")
    if value == "-1":
        raise CommandError(f"{ticket}: no such ticket")
    return f"ticket {ticket} last time granted on {time.ctime(int(value))}"


READERS = {"show": _show, "time": _time}


def do_ticket(session: "Session", call: Call) -> None:
    """``ticket SUBCOMMAND TICKET``."""
    sub, ticket = call.value("action") or "", call.value("ticket") or ""
    flags = TICKET_FLAGS.get(sub)
    if flags is None:
        raise CommandError(f"Expected one of {'|'.join(TICKET_FLAGS)}")
    if not _sane(ticket):
        raise CommandError(f"{ticket!r}: not a valid ticket name")
    cmd = Cmd("crm_ticket")
    if session.force:
        cmd.flag("--force")
    cmd.opt("-t", ticket).flag(*flags)
    if sub not in READERS:
        session.passthrough(cmd)
        return
    result = session.run(cmd)
    lines = result.stdout.split()
    if not lines:
        raise CommandError(f"apparently nothing to show for ticket {ticket}")
    session.write(READERS[sub](ticket, lines[0]))


LEVEL = Level(
    name="site",
    help="Geo cluster site: the tickets this site holds (`crm_ticket`).",
    commands=[
        CommandSpec("ticket", "Manage site tickets\n\nTickets are cluster-wide attributes, managed at the "
                    "site where this command runs; `rsc_ticket` constraints make resources depend on "
                    "them.  Granting and revoking need `crm -F` (they cannot check the other sites).\n\n"
                    "`show` says whether the ticket is granted, `time` when it last was.",
                    usage=USAGE, handler=do_ticket, parse_args=True,
                    # the action keeps crmsh's own complaint ("Expected one of ..."): offered, not limited
                    args=(Arg("action", "choice", choices=tuple(TICKET_FLAGS), loose=True), Arg("ticket")),
                    examples=("ticket grant ticketA", "ticket show ticketA", "ticket standby ticketA")),
    ],
)
