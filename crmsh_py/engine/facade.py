"""The engine as the low-level tools see it: the one engine module ``crmsh_py.lowlevel`` imports.

A tool opens a cluster (:func:`open_cluster`: it settles when changed), reads a snapshot, and asks
for what it needs by name here, never by reaching into the engine's modules: the engine can then
be rearranged without touching the tools (``tests/test_layers.py`` holds them to it).

Names of cheap modules (the store, the controller, membership, the CIB file helpers, the status
model) are re-exported, each module loaded when one of its names is first asked for (``crm_simulate
-x`` never opens a cluster, so it loads no store).  What would cost a one-shot start-up (the
scheduler, the status writer, fencing, the executor, the daemon) is reached through functions that
import it when called, so a tool that only reads loads none of it.
"""

from __future__ import annotations

import sys
from crmsh_py import xmltree as ET

# The re-exported names load their module on first use (PEP 562): crm_simulate on a CIB file needs
# the status model and the scheduler, not the store, the controller or the CIB file writer.
# Type checkers take this branch (they treat any ``TYPE_CHECKING`` as true) and see the names.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from crmsh_py.cib.model import Configuration
    from crmsh_py.engine.cibfile import add_node_entry as add_node_entry
    from crmsh_py.engine.controller import add_node as add_node
    from crmsh_py.engine.controller import init_cluster as init_cluster
    from crmsh_py.engine.controller import open_cluster as open_cluster
    from crmsh_py.engine.controller import remove_node as remove_node
    from crmsh_py.engine.definition import ClusterDefinition as ClusterDefinition
    from crmsh_py.engine.definition import definition_from_cib as definition_from_cib
    from crmsh_py.engine.executor import OpResult
    from crmsh_py.engine.inject import OpInjection
    from crmsh_py.engine.membership import dc_name as dc_name
    from crmsh_py.engine.membership import node_state_element as node_state_element
    from crmsh_py.engine.membership import set_state as set_state
    from crmsh_py.engine.resources import ResourceSpec
    from crmsh_py.engine.scheduler.transition import Transition as Transition
    from crmsh_py.engine.status import OP_STATUS_TEXT as OP_STATUS_TEXT
    from crmsh_py.engine.status import ClusterStatus
    from crmsh_py.engine.status import OpRecord as OpRecord
    from crmsh_py.engine.status import ResourceHistory as ResourceHistory
    from crmsh_py.engine.status_view_records import ClusterView
    from crmsh_py.engine.status_xml import CallIds as CallIds
    from crmsh_py.engine.store import HA_LOG as HA_LOG
    from crmsh_py.engine.store import BundledCluster as BundledCluster
    from crmsh_py.engine.store import CibSnapshot as CibSnapshot
    from crmsh_py.engine.store import Cluster as Cluster
    from crmsh_py.engine.cluster_open import ensure_cluster as ensure_cluster
else:
    # re-exported name -> the engine module that defines it
    _REEXPORTS = {
        "add_node_entry": "cibfile", "definition_from_cib": "definition",
        "add_node": "controller", "init_cluster": "controller", "open_cluster": "controller",
        "remove_node": "controller", "ClusterDefinition": "definition",
        "dc_name": "membership", "node_state_element": "membership", "set_state": "membership",
        "OP_STATUS_TEXT": "status", "OpRecord": "status", "ResourceHistory": "status",
        "HA_LOG": "store", "BundledCluster": "store", "CibSnapshot": "store", "Cluster": "store",
        "ensure_cluster": "cluster_open", "CallIds": "status_xml",
    }

    def __getattr__(name: str) -> object:
        """A re-exported name, imported from its module when first asked for."""
        module = _REEXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        qualified = f"crmsh_py.engine.{module}"
        __import__(qualified)
        value = getattr(sys.modules[qualified], name)
        globals()[name] = value  # as an import would have bound it: asked once
        return value


# -- the status section (engine.status_xml) ----------------------------------------------------
def status_from_cib(root: ET.Element, definition: ClusterDefinition, now: int | None = None) -> "ClusterStatus":
    """The status section read as the scheduler reads it (:mod:`crmsh_py.engine.status_xml`)."""
    from crmsh_py.engine import status_xml

    return status_xml.status_from_cib(root, definition, now)


