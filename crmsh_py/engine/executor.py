"""The executor: run one resource agent action as a real process and report its result.

``run_op(OpRequest(...)) -> OpResult`` is what the engine calls for every start, stop, monitor,
promote, demote, migrate_to/from, reload ... of a primitive on a (simulated) node.

OCF agents run as processes with Pacemaker's environment:
``OCF_ROOT`` (our bundled root for bundled agents, ``/usr/lib/ocf`` for the system's, the parent
of a ``CRM_OCF_PATH`` directory for the user's), ``OCF_RA_VERSION_MAJOR/MINOR``,
``OCF_RESOURCE_INSTANCE`` (the resource id, ``rsc:N`` for a clone instance),
``OCF_RESOURCE_TYPE``, ``OCF_RESOURCE_PROVIDER``, ``OCF_RESKEY_<param>`` for each parameter,
``OCF_RESKEY_CRM_meta_<meta>`` for each meta attribute (dashes become underscores, as Pacemaker
does) plus ``interval`` and ``timeout`` in milliseconds and ``on_node``; ``HA_RSCTMP`` the node's
state directory (created), ``HA_VARLIB`` its parent (where ``trace_ra`` traces go),
``HA_LOGFACILITY=none``.  Variables of those families inherited from
our own environment are dropped so that a stray ``OCF_RESKEY_x`` cannot leak into an agent.

Results, as Pacemaker maps them (``services__ocf2ocf``): exit codes 0-9 and the "degraded" codes
190/191 are kept; anything else becomes 1 (OCF_ERR_GENERIC), whatever the action.  A process
killed at its timeout gives ``op_status=2`` (timed out) and ``rc=1``; one killed by a signal
otherwise gives ``op_status=4`` (error), ``rc=1``; a missing agent ``op_status=7`` (not
installed), ``rc=5``.  The whole process group dies at the timeout (see
``crmsh_py.agents.process``).

Node attributes: instead of calling attrd_updater / crm_master, bundled agents append
``name=value`` lines to the file named by ``CRM_SIM_ATTRS`` (a fresh file per action).  They come
back in ``OpResult.node_attributes`` (an empty value means "delete the attribute"), and the
promotion score ``master-<rsc>`` (clone instance suffix ``:N`` removed) also as
``OpResult.promotion_score``.  The engine records both as the node's transient attributes.

Other classes never touch the host: ``stonith`` resources are handled by
``crmsh_py.agents.stonith.device_op``; ``lsb``/``service``/``systemd`` resources are simulated
with a state file in ``HA_RSCTMP`` (running a real init script from a simulated node would
start or stop a service of the machine itself).
"""

from __future__ import annotations

import os
import time

from crmsh_py.cib.model import Agent
from crmsh_py.engine.attr_files import ATTRS_PREFIX as _ATTRS_PREFIX
from crmsh_py.engine.attr_files import alive as _alive
from crmsh_py.engine.attr_files import remove_stale_attr_files as remove_stale_attr_files
from crmsh_py.records import field, record
from crmsh_py.tempfiles import make_temp_file

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from crmsh_py.agents.process import ProcessOutcome

# Pacemaker's execution status codes (op-status in the CIB)
PCMK_EXEC_DONE = 0
PCMK_EXEC_CANCELLED = 1
PCMK_EXEC_TIMEOUT = 2
PCMK_EXEC_NOT_SUPPORTED = 3
PCMK_EXEC_ERROR = 4
PCMK_EXEC_NOT_INSTALLED = 7

OCF_ERR_GENERIC = 1
OCF_ERR_INSTALLED = 5
OCF_ERR_CONFIGURED = 6
OCF_NOT_RUNNING = 7
PCMK_OCF_DEGRADED = 190
PCMK_OCF_DEGRADED_PROMOTED = 191

DEFAULT_TIMEOUT_S = 20.0
CRM_FEATURE_SET = "3.16.2"
_SCRUBBED_PREFIXES = ("OCF_", "HA_", "CRM_meta_", "CRM_SIM_ATTRS")
_INFLIGHT_PREFIX = ".inflight-"


