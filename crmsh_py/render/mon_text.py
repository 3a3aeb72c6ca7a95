"""``crm_mon`` text in Pacemaker 2.1's layout (``Cluster Summary:``, ``Node List:``, ...).

Resource lines carry Pacemaker's tabs: ``  * dummy\\t(ocf:heartbeat:Dummy):\\t Started srv01``.
"""

from __future__ import annotations

import time

from crmsh_py.records import record, replace
from crmsh_py.render import mon_remote
from crmsh_py.engine.status import OP_STATUS_TEXT
from crmsh_py.engine.status_clone import Instance, sort_nodes
from crmsh_py.engine.status_remote import history
from crmsh_py.render.mon_view import ClusterView, NodeView, OpView, ResourceView, fail_counts, fold_role

RC_TEXT = {0: "ok", 1: "error", 2: "invalid parameter", 3: "unimplemented feature",
           4: "insufficient privileges", 5: "not installed", 6: "not configured", 7: "not running",
           8: "promoted", 9: "promoted (failed)", 190: "degraded", 191: "degraded (promoted)"}


@record
class MonOptions:
    """What to show (the crm_mon flags)."""

    inactive: bool = False        # -r
    failcounts: bool = False      # -f
    node_attributes: bool = False  # -A
    group_by_node: bool = False   # -n
    operations: bool = False      # -o
    show_detail: bool = False     # --show-detail (long failed-action format)
    tickets: bool = False         # -c / --tickets


@record
class StackInfo:
    """Where the cluster runs: stack name and the DC's version (``unknown`` offline)."""

    stack: str = "unknown"
    version: str = "unknown"
    now: float | None = None


def ctime(epoch: float) -> str:
    """Pacemaker's timestamp text (C ``ctime``), e.g. ``Wed Nov 25 02:42:40 2026``."""
    return time.ctime(epoch)


def summary_lines(view: ClusterView, info: StackInfo) -> list[str]:
    """The ``Cluster Summary:`` block."""
    now = info.now if info.now is not None else time.time()
    if view.dc:
        quorum = "partition with quorum" if view.have_quorum else "partition WITHOUT quorum"
        dc = f"{view.dc} (version {info.version}) - {quorum}"
    else:
        dc = "NONE"
    change = view.last_written
    for word, value in (("by", view.update_user), ("via", view.update_client), ("on", view.update_origin)):
        if value:
            change += f" {word} {value}"
    n_nodes = len(view.nodes)
    n_inst = view.instance_count()
    disabled = view.disabled_count()
    inst = f"{n_inst} resource instance{'s' if n_inst != 1 else ''} configured"
    if disabled:
        inst += f" ({disabled} DISABLED)"
    lines = ["Cluster Summary:", f"  * Stack: {info.stack}", f"  * Current DC: {dc}",
             f"  * Last updated: {ctime(now)}", f"  * Last change:  {change}",
             f"  * {n_nodes} node{'s' if n_nodes != 1 else ''} configured", f"  * {inst}"]
    return lines


def node_state_text(node: NodeView, running_here: bool) -> str | None:
    """The special state of a node (None for a plain online or offline node), Pacemaker's wording;
    a node's health other than green follows any special state, "(health is YELLOW)"."""
    state = _special_state(node, running_here)
    if state is not None and node.health:
        return f"{state} (health is {node.health})"
    if node.online and node.health:
        return f"online (health is {node.health})"
    return state


def _special_state(node: NodeView, running_here: bool) -> str | None:
    if node.unclean:
        return "UNCLEAN (online)" if node.online else ("UNCLEAN (pending)" if node.pending else "UNCLEAN (offline)")
    if node.pending:
        return "pending"
    if node.standby_onfail and node.online:
        return "standby (on-fail)"
    if node.standby:
        if not node.online:
            return "OFFLINE (standby)"
        return "standby (with active resources)" if running_here else "standby"
    if node.maintenance:
        return "maintenance" if node.online else "OFFLINE (maintenance)"
    return None