def record_op(root: ET.Element, definition: ClusterDefinition, node: str, history: ResourceHistory,
              op: OpRecord, transition: int = 0, action: int = 0, exit_reason: str = "",
              digest: str | None = None, simulated: bool = False, call_ids: CallIds | None = None) -> None:
    """Record a finished operation in ``node``'s history (``simulated``: crm_simulate's uuid;
    ``call_ids``: the counter its call id came from)."""
    from crmsh_py.engine import status_xml

    uuid = status_xml.SIMULATION_UUID if simulated else status_xml.TRANSITION_UUID
    status_xml.record_op(root, definition, node, history, op, transition=transition, action=action,
                         exit_reason=exit_reason, digest=digest, uuid=uuid, call_ids=call_ids)


def call_ids(root: ET.Element) -> CallIds:
    """The counter of operation call ids of the cluster in ``root``."""
    from crmsh_py.engine import status_xml

    return status_xml.CallIds(root)


def remove_recurring(root: ET.Element, definition: ClusterDefinition, node: str, rsc_id: str,
                     task: str | None = None, interval_ms: int | None = None) -> None:
    """Forget armed recurring operations of ``rsc_id`` on ``node``."""
    from crmsh_py.engine import status_xml

    status_xml.remove_recurring(root, definition, node, rsc_id, task, interval_ms)


def clear_resource_history(root: ET.Element, definition: ClusterDefinition, rsc_id: str,
                           node: str | None = None, keep_attributes: bool = False) -> int:
    """Remove ``rsc_id``'s history (on ``node`` or everywhere) and its fail counts; how many."""
    from crmsh_py.engine import status_xml

    return status_xml.clear_resource_history(root, definition, rsc_id, node, keep_attributes)


def clear_node_history(root: ET.Element, definition: ClusterDefinition, node: str) -> None:
    """Forget everything ``node`` ran and its transient attributes."""
    from crmsh_py.engine import status_xml

    status_xml.clear_node_history(root, definition, node)


def transient_attributes(state: ET.Element) -> dict[str, str]:
    """The transient attributes of one ``node_state`` element."""
    from crmsh_py.engine import status_xml

    return status_xml.transient_attributes(state)


def get_transient_attribute(root: ET.Element, node: str, name: str) -> str | None:
    """Transient attribute ``name`` of ``node`` (None when not set)."""
    from crmsh_py.engine import status_xml

    return status_xml.get_transient_attribute(root, node, name)


def set_transient_attribute(root: ET.Element, definition: ClusterDefinition, node: str, name: str,
                            value: str | None) -> None:
    """Set (``None``: delete) transient attribute ``name`` of ``node``."""
    from crmsh_py.engine import status_xml

    status_xml.set_transient_attribute(root, definition, node, name, value)


def status_view(root: ET.Element) -> "ClusterView":
    """Where every resource runs, in which role, what failed: the resolved status view of ``root``
    (:mod:`crmsh_py.engine.status_view`, the one the displays print)."""
    from crmsh_py.engine.status_view import build_view

    return build_view(root)


def running_nodes(root: ET.Element, rsc_id: str) -> list[str] | None:
    """The nodes where ``rsc_id`` is active when its history is plain enough to read directly
    (:mod:`crmsh_py.engine.running`); None: ask :func:`status_view`."""
    from crmsh_py.engine.running import running_nodes as read

    return read(root, rsc_id)


# -- planning (engine.scheduler) ---------------------------------------------------------------
def plan(cfg: "Configuration", status: "ClusterStatus") -> "Transition":
    """The scheduler's transition for this configuration and status."""
    from crmsh_py.engine import scheduler

    return scheduler.plan(cfg, status)


def recorded_task(task: str) -> str:
    """The task a finished op is recorded as (a reload counts as a start)."""
    from crmsh_py.engine.status import recorded_task as recorded

    return recorded(task)


def op_digest(params: Mapping[str, str], interval_ms: int, timeout: str) -> str:
    """The ``op-digest`` of an op run with ``params``; a recurring op's ``timeout`` text counts."""
    from crmsh_py.cib.durations import duration_ms
    from crmsh_py.engine import digest
    from crmsh_py.engine.resources import DEFAULT_TIMEOUT_MS

    return digest.op_digest(params, interval_ms, duration_ms(timeout, DEFAULT_TIMEOUT_MS) if interval_ms else 0)


# -- resources and fencing (engine.resources, engine.fencing) -----------------------------------
def resource_spec(cfg: "Configuration", rsc_id: str) -> "ResourceSpec | None":
    """The runnable spec of primitive (instance) ``rsc_id`` (None: not configured)."""
    from crmsh_py.engine import resources

    return resources.resolve(cfg, rsc_id)


