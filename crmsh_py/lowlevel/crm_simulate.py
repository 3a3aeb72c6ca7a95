"""``crm_simulate``: what would the cluster do?  Works on an in-memory copy of the CIB (live ``-L``
or ``-x FILE``); injections (node up/down/fail, operation results) and ``-S`` execution record fake
results in the copy only.  ``-O FILE`` saves the copy; the live cluster is never changed.
"""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.invocation import log_invocation
from crmsh_py.errors import CommandError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, Parsed, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main
from crmsh_py.cib import remote_xml

TYPE_CHECKING = False  # typing costs every run ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

    from crmsh_py.engine.facade import CallIds, Transition
    from crmsh_py.render.mon_view import ClusterView

TOOL = "crm_simulate"
SPEC = [Opt("L", "live-check"), Opt("x", "xml-file", arg=True), Opt("p", "xml-pipe"),
        Opt("S", "simulate"), Opt("s", "show-scores"), Opt("R", "run"), Opt("Q", "quiet"), Opt("V", "verbose"),
        Opt("u", "node-up", arg=True), Opt("d", "node-down", arg=True), Opt("f", "node-fail", arg=True),
        Opt("i", "op-inject", arg=True), Opt("F", "op-fail", arg=True), Opt("O", "save-output", arg=True),
        Opt("w", "wait"), Opt("t", "set-datetime", arg=True),
        Opt("g", "ticket-grant", arg=True), Opt("r", "ticket-revoke", arg=True),
        Opt("b", "ticket-standby", arg=True), Opt("e", "ticket-activate", arg=True),
        Opt("q", "quorum", arg=True), Opt("I", "save-input", arg=True), Opt("U", "show-utilization")]
# Ticket injections, in the order Pacemaker applies them: option -> (attribute, value, line).
TICKET_CHANGES = (("ticket-grant", "granted", "true", "Granting ticket {}"),
                  ("ticket-revoke", "granted", "false", "Revoking ticket {}"),
                  ("ticket-standby", "standby", "true", "Making ticket {} standby"),
                  ("ticket-activate", "standby", "false", "Activating ticket {}"))
# an -i/-F spec; compiled on first use (re's cache): most runs inject nothing
INJECT = r"^(?P<rsc>.+)_(?P<task>[a-z_]+?)_(?P<interval>\d+)@(?P<node>[^=]+)=(?P<rc>\d+)$"


def status_block(root: ET.Element, now: int | None = None, view: ClusterView | None = None,
                 pending: bool = True) -> list[str]:
    """crm_mon's node list and full resource list, nested one level (crm_simulate's layout; like
    Pacemaker's, it leaves failed actions out).  ``now``: the time date rules are judged at;
    ``view``: the view of ``root`` when the caller has built it already; ``pending``: pending
    operations shown (the revised status does without)."""
    from crmsh_py.render import mon_text  # here: -Q shows no status and needs no renderer

    if view is None:
        view = _view(root, now)
    view.show_pending = pending
    opts = mon_text.MonOptions(inactive=True)
    blocks = []
    if view.nodes:
        blocks.append(mon_text.node_list_lines(view))
    blocks.append(mon_text.resources_block(view, opts))
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append("")
        out.append(f"  * {block[0]}")
        out.extend(f"  {line}" for line in block[1:])
    return out


def _view(root: ET.Element, now: int | None) -> ClusterView:
    from crmsh_py.render.mon_view import build_view

    return build_view(root, now)


def _node_state(root: ET.Element, node: str) -> ET.Element:
    status = root.find("status")
    if status is None:
        status = ET.SubElement(root, "status")
    for st in status.findall("node_state"):
        if (st.get("uname") or st.get("id")) == node:
            return st
    node_id = next((n.get("id", node) for n in root.findall("configuration/nodes/node")
                    if (n.get("uname") or n.get("id")) == node), node)
    return ET.SubElement(status, "node_state", {"id": node_id, "uname": node})


def _set_state(st: ET.Element, **attrs: str) -> None:
    for key, value in attrs.items():
        st.set(key, value)


