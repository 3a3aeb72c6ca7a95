"""crmsh's sanity warnings on ``verify`` (every element) and ``commit`` (the changed ones).

Warnings, not errors: the configuration is valid for Pacemaker but probably not what was meant —
a meta attribute Pacemaker does not know (a typo: ``target_role``), or a colocation with one member
of a group instead of the group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.cib import ids
from crmsh_py.cib.model import Clone, ClusterSet, Group, Primitive, RscTemplate

if TYPE_CHECKING:
    from collections.abc import Iterable
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session
    from crmsh_py.shell.levels.sanity_ops import AgentAction

_COMMON = ("priority", "target-role", "is-managed")
_RESOURCE = frozenset(("allow-migrate", "maintenance", "is-managed", "interval-origin", "migration-threshold",
                       "priority", "multiple-active", "failure-timeout", "resource-stickiness", "target-role",
                       "restart-type", "description", "remote-node", "requires", "provides", "remote-port",
                       "remote-addr", "remote-connect-timeout"))
# the meta attributes each kind of resource takes (as crmsh 4.4.1 lists them: a group or clone takes
# a primitive's too); crmsh checks no bundle's
META_NAMES: dict[type, frozenset[str]] = {
    Primitive: _RESOURCE,
    Group: _RESOURCE | {*_COMMON, "container"},
    Clone: _RESOURCE | {*_COMMON, "ordered", "notify", "interleave", "globally-unique", "clone-max",
                        "clone-node-max", "clone-state", "description", "clone-min", "promotable",
                        "promoted-max", "promoted-node-max", "master-max", "master-node-max"},
}


# Pacemaker 2.1's cluster options (the daemons' meta-data), plus what the cluster itself writes
CLUSTER_OPTIONS = frozenset((
    "batch-limit", "cluster-delay", "cluster-infrastructure", "cluster-ipc-limit", "cluster-name",
    "cluster-recheck-interval", "concurrent-fencing", "dc-deadtime", "dc-version", "election-timeout",
    "enable-acl", "enable-startup-probes", "fence-reaction", "have-watchdog", "join-finalization-timeout",
    "join-integration-timeout", "load-threshold", "maintenance-mode", "migration-limit", "no-quorum-policy",
    "node-action-limit", "node-health-base", "node-health-green", "node-health-red", "node-health-strategy",
    "node-health-yellow", "pe-error-series-max", "pe-input-series-max", "pe-warn-series-max",
    "placement-strategy", "priority-fencing-delay", "remove-after-stop", "shutdown-escalation",
    "shutdown-lock", "shutdown-lock-limit", "start-failure-is-fatal", "startup-fencing", "stonith-action",
    "stonith-enabled", "stonith-max-attempts", "stonith-timeout", "stonith-watchdog-timeout",
    "stop-all-resources", "stop-orphan-actions", "stop-orphan-resources", "symmetric-cluster",
    "transition-delay", "last-lrm-refresh", "default-resource-stickiness", "is-managed-default",
    "default-action-timeout", "crmd-transition-delay", "crmd-integration-timeout",
    "crmd-finalization-timeout", "notification-agent", "notification-recipient",
))


def _property_warnings(element: "Element") -> list[str]:
    # crmsh checks the names in cib-bootstrap-options only: other property sets may hold an
    # agent's own state (crmsh's reason)
    if not isinstance(element, ClusterSet) or element.kind != "property" \
            or (element.id or ids.default_set_id("property")) != ids.default_set_id("property"):
        return []
    return [f"{element.id}: unknown attribute '{nv.name}'" for nv in element.nvpairs
            if nv.name not in CLUSTER_OPTIONS]


def _meta_warnings(element: "Element") -> list[str]:
    known = META_NAMES.get(type(element))
    if known is None:
        return []
    return [f"{element.id}: unknown attribute '{nv.name}'"
            for s in getattr(element, "attr_sets", []) if s.kind == "meta" and not s.id_ref
            for nv in s.nvpairs if nv.name not in known]


def sanity_warnings(elements: list["Element"], chosen: Iterable["Element"]) -> list[str]:
    """The warnings crmsh gives for ``chosen`` in the configuration ``elements`` (no agent checks)."""
    from crmsh_py.shell.levels.configure_state import effective_id
    from crmsh_py.shell.levels.sanity_refs import References, reference_warnings

    refs = References(elements, {effective_id(e) for e in elements})
    out: list[str] = []
    for element in chosen:
        out += _meta_warnings(element) + reference_warnings(element, refs) + _property_warnings(element)
    return out


class AgentFacts:
    """What the checks need from an agent's meta-data."""

    def __init__(self, params: list[str], required: list[str], actions: list["AgentAction"],
                 exists: bool = True) -> None:
        self.params = params
        self.required = required
        self.actions = actions
        self.exists = exists  # False: no meta-data at all (crmsh: no such resource agent)