def _nodes_running(view: ClusterView) -> set[str]:
    busy = {n for r in view.resources for p in r.primitives() for n in p.running}
    if any(n.standby and n.online for n in view.nodes):  # (the only question it answers for bundles)
        # a bundle's containers are resources active on their hosts too
        busy.update(n for r in view.resources if r.bundle is not None
                    for i in range(r.bundle.replicas)
                    for n in history(view.ops, f"{r.id}-{r.bundle.runtime}-{i}", fold_role)[0])
    return busy


NODE_PREFIX = {"cluster": "Node", "remote": "RemoteNode", "guest": "GuestNode"}
# (kind, online) -> the list a plain node is summarised in; offline guests are not listed.
NODE_LISTS = {("cluster", True): "Online", ("cluster", False): "OFFLINE", ("remote", True): "RemoteOnline",
              ("remote", False): "RemoteOFFLINE", ("guest", True): "GuestOnline"}


def node_list_lines(view: ClusterView) -> list[str]:
    """``Node List:`` with ``Online: [ .. ]`` / ``OFFLINE: [ .. ]`` (then the remote and guest
    lists) and one line per special node."""
    busy = _nodes_running(view)
    lists: dict[str, list[str]] = {label: [] for label in NODE_LISTS.values()}
    special = []
    for node in view.nodes:
        state = node_state_text(node, node.name in busy)
        if state:
            special.append(f"  * {NODE_PREFIX.get(node.kind, 'Node')} {node.name}: {state}")
            continue
        label = NODE_LISTS.get((node.kind, node.online))
        if label is not None:
            lists[label].append(node.name)
    lines = ["Node List:", *special]
    lines += [f"  * {label}: [ {' '.join(names)} ]" for label, names in lists.items() if names]
    return lines


# A pending operation's task -> the state shown instead of the role (pending operations shown).
PENDING_STATE = {"start": "Starting", "stop": "Stopping", "migrate_to": "Migrating", "migrate_from": "Migrating",
                 "promote": "Promoting", "demote": "Demoting"}


def _flags(view: ClusterView, prim: ResourceView, node: str, disabled: bool = False) -> str:
    # Pacemaker's order: UNCLEAN, Monitoring, disabled, blocked or unmanaged, failure ignored.
    extra = []
    nv = view.node(node)
    if nv is not None and nv.unclean and not nv.online:
        extra.append("UNCLEAN")
    if view.show_pending and prim.pending_task == "monitor":
        extra.append("Monitoring")
    if disabled:
        extra.append("disabled")
    elif prim.held_role:
        extra.append(f"target-role:{prim.held_role}")
    notes = prim.flags_on.get(node, set())
    if "blocked" in notes:
        extra.append("blocked")
    elif not prim.managed or (nv is not None and nv.maintenance) or _maintenance_mode(view):
        extra.append("unmanaged")
    if "failure ignored" in notes:
        extra.append("failure ignored")
    return f" ({', '.join(extra)})" if extra else ""


def _maintenance_mode(view: ClusterView) -> bool:
    return view.properties.get("maintenance-mode", "false").lower() in ("true", "yes", "on", "1")