def _definition(root: ET.Element):  # type: ignore[no-untyped-def]
    from crmsh_py.engine import facade

    return facade.definition_from_cib(root)


def _inject_op(root: ET.Element, spec: str, now: int, call_ids: CallIds) -> str:
    import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)
    m = re.match(INJECT, spec)
    if m is None:
        raise UsageError(TOOL, f"Invalid operation spec: {spec}.  Only found 0 fields")
    from crmsh_py.engine import facade
    from crmsh_py.engine.facade import OpRecord, ResourceHistory

    rsc, task, interval, node, rc = m["rsc"], m["task"], int(m["interval"]), m["node"], int(m["rc"])
    prim = next((p for p in root.iter("primitive") if p.get("id") == rsc), None)
    if prim is None:
        raise CommandError(f"Resource {rsc} not found", exit_code=exitcodes.CRM_EX_NOSUCH)
    history = ResourceHistory(rsc_id=rsc, ra_class=prim.get("class", ""), ra_type=prim.get("type", ""),
                              provider=prim.get("provider"))
    record = OpRecord(task=task, interval_ms=interval, rc=rc, call_id=call_ids.next(),
                      last_rc_change=now, expected_rc=0, on_node=node)
    definition = _definition(root)
    facade.record_op(root, definition, node, history, record, transition=0, action=0, exit_reason="",
                     call_ids=call_ids)
    lines = [f"  * Injecting {spec} into the configuration"]
    if rc != 0 and not (interval == 0 and task == "monitor" and rc == 7):
        key = f"fail-count-{rsc}#{task}_{interval}"
        old = facade.get_transient_attribute(root, node, key)
        facade.set_transient_attribute(root, definition, node, key, str(int(old or 0) + 1))
        facade.set_transient_attribute(root, definition, node, f"last-failure-{rsc}#{task}_{interval}", str(now))
        lines.append(f"  * Injecting attribute {key}=value++ into /node_state '{node}'")
    return "\n".join(lines)


def modify(root: ET.Element, p: Parsed, now: int) -> list[str]:
    """Apply -u/-d/-f/-i/-F to the copy; the 'Performing Requested Modifications' lines."""
    lines = []
    if p.get("quorum") is not None:  # as Pacemaker: the value as given ('1' or 'true' means quorate)
        root.set("have-quorum", p.get("quorum") or "")
        lines.append(f"  * Setting quorum: {p.get('quorum')}")
    for node in p.all("node-up"):
        _set_state(_node_state(root, node), in_ccm="true", crmd="online", join="member", expected="member")
        lines.append(f"  * Bringing node {node} online")
    for node in p.all("node-down"):
        st = _node_state(root, node)
        _set_state(st, in_ccm="false", crmd="offline", join="down", expected="down")
        for lrm in st.findall("lrm"):
            st.remove(lrm)
        lines.append(f"  * Taking node {node} offline")
    for node in p.all("node-fail"):
        _set_state(_node_state(root, node), in_ccm="false", crmd="online", join="member", expected="member")
        lines.append(f"  * Failing node {node}")
    for option, attr, value, line in TICKET_CHANGES:
        for ticket in p.all(option):
            from crmsh_py.cib import tickets

            # As Pacemaker's injection: only the attribute changes (no last-granted).
            element = tickets.state_element(root, ticket)
            if element is None:
                holder = tickets.tickets_element(root, create=True)
                assert holder is not None
                element = ET.SubElement(holder, "ticket_state", {"id": ticket})
            element.set(attr, value)
            lines.append(f"  * {line.format(ticket)}")
    injections = p.all("op-inject")
    if injections:
        from crmsh_py.engine import facade

        call_ids = facade.call_ids(root)
        for spec in injections:
            lines.append(_inject_op(root, spec, now, call_ids))
    return lines


def _utilization(element: ET.Element | None) -> dict[str, int]:
    values: dict[str, int] = {}
    for block in element.findall("utilization") if element is not None else []:
        for nv in block.findall("nvpair"):
            value = nv.get("value", "")
            if value.lstrip("-").isdigit():
                values.setdefault(nv.get("name", ""), int(value))
    return values


