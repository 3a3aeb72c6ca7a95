"""A resource's ``requires`` (what its start needs: nothing, quorum, fencing or unfencing).

Pacemaker 2.1's default: ``quorum`` for fence devices and remote connections; ``unfencing`` when
some resource provides unfencing; ``fencing`` with stonith enabled; ``nothing`` when fencing is
off and ``no-quorum-policy=ignore``; else ``quorum``.  An invalid value falls back to the default.

It shows in a summary: the start of a resource that requires nothing is re-checked once it has a
node, and that clears the reason it was given before, so its restart "due to resource
definition change" is printed without a reason.
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.resources import Leaf

VALUES = frozenset(("nothing", "quorum", "fencing", "unfencing"))


def _is_remote_connection(leaf: Leaf) -> bool:
    agent = leaf.prim.agent
    return agent is not None and (agent.ra_class, agent.provider, agent.ra_type) == ("ocf", "pacemaker", "remote")


def requires(leaf: Leaf, stonith: bool, quorum_policy: str, unfencing: bool) -> str:
    """The effective ``requires`` of ``leaf``'s start."""
    value = leaf.meta.get("requires", "").lower()
    if value == "unfencing" and (leaf.is_stonith or not stonith):
        return "quorum"  # Pacemaker resets it: devices cannot need unfencing, nor can anything without fencing
    if value in VALUES:
        return value
    if leaf.is_stonith or _is_remote_connection(leaf):
        return "quorum"
    if unfencing:
        return "unfencing" if stonith else "quorum"
    if stonith:
        return "fencing"
    return "nothing" if quorum_policy == "ignore" else "quorum"
