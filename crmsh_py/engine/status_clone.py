"""Clone instances for the status view (which instance runs where, numbered as Pacemaker does).

A clone's operation history names its instances two ways: a globally-unique clone records each
instance under its own id (``child:0``, ``child:1``), an anonymous clone under the primitive's id
(sometimes with a stale ``:N``) on each node.  ``resolve_instances`` turns that history into one
view per instance, numbered as Pacemaker numbers them: unique ones by their id, anonymous ones in
the order their nodes appear in the status section.

``render.mon_text`` prints a clone as ``crm_mon``/``crm_simulate`` do: unique instances one by one;
anonymous instances that are plain (managed, not failed, wholly active on one node) folded into
``Promoted: [ ... ]`` / ``Started: [ ... ]`` / ``Unpromoted: [ ... ]`` lists, the others one by one;
then the nodes the clone may run on but does not, ``Stopped: [ ... ]``.
"""

from __future__ import annotations

from crmsh_py.cib.node_order import natural_key
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any, Callable


@record
class Instance:
    """One clone instance: its number and, per member primitive id, the node → role it runs with."""

    number: int
    running: dict[str, dict[str, str]] = field(default_factory=dict)  # member id -> node -> role
    failed: dict[str, set[str]] = field(default_factory=dict)  # member id -> nodes where it failed
    orphan: bool = False
    pending: dict[str, tuple[str, str]] = field(default_factory=dict)  # member id -> its first pending (task, node)
    # one of the clone's own children (listed even when stopped): every instance below
    # clone-max, and a unique clone's :0 when clone-max is 0 (Pacemaker creates it as an orphan)
    child: bool = True

    def nodes(self) -> list[str]:
        """Every node where any member runs."""
        out: list[str] = []
        for per_node in self.running.values():
            out.extend(n for n in per_node if n not in out)
        return out


# (member id, node) -> (role or None, failed) from one node's history of one lrm id
if TYPE_CHECKING:
    Folder = Callable[[str, str, list[Any]], tuple[Any, ...]]


def resolve_instances(members: list[str], unique: bool, clone_max: int, histories: dict[str, dict[str, list[Any]]],
                      node_order: list[str], fold: Callable[[list[Any]], tuple[Any, ...]]) -> list[Instance]:
    """Instances of a clone whose child has primitive ids ``members``.

    ``histories`` maps an lrm_resource id to node → its ops there (call order); ``fold`` turns
    those ops into ``(role or None, failed)``.
    """
    if unique:
        return _unique(members, clone_max, histories, fold, node_order)
    return _anonymous(members, clone_max, histories, node_order, fold)


def _record(inst: Instance, member: str, node: str, role: str | None, failed: bool) -> None:
    if role is not None:
        inst.running.setdefault(member, {})[node] = role
    if failed:
        inst.failed.setdefault(member, set()).add(node)


def _note_pending(inst: Instance, member: str, per_node: dict[str, list[Any]], node_order: list[str]) -> None:
    """The member's first pending operation (no probe), in Pacemaker's reading order (the
    status section's nodes, then call ids): the state and node shown for it."""
    if not any(op.op_status == -1 for ops in per_node.values() for op in ops):
        return  # the usual case: nothing pending
    for node in sorted(per_node, key=lambda n: node_order.index(n) if n in node_order else len(node_order)):
        for op in per_node[node]:
            if op.op_status == -1 and (op.interval_ms or op.task != "monitor"):
                inst.pending[member] = (op.task, node)
                return


def _unique(members: list[str], clone_max: int, histories: dict[str, dict[str, list[Any]]],
            fold: Callable[[list[Any]], tuple[Any, ...]], node_order: list[str]) -> list[Instance]:
    children = max(clone_max, 1)
    numbers: set[int] = set(range(children))
    for lrm_id in histories:
        base, _, suffix = lrm_id.partition(":")
        if base in members and suffix.isdigit():
            numbers.add(int(suffix))
    out = []
    for n in sorted(numbers):
        inst = Instance(n, orphan=n >= clone_max, child=n < children)
        for member in members:
            for node, ops in histories.get(f"{member}:{n}", {}).items():
                role, failed = fold(ops)
                _record(inst, member, node, role, failed)
            _note_pending(inst, member, histories.get(f"{member}:{n}", {}), node_order)
        if not inst.child and not inst.running:
            continue
        out.append(inst)
    return out


def _anonymous(members: list[str], clone_max: int, histories: dict[str, dict[str, list[Any]]], node_order: list[str],
               fold: Callable[[list[Any]], tuple[Any, ...]]) -> list[Instance]:
    # Each recorded id is its own history (Pacemaker keeps "rsc:0" and "rsc:1" on one node
    # apart): the first active one per member is the node's instance, further active ones orphans.
    per_node: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for lrm_id, by_node in histories.items():
        base = lrm_id.partition(":")[0]
        if base not in members:
            continue
        for node, ops in by_node.items():
            result = fold(sorted(ops, key=lambda o: o.call_id))
            per_node.setdefault(node, {}).setdefault(base, []).append(result)
    out: list[Instance] = []
    orphans: list[Instance] = []
    for node in node_order:
        if node not in per_node:
            continue
        inst = Instance(len(out))
        for member, results in per_node[node].items():
            active = [r for r in results if r[0] is not None]
            if active:
                _record(inst, member, node, active[0][0], active[0][1])
                for role, failed in active[1:]:
                    extra = Instance(-1, orphan=True)
                    _record(extra, member, node, role, failed)
                    orphans.append(extra)
            elif any(failed for _, failed in results):
                _record(inst, member, node, None, True)
        if inst.running or any(inst.failed.values()):
            out.append(inst)
    for inst in out[clone_max:]:
        inst.orphan = True
    while len(out) < clone_max:
        out.append(Instance(len(out)))
    for extra in orphans:
        extra.number = len(out)
        out.append(extra)
    return out


def sort_nodes(names: list[str]) -> list[str]:
    """Node names in Pacemaker's display order."""
    return sorted(names, key=natural_key)