@record
class OpRequest:
    """One action to run: agent, action name, resource (instance) id, its parameters and meta
    attributes, the node it runs on, that node's ``HA_RSCTMP`` directory, the timeout and the
    interval (ms, 0 for one-shot actions and probes).

    ``search_env`` is the environment used to find the agent (``CRM_OCF_PATH``); None means ours.
    """

    agent: Agent
    action: str
    rsc_id: str
    params: dict[str, str]
    meta: dict[str, str]
    node: str
    rsctmp: str  # file names go through os.path here: pathlib costs an agent-running command milliseconds
    timeout_s: float
    interval_ms: int = 0
    search_env: Mapping[str, str] | None = None


@record
class OpResult:
    """What an action did: OCF ``rc``, Pacemaker ``op_status``, run time, captured output, and
    the node attributes the agent asked for (see the module docstring)."""

    rc: int
    op_status: int
    exec_ms: int
    output: str
    promotion_score: int | None = None
    node_attributes: dict[str, str] = field(default_factory=dict)


def run_process(argv: Sequence[str], env: Mapping[str, str], timeout_s: float,
                cwd: str | os.PathLike[str] | None = None,
                on_start: Callable[[int], None] | None = None) -> "ProcessOutcome":
    """``crmsh_py.agents.process.run_process``, imported when an agent is to run: subprocess,
    threading and selectors behind it are dear, and a command whose transition runs no action
    (most one-shots) never needs them."""
    from crmsh_py.agents import process

    return process.run_process(argv, env, timeout_s, cwd, on_start)

def map_ocf_rc(exit_status: int) -> int:
    """An agent's exit status as a standard OCF result (Pacemaker's mapping)."""
    if exit_status in (PCMK_OCF_DEGRADED, PCMK_OCF_DEGRADED_PROMOTED):
        return exit_status
    return exit_status if 0 <= exit_status <= 9 else OCF_ERR_GENERIC


def _meta_name(name: str) -> str:
    return name.replace("-", "_")


def agent_environment(req: OpRequest, ocf_root: str, attrs_file: str | None) -> dict[str, str]:
    """The environment an OCF agent runs with (see the module docstring)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    env.setdefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
    env.update({
        "OCF_ROOT": str(ocf_root),
        "OCF_RA_VERSION_MAJOR": "1",
        "OCF_RA_VERSION_MINOR": "1",
        "OCF_RESOURCE_INSTANCE": req.rsc_id,
        "OCF_RESOURCE_TYPE": req.agent.ra_type,
        "OCF_RESOURCE_PROVIDER": req.agent.provider or "",
        "OCF_RESKEY_crm_feature_set": CRM_FEATURE_SET,
        "HA_RSCTMP": os.fspath(req.rsctmp),
        # the node's own state dir stands for /var/lib/heartbeat: traces (trace_ra) land there
        "HA_VARLIB": os.path.dirname(os.fspath(req.rsctmp)),
        "HA_LOGFACILITY": "none",
        "HA_LOGFILE": "/dev/null",
        "HA_DEBUG": "0",
    })
    for name, value in req.params.items():
        env[f"OCF_RESKEY_{name}"] = value
    meta = {_meta_name(k): v for k, v in req.meta.items()}
    meta.update({
        "interval": str(req.interval_ms),
        "timeout": str(int(_timeout(req) * 1000)),
        "on_node": req.node,
        "name": req.action,
    })
    for name, value in meta.items():
        env[f"OCF_RESKEY_CRM_meta_{name}"] = value
    if attrs_file is not None:
        env["CRM_SIM_ATTRS"] = str(attrs_file)
    return env


def _timeout(req: OpRequest) -> float:
    return req.timeout_s if req.timeout_s > 0 else DEFAULT_TIMEOUT_S


def _read_attrs(path: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    try:
        with open(path, errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return attrs
    for line in lines:
        name, sep, value = line.partition("=")
        if sep and name.strip():
            attrs[name.strip()] = value.strip()
    return attrs


def promotion_attribute(rsc_id: str) -> str:
    """The transient attribute holding a resource's promotion score (``master-<rsc>``)."""
    return f"master-{rsc_id.split(':', 1)[0]}"