def run_resource_op(cluster: Cluster, cfg: "Configuration", spec: "ResourceSpec", rsc_id: str, node: str,
                    task: str) -> "OpResult":
    """Run ``task`` of ``rsc_id`` on ``node`` now, with its configured timeout (``--force-*``)."""
    from crmsh_py.engine import resources

    timeout_ms = resources.op_timeout_ms(cfg, spec, task, 0)
    return resources.run(cluster, spec, rsc_id, node, task, 0, timeout_ms)


def stonith_devices(cfg: "Configuration") -> list[str]:
    """Ids of the configured stonith primitives, in configuration order."""
    from crmsh_py.engine import fencing

    return fencing.stonith_devices(cfg)


def fence(cluster: Cluster, target: str, action: str, tool: str) -> bool:
    """Fence ``target`` now (under the lock), then settle; True when it succeeded."""
    from crmsh_py.engine import fencing

    return fencing.fence_manually(cluster, target, action, tool)


def record_fencing(cluster: Cluster, entry: dict[str, Any]) -> None:
    """Add ``entry`` to the fencing history (``stonith_admin --confirm``)."""
    from crmsh_py.engine import fencing

    fencing.append_history(cluster, entry)


def fencing_history(cluster: Cluster) -> list[dict[str, Any]]:
    """Every fencing attempt, oldest first."""
    from crmsh_py.engine import fencing

    return fencing.read_history(cluster)


# -- the engine daemon and injected events (engine.daemon_control, engine.inject) ---------------
def daemon_pid(directory: Path) -> int | None:
    """The pid of the engine daemon serving ``directory`` (None: not running)."""
    from crmsh_py.engine import daemon_control

    return daemon_control.running_pid(directory)


def clean_stale_daemon(directory: Path) -> int | None:
    """Remove the pid file of a daemon that no longer runs; that pid (or None)."""
    from crmsh_py.engine import daemon_control

    return daemon_control.clean_stale(directory)


def start_daemon(directory: Path, env: Mapping[str, str], log_path: Path) -> int:
    """Start the engine daemon for ``directory`` in the background; its pid."""
    from crmsh_py.engine import daemon_control

    return daemon_control.spawn(directory, env, log_path)


def stop_daemon(directory: Path) -> int | None:
    """Stop the engine daemon of ``directory`` and wait for it; its pid (None: none ran)."""
    from crmsh_py.engine import daemon_control

    return daemon_control.stop(directory)


def run_daemon(directory: Path, env: Mapping[str, str]) -> int:
    """The engine daemon itself: serve ``directory`` until SIGTERM."""
    from crmsh_py.engine.daemon import run_daemon as serve

    return serve(directory, env)


def nodes_up(cluster: BundledCluster, nodes: list[str], tool: str) -> list[str]:
    """Bring ``nodes`` online and settle; the nodes that joined."""
    from crmsh_py.engine import inject

    return inject.node_up(cluster, nodes, tool)


def nodes_leave(cluster: BundledCluster, nodes: list[str], tool: str) -> list[str]:
    """Shut ``nodes`` down cleanly (resources first); the nodes that left."""
    from crmsh_py.engine import inject

    return inject.nodes_leave(cluster, nodes, tool)


def node_fail(cluster: BundledCluster, node: str, tool: str) -> list[str]:
    """Lose ``node`` uncleanly and let the cluster react; why recovery is blocked, if it is."""
    from crmsh_py.engine import inject

    return inject.node_fail(cluster, node, tool)


def parse_op_injection(text: str) -> "OpInjection":
    """Parse ``RSC_TASK_INTERVALMS@NODE=RC`` (CommandError when malformed)."""
    from crmsh_py.engine import inject

    return inject.parse_op_spec(text)


def inject_op(cluster: BundledCluster, text: str, tool: str) -> "OpInjection":
    """Record ``RSC_TASK_INTERVALMS@NODE=RC`` as if the agent had returned RC, then settle."""
    from crmsh_py.engine import inject

    return inject.inject_op(cluster, text, tool)


def repair(directory: Path) -> list[str]:
    """Restore a broken ``cib.xml``/``cluster.yaml`` in ``directory``; one line per step."""
    from crmsh_py.engine.repair import repair as mend

    return mend(directory)
