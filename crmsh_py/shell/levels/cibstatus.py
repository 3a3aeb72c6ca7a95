"""The cibstatus level (crmsh's): play with a copy of a CIB's status section, then see what the
cluster would do about it.

The copy is taken from the live CIB (``cibadmin -Q``), a shadow CIB or a CIB file, on first use
or with ``load``; it lives in the session only.  Node states, tickets, quorum and operation
results are changed by Pacemaker's own injections (``crm_simulate -x COPY -I COPY -u NODE ...``,
shown by ``-R``), so the result is what the cluster would record; ``run``/``simulate`` show the
transition on the copy.  Nothing reaches the origin until ``save`` (crmsh changes a shadow or a
file in place as it goes).
"""

from __future__ import annotations

import os
import re
import tempfile
from crmsh_py import xmltree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session

NODE_STATES: dict[str, str] = {"online": "--node-up", "offline": "--node-down", "unclean": "--node-fail"}
TICKET_OPS: dict[str, str] = {"grant": "--ticket-grant", "revoke": "--ticket-revoke",
                              "standby": "--ticket-standby", "activate": "--ticket-activate"}
# OCF exit codes and executor operation statuses by the names crmsh accepts
EXIT_CODES: dict[str, int] = {"success": 0, "unknown": 1, "args": 2, "unimplemented": 3, "perm": 4,
                              "installed": 5, "configured": 6, "not_running": 7, "master": 8,
                              "failed_master": 9}
OP_STATUSES: dict[str, int] = {"pending": -1, "done": 0, "cancelled": 1, "timeout": 2,
                               "notsupported": 3, "error": 4}
SIMULATE_WORDS = ("nograph", "scores", "utilization", "actions")
_BOOL = {"true": "true", "yes": "true", "on": "true", "1": "true",
         "false": "false", "no": "false", "off": "false", "0": "false"}


@dataclass
class StatusCopy:
    """The CIB whose status is being edited, where it came from and what was done to it."""

    origin: str
    cib: str
    changes: dict[str, str] = field(default_factory=dict)
    quorum: str = ""

    @property
    def modified(self) -> bool:
        """Whether anything was injected since the copy was taken."""
        return bool(self.changes or self.quorum)


def _source_path(session: "Session", source: str) -> str:
    if source.startswith("shadow:"):
        return session.shadow_path(source[len("shadow:"):])
    return source


def _read(session: "Session", source: str) -> str:
    """The CIB text of ``source`` (``live``, ``shadow:NAME`` or a file); it must have a status."""
    if source == "live":
        text = session.check(Cmd("cibadmin").flag("-Q")).stdout
    else:
        path = _source_path(session, source)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{source}: {getattr(error, 'strerror', None) or error}") from None
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise CommandError(f"{source}: not a CIB ({error})") from None
    if root.tag != "cib" or root.find("status") is None:
        raise CommandError(f"{source}: the cib contains no status")
    return text


def current(session: "Session") -> StatusCopy:
    """The session's status copy; taken from the CIB in use (live or shadow) on first use."""
    if session.cibstatus is None:
        origin = f"shadow:{session.shadow}" if session.shadow else "live"
        session.cibstatus = StatusCopy(origin, _read(session, origin))
    copy: StatusCopy = session.cibstatus
    return copy


