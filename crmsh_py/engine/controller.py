"""The cluster controller: opens clusters that settle, and changes membership.

The store (:mod:`crmsh_py.engine.store`) reads, locks, detects changes and writes; it does not know
how a cluster runs.  Settling (scheduler, agents, fencing: :mod:`crmsh_py.engine.settle`) is given
to it as its *settler* when a cluster is opened here.  The lock semantics are the store's and do not
change: a mutation locks, lets its caller edit, bumps the version, calls the settler, writes once and
unlocks, so a settle always runs under the same lock as the change that caused it.

Open a cluster here whenever it may change (``mutate``/``settle``); a cluster opened through the
store alone reads (and refuses to settle).
"""

from __future__ import annotations

import os

from crmsh_py.engine import cluster_open, store
from crmsh_py.engine.definition import NodeDef
from crmsh_py.engine.store import BundledCluster, CibSnapshot, Cluster

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import TextIO

    from crmsh_py.cluster_yaml import KnownFiles
    from crmsh_py.engine.store import SettleOutcome


def settle(cluster: Cluster, snap: CibSnapshot, tool: str) -> SettleOutcome:
    """The controller's settler, given to every cluster opened here: run the cluster to a stable
    state (:func:`crmsh_py.engine.settle.settle_snapshot`; imported when a cluster first settles,
    so that a tool that only reads does not load the scheduler)."""
    from crmsh_py.engine.settle import settle_snapshot

    return settle_snapshot(cluster, snap, tool)


SETTLER: store.Settler = settle


def open_cluster(env: Mapping[str, str], cluster_dir: str | os.PathLike[str] | None = None,
                 create: bool = True, notice: TextIO | None = None, known: KnownFiles | None = None) -> Cluster:
    """:func:`crmsh_py.engine.cluster_open.open_cluster`, with a cluster that settles when it changes."""
    return cluster_open.open_cluster(env, cluster_dir, create, notice, settler=SETTLER, known=known)


def bundled_cluster(directory: Path, env: Mapping[str, str]) -> BundledCluster:
    """The bundled cluster in ``directory`` (it must exist), settling when it changes."""
    return BundledCluster(directory, env, SETTLER)


def init_cluster(directory: str | os.PathLike[str], name: str = "crmsh_py",
                 nodes: list[str] | tuple[str, ...] = ("srv01", "srv02"), stack: str = "corosync",
                 version: str | None = None, exist_ok: bool = False) -> BundledCluster:
    """Create a cluster (:func:`crmsh_py.engine.cluster_open.init_cluster`); the cluster returned settles."""
    return cluster_open.init_cluster(directory, name, nodes, stack, version, exist_ok, settler=SETTLER)


def add_node(cluster: BundledCluster, name: str) -> NodeDef:
    """Add a node to the definition and the CIB; it joins (online) at once.  Returns its NodeDef.
    Atomic: see :mod:`crmsh_py.engine.members`."""
    from crmsh_py.engine import members

    node = members.change(cluster, "add", name)
    cluster.log("pacemaker-controld", f"Node {name} (id {node.id}) added to the cluster")
    return node


def remove_node(cluster: BundledCluster, name: str) -> None:
    """Remove a node from the definition, the configuration and the status (``crm_node -R``)."""
    from crmsh_py.engine import members

    members.change(cluster, "remove", name)
    cluster.log("pacemaker-controld", f"Node {name} removed from the cluster")


__all__ = ["SETTLER", "settle", "add_node", "bundled_cluster", "init_cluster", "open_cluster", "remove_node"]
