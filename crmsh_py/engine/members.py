"""Adding and removing nodes of the bundled cluster, atomically.

A membership change touches two files, ``cluster.yaml`` (the nodes) and ``cib.xml`` (their
``<node>`` entries and ``node_state``).  Two renames cannot be one, so the change is a recoverable
two-phase record, all under the cluster's lock:

1. ``membership.pending`` (JSON: ``add``/``remove``, the node's name, id and uuid) is written;
2. ``cluster.yaml`` is rewritten;
3. the CIB is rewritten (the mutation settles the cluster: resources may move);
4. the record is removed.

A failure in 2 or 3 (a full disk) rolls the change back: the old ``cluster.yaml`` is put back and
the record removed.  A kill anywhere leaves the record, and whoever comes next rolls the change
*forward* (the user asked for it): ``crm cluster repair``, or the next ``add``/``remove``.
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from crmsh_py.engine import cibfile
from crmsh_py.engine.definition import ClusterDefinition, NodeDef, dump_definition
from crmsh_py.engine.store import read_definition
from crmsh_py.errors import CommandError

if TYPE_CHECKING:
    from crmsh_py import xmltree as ET

PENDING = "membership.pending"
CLUSTER_YAML = "cluster.yaml"


class _Snapshot(Protocol):
    root: ET.Element


class MemberCluster(Protocol):
    """What a membership change needs of a bundled cluster (``engine.store.BundledCluster``)."""

    definition: ClusterDefinition

    @property
    def directory(self) -> Path: ...

    def locked(self) -> AbstractContextManager[None]: ...

    def mutate(self, tool: str, settle: bool = True) -> AbstractContextManager[_Snapshot]: ...

    def rsctmp(self, node: str) -> Path: ...


def _pending_path(directory: Path) -> Path:
    return Path(directory) / PENDING


def read_pending(directory: Path) -> dict[str, object] | None:
    """The interrupted membership change of ``directory`` (None when there is none or it is unreadable)."""
    try:
        data = json.loads(_pending_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("op") not in ("add", "remove") or not isinstance(data.get("name"), str):
        return None
    return data


def _record(directory: Path, op: str, node: NodeDef) -> None:
    cibfile.write_text_atomic(_pending_path(directory), json.dumps(
        {"op": op, "name": node.name, "id": node.id, "uuid": node.uuid}) + "\n")


def _apply_to_definition(definition: ClusterDefinition, op: str, node: NodeDef) -> ClusterDefinition:
    others = [n for n in definition.nodes if n.name != node.name]
    definition.nodes = others + [node] if op == "add" else others
    return definition


def _apply_to_cib(cluster: MemberCluster, op: str, node: NodeDef) -> None:
    from crmsh_py.engine import membership

    with cluster.mutate("crm_node") as snap:
        if op == "add":
            cibfile.add_node_entry(snap.root, node)
            if membership.state_of(membership.node_state_element(snap.root, cluster.definition, node.name)) \
                    != "online":
                membership.node_join(snap.root, cluster.definition, node.name, int(time.time()))
        else:
            cibfile.remove_node_entry(snap.root, node)
            membership.reelect(snap.root, cluster.definition)


def change(cluster: MemberCluster, op: str, name: str) -> NodeDef:
    """Add (``op="add"``) or remove node ``name``; returns its NodeDef.  CommandError (108 for a
    node already there, 105 for an unknown one) leaves everything unchanged."""
    from crmsh_py.engine.definition import next_node

    directory = cluster.directory
    complete_pending(cluster)
    yaml_path = directory / CLUSTER_YAML
    with cluster.locked():
        old_text = yaml_path.read_text(encoding="utf-8")
        definition = read_definition(yaml_path)
        known = definition.node(name)
        if op == "add" and known is not None:
            raise CommandError(f"node {name} is already in the cluster", exit_code=108)
        if op == "remove" and known is None:
            raise CommandError(f"node {name} is not in the cluster", exit_code=105)
        node = next_node(definition, name) if op == "add" else known
        assert node is not None
        _record(directory, op, node)
        try:
            cibfile.write_text_atomic(yaml_path, dump_definition(_apply_to_definition(definition, op, node)))
        except BaseException:
            _pending_path(directory).unlink(missing_ok=True)
            raise
    cluster.definition = definition
    try:
        if op == "add":
            cluster.rsctmp(name)
        _apply_to_cib(cluster, op, node)
    except Exception:
        _roll_back(cluster, yaml_path, old_text)
        raise
    _pending_path(directory).unlink(missing_ok=True)
    return node


def _roll_back(cluster: MemberCluster, yaml_path: Path, old_text: str) -> None:
    """The CIB write failed (nothing changed there): put the old node list back, drop the record."""
    with cluster.locked():
        try:
            cibfile.write_text_atomic(yaml_path, old_text)
        except OSError:
            return  # the record stays: `crm cluster repair` completes the change later
        _pending_path(cluster.directory).unlink(missing_ok=True)
    cluster.definition = read_definition(yaml_path)


def complete_pending(cluster: MemberCluster) -> str | None:
    """Roll an interrupted membership change forward; a line saying what was done, or None."""
    data = read_pending(cluster.directory)
    if data is None:
        _pending_path(cluster.directory).unlink(missing_ok=True)
        return None
    op, name = str(data["op"]), str(data["name"])
    yaml_path = cluster.directory / CLUSTER_YAML
    with cluster.locked():
        definition = read_definition(yaml_path)
        node = definition.node(name) or NodeDef(name, int(cast("int | str", data.get("id") or 0)), str(data.get("uuid") or ""))
        cibfile.write_text_atomic(yaml_path, dump_definition(_apply_to_definition(definition, op, node)))
    cluster.definition = definition
    if op == "add":
        cluster.rsctmp(name)
    _apply_to_cib(cluster, op, node)
    _pending_path(cluster.directory).unlink(missing_ok=True)
    return f"{PENDING}: the interrupted {'addition' if op == 'add' else 'removal'} of node {name} was completed"


def join_cib(cluster: MemberCluster, node: NodeDef) -> None:
    """Give a node of ``cluster.yaml`` its CIB entry (online), as a completed addition would."""
    _apply_to_cib(cluster, "add", node)