def _simulate(session: "Session", cib: str, flags: list[str], save: bool) -> tuple[str, str]:
    """Run ``crm_simulate -x COPY FLAGS`` (with ``-I COPY`` when ``save``): its output and the copy."""
    with tempfile.TemporaryDirectory(prefix="crm-cibstatus-") as tmp:
        path = os.path.join(tmp, "cib.xml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(cib)
        cmd = Cmd("crm_simulate").opt("-x", path)
        if save:
            cmd.opt("-I", path)
        cmd.flag(*flags)
        result = session.run(cmd)
        if result.rc != 0:
            raise CommandError(result.stderr.strip() or f"crm_simulate failed with exit code {result.rc}")
        with open(path, encoding="utf-8") as handle:
            return result.stdout, handle.read()


def _inject(session: "Session", flags: list[str], change: tuple[str, str] | None) -> StatusCopy:
    state = current(session)
    _, state.cib = _simulate(session, state.cib, ["-Q", *flags], save=True)
    if change is not None:
        state.changes[change[0]] = change[1]
    return state


def _status(state: StatusCopy) -> ET.Element:
    status = ET.fromstring(state.cib).find("status")
    assert status is not None  # _read checked it
    return status


def _node_name(status: ET.Element, node: str) -> str | None:
    """The uname of the node_state known as ``node`` (its uname or its id), or None."""
    for node_state in status.iter("node_state"):
        if node in (node_state.get("uname"), node_state.get("id")):
            return node_state.get("uname") or node_state.get("id")
    return None


# ---------------------------------------------------------------------- commands


def do_load(session: "Session", call: Call) -> None:
    """``load FILE|shadow:NAME|live``: take a fresh copy (changes made so far are dropped)."""
    source = call.value("source")
    assert source is not None
    session.cibstatus = StatusCopy(source, _read(session, source))


def do_save(session: "Session", call: Call) -> None:
    """``save [FILE|shadow:NAME]``: the changed status into a CIB file (its status section
    replaced) or a new file; the origin by default; never the live cluster."""
    state = current(session)
    if not state.modified:
        raise CommandError("apparently you didn't modify status")
    dest = call.value("dest") or state.origin
    if dest == "live":
        raise CommandError("cannot save status to the cluster")
    path = _source_path(session, dest)
    root = ET.fromstring(state.cib)
    if os.path.isfile(path):
        target = ET.fromstring(_read(session, dest))
        old = target.find("status")
        assert old is not None
        target.remove(old)
        target.append(_status(state))
        root = target
    from crmsh_py.cib import dump

    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(dump(root))
    except OSError as error:
        raise CommandError(f"{dest}: {error.strerror}") from None


def do_origin(session: "Session", call: Call) -> None:
    """``origin``: where the copy came from, and whether it was changed."""
    state = current(session)
    session.write(state.origin + (" (modified)" if state.modified else ""))


def do_show(session: "Session", call: Call) -> None:
    """``show [changed]``: the status section, or the changes made to it."""
    if call.args not in ([], ["changed"]):
        raise CommandError(f"Expected 'changed', got '{' '.join(call.args)}'")
    state = current(session)
    if call.args:
        for what, how in state.changes.items():
            session.write(f"{what} {how}")
        if state.quorum:
            session.write(f"quorum: {state.quorum}")
        return
    status = _status(state)
    ET.indent(status)
    session.write(ET.tostring(status, encoding="unicode"))


def do_quorum(session: "Session", call: Call) -> None:
    """``quorum BOOL``: whether the cluster has quorum."""
    word = call.value("value") or ""
    value = _BOOL.get(word.lower())
    if value is None:
        raise CommandError(f"{word}: bad boolean option")
    _inject(session, ["--quorum", value], None).quorum = value


def do_node(session: "Session", call: Call) -> None:
    """``node NODE online|offline|unclean``."""
    node, state = call.value("node") or "", call.value("state") or ""
    if state not in NODE_STATES:
        raise CommandError(f"unknown state {state} (online, offline, unclean)")
    name = _node_name(_status(current(session)), node)
    if name is None:
        raise CommandError(f"{node}: no such node in the status section")
    _inject(session, [NODE_STATES[state], name], (name, state))


def do_ticket(session: "Session", call: Call) -> None:
    """``ticket TICKET grant|revoke|activate|standby``."""
    ticket, action = call.value("ticket") or "", call.value("action") or ""
    _inject(session, [TICKET_OPS[action], ticket], (ticket, action))


def _number(word: str, names: dict[str, int], what: str) -> int:
    if word in names:
        return names[word]
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    raise CommandError(f"Invalid {what} '{word}' ({', '.join(names)} or a number)")


def _interval_ms(text: str) -> str:
    from crmsh_py.cib.durations import parse_ms

    value = parse_ms(text)
    if value is None:
        raise CommandError(f"{text}: not an interval (10s, 1m, 500ms, ...)")
    return str(value)


def _find_ops(status: ET.Element, rsc: str, op: str, node: str) -> list[tuple[str, ET.Element]]:
    """(node, lrm_rsc_op) of ``rsc`` matching ``op`` (probe, monitor, monitor:INTERVAL, NAME)."""
    task, _, interval = op.partition(":")
    if op == "probe":
        task, interval = "monitor", "0"
    elif interval:
        interval = _interval_ms(interval)
    found = []
    for node_state in status.iter("node_state"):
        if node and node not in (node_state.get("uname"), node_state.get("id")):
            continue
        for resource in node_state.iter("lrm_resource"):
            if resource.get("id") != rsc:
                continue
            for record in resource.iter("lrm_rsc_op"):
                if record.get("operation") != task:
                    continue
                recurring = record.get("interval", "0") != "0"
                if interval == record.get("interval", "0") or (not interval and (recurring or task != "monitor")):
                    found.append((node_state.get("uname") or node_state.get("id") or "", record))
    return found


def do_op(session: "Session", call: Call) -> None:
    """``op OPERATION RSC EXIT_CODE [OP_STATUS] [NODE]``: the result of an operation as the
    cluster would record it (``crm_simulate --op-inject``), then its status when given."""
    op, rsc, code = (call.value(n) or "" for n in ("operation", "resource", "exit_code"))
    rc = _number(code, EXIT_CODES, "exit code")
    status_word, node = call.value("op_status"), call.value("node") or ""
    op_status = _number(status_word, OP_STATUSES, "operation status") if status_word is not None else None
    found = _find_ops(_status(current(session)), rsc, op, node)
    if len(found) != 1:
        where = " ".join(n for n, _ in found)
        raise CommandError(f"operation {op} found at {where}: name the node" if found and not node
                           else f"operation {op} of {rsc} not found" if not found
                           else f"operation {op} of {rsc} is there more than once: give its interval")
    name, record = found[0]
    task, interval = record.get("operation", ""), record.get("interval", "0")
    state = _inject(session, ["--op-inject", f"{rsc}_{task}_{interval}@{name}={rc}"], None)
    if op_status is not None:
        state.cib = _with_op_status(state.cib, name, rsc, task, interval, op_status)
    state.changes[f"{name}:{rsc}:{op}"] = f"rc={rc}" + (f",op-status={op_status}" if op_status is not None else "")


def _with_op_status(cib: str, node: str, rsc: str, task: str, interval: str, op_status: int) -> str:
    """The CIB with the newest record of that operation given ``op-status``."""
    from crmsh_py.cib import dump

    root = ET.fromstring(cib)
    for node_state in root.iter("node_state"):
        if node in (node_state.get("uname"), node_state.get("id")):
            for resource in node_state.iter("lrm_resource"):
                if resource.get("id") == rsc:
                    for record in resource.iter("lrm_rsc_op"):
                        if record.get("operation") == task and record.get("interval", "0") == interval:
                            record.set("op-status", str(op_status))
    return dump(root)


def _simulation(flag: str) -> Callable[["Session", Call], None]:
    """``run``/``simulate [nograph] [v...] [scores] [utilization]``: the transition on the copy."""

    def handler(session: "Session", call: Call) -> None:
        flags = [flag]
        for word in call.args:
            if word and set(word) == {"v"}:
                flags.append("-" + "V" * len(word))
            elif word == "scores":
                flags.append("-s")
            elif word == "utilization":
                flags.append("-U")
            elif word not in SIMULATE_WORDS:
                raise CommandError(f"{call.name}: unknown option {word!r} (nograph, v..., scores, utilization)")
        output, _ = _simulate(session, current(session).cib, flags, save=False)
        session.write(output)

    return handler


_SIM_ARGS = (Arg("option", "choice", optional=True, repeat=True, choices=SIMULATE_WORDS),)

LEVEL = Level(
    name="cibstatus",
    help="A copy of the CIB's status section to play with: node states, tickets, quorum and "
         "operation results, then what the cluster would do (`run`, `simulate`).  The copy is "
         "the session's: nothing changes in the cluster, a shadow or a file until `save`.",
    commands=[
        CommandSpec("load", "Take the status from the live CIB, a shadow CIB or a CIB file",
                    usage="load {<file>|shadow:<cib>|live}", handler=do_load, parse_args=True,
                    args=(Arg("source", "file"),), examples=("load live", "load shadow:test", "load /tmp/cib.xml")),
        CommandSpec("save", "Write the changed status into a CIB file or shadow (the origin by default)",
                    usage="save [<file>|shadow:<cib>]", handler=do_save, parse_args=True,
                    args=(Arg("dest", "file", optional=True),), examples=("save", "save shadow:test")),
        CommandSpec("origin", "Where the status copy came from (and whether it changed)", usage="origin",
                    handler=do_origin, examples=("origin",)),
        CommandSpec("show", "Show the status section (or the changes made to it)", usage="show [changed]",
                    handler=do_show, args=(Arg("changed", "choice", optional=True, choices=("changed",)),),
                    examples=("show", "show changed")),
        CommandSpec("quorum", "Set whether the cluster has quorum", usage="quorum <bool>", handler=do_quorum,
                    args=(Arg("value", "choice", choices=("true", "false"), loose=True),), parse_args=True, examples=("quorum false",)),
        CommandSpec("node", "Set a node online, offline or unclean", usage="node <node> {online|offline|unclean}",
                    handler=do_node, parse_args=True,
                    args=(Arg("node", "node"), Arg("state", "choice", choices=tuple(NODE_STATES), loose=True)),
                    examples=("node node1 unclean",)),
        CommandSpec("ticket", "Grant, revoke, activate or put on standby a ticket",
                    usage="ticket <ticket> {grant|revoke|activate|standby}", handler=do_ticket, parse_args=True,
                    args=(Arg("ticket"), Arg("action", "choice", choices=tuple(TICKET_OPS))),
                    examples=("ticket ticketA grant",)),
        CommandSpec("op", "Record the result of an operation\n\nOPERATION is `probe`, `monitor` (the "
                    "recurring one), `monitor:INTERVAL` or another name; EXIT_CODE a number or "
                    "`success`, `not_running`, `unknown`, ...; OP_STATUS a number or `done`, `timeout`, "
                    "`error`, ...", usage="op <operation> <resource> <exit_code> [<op_status>] [<node>]",
                    handler=do_op, parse_args=True,
                    # codes and statuses may be numbers too: offered, and judged by do_op (_number)
                    args=(Arg("operation"), Arg("resource", "resource"),
                          Arg("exit_code", "choice", choices=tuple(EXIT_CODES), loose=True),
                          Arg("op_status", "choice", optional=True, choices=tuple(OP_STATUSES), loose=True),
                          Arg("node", "node", optional=True)),
                    examples=("op monitor d1 not_running", "op start d1 unknown timeout node1")),
        CommandSpec("run", "Show what the cluster would do with this status (`crm_simulate -R`)",
                    usage="run [nograph] [v...] [scores] [utilization]", handler=_simulation("-R"),
                    args=_SIM_ARGS, examples=("run", "run scores")),
        CommandSpec("simulate", "Show what the cluster would do, and the status after it (`crm_simulate -S`)",
                    usage="simulate [nograph] [v...] [scores] [utilization]", handler=_simulation("-S"),
                    args=_SIM_ARGS, examples=("simulate",)),
    ],
)
