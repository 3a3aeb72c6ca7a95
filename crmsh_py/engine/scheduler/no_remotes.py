"""The remote-node stages of a plan for a cluster that has nothing they act on.

``remote`` and ``remote_state`` (with ``bundles``, ``bundle_params`` and ``container_failures``
behind them) handle Pacemaker Remote nodes, guest nodes, bundles and ``container`` resources.
Most clusters have none: every one of their stages then does nothing, yet importing them costs
each one-shot that settles (``crm resource move``) about a millisecond.  :func:`stages` hands
``plan`` the real modules when the configuration or the status has any of those features, and
this module otherwise: its functions are what the real ones do when there is nothing to act on
(no remote or guest node, no bundle, no filler), so the plan is the same either way.  The
scheduler suite runs through both (its remote and bundle cases through the real modules).
"""

from __future__ import annotations

import sys

from crmsh_py.cib.model import Bundle, Configuration, Primitive
from crmsh_py.engine.scheduler.resources import ResourceTree, nvpairs
from crmsh_py.engine.status import ClusterStatus

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

REMOTE_AGENT = ("ocf", "pacemaker", "remote")  # as remote.REMOTE_AGENT
# meta attributes that make a primitive a guest node's container or a filler of a container
_REMOTE_META = ("remote-node", "container")


def _remote_agent(prim: Primitive) -> bool:
    agent = prim.agent
    return agent is not None and (agent.ra_class, agent.provider, agent.ra_type) == REMOTE_AGENT


def _none_configured(cfg: Configuration) -> bool:
    """No bundle, no remote connection and no primitive naming a guest node in its own meta
    attributes: what ``remote.node_names`` counts."""
    for element in cfg.elements:
        if isinstance(element, Bundle):
            return False
        if isinstance(element, Primitive) and (_remote_agent(element) or
                                               "remote-node" in nvpairs(element.attr_sets, "meta")):
            return False
    return True


def node_names(cfg: Configuration) -> list[str]:
    """``remote.node_names``: none when nothing in the configuration defines a remote node."""
    if _none_configured(cfg):
        return []
    from crmsh_py.engine.scheduler import remote

    return remote.node_names(cfg)


def add_bundle(*args: Any, **kwargs: Any) -> Any:
    """``bundles.add_bundle`` (``build_tree`` calls it for a bundle only), imported when called."""
    from crmsh_py.engine.scheduler.bundles import add_bundle as expand

    return expand(*args, **kwargs)


def _nothing_to_act_on(tree: ResourceTree, status: ClusterStatus) -> bool:
    """No bundle, no leaf that is a remote connection, a guest's container or a filler, and no
    remote connection in any node's history (an orphaned one keeps its node)."""
    if tree.bundles:
        return False
    for leaf in tree.leaves:
        if _remote_agent(leaf.prim) or any(name in leaf.meta for name in _REMOTE_META):
            return False
    return not any((history.ra_class, history.provider, history.ra_type) == REMOTE_AGENT
                   for node in status.nodes.values() for history in node.resources.values())


def stages(tree: ResourceTree, status: ClusterStatus) -> tuple[ModuleType, ModuleType]:
    """``(remote, remote_state)`` for ``plan``: the real modules, or this one when they would have
    nothing to act on."""
    if _nothing_to_act_on(tree, status):
        this = sys.modules[__name__]
        return this, this
    from crmsh_py.engine.scheduler import remote, remote_state

    return remote, remote_state


class NoRemotes:
    """``remote.Remotes`` with no node, filler, fencing request or guest reset."""

    def __init__(self) -> None:
        self.nodes: dict[str, Any] = {}
        self.fillers: dict[str, str] = {}
        self.fence: dict[str, str] = {}
        self.guest_resets: list[tuple[str, str]] = []
        self.unclean: set[str] = set()
        self.failed_containers: set[str] = set()

    @property
    def connections(self) -> dict[str, str]:
        """Node name -> connection leaf id: none."""
        return {}


# -- remote's stages, with nothing to act on ----------------------------------------------------
def expand(cfg: Configuration, tree: ResourceTree) -> NoRemotes:
    """No remote or guest node to find, no implicit connection to add."""
    return NoRemotes()


def add_orphans(remotes: NoRemotes, tree: ResourceTree, status: ClusterStatus) -> None:
    """No orphaned connection in the history."""


# plan calls these two only when there are remote nodes: never with NoRemotes; they stand in by
# handing over to the real stage, should that ever change
def with_nodes(status: ClusterStatus, remotes: Any, recorded: list[str] | None = None) -> ClusterStatus:
    """``remote.with_nodes`` itself."""
    from crmsh_py.engine.scheduler import remote

    return remote.with_nodes(status, remotes, recorded)


def unmanaged_connection_maintenance(status: ClusterStatus, remotes: Any, tree: ResourceTree,
                                     with_state: set[str], maintenance_mode: bool, stonith: bool) -> None:
    """``remote.unmanaged_connection_maintenance`` itself."""
    from crmsh_py.engine.scheduler import remote

    remote.unmanaged_connection_maintenance(status, remotes, tree, with_state, maintenance_mode, stonith)


def mark_kinds(remotes: NoRemotes, attrs: dict[str, dict[str, str]]) -> None:
    """Every node keeps ``#kind`` ``cluster``."""


def placement_hooks(remotes: NoRemotes, tree: ResourceTree, inp: Any, status: ClusterStatus, states: Any) -> None:
    """No connection to place first, no bundle instance to pin, no container ban."""


def add_constraints(remotes: NoRemotes, tree: ResourceTree, cons: Any, nodes: list[str]) -> None:
    """No implicit constraint: no filler, and no remote node to keep anything off."""


def bundle_connections_off_remotes(remotes: NoRemotes, tree: ResourceTree, dest: dict[str, str | None],
                                   states: Any, available: set[str]) -> None:
    """No bundle connection to move."""


def implicit_ids(remotes: NoRemotes, tree: ResourceTree) -> set[str]:
    """No resource Pacemaker makes itself."""
    return set()


def container_restarts(remotes: NoRemotes, tree: ResourceTree, states: Any, dest: dict[str, str | None],
                       restart: set[str], fixed: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """No container whose restart takes anything with it."""
    return {}


def as_recovery(remotes: NoRemotes, leaf_id: str, change: Any) -> Any:
    """No reset guest's container: the change stays as it is."""
    return change


# -- remote_state's stages, with nothing to act on ----------------------------------------------
def resolve(remotes: NoRemotes, tree: ResourceTree, states: Any, status: ClusterStatus, stonith: bool) -> None:
    """No remote node whose state its connection decides (and no bundle history to assign)."""


def make_available(remotes: NoRemotes, status: ClusterStatus, fenced: set[str]) -> None:
    """No remote node to make available."""


def fenceable_resets(remotes: NoRemotes, online: set[str], fenced: set[str]) -> list[tuple[str, str]]:
    """No guest to reset."""
    return []


def held_by_unfenceable_guests(remotes: NoRemotes, tree: ResourceTree, states: Any,
                               done: list[tuple[str, str]]) -> set[str]:
    """No guest holding anything."""
    return set()


def unrecoverable(remotes: NoRemotes, tree: ResourceTree, states: Any, dest: dict[str, str | None],
                  lost: set[str]) -> list[tuple[str, str]]:
    """No remote node to fence for a lost connection."""
    return []