def capacity_lines(root: ET.Element, transition, when: str) -> list[str]:  # type: ignore[no-untyped-def]
    """``-U``: each node's capacity before placement (``Original``) or what is left after it
    (``Remaining``: only a placement strategy other than ``default`` uses capacity up)."""
    nodes = {n.get("uname", "") or n.get("id", ""): n for n in root.iterfind("configuration/nodes/node")}
    prims = {x.get("id", ""): x for x in root.iter("primitive")}
    strategy = next((nv.get("value", "") for nv in root.iterfind("configuration/crm_config//nvpair")
                     if nv.get("name") == "placement-strategy"), "default")
    lines = []
    for node in getattr(transition, "nodes", []):
        capacity = _utilization(nodes.get(node))
        if when == "Remaining" and strategy.lower() != "default":
            for instance, where in getattr(transition, "allocation", {}).items():
                if where == node:
                    for name, used in _utilization(prims.get(instance.split(":", 1)[0])).items():
                        if name in capacity:
                            capacity[name] -= used
        lines.append(f"{when}: {node} capacity:" + "".join(f" {k}={v}" for k, v in capacity.items()))
    return lines


def _action_line(action, fence_action: str = "reboot") -> str:  # type: ignore[no-untyped-def]
    if action.task == "fence":
        return f"  * Fencing {action.node} ({fence_action})"
    if getattr(action, "pseudo", False):
        return f"  * Pseudo action:   {action.key}"
    task = f"{action.task}={action.interval_ms}" if action.interval_ms else action.task
    return f"  * Resource action: {action.rsc_id:<15} {task} on {action.node}"


def _failing(specs: list[str], action) -> int | None:  # type: ignore[no-untyped-def]
    """The rc an ``-F RSC_TASK_INTERVAL@NODE=RC`` spec gives this action, or None."""
    for spec in specs:
        import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)

        m = re.match(INJECT, spec)
        if m and m["rsc"] == action.rsc_id.split(":", 1)[0] and m["task"] == action.task \
                and int(m["interval"]) == action.interval_ms and m["node"] == action.node:
            return int(m["rc"])
    return None


def _record_success(root: ET.Element, action, now: int, forced_rc: int | None = None,  # type: ignore[no-untyped-def]
                    history_ids: dict[Any, Any] | None = None, unique: set[str] | None = None,
                    prims: dict[str, ET.Element] | None = None, definition: Any = None,
                    call_ids: CallIds | None = None) -> None:
    from crmsh_py.engine import facade
    from crmsh_py.engine.facade import OpRecord, ResourceHistory

    if definition is None:
        definition = _definition(root)
    if call_ids is None:
        call_ids = facade.call_ids(root)
    if action.task == "fence":
        st = _node_state(root, action.node)
        _set_state(st, in_ccm="false", crmd="offline", join="down", expected="down")
        for lrm in st.findall("lrm"):
            st.remove(lrm)
        return
    base = action.rsc_id.split(":", 1)[0]
    if prims is None:
        prims = {x.get("id", ""): x for x in root.iter("primitive")}
    prim = prims.get(base)
    if prim is None:
        prim = remote_xml.implicit_primitive(root, base)
    if prim is None:  # an orphan (no longer configured): its history names the agent
        prim = next((lr for lr in root.iterfind("status/node_state/lrm/lrm_resources/lrm_resource")
                     if lr.get("id") == base), None)
    if prim is None:
        # an orphan (gone from the configuration, still in the status): its history has the agent
        prim = next((x for x in root.iter("lrm_resource") if x.get("id") in (base, action.rsc_id)), None)
    if prim is None:
        return
    remote_xml.ensure_remote_state(root, action.node)
    rc = 7 if action.task == "monitor" and not action.interval_ms else 0
    expected = rc
    if forced_rc is not None:
        rc = forced_rc
    # A globally-unique clone's instances keep their own history (child:0, child:1), as Pacemaker
    # records them; anonymous instances share the primitive's id.
    if unique is None:
        unique = _unique_clone_members(root)
    rsc_id = action.rsc_id if base in unique else base
    # an instance read from an existing history keeps writing there (as Pacemaker's simulation does)
    rsc_id = (history_ids or {}).get((action.rsc_id, action.node), rsc_id)
    history = ResourceHistory(rsc_id=rsc_id, ra_class=prim.get("class", ""), ra_type=prim.get("type", ""),
                              provider=prim.get("provider"))
    record = OpRecord(task=facade.recorded_task(action.task), interval_ms=action.interval_ms, rc=rc,
                      call_id=call_ids.next(), last_rc_change=now, expected_rc=expected, on_node=action.node,
                      migrate_source=action.migrate_source,
                      migrate_target=action.migrate_target)
    facade.record_op(root, definition, action.node, history, record, transition=-1, action=0, exit_reason="",
                     digest=_digest(root, prim, record.task, action.interval_ms), simulated=True, call_ids=call_ids)


