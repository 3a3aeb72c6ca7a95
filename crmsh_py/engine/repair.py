"""``crm cluster repair``: bring a bundled cluster directory with a broken file back to a usable state.

What can break (the store's writes are atomic, so it is a hand edit, a full disk, a copy gone
wrong): ``cib.xml`` (not XML, empty, missing, wrong counters) and ``cluster.yaml``.  The repair:

1. ``cluster.yaml`` unreadable → rebuilt from the node entries of the CIB (``cib.xml``, else
   ``cib.xml.last-good``); the broken file is kept as ``cluster.yaml.broken``.
2. ``cib.xml`` unreadable → restored from ``cib.xml.last-good`` (the version the store replaced
   last, kept at every write) when that one parses; otherwise a new CIB with the nodes of
   ``cluster.yaml`` and an empty configuration.  The broken file is kept as ``cib.xml.broken``.
3. Stray temp files of crashed writers are removed.

Every step is reported as a line of text; nothing is changed when both files are fine.
"""

from __future__ import annotations

import os
import re
import time
from crmsh_py import xmltree as ET
from pathlib import Path

from crmsh_py.cib.versions import version_of
from crmsh_py.engine import cibfile
from crmsh_py.engine.definition import ClusterDefinition, NodeDef, dump_definition, node_uuid
from crmsh_py.errors import CibFileError, CommandError

CLUSTER_YAML = "cluster.yaml"
CIB_XML = "cib.xml"
LAST_GOOD = "cib.xml.last-good"
BROKEN_SUFFIX = ".broken"
_SAME_DIGITS = re.compile(r"^(\d)\1{7}-\1{4}-\1{4}-\1{4}-\1{12}$")
_NUMBERED = re.compile(r"^00000000-0000-0000-0000-(\d{12})$")


def _try_cib(path: Path) -> tuple[ET.Element | None, str]:
    try:
        return cibfile.read_cib(path), ""
    except CibFileError as error:
        _refuse_unreadable(error)
        return None, error.text


def _refuse_unreadable(error: CibFileError) -> None:
    """A file we may not read is not broken: repairing it would discard a good file."""
    if cibfile.is_permission_problem(error):
        raise CommandError(f"{error.path}: permission denied; nothing to repair (check the permissions "
                           "of the file and its directory, or run as their owner); nothing was changed")


def _try_definition(path: Path) -> tuple[ClusterDefinition | None, str]:
    from crmsh_py.engine.store import read_definition

    try:
        return read_definition(path), ""
    except CibFileError as error:
        _refuse_unreadable(error)
        return None, error.text


def _node_id(uuid: str, position: int, taken: set[int]) -> int:
    """The membership id a node had: the digit of ``1111...``-style uuids, else its position."""
    for pattern in (_SAME_DIGITS, _NUMBERED):
        match = pattern.match(uuid)
        if match and int(match.group(1)) not in taken:
            return int(match.group(1))
    candidate = position
    while candidate in taken:
        candidate += 1
    return candidate


def definition_from_nodes(root: ET.Element, name: str = "crmsh_py") -> ClusterDefinition:
    """A cluster definition whose nodes are the CIB's ``<node>`` entries (CommandError if none)."""
    nodes: list[NodeDef] = []
    taken: set[int] = set()
    for position, entry in enumerate(cibfile.section(root, "nodes").findall("node"), start=1):
        uname = entry.get("uname") or entry.get("id")
        if not uname:
            continue
        uuid = entry.get("id") or node_uuid(position)
        node_id = _node_id(uuid, position, taken)
        taken.add(node_id)
        nodes.append(NodeDef(uname, node_id, uuid))
    if not nodes:
        raise CommandError("cannot rebuild cluster.yaml: the CIB names no nodes; move the directory "
                           "away and create a new cluster with 'crm cluster init'")
    stack = "corosync"
    version = ""
    for nv in cibfile.section(root, "crm_config").iter("nvpair"):
        if nv.get("name") == "cluster-infrastructure" and nv.get("value"):
            stack = nv.get("value", stack)
        elif nv.get("name") == "dc-version" and nv.get("value"):
            version = nv.get("value", "")
        elif nv.get("name") == "cluster-name" and nv.get("value"):
            name = nv.get("value", name)
    definition = ClusterDefinition(name=name, nodes=nodes, stack=stack)
    if version:
        definition.version = version
    return definition