def primitive_text(view: ClusterView, prim: ResourceView, with_node: bool = True,
                   node: str | None = None) -> str:
    """``dummy\\t(ocf:heartbeat:Dummy):\\t Started srv01`` (without the bullet)."""
    head = f"{prim.id}\t({prim.agent}):\t "
    if node is not None:
        where = [node]
    else:
        # Pacemaker reads cluster nodes' histories before remote and guest nodes'
        where = sorted(prim.running, key=lambda name: _kind(view, name) != "cluster")
    if not where and prim.pending_node and node is None:
        # Pacemaker lists a stopped resource on the node of its pending operation
        return _stopped_pending(view, prim, head)
    if not where:
        unmanaged = not prim.managed or _maintenance_mode(view)
        extra = [f for f, on in (("disabled", prim.disabled),
                                 (f"target-role:{prim.held_role}", bool(prim.held_role) and not prim.disabled),
                                 ("unmanaged", unmanaged), ("failure ignored", prim.failure_ignored)) if on]
        probe = f" ({prim.failed_probe})" if prim.failed_probe else ""
        state = "FAILED" if prim.failed_stopped else "Stopped"  # a reset guest's container
        state = f"ORPHANED {state}" if prim.orphaned else state  # (an orphan clone instance's member)
        return head + state + probe + (f" ({', '.join(extra)})" if extra else "")
    n = where[0]
    role = prim.running.get(n, "Started")
    if view.show_pending and len(where) == 1:
        role = PENDING_STATE.get(prim.pending_task, role)
    # Pacemaker's "failed" is one flag on the resource: a failure on any of its nodes shows on the
    # one line that lists them all.
    failed = n in prim.failed_on or (node is None and len(where) > 1 and bool(prim.failed_on & set(where)))
    if failed:
        role = "FAILED" if role in ("Started", "Unpromoted") else f"FAILED {role}"
    if prim.orphaned:
        role = f"ORPHANED {role}"
    if len(where) > 1 and node is None:
        # flags sit between the role and the node list: "Started (blocked) [ node1 node2 ]"
        notes = set().union(*(prim.flags_on.get(n, set()) for n in where))
        # active on a node in maintenance: Pacemaker takes the whole resource as unmanaged
        unmanaged = (not prim.managed or _maintenance_mode(view)
                     or any(getattr(view.node(n), "maintenance", False) for n in where))
        if prim.meta.get("multiple-active", "").lower() == "block" and not unmanaged:
            notes.add("blocked")  # (an unmanaged resource is never blocked: Pacemaker checks it first)
        elif unmanaged:
            notes.discard("blocked")
        extra = [f for f, on in (("disabled", prim.disabled), ("blocked", "blocked" in notes),
                                 ("unmanaged", "blocked" not in notes and unmanaged),
                                 ("failure ignored", "failure ignored" in notes)) if on]
        flags = f" ({', '.join(extra)})" if extra else ""
        return head + f"{role}{flags} [ {' '.join(where)} ]"
    text = head + role + (f" {n}" if with_node else "")
    return text + _flags(view, prim, n, prim.disabled and with_node)


def _stopped_pending(view: ClusterView, prim: ResourceView, head: str) -> str:
    """A resource active nowhere, shown on its pending operation's node (``Stopped node1``, or
    ``Starting node1`` when pending operations are shown)."""
    state = PENDING_STATE.get(prim.pending_task, "Stopped") if view.show_pending else "Stopped"
    state = f"ORPHANED {state}" if prim.orphaned else state
    return head + f"{state} {prim.pending_node}" + _flags(view, prim, prim.pending_node, prim.disabled)


def _kind(view: ClusterView, name: str) -> str:
    node = view.node(name)
    return node.kind if node is not None else "cluster"


def _is_plain(view: ClusterView, prim: ResourceView, node: str) -> bool:
    nv = view.node(node)
    return (node not in prim.failed_on and prim.managed and not _maintenance_mode(view)
            and not (nv is not None and (nv.unclean or nv.maintenance)))


