"""A resource whose agent changed (class, provider or type differs from its recorded history).

Pacemaker 2.1.5 compares each history entry (``lrm_resource``) with the resource's definition.
Where the agent differs and the resource is active, it is restarted there (no reason is given in
the summary: the stop is simply required); a fence device whose agent changed also has that node
unfenced again, active there or not ('Device definition changed').
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.resources import ResourceTree
from crmsh_py.engine.scheduler.state import STOPPED, LeafState
from crmsh_py.engine.status import ClusterStatus
from crmsh_py.records import field, record


@record
class AgentChanges:
    """Leaves to restart, and (node, leaf) pairs whose history names another agent."""

    restart: set[str] = field(default_factory=set)
    changed_on: list[tuple[str, str]] = field(default_factory=list)


def agent_changes(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus) -> AgentChanges:
    """Compare every history entry of a configured resource with its agent."""
    out = AgentChanges()
    for leaf in tree.leaves:
        agent = leaf.prim.agent
        if agent is None:
            continue  # from a template: the template's agent is what ran
        for node, state in states[leaf.id].on.items():
            node_status = status.nodes.get(node)
            if node_status is None:
                continue
            history = (node_status.resources.get(state.history_id) if state.history_id else None) \
                or node_status.resources.get(leaf.id)
            if history is None or not history.ra_class:
                continue
            if ((history.ra_class, history.ra_type, history.provider or None)
                    == (agent.ra_class, agent.ra_type, agent.provider or None)):
                continue
            out.changed_on.append((node, leaf.id))
            if state.role != STOPPED and node_status.online and not node_status.unclean:
                out.restart.add(leaf.id)
    return out