def _digest(root: ET.Element, prim: ET.Element, task: str, interval_ms: int) -> str:
    """The op-digest recorded with a simulated result (instance and op parameters; for a recurring
    op its timeout), read straight from the primitive's XML so a large simulation stays linear."""
    from crmsh_py.cib.durations import duration_ms
    from crmsh_py.engine import facade

    params: dict[str, str] = {}
    for nv in prim.findall("instance_attributes/nvpair"):
        params.setdefault(nv.get("name", ""), nv.get("value", ""))
    timeout = ""
    for op in prim.findall("operations/op"):
        if op.get("name") == task and duration_ms(op.get("interval")) == interval_ms:
            params.update({nv.get("name", ""): nv.get("value", "") for nv in op.findall("instance_attributes/nvpair")})
            timeout = op.get("timeout", "")
            break
    if interval_ms and not timeout:
        # (the op_defaults' nvpairs at any depth, walked here: a "//" query loads re, 5 ms)
        timeout = next((nv.get("value", "") for defaults in root.iterfind("configuration/op_defaults")
                        for nv in defaults.iter("nvpair") if nv.get("name") == "timeout"), "")
    return facade.op_digest(params, interval_ms, timeout)


def _unique_clone_members(root: ET.Element) -> set[str]:
    """Primitive ids inside globally-unique clones, computed once per simulation (only the
    configuration holds clones: walking the status too made a large -S quadratic)."""
    out: set[str] = set()
    resources = root.find("configuration/resources")
    if resources is None:
        return out
    for clone in (*resources.iter("clone"), *resources.iter("master")):
        if any(nv.get("name") == "globally-unique" and (nv.get("value") or "").lower() in ("true", "yes", "1", "on")
               for meta in clone.findall("meta_attributes") for nv in meta.findall("nvpair")):
            out.update(p.get("id", "") for p in clone.iter("primitive"))
    return out


def _load(p: Parsed, io: ToolIO) -> ET.Element:
    from crmsh_py.cib import load

    if p.get("xml-file") is not None:
        path = p.get("xml-file") or ""
        try:
            with open(path, encoding="utf-8") as fh:
                return load(fh.read(), path)
        except (OSError, ValueError) as err:  # ValueError: NUL in the path, or not UTF-8
            reason = getattr(err, "strerror", None) or str(err)
            raise UsageError(TOOL, f"Could not read {path!r}: {reason}") from None
    if p.has("xml-pipe"):
        return load(io.stdin.read(), "<stdin>")
    import copy

    from crmsh_py.engine.facade import open_cluster

    return copy.deepcopy(open_cluster(io.env, notice=io.stderr).read().root)


def _set_datetime(p: Parsed) -> int | None:
    """``-t DATE`` as UNIX seconds (None without it); a date that is not ISO 8601 is a usage error."""
    text = p.get("set-datetime")
    if text is None:
        return None
    from crmsh_py.cib.dates import epoch_seconds

    when = epoch_seconds(text)
    if when is None:
        raise UsageError(TOOL, f"Invalid date/time for -t/--set-datetime: {text!r} (expected ISO 8601, "
                               "e.g. 2024-05-07 00:28:00 or 2005-020T11:30)")
    return when