def _keep_broken(path: Path) -> str:
    """Move a broken file aside (``NAME.broken``, an older one replaced); returns the new name."""
    target = path.with_name(path.name + BROKEN_SUFFIX)
    os.replace(path, target)
    return target.name


def _fresh_cib(definition: ClusterDefinition) -> ET.Element:
    from crmsh_py.engine import membership

    root = cibfile.new_cluster_cib(definition)
    membership.start_all(root, definition, int(time.time()))
    return root


def repair(directory: str | os.PathLike[str]) -> list[str]:
    """Repair the bundled cluster in ``directory``; returns what was done, one line per step.

    Raises CommandError when there is no cluster there or nothing to rebuild from.
    """
    from crmsh_py.engine.state_dir import dir_lock

    directory = Path(directory)
    if not directory.is_dir():
        raise CommandError(f"{directory}: no cluster directory here (create one with 'crm cluster init')")
    done: list[str] = []
    with dir_lock(directory):
        cib_path, yaml_path, last_good = directory / CIB_XML, directory / CLUSTER_YAML, directory / LAST_GOOD
        root, cib_problem = _try_cib(cib_path) if cib_path.exists() else (None, "missing")
        backup, _ = _try_cib(last_good) if last_good.exists() else (None, "")
        definition, yaml_problem = _try_definition(yaml_path)
        if definition is None:
            source = root if root is not None else backup
            if source is None:
                raise CommandError(f"{yaml_path}: {yaml_problem}, and no readable CIB names the nodes: "
                                   "move the directory away and run 'crm cluster init'")
            definition = definition_from_nodes(source)
            kept = f" (the broken file is kept as {_keep_broken(yaml_path)})" if yaml_path.exists() else ""
            cibfile.write_text_atomic(yaml_path, dump_definition(definition))
            done.append(f"{yaml_path}: {yaml_problem}; rebuilt from the CIB's nodes "
                        f"({' '.join(definition.node_names)}){kept}")
        if root is None:
            kept = f" (the broken file is kept as {_keep_broken(cib_path)})" if cib_path.exists() else ""
            if backup is not None:
                cibfile.write_cib_atomic(cib_path, backup)
                epoch = ".".join(map(str, version_of(backup)))
                done.append(f"{cib_path}: {cib_problem}; restored the previous version from {LAST_GOOD} "
                            f"(epoch {epoch}; the change written last is lost){kept}")
            else:
                cibfile.write_cib_atomic(cib_path, _fresh_cib(definition))
                done.append(f"{cib_path}: {cib_problem}; no good backup, so a new CIB was created with the "
                            f"nodes {' '.join(definition.node_names)} and an empty configuration{kept}")
        cibfile.remove_stray_temp_files(cib_path)
        cibfile.remove_stray_temp_files(yaml_path)
        for node in definition.nodes:
            (directory / "nodes" / node.name / "rsctmp").mkdir(parents=True, exist_ok=True)
    done += _membership(directory)
    if not done:
        done.append(f"nothing to repair: {CLUSTER_YAML} and {CIB_XML} in {directory} are fine")
    return done


def _membership(directory: Path) -> list[str]:
    """Finish an interrupted ``crm cluster add``/``remove`` (see :mod:`crmsh_py.engine.members`);
    a node of ``cluster.yaml`` without a CIB entry (left by an older version) joins the CIB."""
    from crmsh_py.engine import members
    from crmsh_py.engine.controller import bundled_cluster

    cluster = bundled_cluster(directory, dict(os.environ))
    done = []
    line = members.complete_pending(cluster)
    if line:
        done.append(line)
    known = {n.get("uname") for n in cibfile.section(cibfile.read_cib(directory / CIB_XML), "nodes").findall("node")}
    for node in cluster.definition.nodes:
        if node.name not in known:
            members.join_cib(cluster, node)
            done.append(f"{CLUSTER_YAML}: node {node.name} had no entry in the CIB; it was added")
    return done