def clone_lines(view: ClusterView, res: ResourceView, opts: MonOptions, indent: str) -> list[str]:
    """A clone as Pacemaker prints it (see ``mon_clone``): unique or special instances one by one,
    plain anonymous ones folded into role lists, then ``Stopped: [ .. ]``."""
    # Pacemaker: a promotable clone held at Unpromoted is "disabled" too
    held = res.promotable and res.meta.get("target-role", "").lower() in ("unpromoted", "slave")
    flags = [f for f, on in (("promotable", res.promotable), ("unique", res.unique),
                              ("unmanaged", not res.managed or _maintenance_mode(view)),
                              ("disabled", res.disabled or held)) if on]
    child = res.children[0] if res.children else None
    head = f"{indent}* Clone Set: {res.id} [{child.id if child else ''}]"
    head += f" ({', '.join(flags)})" if flags else ""
    lines = [head + ":"]
    if child is None:
        return lines
    promoted: list[str] = []
    started: list[str] = []
    running_on: set[str] = set()
    for inst in res.instances:
        nodes = inst.nodes()
        running_on.update(nodes)
        full = res.unique and (nodes or inst.child)
        if not res.unique and nodes:
            prims = child.primitives()
            whole = len(nodes) == 1 and all(p.id in inst.running for p in prims)
            plain = not inst.orphan and all(_is_plain(view, p, n) and n not in inst.failed.get(p.id, set())
                                            for p in prims for n in inst.running.get(p.id, {}))
            plain = plain and not any(inst.failed.values())
            node = view.node(nodes[0]) if whole else None
            if not (whole and plain) or (node is not None and node.unclean and not node.online):
                full = True
            elif any(inst.running[p.id][nodes[0]] == "Promoted" for p in prims):
                promoted.append(nodes[0])
            else:
                started.append(nodes[0])
        if full:
            lines.extend(_instance_lines(view, res, child, inst, opts, indent + "  "))
    # the configured role (the clone's target-role, or else its child's) names a held list
    configured = (res.meta.get("target-role") or child.meta.get("target-role") or "").lower()
    unpromoted = "Unpromoted (target-role)" if configured in ("unpromoted", "slave") else "Unpromoted"
    for label, names in (("Promoted", promoted), (unpromoted if res.promotable else "Started", started)):
        if names:
            lines.append(f"{indent}  * {label}: [ {' '.join(sort_nodes(names))} ]")
    active = len(promoted) + len(started)
    if opts.inactive and not res.unique and _clone_max(view, res) > active:
        # A bundle's nodes are closed to other resources (Pacemaker bans them from the clone
        # whichever comes first in the configuration); another offline guest is listed unless
        # it must be reset
        stopped = [n.name for n in view.nodes if n.name not in running_on and not n.orphan
                   and (n.kind != "guest" or n.online or (not n.reset and n.bundle is None))
                   and n.bundle is None]
        if stopped:
            # the clone's configured role, or else its child's (the clone's own wins, whatever it says)
            label = "Stopped (disabled)" if configured == "stopped" else "Stopped"
            lines.append(f"{indent}  * {label}: [ {' '.join(stopped)} ]")
    return lines


def _clone_max(view: ClusterView, res: ResourceView) -> int:
    try:
        return int(res.meta.get("clone-max", "") or len(view.nodes))
    except ValueError:
        return len(view.nodes)


def _instance_lines(view: ClusterView, res: ResourceView, child: ResourceView, inst: Instance,
                    opts: MonOptions, indent: str) -> list[str]:
    suffix = f":{inst.number}"

    def member(p: ResourceView) -> ResourceView:
        # Pacemaker flags an instance of a promotable clone held at Unpromoted with its target-role
        configured = (p.meta.get("target-role") or child.meta.get("target-role") or res.meta.get("target-role")
                      or "") if res.promotable else ""
        held = configured if configured.lower() in ("unpromoted", "slave") else ""
        pending_task, pending_node = inst.pending.get(p.id, ("", ""))
        return replace(p, id=p.id + suffix if res.unique else p.id, running=dict(inst.running.get(p.id, {})),
                       failed_on=set(inst.failed.get(p.id, set())), orphaned=p.orphaned or inst.orphan,
                       held_role=p.held_role or held, pending_task=pending_task, pending_node=pending_node)

    if child.kind == "primitive":
        return [f"{indent}* {primitive_text(view, member(child))}"]
    notes = [f for f, on in (("unmanaged", not child.managed or _maintenance_mode(view)),
                             ("disabled", child.disabled)) if on]
    flags = f" ({', '.join(notes)})" if notes else ""
    lines = [f"{indent}* Resource Group: {child.id}{suffix}{flags}:"]
    lines.extend(f"{indent}  * {primitive_text(view, member(p))}" for p in child.primitives())
    return lines