def _plan(root: ET.Element, forced_now: int | None = None) -> Transition:
    from crmsh_py.cib import xmlio
    from crmsh_py.engine import facade

    cfg = xmlio.configuration_from_xml(root.find("configuration"))  # type: ignore[arg-type]  # a CIB has one
    # Like Pacemaker's crm_simulate, ``-t`` sets "now"; without it a saved CIB's execution-date is
    # "now" (failure timeouts, reconnect intervals and date rules are judged at the time the input
    # was taken).
    when = root.get("execution-date", "")
    now = forced_now if forced_now is not None else int(when) if when.isdigit() else None
    return facade.plan(cfg, facade.status_from_cib(root, _definition(root), now))


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        p = parse_options(TOOL, args, SPEC)
        answered = help_or_version(p, io, usage_from_spec(TOOL, SPEC, "simulate a Pacemaker cluster's response to events"))
        if answered is not None:
            return answered
        for extra in p.positional:
            # Pacemaker's crm_simulate ignores stray words (a date split from its time, say); so
            # do we, but say so.
            io.err(f"{TOOL}: warning: ignoring unexpected argument '{extra}'")
        if not (p.has("live-check") or p.get("xml-file") or p.has("xml-pipe")):
            raise UsageError(TOOL, "No input specified: use -L, -x FILE or -p")
        forced_now = _set_datetime(p)
        root = _load(p, io)
        now = int(time.time())
        quiet = p.has("quiet")
        if not quiet:
            view = _view(root, forced_now)
            if view.disabled_count():
                io.out(f"{view.disabled_count()} of {view.instance_count()} resource instances DISABLED and "
                       "0 BLOCKED from further action due to failure")
                io.out()
            io.out("Current cluster status:")
            for line in status_block(root, forced_now, view):  # one view of the input, not two
                io.out(line)
        mods = modify(root, p, now)
    except UsageError as error:
        return error.report(io)
    if mods:
        if not quiet:
            io.out()
        io.out("Performing Requested Modifications:")
        for line in mods:
            io.out(line)
    if p.get("save-input"):  # the input with the requested modifications, before any transition
        failed = _save(root, p.get("save-input") or "", io)
        if failed:
            return failed
    if p.has("simulate") or p.has("show-scores") or p.has("run"):
        io.out()
        transition = _plan(root, forced_now)
        utilization = p.has("show-utilization")
        if utilization:
            io.out("\n".join(capacity_lines(root, transition, "Original")))
        if p.has("show-scores"):
            for line in transition.score_lines():
                io.out(line)
        if utilization:
            io.out("\n".join(capacity_lines(root, transition, "Remaining")))
        if p.has("show-scores") or utilization:
            io.out()
        io.out("Transition Summary:")
        for line in transition.summary():
            io.out(line if line.startswith("  ") else f"  * {line}")
        if p.has("simulate") or p.has("run"):
            io.out()
            io.out("Executing Cluster Transition:")
            unique = _unique_clone_members(root)
            prims = {x.get("id", ""): x for x in root.iter("primitive")}  # the configuration stays put
            definition = _definition(root)  # so do its nodes: read them once, not once per action
            from crmsh_py.engine import facade

            call_ids = facade.call_ids(root)  # the status is scanned for the highest id once, not per action
            for action in transition.actions:
                io.out(_action_line(action, getattr(transition, "fence_action", "reboot")))
                if getattr(action, "pseudo", False):
                    continue  # implied by a guest's reset: its node records nothing
                _record_success(root, action, now, _failing(p.all("op-fail"), action),
                                transition.history_ids, unique, prims, definition, call_ids)
            if not quiet:
                io.out()
                io.out("Revised Cluster Status:")
                for line in status_block(root, forced_now, pending=False):
                    io.out(line)
    if p.get("save-output"):
        return _save(root, p.get("save-output") or "", io)
    return exitcodes.CRM_EX_OK


def _save(root: ET.Element, target: str, io: ToolIO) -> int:
    """Write the CIB to ``target``; an exit code (0 when written)."""
    from crmsh_py.cib import dump

    try:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(dump(root))
    except (OSError, ValueError) as err:
        io.err(f"{TOOL}: Could not write {target!r}: {getattr(err, 'strerror', None) or err}")
        return exitcodes.CRM_EX_CANTCREAT
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