def _promotion_score(rsc_id: str, attrs: Mapping[str, str]) -> int | None:
    names = (promotion_attribute(rsc_id), f"master-{rsc_id}")
    for name in names:
        value = attrs.get(name, "")
        try:
            return int(value)
        except ValueError:
            continue
    return None


def _unusable_names(req: OpRequest) -> list[str]:
    """Parameter/meta names that cannot become environment variables (a CIB written before names
    were checked, or by hand): see :mod:`crmsh_py.cib.attr_names`."""
    from crmsh_py.cib.attr_names import invalid_names

    return invalid_names([*req.params, *req.meta])


def _without(names: list[str], req: OpRequest) -> OpRequest:
    from crmsh_py.records import replace

    return replace(req, params={k: v for k, v in req.params.items() if k not in names},
                   meta={k: v for k, v in req.meta.items() if k not in names})


def _run_ocf(req: OpRequest) -> OpResult:
    from crmsh_py.agents import catalog  # the agents' modules load when an action runs, not per mutation

    location = catalog.locate(req.agent, req.search_env)
    if location is None or location.ocf_root is None:
        return OpResult(OCF_ERR_INSTALLED, PCMK_EXEC_NOT_INSTALLED, 0, f"{req.agent}: agent not installed\n")
    bad = _unusable_names(req)
    if bad and req.action != "stop":
        # the resource's configuration is unusable: "not configured" (fatal: the scheduler stops
        # it everywhere), while every other resource goes on being managed
        return OpResult(OCF_ERR_CONFIGURED, PCMK_EXEC_DONE, 0,
                        f"ocf-exit-reason:invalid parameter name {bad[0]!r} (delete it from the resource)\n")
    if bad:
        req = _without(bad, req)  # a stop must always be possible: run it without those names
    os.makedirs(req.rsctmp, exist_ok=True)
    # the pid in the name lets remove_stale_attr_files tell a killed writer's file from a live one
    fd, attrs_file = make_temp_file(req.rsctmp, f"{_ATTRS_PREFIX}{os.getpid()}-")
    os.close(fd)
    try:
        path = location.path
        argv = [path, req.action] if os.access(path, os.X_OK) else ["/bin/sh", path, req.action]
        markers: list[str] = []
        try:
            outcome = run_process(argv, agent_environment(req, location.ocf_root, attrs_file), _timeout(req),
                                  cwd=req.rsctmp, on_start=lambda pgid: markers.append(_mark_inflight(req, pgid)))
        except (OSError, ValueError) as exc:  # the agent could not be started at all
            return OpResult(OCF_ERR_GENERIC, PCMK_EXEC_ERROR, 0, f"ocf-exit-reason:cannot run {path}: {exc}\n")
        finally:
            for marker in markers:
                _remove(marker)
        attrs = _read_attrs(attrs_file)
    finally:
        _remove(attrs_file)
    if outcome.returncode is None:
        return OpResult(OCF_ERR_INSTALLED, PCMK_EXEC_NOT_INSTALLED, 0, f"{req.agent}: {outcome.error}\n")
    if outcome.timed_out:
        return OpResult(OCF_ERR_GENERIC, PCMK_EXEC_TIMEOUT, outcome.exec_ms, outcome.output)
    if outcome.returncode < 0:
        return OpResult(OCF_ERR_GENERIC, PCMK_EXEC_ERROR, outcome.exec_ms, outcome.output)
    return OpResult(map_ocf_rc(outcome.returncode), PCMK_EXEC_DONE, outcome.exec_ms, outcome.output,
                    _promotion_score(req.rsc_id, attrs), attrs)


