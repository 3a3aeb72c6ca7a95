"""The status view: a read-only, resolved view of a CIB for status displays (``crm_mon``,
``crm_simulate``) and the tools that ask where a resource runs (``crm_resource``).

The engine's reading for whoever shows or asks (the displays in ``crmsh_py.render`` build on it,
the low-level tools reach it through ``crmsh_py.engine.facade``).  Built straight from the CIB XML (configuration + ``<status>``) so it reads the files our engine
writes and the ones Pacemaker's own tools write alike.  The view resolves what a display needs:
node states, each primitive instance's role and location (folded from its operation history),
failed operations, fail counts and node attributes.  Nothing here prints.
"""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.cib.node_order import natural_key
from crmsh_py.cib.scores import INFINITY
from crmsh_py.cib.vocabulary import RESOURCE_TAGS, is_true
from crmsh_py.cib.durations import duration_ms
from crmsh_py.engine.attr_blocks_xml import AgentKey, resolve_xml
from crmsh_py.engine.node_health import display_state
from crmsh_py.engine.status import distinct_history, expected_rc
from crmsh_py.engine.status_clone import resolve_instances
from crmsh_py.engine.status_view_records import ClusterView, NodeView, OpView, ResourceView
from crmsh_py.cib import remote_xml
from crmsh_py.engine import status_remote as mon_remote

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def _leading_int(text: str | None) -> int:
    """The integer ``text`` starts with (after white space and a sign), 0 when it has none: what
    ``re.match(r"\\s*[-+]?\\d+", text)`` reads, by hand (``re`` costs a one-shot 5 ms)."""
    if not text:
        return 0  # the usual case: no priority set
    rest = text.lstrip()
    sign = rest[:1] if rest[:1] in ("+", "-") else ""
    end = len(sign)
    while end < len(rest) and rest[end].isdecimal():
        end += 1
    return int(rest[:end]) if end > len(sign) else 0


