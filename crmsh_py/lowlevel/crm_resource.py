"""``crm_resource``: Pacemaker's resource tool (option parsing and dispatch; actions in rsc_*.py).

The last command option on the line wins, as with Pacemaker; with none, ``--list`` is run.
Changes go through ``Cluster.mutate`` (lock, edit, settle, atomic write); queries read a snapshot.
"""

from __future__ import annotations

import sys
import time

from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, Parsed, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.rsc_common import TOOL, Result
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import ModuleType
    from crmsh_py.lowlevel import rsc_cleanup, rsc_move


def _m(name: str) -> ModuleType:
    """The action module ``crmsh_py.lowlevel.<name>``, imported on first use: a one-shot needs one
    of them, and importing all (crm_mon's view model among them) costs milliseconds."""
    qualified = f"crmsh_py.lowlevel.{name}"
    __import__(qualified)  # not importlib.import_module: the importlib package stays unloaded
    return sys.modules[qualified]


SPEC = [
    Opt("r", "resource", arg=True), Opt("N", "node", arg=True), Opt("f", "force"),
    Opt("u", "lifetime", arg=True), Opt(None, "promoted"), Opt(None, "master", dest="promoted"),
    Opt("v", "parameter-value", arg=True), Opt(None, "meta"), Opt("z", "utilization"),
    Opt("Q", "quiet"), Opt("V", "verbose"), Opt("n", "operation", arg=True), Opt("I", "interval", arg=True),
    Opt("t", "resource-type", arg=True), Opt(None, "wait"), Opt("T", "timeout", arg=True),
    Opt("s", "set-name", arg=True), Opt("i", "nvpair", arg=True),
    # commands
    Opt("M", "move"), Opt("B", "ban"), Opt("U", "clear"), Opt(None, "un-move", dest="clear"),
    Opt("C", "cleanup"), Opt("R", "refresh"), Opt("F", "fail"),
    Opt("L", "list"), Opt("l", "list-raw"), Opt("W", "locate"), Opt("O", "list-operations"),
    Opt("o", "list-all-operations", dest="list-operations"),
    Opt("a", "constraints"), Opt("A", "stack", dest="constraints"),
    Opt("p", "set-parameter", arg=True), Opt("g", "get-parameter", arg=True),
    Opt("d", "delete-parameter", arg=True),
    Opt(None, "list-standards"), Opt(None, "list-ocf-providers"), Opt(None, "list-ocf-alternatives", arg=True),
    Opt(None, "list-agents", arg=True), Opt(None, "show-metadata", arg=True),
    Opt(None, "force-start"), Opt(None, "force-stop"), Opt(None, "force-check", arg=True, optional_arg=True),
    Opt(None, "force-promote"), Opt(None, "force-demote"), Opt(None, "validate", arg=True, optional_arg=True),
]
FORCE = ["force-start", "force-stop", "force-check", "force-promote", "force-demote", "validate"]
COMMANDS = ["move", "ban", "clear", "cleanup", "refresh", "fail", "list", "list-raw", "locate",
            "list-operations", "constraints", "set-parameter", "get-parameter", "delete-parameter",
            "list-standards", "list-ocf-providers", "list-ocf-alternatives", "list-agents", "show-metadata",
            "wait", *FORCE]
NEEDS_RESOURCE = {"move", "ban", "clear", "fail", "locate", "constraints", "set-parameter",
                  "get-parameter", "delete-parameter", *FORCE}
MUTATING = {"move", "ban", "clear", "cleanup", "refresh", "fail", "set-parameter", "delete-parameter"}


def _kind(p: Parsed) -> str:
    if p.has("meta"):
        return "meta"
    return "utilization" if p.has("utilization") else "params"


def _move_req(p: Parsed) -> "rsc_move.MoveRequest":
    req: rsc_move.MoveRequest = _m("rsc_move").MoveRequest(
        rsc=p.get("resource") or "", node=p.get("node"), force=p.has("force"), lifetime=p.get("lifetime"),
        promoted=p.has("promoted"))
    return req


def _cleanup_req(p: Parsed, refresh: bool) -> "rsc_cleanup.CleanupRequest":
    interval = p.get("interval")
    ms = None
    if interval is not None:
        ms = _interval_ms(interval)
    req: rsc_cleanup.CleanupRequest = _m("rsc_cleanup").CleanupRequest(
        rsc=p.get("resource"), node=p.get("node"), operation=p.get("operation"), interval_ms=ms, refresh=refresh)
    return req


def _interval_ms(text: str) -> int:
    from crmsh_py.cib.durations import parse_ms

    value = parse_ms(text)
    if value is None:
        raise UsageError(TOOL, f"Invalid interval specification '{text}'")
    return value