def _remove(path: str) -> None:
    """Remove a file that may be gone already."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _mark_inflight(req: OpRequest, pgid: int) -> str:
    """Record a running agent (``HA_RSCTMP/.inflight-PGID`` holding our pid): stopping the
    cluster ends the operations it finds recorded (see :func:`end_inflight`)."""
    path = os.path.join(req.rsctmp, f"{_INFLIGHT_PREFIX}{pgid}")
    with open(path, "w", encoding="ascii") as handle:
        handle.write(f"{os.getpid()}\n")
    return path


def inflight_operations(nodes_dir: Path) -> list[tuple[int, int, Path]]:
    """``(agent session id, owner pid, marker)`` of every recorded running agent of a cluster."""
    found = []
    for path in nodes_dir.glob(f"*/rsctmp/{_INFLIGHT_PREFIX}*"):
        sid_text = path.name[len(_INFLIGHT_PREFIX):]
        try:
            owner_text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if sid_text.isdigit() and owner_text.isdigit():
            found.append((int(sid_text), int(owner_text), path))
    return found


def end_inflight(nodes_dir: Path, owner: int | None = None) -> int:
    """End running agents (and everything in their sessions) recorded under ``nodes_dir``: those
    started by ``owner``, or (``owner=None``) those whose owner is gone.  Returns how many."""
    from crmsh_py.agents.process import kill_session

    ended = 0
    for sid, who, path in inflight_operations(nodes_dir):
        if (owner is not None and who != owner) or (owner is None and _alive(who)):
            continue
        kill_session(sid)
        path.unlink(missing_ok=True)
        ended += 1
    return ended


    return True


def _run_stonith(req: OpRequest) -> OpResult:
    from crmsh_py.agents import stonith

    start = time.monotonic()
    from pathlib import Path  # (stonith loads it anyway)

    rc, output = stonith.device_op(req.agent.ra_type, req.action, req.params, Path(req.rsctmp), req.rsc_id)
    status = PCMK_EXEC_NOT_INSTALLED if rc == OCF_ERR_INSTALLED else PCMK_EXEC_DONE
    return OpResult(rc, status, int((time.monotonic() - start) * 1000), output)


def _run_service(req: OpRequest) -> OpResult:
    """Simulated lsb/service/systemd resource: a state file per node, nothing else."""
    from pathlib import Path

    from crmsh_py.agents import catalog

    start = time.monotonic()
    if not catalog.exists(req.agent, req.search_env):
        return OpResult(OCF_ERR_INSTALLED, PCMK_EXEC_NOT_INSTALLED, 0, f"{req.agent}: agent not installed\n")
    rsctmp = Path(req.rsctmp)
    record = rsctmp / f"{req.agent.ra_class}-{req.agent.ra_type}.state"
    actions = {"start": 0, "stop": 0, "monitor": None, "status": None, "restart": 0, "force-reload": 0,
               "reload": 0, "validate-all": 0}
    if req.action not in actions:
        return OpResult(3, PCMK_EXEC_DONE, 0, f"{req.agent}: unsupported action {req.action}\n")
    rsctmp.mkdir(parents=True, exist_ok=True)
    if req.action in ("start", "restart"):
        record.write_text(req.node + "\n")
    elif req.action == "stop":
        record.unlink(missing_ok=True)
    rc = actions[req.action]
    if rc is None:
        rc = 0 if record.exists() else OCF_NOT_RUNNING
    return OpResult(rc, PCMK_EXEC_DONE, int((time.monotonic() - start) * 1000), "")


_RUNNERS = {
    "ocf": _run_ocf,
    "stonith": _run_stonith,
    "lsb": _run_service,
    "service": _run_service,
    "systemd": _run_service,
}


def run_op(req: OpRequest) -> OpResult:
    """Run one action of one resource on one node (see the module docstring)."""
    runner = _RUNNERS.get(req.agent.ra_class)
    if runner is None:
        return OpResult(OCF_ERR_INSTALLED, PCMK_EXEC_NOT_INSTALLED, 0,
                        f"{req.agent}: unknown resource class {req.agent.ra_class}\n")
    return runner(req)