def resource_lines(view: ClusterView, res: ResourceView, opts: MonOptions, indent: str = "  ") -> list[str]:
    """Lines for one top-level (or nested) resource; empty when it is hidden."""
    if not opts.inactive and not res.active and not (
            res.kind == "bundle" and res.bundle is not None
            and mon_remote.bundle_active(view, res, res.bundle, fold_role)):
        return []
    if res.kind == "primitive":
        return [f"{indent}* {primitive_text(view, res)}"]
    if res.kind == "group":
        notes = [f for f, on in (("unmanaged", not res.managed or _maintenance_mode(view)),
                                 ("disabled", res.disabled)) if on]
        flags = f" ({', '.join(notes)})" if notes else ""
        lines = [f"{indent}* Resource Group: {res.id}{flags}:"]
        for child in res.children:
            lines.append(f"{indent}  * {primitive_text(view, child)}")
        return lines
    if res.kind == "clone":
        return clone_lines(view, res, opts, indent)
    if res.kind == "bundle" and res.bundle is not None:
        return mon_remote.bundle_lines(view, res, res.bundle, indent, fold_role)
    return [f"{indent}* {res.id}\t({res.kind})"]


def resources_block(view: ClusterView, opts: MonOptions) -> list[str]:
    """``Active Resources:`` or ``Full List of Resources:`` with its lines."""
    title = "Full List of Resources:" if opts.inactive else "Active Resources:"
    body = [line for res in view.resources for line in resource_lines(view, res, opts)]
    if not view.resources:
        body = ["  * No resources"]
    elif not body:
        body = ["  * No active resources"]
    return [title, *body]


def by_node_lines(view: ClusterView, opts: MonOptions) -> list[str]:
    """``-n``: each node with the resources it runs."""
    busy = _nodes_running(view)
    lines = ["Node List:"]
    for node in view.nodes:
        state = node_state_text(node, node.name in busy) or ("online" if node.online else "OFFLINE")
        lines.append(f"  * Node {node.name}: {state}:")
        if not node.online:
            continue
        lines.append("    * Resources:")
        for prim in (p for r in view.resources for p in r.primitives()):
            if node.name in prim.running:
                lines.append(f"      * {primitive_text(view, prim, with_node=False, node=node.name)}")
    inactive = [p for r in view.resources for p in r.primitives() if not p.running]
    if opts.inactive:
        lines += ["", "Inactive Resources:"]
        lines += [f"  * {primitive_text(view, p)}" for p in inactive] or ["  * No inactive resources"]
    return lines


HIDDEN_ATTRS = ("standby",)


def attribute_lines(view: ClusterView) -> list[str]:
    """``Node Attributes:`` (online nodes with attributes; fail counts are not shown here)."""
    lines = []
    for node in view.nodes:
        attrs = {k: v for k, v in node.attributes.items()
                 if not k.startswith(("fail-count-", "last-failure-", "#")) and k not in HIDDEN_ATTRS}
        if not node.online or not attrs:
            continue
        lines.append(f"  * Node: {node.name}:")
        lines += [f"    * {k:<32}\t: {v:<10}" for k, v in sorted(attrs.items())]
    return ["Node Attributes:", *lines] if lines else []


def _threshold(view: ClusterView, rsc: str) -> str:
    res = view.find(rsc)
    value = (res.meta.get("migration-threshold") if res else None) or view.rsc_defaults.get(
        "migration-threshold", "1000000")
    return "1000000" if value.upper() in ("INFINITY", "+INFINITY") else value


def migration_lines(view: ClusterView) -> list[str]:
    """``Migration Summary:`` (only nodes with fail counts are listed)."""
    lines = []
    for node in view.nodes:
        counts = fail_counts(node)
        if not counts:
            continue
        lines.append(f"  * Node: {node.name}:")
        for rsc, (n, last) in counts.items():
            text = f"    * {rsc}: migration-threshold={_threshold(view, rsc)} fail-count={n}"
            if last.isdigit():
                text += f" last-failure='{ctime(int(last))}'"
            lines.append(text)
    # Pacemaker prints the heading as soon as one node is online, even with nothing under it.
    return ["Migration Summary:", *lines] if lines or any(n.online for n in view.nodes) else []