# command -> action on the CIB root (mutating ones edit it in place)
ACTIONS: dict[str, Callable[[Parsed, object, float], Result]] = {
    "move": lambda p, root, now: _m("rsc_move").move(root, _move_req(p), now),
    "ban": lambda p, root, now: _m("rsc_move").ban(root, _move_req(p), now),
    "clear": lambda p, root, now: _m("rsc_move").clear(root, _move_req(p)),
    "cleanup": lambda p, root, now: _m("rsc_cleanup").cleanup(root, _cleanup_req(p, False)),
    "refresh": lambda p, root, now: _m("rsc_cleanup").cleanup(root, _cleanup_req(p, True)),
    "fail": lambda p, root, now: _m("rsc_cleanup").fail(root, p.get("resource") or "", p.get("node") or "", now),
    "list": lambda p, root, now: _m("rsc_query").list_resources(root),
    "list-raw": lambda p, root, now: _m("rsc_query").list_raw(root),
    "locate": lambda p, root, now: _m("rsc_query").locate(root, p.get("resource") or "", p.has("quiet")),
    "list-operations": lambda p, root, now: _m("rsc_query").list_operations(root, p.get("resource"), p.get("node")),
    "constraints": lambda p, root, now: _m("rsc_query").constraints(root, p.get("resource") or ""),
    "get-parameter": lambda p, root, now: _m("rsc_params").get(
        root, p.get("resource") or "", p.get("get-parameter") or "", _kind(p)),
    "set-parameter": lambda p, root, now: _m("rsc_params").set_(
        root, p.get("resource") or "", p.get("set-parameter") or "", p.get("parameter-value") or "", _kind(p)),
    "delete-parameter": lambda p, root, now: _m("rsc_params").delete(
        root, p.get("resource") or "", p.get("delete-parameter") or "", _kind(p)),
}
# commands that need no cluster at all
AGENT_ACTIONS: dict[str, Callable[[Parsed, Mapping[str, str]], Result]] = {
    "list-standards": lambda p, env: _m("rsc_agents").list_standards(env),
    "list-ocf-providers": lambda p, env: _m("rsc_agents").list_providers(None, env),
    "list-ocf-alternatives": lambda p, env: _m("rsc_agents").list_providers(p.get("list-ocf-alternatives"), env),
    "list-agents": lambda p, env: _m("rsc_agents").list_agents(p.get("list-agents") or "", env),
    "show-metadata": lambda p, env: _m("rsc_agents").show_metadata(p.get("show-metadata") or "", env),
    "wait": lambda p, env: Result(),  # the bundled cluster settles synchronously: nothing to wait for
}


def _usage_check(command: str, p: Parsed) -> str | None:
    """The Pacemaker usage message for a missing argument, or None."""
    if command in NEEDS_RESOURCE and not p.get("resource"):
        return "Must supply a resource id with -r"
    if command == "fail" and not p.get("node"):
        return "Must supply a node name with -N"
    if command == "set-parameter" and p.get("parameter-value") is None:
        return "You need to supply a value with the -v option"
    if p.positional:
        return f"non-option ARGV-elements: {' '.join(p.positional)}"
    return None


def _emit(io: ToolIO, res: Result) -> int:
    for line in res.out:
        io.out(line)
    for line in res.err:
        io.err(line)
    return res.rc


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env, known=io.known)
    try:
        p = parse_options(TOOL, args, SPEC)
        answered = help_or_version(p, io, lambda: usage_from_spec(TOOL, SPEC, "perform tasks related to Pacemaker cluster resources"))
        if answered is not None:
            return answered
        command = p.first_of(COMMANDS) or "list"
        problem = _usage_check(command, p)
        if problem:
            raise UsageError(TOOL, problem)
        if p.get("interval") is not None:
            _interval_ms(p.get("interval") or "")
    except UsageError as error:
        return error.report(io)
    if command in AGENT_ACTIONS:
        return _emit(io, AGENT_ACTIONS[command](p, io.env))
    from crmsh_py.engine.facade import open_cluster

    cluster = open_cluster(io.env, notice=io.stderr, known=io.known)
    if command in FORCE:  # the agent runs on the local node; the CIB is not touched
        return _emit(io, _m("rsc_force").force(cluster, p.get("resource") or "", command))
    now = time.time()
    action = ACTIONS[command]
    if command not in MUTATING:
        return _emit(io, action(p, cluster.read().root, now))
    result = Result()

    class _Abort(Exception):
        """Raised inside mutate() so that a failed action writes nothing."""

    try:
        with cluster.mutate(TOOL) as snap:
            result = action(p, snap.root, now)
            if result.rc != exitcodes.CRM_EX_OK:
                raise _Abort
    except _Abort:
        pass
    return _emit(io, result)


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
