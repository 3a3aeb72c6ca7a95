"""What the engine needs to run one operation of a configured resource: its agent, parameters,
meta attributes and timeout, resolved from the configuration; and the call of the executor.

Resolution (Pacemaker's precedence, first set of a kind wins within one element):
- parameters: the primitive's ``params`` over its template's, over its group's and clone's;
- meta: ``rsc_defaults`` < clone < group < template < primitive;
- timeout of ``task``/``interval``: the matching ``op`` (primitive, then template), else
  ``op_defaults timeout``, else 20s.
A clone instance id ``rsc:N`` resolves to the primitive ``rsc`` (anonymous clones record their
history under the primitive id; the instance number goes to the agent as ``OCF_RESOURCE_INSTANCE``).
"""

from __future__ import annotations

from crmsh_py.cib.durations import duration_ms as duration_ms  # re-exported: its users import it from here
from crmsh_py.cib.model import Agent, ClusterSet, Clone, Configuration, Group, Op, Primitive
from crmsh_py.engine.scheduler.resources import nvpairs
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from crmsh_py.engine.executor import OpResult
    from crmsh_py.engine.store import Cluster

DEFAULT_TIMEOUT_MS = 20_000


@record
class ResourceSpec:
    """A primitive ready to run: agent, params, meta, ops, and the id its history is kept under."""

    prim_id: str
    agent: Agent
    params: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    ops: list[Op] = field(default_factory=list)
    history_id: str = ""
    unique_clone: bool = False


def resolve(cfg: Configuration, rsc_id: str) -> ResourceSpec | None:
    """The runnable spec of primitive (instance) ``rsc_id``, or None when it is not configured."""
    base = rsc_id.split(":", 1)[0]
    prim = cfg.find(base)
    if type(prim) is not Primitive:
        return None
    template = cfg.find(prim.template or "") if prim.template else None
    agent = prim.agent or getattr(template, "agent", None)
    if agent is None:
        return None
    t_sets = list(getattr(template, "attr_sets", []) or [])
    params = {**nvpairs(t_sets, "params"), **nvpairs(prim.attr_sets, "params")}
    meta: dict[str, str] = {}
    for cs in cfg.elements:
        if isinstance(cs, ClusterSet) and cs.kind == "rsc_defaults":
            meta.update({p.name: p.value for p in cs.nvpairs if p.value is not None})
    unique = False
    inherited: dict[str, str] = {}
    for parent in _parents(cfg, base):
        if isinstance(parent, Clone):
            clone_meta = nvpairs(parent.attr_sets, "meta")
            unique = clone_meta.get("globally-unique", "false").lower() in ("true", "yes", "on", "1")
        meta.update(nvpairs(parent.attr_sets, "meta"))
        # A group's or clone's instance attributes reach its primitives too (Pacemaker does so).
        inherited.update(nvpairs(parent.attr_sets, "params"))
    params = {**inherited, **params}
    meta.update(nvpairs(t_sets, "meta"))
    meta.update(nvpairs(prim.attr_sets, "meta"))
    own = {(o.name, duration_ms(o.interval)) for o in prim.ops}
    ops = [o for o in getattr(template, "ops", []) or [] if (o.name, duration_ms(o.interval)) not in own]
    ops += prim.ops
    history_id = rsc_id if unique else base
    return ResourceSpec(base, agent, params, meta, ops, history_id, unique)


def _parents(cfg: Configuration, rsc_id: str) -> list[Group | Clone]:
    """Outermost first: the clone (if any) then the group (if any) containing ``rsc_id``."""
    chain: list[Group | Clone] = []
    current = rsc_id
    for _ in range(3):
        parent = next((e for e in cfg.elements
                       if (isinstance(e, Group) and current in e.children)
                       or (isinstance(e, Clone) and e.child == current)), None)
        if parent is None:
            break
        chain.insert(0, parent)
        current = parent.id
    return chain


def op_timeout_ms(cfg: Configuration, spec: ResourceSpec, task: str, interval_ms: int) -> int:
    """The timeout of ``task`` at ``interval_ms`` (probes use the monitor op's timeout)."""
    candidates = [o for o in spec.ops if o.name == task and duration_ms(o.interval) == interval_ms]
    if not candidates and task == "monitor":
        candidates = [o for o in spec.ops if o.name == "monitor"]
    for op in candidates:
        for attr in op.attributes:
            if attr.name == "timeout" and attr.value:
                return duration_ms(attr.value, DEFAULT_TIMEOUT_MS)
    for cs in cfg.elements:
        if isinstance(cs, ClusterSet) and cs.kind == "op_defaults":
            for pair in cs.nvpairs:
                if pair.name == "timeout" and pair.value:
                    return duration_ms(pair.value, DEFAULT_TIMEOUT_MS)
    return DEFAULT_TIMEOUT_MS


def op_params(spec: ResourceSpec, task: str, interval_ms: int) -> dict[str, str]:
    """The parameters of the op being run (``op_params``, e.g. ``trace_ra=1`` from ``crm resource
    trace``): as Pacemaker does, they are passed to the agent with the resource's own."""
    out: dict[str, str] = {}
    for op in spec.ops:
        if op.name == task and duration_ms(op.interval) == interval_ms:
            for attr_set in op.attr_sets:
                if attr_set.kind in ("params", "instance_attributes", "op_params"):
                    out.update({p.name: p.value for p in attr_set.nvpairs if p.value is not None})
    return out


def run(cluster: "Cluster", spec: ResourceSpec, rsc_id: str, node: str, task: str, interval_ms: int,
        timeout_ms: int, extra_meta: dict[str, str] | None = None) -> "OpResult":
    """Run ``task`` of ``rsc_id`` on ``node`` with the executor (the node's own ``HA_RSCTMP``);
    ``extra_meta`` adds meta attributes for this run (a migration's source and target)."""
    from crmsh_py.engine.executor import OpRequest, run_op

    rsctmp = cluster.agent_state_dir(node)  # type: ignore[attr-defined]
    params = dict(spec.params)
    params.update(op_params(spec, task, interval_ms))
    request = OpRequest(agent=spec.agent, action=task, rsc_id=rsc_id, params=params,
                        meta={**spec.meta, **(extra_meta or {})}, node=node, rsctmp=rsctmp, timeout_s=timeout_ms / 1000.0,
                        interval_ms=interval_ms, search_env=cluster.env)
    return run_op(request)