def _interval_text(ms: int) -> str:
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms"


def failed_action_line(op: OpView, detail: bool) -> str:
    """One ``Failed Resource Actions`` entry (short 2.1 form, or ``--show-detail``'s long form)."""
    rc_text = RC_TEXT.get(op.rc, "unknown")
    status = OP_STATUS_TEXT.get(op.op_status, "unknown")
    if detail:
        return (f"  * {op.rsc}_{op.task}_{op.interval_ms} on {op.node} '{rc_text}' ({op.rc}): "
                f"call={op.call_id}, status='{status.lower() if op.op_status == 0 else status}', "
                f"exitreason='{op.exit_reason}', last-rc-change='{ctime(op.last_rc_change)}', "
                f"queued={op.queue_ms}ms, exec={op.exec_ms}ms")
    task = "probe" if op.task == "monitor" and op.interval_ms == 0 else op.task
    interval = f"{_interval_text(op.interval_ms)}-interval " if op.interval_ms else ""
    if op.op_status == 0:
        result = f"returned '{rc_text}'"
    else:
        result = f"could not be executed ({status})"
    reason = f" ({op.exit_reason})" if op.exit_reason else ""
    return f"  * {op.rsc} {interval}{task} on {op.node} {result}{reason} at {ctime(op.last_rc_change)}"


def operations_lines(view: ClusterView) -> list[str]:
    """``-o``: the operation history per node and resource."""
    lines = ["Operations:"]
    for node in view.nodes:
        ops = [o for o in view.ops if o.node == node.name and not (o.task == "monitor" and o.interval_ms == 0
                                                                     and o.rc == 7)]
        if not ops:
            continue
        lines.append(f"  * Node: {node.name}:")
        counts = fail_counts(node)
        for rsc in dict.fromkeys(o.rsc for o in ops):
            head = f"    * {rsc}: migration-threshold={_threshold(view, rsc)}"
            if rsc in counts:
                n, last = counts[rsc]
                head += f" fail-count={n}" + (f" last-failure='{ctime(int(last))}'" if last.isdigit() else "")
            lines.append(head + ":")
            for op in (o for o in ops if o.rsc == rsc):
                extra = f": interval=\"{op.interval_ms}ms\"" if op.interval_ms else ""
                lines.append(f"      * ({op.call_id}) {op.task}{extra}")
    return lines if len(lines) > 1 else []


def render(view: ClusterView, opts: MonOptions, info: StackInfo) -> str:
    """The whole ``crm_mon -1`` text, ending with a newline."""
    blocks: list[list[str]] = [summary_lines(view, info)]
    if opts.group_by_node:
        blocks.append(by_node_lines(view, opts))
    else:
        blocks.append(node_list_lines(view))
        blocks.append(resources_block(view, opts))
    if opts.node_attributes:
        blocks.append(attribute_lines(view))
    if opts.operations:
        blocks.append(operations_lines(view))
    elif opts.failcounts:
        blocks.append(migration_lines(view))
    failed = view.failed_ops()
    if failed:
        blocks.append(["Failed Resource Actions:", *(failed_action_line(o, opts.show_detail) for o in failed)])
    if opts.tickets:
        blocks.append(ticket_lines(view))
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"


def ticket_lines(view: ClusterView) -> list[str]:
    """``Tickets:`` (Pacemaker 2.1: ``* T: granted [standby] last-granted="..."``)."""
    lines = []
    for name, state in view.tickets:
        text = f"  * {name}: {'granted' if state is not None and state.granted else 'revoked'}"
        if state is not None and state.standby:
            text += " [standby]"
        if state is not None and state.last_granted is not None:
            text += f' last-granted="{ctime(state.last_granted)}"'
        lines.append(text)
    return ["Tickets:", *lines] if lines else []