def _agent_facts(session: "Session", agent: str) -> AgentFacts | None:
    """Parameters, required parameters and actions from the agent's meta-data; None when they
    cannot be read, ``exists=False`` when there are none."""
    from crmsh_py import xmltree as ET

    from crmsh_py.shell.levels.sanity_ops import agent_actions

    result = session.metadata(agent)
    if result.rc != 0:
        return AgentFacts([], [], [], exists=False)
    try:
        root = ET.fromstring(result.stdout)
    except ET.ParseError:
        return None
    params = [p.get("name", "") for p in root.iter("parameter")]
    required = [p.get("name", "") for p in root.iter("parameter") if p.get("required") == "1"]
    return AgentFacts(params, required, agent_actions(root))


def agent_facts(session: "Session", agent: str) -> AgentFacts | None:
    """What the checks need of ``agent``'s meta-data (None: unreadable; ``exists=False``: none)."""
    return _agent_facts(session, agent)


def _near(session: "Session", word: str, names: list[str]) -> str:
    """A "did you mean" for a mistyped parameter (none in -R mode or a batch: crmsh's words exactly)."""
    if session.regression or session.mode == "batch":
        return ""
    from crmsh_py.shell.didyoumean import hint

    return hint(word, sorted(names))


def _default_timeout(elements: list["Element"]) -> str | None:
    """``op_defaults``' timeout (crmsh measures ops without their own timeout against it)."""
    for e in elements:
        if isinstance(e, ClusterSet) and e.kind == "op_defaults":
            for nv in e.nvpairs:
                if nv.name == "timeout":
                    return nv.value
    return None


def agent_problems(session: "Session", element: "Element", facts: dict[str, AgentFacts | None],
                   default_timeout: str | None, templates: "dict[str, RscTemplate] | None" = None
                   ) -> tuple[list[str], list[str]]:
    """crmsh's checks of one primitive against its OCF agent's meta-data: (errors, warnings);
    ``templates``: the configuration's templates by id (a primitive made from a missing one is
    an error)."""
    templates = templates or {}
    from crmsh_py.shell.levels.sanity_ops import op_value_warnings, op_warnings

    if isinstance(element, Primitive) and element.template is not None and element.template not in templates:
        return [f"{element.template}: no such resource template"], []
    if not isinstance(element, Primitive) or element.agent is None or element.agent.ra_class != "ocf":
        return [], []
    name = str(element.agent)
    if name not in facts:
        facts[name] = _agent_facts(session, name)
    known = facts[name]
    if known is None:
        return [], []
    if not known.exists:  # crmsh asks for the meta-data twice, then gives up on the agent
        return [f"{name}: got no meta-data, does this RA exist?"] * 2 + [f"{name}: no such resource agent"], []
    given = [nv.name for s in element.attr_sets if s.kind == "params" for nv in s.nvpairs]
    errors = [f'{element.id}: required parameter "{p}" not defined' for p in known.required if p not in given]
    errors += [f'{element.id}: parameter "{p}" is not known' + _near(session, p, known.params)
               for p in dict.fromkeys(given) if p not in known.params]
    ops = [(op.name, {**({"interval": op.interval} if op.interval is not None else {}),
                      **{nv.name: nv.value or "" for nv in op.attributes}}) for op in element.ops]
    values = [(op.name, [(nv.name, nv.value or "") for nv in op.attributes]) for op in element.ops]
    return errors, op_warnings(element.id, ops, known.actions, default_timeout) + op_value_warnings(element.id, values)


def warn(session: "Session", chosen_ids: Iterable[str] | None = None) -> bool:
    """Print crmsh's warnings and errors for the working copy (all elements, or those with
    ``chosen_ids``), element by element in the order of their ids as crmsh goes through them.
    False when the configuration should be refused: agent errors in check-mode strict (crmsh's
    default); in relaxed mode they are shown and let through."""
    from crmsh_py.shell.levels.configure_state import effective_id, working
    from crmsh_py.shell.levels.sanity_refs import References, reference_warnings

    wc = working(session)
    wanted = None if chosen_ids is None else set(chosen_ids)
    chosen = [e for e in wc.elements if wanted is None or effective_id(e) in wanted]
    refs = References(wc.elements, {effective_id(e) for e in wc.elements})
    facts: dict[str, AgentFacts | None] = {}
    default_timeout = _default_timeout(wc.elements)
    failed = False
    templates = {e.id: e for e in wc.elements if isinstance(e, RscTemplate)}
    for element in sorted(chosen, key=effective_id):
        errors, warnings = agent_problems(session, element, facts, default_timeout, templates)
        for text in (_meta_warnings(element) + reference_warnings(element, refs)
                     + _property_warnings(element) + warnings):
            session.warning(text)
        for text in errors:
            session.err.write(f"ERROR: {session._at()}{text}\n")
        failed = failed or bool(errors)
    return not (failed and session.options.get("check-mode", "strict") != "relaxed")