def _nvpairs(parent: ET.Element | None, tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if parent is None:
        return out
    for aset in parent.findall(tag):
        for nv in aset.findall("nvpair"):
            if nv.get("name"):  # the first value of a name wins, as in Pacemaker
                out.setdefault(nv.get("name", ""), nv.get("value", ""))
    return out


def _agent(x: ET.Element) -> str:
    cls, prov, typ = x.get("class", ""), x.get("provider"), x.get("type", "")
    return f"{cls}:{prov}:{typ}" if prov else f"{cls}:{typ}"


def _resolved(parent: ET.Element | None, tag: str, now: int, rsc: AgentKey | None = None,
              first: str | None = None) -> dict[str, str]:
    """The blocks ``tag`` of ``parent`` resolved as the scheduler does (scores, rules at ``now``)."""
    if parent is None:
        return {}
    return resolve_xml(parent, tag, now, rsc, first)


def _xml_agent_key(x: ET.Element, templates: dict[str, ET.Element]) -> AgentKey:
    source = x if x.tag != "primitive" or x.get("type") else templates.get(x.get("template", ""), x)
    if x.tag != "primitive":
        return ("", None, "")
    return (source.get("class", ""), source.get("provider"), source.get("type", ""))


if TYPE_CHECKING:
    Defaults = Callable[[AgentKey], dict[str, str]]


def _build_resource(x: ET.Element, parent_meta: dict[str, str],
                    templates: dict[str, ET.Element] | None = None, defaults: Defaults | None = None,
                    now: int = 0) -> ResourceView:
    """A resource's view; ``parent_meta`` is what its parents set, ``defaults`` gives the
    rsc_defaults that apply to a resource with this agent."""
    own = _resolved(x, "meta_attributes", now)
    meta = defaults(_xml_agent_key(x, templates or {})) if defaults is not None else {}
    meta.update(parent_meta)
    meta.update(own)
    inherited = {**parent_meta, **own}
    kind = {"master": "clone"}.get(x.tag, x.tag)
    res = ResourceView(id=x.get("id", ""), kind=kind, meta=own)
    res.disabled = meta.get("target-role", "").lower() == "stopped"
    # a resource in maintenance is unmanaged too, whatever is-managed says (Pacemaker clears the flag)
    res.managed = is_true(meta.get("is-managed", "true")) and not is_true(meta.get("maintenance", "false"))
    if x.tag == "primitive":
        template = (templates or {}).get(x.get("template", ""))
        res.agent = _agent(x if template is None or x.get("type") else template)
        if meta.get("container"):
            res.on_fail[DEFAULT_ON_FAIL] = "restart-container"  # Pacemaker's default inside a container
        for op in [*(template.findall("operations/op") if template is not None else []), *x.findall("operations/op")]:
            if op.get("on-fail"):
                res.on_fail[(op.get("name", ""), duration_ms(op.get("interval"), 0))] = op.get("on-fail", "")
                promoted_monitor = (op.get("name") == "monitor" and duration_ms(op.get("interval"), 0) > 0
                                    and (op.get("role") or "").lower() in ("promoted", "master"))
                if promoted_monitor and op.get("on-fail", "").lower() != "demote":
                    res.on_fail.setdefault(("demote", 0), op.get("on-fail", ""))
    elif x.tag == "bundle":
        res.bundle = remote_xml.bundle_shape(x)
        for child in x.findall("primitive"):
            res.children.append(_build_resource(child, inherited, templates, defaults, now))
    else:
        res.promotable = x.tag == "master" or is_true(own.get("promotable"))
        res.unique = x.tag in ("clone", "master") and is_true(meta.get("globally-unique"))
        for child in x:
            if child.tag in RESOURCE_TAGS:
                res.children.append(_build_resource(child, inherited, templates, defaults, now))
        # LSB, systemd and other service agents cannot be globally unique: Pacemaker treats such
        # clones as anonymous.
        if res.unique and any(not p.agent.startswith(("ocf:", "stonith:")) for p in res.primitives()):
            res.unique = False
    return res


def _node_views(root: ET.Element, stonith: bool, startup_fencing: bool, suicide: bool,
                now: int = 0) -> list[NodeView]:
    from crmsh_py.engine.node_condition import read_conditions
    from crmsh_py.engine.status import ClusterStatus, NodeStatus

    views = []
    status = root.find("status")
    states = {s.get("uname") or s.get("id"): s for s in status.findall("node_state")} if status is not None else {}
    lite = ClusterStatus(have_quorum=root.get("have-quorum", "0") in ("1", "true"))
    for n in root.findall("configuration/nodes/node"):
        name = n.get("uname") or n.get("id") or ""
        v = NodeView(name=name, node_id=n.get("id", name))
        v.attributes = _resolved(n, "instance_attributes", now)
        st = states.get(name)
        node = NodeStatus(name, v.node_id)
        if st is not None:
            v.transient = _nvpairs(st.find("transient_attributes"), "instance_attributes")
            node.state_attrs = {k: st.get(k, "") for k in ("in_ccm", "crmd", "join", "expected") if k in st.attrib}
            node.transient_attributes = v.transient
        else:
            node.seen = False
        lite.nodes[name] = node
        merged = {**v.attributes, **v.transient}
        # Pacemaker reads the standby and maintenance flags while unpacking a node's status entry:
        # a node the status section never mentions shows as plainly OFFLINE, whatever its attributes.
        v.standby = st is not None and is_true(merged.get("standby"))
        v.maintenance = st is not None and is_true(merged.get("maintenance"))
        v.attributes = merged
        views.append(v)
    conditions = read_conditions(lite, stonith, startup_fencing, suicide)
    for v in views:
        cond = conditions[v.name]
        v.online, v.unclean, v.pending, v.shutdown = cond.online, cond.unclean, cond.pending, cond.shutdown
    # Pacemaker lists nodes in name order (node2 before node10), not in the CIB's order.
    views.sort(key=lambda v: natural_key(v.name))
    return views


def _ops(root: ET.Element) -> list[OpView]:
    out: list[OpView] = []
    for st in root.findall("status/node_state"):
        node = st.get("uname") or st.get("id") or ""
        for lr in st.findall("lrm/lrm_resources/lrm_resource"):
            for op in distinct_history(lr):
                call = int(op.get("call-id", "0") or 0)
                out.append(OpView(
                    rsc=lr.get("id", ""), node=node, task=op.get("operation", ""),
                    interval_ms=int(op.get("interval", "0") or 0), rc=int(op.get("rc-code", "0") or 0),
                    op_status=int(op.get("op-status", "0") or 0), call_id=call,
                    expected_rc=expected_rc(op.get("transition-key", "")), exit_reason=op.get("exit-reason", ""),
                    last_rc_change=int(op.get("last-rc-change", "0") or 0),
                    exec_ms=int(op.get("exec-time", "0") or 0), queue_ms=int(op.get("queue-time", "0") or 0),
                    op_id=op.get("id", ""), on_node=bool(op.get("on_node")),
                    magic=op.get("transition-magic", ""), migrate_source=op.get("migrate_source", ""),
                    migrate_target=op.get("migrate_target", "")))
    out.sort(key=lambda o: (o.node, o.rsc, o.call_id))
    return out


DEFAULT_ON_FAIL = ("", -1)  # key of ``ResourceView.on_fail``: the default for every op
# fold_history's flag for a failure whose on-fail=standby puts its node in standby ("standby (on-fail)");
# a property of the node, not shown beside the resource
STANDBY_ON_FAIL = "on-fail standby"
# fold_history's flag for a failure still waiting for its container's restart: Pacemaker marks the
# whole resource failed ("FAILED", wherever it runs or stopped), whatever its role on that node
CONTAINER_FAILED = "restart-container pending"


def fold_history(ops: list[OpView], on_fail: dict[tuple[str, int], str] | None = None, stonith: bool = True,
                 promotable: bool = False, failure_timeout_s: int = 0,
                 now: int = 0, failcount: bool = False, managed: bool = True) -> tuple[str | None, bool, set[str]]:
    """A primitive's role on a node after its history (None: stopped), whether it is failed, and
    its display flags ("blocked", "failure ignored"), by the scheduler's own reading of history
    (``managed`` false: an unmanaged resource found not running has simply stopped)."""
    from crmsh_py.engine.op_history import replay_ops

    def policy(op: OpView) -> tuple[str, bool]:
        value = (on_fail or {}).get((op.task, op.interval_ms), "").lower()
        if value == "nothing":
            value = "ignore"
        elif value == "fence" and not stonith:
            value = "stop"
        if not value:
            value = (on_fail or {}).get(DEFAULT_ON_FAIL, "")
        if not value:
            value = ("fence" if stonith else "block") if op.task == "stop" else "restart"
        return value, value == "stop"

    result = replay_ops(ops, promotable, policy, failure_timeout_s, now, failcount, managed)  # type: ignore[arg-type]  # OpView: the fields it reads
    role = None if result.role == "Stopped" else result.role
    failed = result.last_failure is not None and result.on_fail != "ignore" and role is not None
    flags = set()
    if failed and result.on_fail == "block":
        flags.add("blocked")
    if result.failure_ignored:
        flags.add("failure ignored")
    if result.last_failure is not None and result.on_fail == "standby":
        flags.add(STANDBY_ON_FAIL)
    if result.last_failure is not None and result.on_fail == "restart-container":
        flags.add(CONTAINER_FAILED)
    return role, failed, flags


def fold_role(ops: list[OpView]) -> tuple[str | None, bool]:
    """The role a resource has on a node after its history (None: stopped) and whether it failed."""
    role, failed, _ = fold_history(ops)
    return role, failed


def _failure_timeout_s(meta: dict[str, str]) -> int:
    """A resource's ``failure-timeout`` in seconds (0: failures never expire)."""
    return duration_ms(meta.get("failure-timeout"), 0) // 1000


def _resolve_clones(resources: list[ResourceView], ops: list[OpView], promotable_prims: set[str],
                    nodes: list[NodeView], dead: set[str], order: list[str], stonith: bool, now: int = 0,
                    maintenance_mode: bool = False) -> None:
    clones = [r for r in resources if r.kind == "clone" and r.children]
    if not clones:
        return
    histories: dict[str, dict[str, list[OpView]]] = {}
    for op in ops:
        if op.node not in dead:
            histories.setdefault(op.rsc, {}).setdefault(op.node, []).append(op)
    for clone in clones:
        members = [p.id for p in clone.children[0].primitives()]
        promotable = clone.promotable

        by_member = {p.id: p.on_fail for p in clone.children[0].primitives()}
        timeouts = {p.id: _failure_timeout_s(p.meta) for p in clone.children[0].primitives()}
        managed = {p.id: p.managed and not maintenance_mode for p in clone.children[0].primitives()}

        def fold(history: list[OpView], promotable: bool = promotable, by_member: dict[Any, Any] = by_member,
                 timeouts: dict[str, int] = timeouts, managed: dict[str, bool] = managed) -> tuple[str | None, bool]:
            member = history[0].rsc.partition(":")[0] if history else ""
            on_fail = by_member.get(member, {})
            here = managed.get(member, True)
            role, failed, _ = fold_history(history, on_fail, stonith, promotable, timeouts.get(member, 0), now,
                                           managed=here)
            return role, failed

        try:
            clone_max = int(clone.meta.get("clone-max", "") or len(nodes))
        except ValueError:
            clone_max = len(nodes)
        mine = {rid: h for rid, h in histories.items() if rid.partition(":")[0] in members}
        clone.instances = resolve_instances(members, clone.unique, clone_max, mine, order, fold)


def _place(resources: list[ResourceView], ops: list[OpView], promotable_prims: set[str],
           nodes: list[NodeView], order: list[str], stonith: bool, now: int = 0,
           maintenance_mode: bool = False) -> None:
    # Without fencing, a node that is down and not unclean ran nothing: its history is stale.  With
    # fencing, what it still records as running makes it unclean (Pacemaker must fence it).
    dead = {n.name for n in nodes if not n.online and not n.unclean and not stonith}
    # resource -> node -> its history there (a dict per resource: looking every primitive up in one
    # flat table made crm_mon quadratic, seconds for a 1,000-resource cluster)
    by_rsc: dict[str, dict[str, list[OpView]]] = {}
    for op in ops:
        if op.node in dead:
            continue
        base = op.rsc.split(":", 1)[0]
        by_rsc.setdefault(base, {}).setdefault(op.node, []).append(op)
    _resolve_clones(resources, ops, promotable_prims, nodes, dead, order, stonith, now, maintenance_mode)
    prims = [p for r in resources for p in r.primitives()]
    in_clones = {p.id for r in resources if r.kind == "clone" for p in r.primitives()}  # (never migrate)
    pending = {op.rsc for op in ops if op.op_status == -1}  # (rare: a look only where there is one)
    unclean = {n.name for n in nodes if n.unclean and not n.online}
    counted = {n.name: set(fail_counts(n)) for n in nodes}
    # Pacemaker reads cluster nodes' histories in the status section's order (remote and guest
    # nodes later, in passes of their own: they keep the order found)
    by_name = {n.name: n for n in nodes}
    rank = {name: i for i, name in enumerate(order) if by_name.get(name) is None or by_name[name].kind == "cluster"}
    for prim in prims:
        container_failed = False
        histories = by_rsc.get(prim.id, {})
        if len(histories) > 1:
            histories = dict(sorted(histories.items(), key=lambda item: rank.get(item[0], len(rank))))
        for node, history in histories.items():
            managed = prim.managed and not maintenance_mode  # (not its node's maintenance: see state.replay)
            role, failed, flags = fold_history(history, prim.on_fail, stonith, prim.id in promotable_prims,
                                               _failure_timeout_s(prim.meta), now,
                                               prim.id in counted.get(node, set()), managed)
            if node in unclean:
                failed, flags = False, flags - {"blocked"}  # Pacemaker ignores failures on unclean nodes
            if STANDBY_ON_FAIL in flags:
                flags.discard(STANDBY_ON_FAIL)
                if node in by_name:
                    by_name[node].standby_onfail = True
            if CONTAINER_FAILED in flags:
                flags.discard(CONTAINER_FAILED)
                container_failed = True
            if role is not None:
                prim.running[node] = role
            if failed:
                prim.failed_on.add(node)
            if flags:
                prim.flags_on[node] = flags
        if prim.id in pending and prim.id not in in_clones:
            _pending(prim, by_rsc.get(prim.id, {}), order)
        if prim.id not in in_clones and any(op.task in ("migrate_to", "migrate_from")
                                            for ops in by_rsc.get(prim.id, {}).values() for op in ops):
            from crmsh_py.engine.status_view_migration import settle  # only a migration needs it
            settle(prim, by_rsc[prim.id], nodes, order)
        if container_failed:
            prim.failed_on.update(prim.running)
            prim.failed_stopped = not prim.running
        _resource_wide_notes(prim, by_rsc.get(prim.id, {}), {n.name for n in nodes if n.online}, now)


def _pending(prim: ResourceView, histories: dict[str, list[OpView]], order: list[str]) -> None:
    """The first operation still pending in Pacemaker's reading order (nodes as the status section
    lists them, then call ids), probes aside: Pacemaker remembers that one's task and node."""
    # Pacemaker reads cluster nodes' histories in the status section's order (remote and guest
    # nodes later, in passes of their own: they keep the order found)
    rank = {name: i for i, name in enumerate(order)}
    for node in sorted(histories, key=lambda n: rank.get(n, len(rank))):
        for op in histories[node]:
            if op.op_status == -1 and (op.interval_ms or op.task != "monitor"):
                prim.pending_task, prim.pending_node = op.task, node
                return


# A failed probe's result as crm_mon names it beside a stopped resource.
PROBE_FAILURE_TEXT = {5: "not installed", 2: "invalid parameter"}


def _resource_wide_notes(prim: ResourceView, histories: dict[str, list[OpView]], online: set[str],
                         now: int = 0) -> None:
    """The notes Pacemaker keeps per resource rather than per node: an ignored failure anywhere
    marks every line of the resource, and a stopped resource names a failed probe (one recorded
    with its node name, on a node that is up: crm_mon finds it only then)."""
    if any("failure ignored" in flags for flags in prim.flags_on.values()):
        prim.failure_ignored = True
        for node in prim.running:
            prim.flags_on.setdefault(node, set()).add("failure ignored")
    if prim.running:
        return
    timeout_s = _failure_timeout_s(prim.meta)
    for node, history in histories.items():
        for op in history:
            probe_failed = op.rc in PROBE_FAILURE_TEXT or op.op_status == 7
            if op.task == "monitor" and op.interval_ms == 0 and probe_failed and op.on_node and node in online \
                    and not (timeout_s and op.last_rc_change and now >= op.last_rc_change + timeout_s):  # expired
                prim.failed_probe = PROBE_FAILURE_TEXT.get(op.rc, "not installed")
                return


def _orphans(root: ET.Element, resources: list[ResourceView], ops: list[OpView], nodes: list[NodeView],
             order: list[str], stonith: bool, stop_orphans: bool) -> list[ResourceView]:
    """Primitives the status section shows active that the configuration no longer has, as
    Pacemaker lists them after the configured ones (unmanaged when ``stop-orphan-resources`` is
    off); inactive ones are not shown, nor the connections of guest nodes and the parts of bundles
    (implicit resources, never configured)."""
    known = {p.id for r in resources for p in r.primitives()} | {r.id for r in resources}
    known |= remote_xml.implicit_ids(root)  # guest connections, bundle replicas: Pacemaker's own
    bundles = tuple(f"{b.get('id', '')}-" for b in root.findall("configuration/resources/bundle"))
    found: dict[str, ResourceView] = {}
    for lr in root.findall("status/node_state/lrm/lrm_resources/lrm_resource"):
        base = lr.get("id", "").split(":", 1)[0]
        if bundles and base.startswith(bundles):
            continue
        if base and base not in known and base not in found and lr.get("class"):
            found[base] = ResourceView(id=base, kind="primitive", agent=_agent(lr), orphaned=True,
                                       managed=stop_orphans)
    if not found:
        return []
    orphans = list(found.values())
    _place(orphans, [o for o in ops if o.rsc.split(":", 1)[0] in found], set(), nodes, order, stonith)
    return [o for o in orphans if o.running]


def view_time(root: ET.Element) -> int:
    """The time a CIB is judged at: its ``execution-date`` when saved with one, else now."""
    when = root.get("execution-date", "")
    return int(when) if when.isdigit() else int(time.time())


def build_view(root: ET.Element, now: int | None = None) -> ClusterView:
    """Resolve a whole ``<cib>`` element into a :class:`ClusterView`; attribute blocks with date
    rules are judged at ``now`` (default: ``view_time``)."""
    now = view_time(root) if now is None else now
    cfg = root.find("configuration")
    props = _resolved(cfg.find("crm_config") if cfg is not None else None, "cluster_property_set", now,
                      first="cib-bootstrap-options")
    default_parent = cfg.find("rsc_defaults") if cfg is not None else None
    defaults = _resolved(default_parent, "meta_attributes", now, ("", None, ""))

    by_agent: dict[AgentKey, dict[str, str]] = {}  # resolved once per agent, not per resource

    def defaults_for(key: AgentKey) -> dict[str, str]:
        found = by_agent.get(key)
        if found is None:
            found = by_agent[key] = _resolved(default_parent, "meta_attributes", now, key)
        return dict(found)  # the caller adds to it

    stonith = is_true(props.get("stonith-enabled", "true"))
    # suicide needs fencing and a cluster that had quorum (or no-quorum-panic), as in the scheduler
    suicide = (props.get("no-quorum-policy", "").lower() == "suicide" and stonith
               and (root.get("have-quorum", "0") in ("1", "true") or root.get("no-quorum-panic", "0") not in ("0", "")))
    nodes = _node_views(root, stonith, is_true(props.get("startup-fencing", "true")), suicide, now)
    for node in nodes:
        node.health = display_state(props, node.attributes)
    templates = {t.get("id", ""): t for t in root.findall("configuration/resources/template")}
    # rsc_defaults reach every resource's meta attributes (is-managed, target-role, ...)
    resources = [_build_resource(x, {}, templates, defaults_for, now) for x in root.findall("configuration/resources/*")
                 if x.tag in RESOURCE_TAGS]
    # Pacemaker lists resources by priority (highest first), configuration order among equals.
    resources.sort(key=lambda r: -_leading_int(r.meta.get("priority", defaults.get("priority"))))
    ops = _ops(root)
    nodes += mon_remote.remote_node_views(root, nodes, ops, stonith,
                                          lambda name: NodeView(name=name, node_id=name), fold_role)
    mon_remote.connection_maintenance(root, nodes, resources, is_true(props.get("maintenance-mode", "false")), ops,
                                      stonith, fold_role)
    nodes.sort(key=lambda n: natural_key(n.name))
    promotable_prims = {p.id for r in resources if r.promotable for p in r.primitives()}
    order = [s.get("uname") or s.get("id") or "" for s in root.findall("status/node_state")]
    # failures older than failure-timeout are forgotten, judged at the CIB's execution date if it
    # has one (a saved input, as crm_simulate reads it)
    when = root.get("execution-date", "")
    _place(resources, ops, promotable_prims, nodes, order, stonith, int(when) if when.isdigit() else int(time.time()),
           is_true(props.get("maintenance-mode", "false")))
    resources += _orphans(root, resources, ops, nodes, order, stonith,
                          is_true(props.get("stop-orphan-resources", "true")))
    if stonith:
        busy = {n for r in resources for p in r.primitives() for n in p.running}
        for node in nodes:
            if not node.online and node.name in busy and not node.maintenance and node.kind != "guest":
                node.unclean = True  # (a guest is reset through its container instead)
    mon_remote.reset_guests(nodes, resources, stonith)
    mon_remote.held_remote_failures(root, nodes, resources, ops, stonith)
    dc_id = root.get("dc-uuid")
    dc = next((n.name for n in nodes if n.node_id == dc_id), dc_id)
    return ClusterView(
        nodes=nodes, resources=resources, ops=ops, properties=props, rsc_defaults=defaults,
        dc=dc, have_quorum=root.get("have-quorum", "0") in ("1", "true"),
        last_written=root.get("cib-last-written", ""), update_user=root.get("update-user", ""),
        update_client=root.get("update-client", ""), update_origin=root.get("update-origin", ""),
        tickets=_tickets(root))


def _tickets(root: ET.Element) -> list[Any]:
    """Tickets this site knows (state in the status section, or only named by constraints)."""
    from crmsh_py.cib import tickets

    states = tickets.read_tickets(root)
    names = list(states) + [n for n in tickets.constraint_tickets(root) if n not in states]
    if not names:
        return []  # most clusters: no ticket, and no hash order to load for them
    from crmsh_py.cib.pcmk_hash import hash_order

    return [(name, states.get(name)) for name in hash_order(names)]  # Pacemaker's hash table order


def fail_counts(node: NodeView) -> dict[str, tuple[int, str]]:
    """Per resource: (summed fail count, latest last-failure epoch text) from transient attributes."""
    counts: dict[str, int] = {}
    last: dict[str, str] = {}
    for name, value in node.transient.items():
        if name.startswith("fail-count-"):
            rsc = name[len("fail-count-"):].split("#", 1)[0]
            n = INFINITY if value.upper().lstrip("+") == "INFINITY" else int(value or 0)
            counts[rsc] = min(INFINITY, counts.get(rsc, 0) + n)
        elif name.startswith("last-failure-"):
            rsc = name[len("last-failure-"):].split("#", 1)[0]
            last[rsc] = max(last.get(rsc, "0"), value, key=lambda s: int(s) if s.isdigit() else 0)
    return {rsc: (n, last.get(rsc, "")) for rsc, n in counts.items() if n}
