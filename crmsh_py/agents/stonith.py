"""STONITH agents: the cluster-glue plugin catalogue, fence_* agents, and simulated fencing.

Catalogue: ``data/stonith_plugins.json`` describes each cluster-glue plugin (the list that
``crm ra list stonith`` showed in the reference demo) with its parameters; ``plugin_metadata``
turns an entry into meta-data XML.  ``fence_*`` agents found in ``/usr/sbin`` are listed after
the plugins and their meta-data comes from running ``fence_X -o metadata``.

Simulated fencing -- the protocol the engine uses.  No plugin ever talks to real hardware in the
bundled engine; every plugin "powers" simulated nodes:

    result = fence(plugin, params, target, action, cluster_dir)

``plugin`` is the stonith type (``external/ipmi``, ``null``, ``fence_ipmilan``), ``params`` the
device's instance attributes, ``target`` a node name, ``action`` one of ``reboot``, ``off``,
``on``, ``status`` (``monitor`` is accepted as ``status``) or ``list``.  ``FenceResult`` says

- ``rc``: 0 when the action succeeded, 1 otherwise (``message`` says why);
- ``can_fence``: whether this device can fence ``target`` at all (Pacemaker's ``pcmk_host_check``:
  ``pcmk_host_list``/``pcmk_host_map`` when set, else the plugin's own host parameter --
  ``hostlist``/``hostname``/``nodename``/``plug`` per the catalogue -- and any host for plugins
  without one, as such devices report their outlets themselves);
- ``power``: the target's power after the action (``on``/``off``; a reboot ends ``on``), or None;
- ``hosts``: for ``list``, the hosts the device can fence (empty when it can fence any).

The engine does the membership change (node lost, clean, rejoin); ``fence`` only records the
simulated power state in ``<cluster_dir>/fencing/<target>.power`` (when ``cluster_dir`` is given)
so that ``status`` answers consistently.  ``suicide`` cannot power a node on.

``device_op`` runs start/stop/monitor of a stonith resource for the executor: start checks the
required parameters (OCF_ERR_CONFIGURED, 6, when one is missing) and records the device as
running in the node's ``HA_RSCTMP``; monitor answers 0 or 7 from that record.
"""

from __future__ import annotations

import re
from pathlib import Path

from crmsh_py.agents.metadata import ParameterInfo
from crmsh_py.agents.xmltext import escape, quoteattr
from crmsh_py.memo import memoized
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

FENCE_DIR = Path("/usr/sbin")
FENCE_METADATA_TIMEOUT_S = 30.0

_GLUE_ACTIONS = (("start", "20", None), ("stop", "15", None), ("status", "20", None),
                 ("monitor", "20", "3600"), ("meta-data", "15", None))
_FENCE_HOST_PARAMS = ("plug", "port")
_NAME_RE = re.compile(r"^fence_[A-Za-z0-9_]+$")


@record(frozen=True)
class PluginSpec:
    """A cluster-glue plugin of the catalogue."""

    name: str
    shortdesc: str
    longdesc: str
    host_param: str | None
    parameters: tuple[ParameterInfo, ...] = ()  # the one model of an agent parameter


@record(frozen=True)
class FenceResult:
    """Outcome of a simulated fencing action (see the module docstring)."""

    rc: int
    can_fence: bool
    message: str = ""
    power: str | None = None
    hosts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when the action succeeded."""
        return self.rc == 0


@memoized(1)
def _catalogue() -> dict[str, PluginSpec]:
    import json  # here: most commands never list or run a stonith plugin
    from importlib import resources

    data = json.loads(resources.files("crmsh_py.agents").joinpath("data/stonith_plugins.json").read_text())
    specs = {}
    for entry in data["plugins"]:
        params = tuple(ParameterInfo(**p) for p in entry["parameters"])
        specs[entry["name"]] = PluginSpec(entry["name"], entry["shortdesc"], entry["longdesc"],
                                          entry["host_param"], params)
    return specs


def glue_plugins() -> list[str]:
    """The cluster-glue plugin names, in the demo's order."""
    return list(_catalogue())


def plugin_spec(name: str) -> PluginSpec | None:
    """The catalogue entry of a cluster-glue plugin, or None."""
    return _catalogue().get(name)


def fence_agents() -> list[str]:
    """``fence_*`` executables on this machine, sorted."""
    try:
        return sorted(p.name for p in FENCE_DIR.glob("fence_*") if _NAME_RE.match(p.name) and p.is_file())
    except OSError:
        return []


def fence_agent_path(name: str) -> Path | None:
    """Path of the ``fence_*`` agent called ``name``, or None."""
    if not _NAME_RE.match(name):
        return None
    path = FENCE_DIR / name
    return path if path.is_file() else None


def plugin_names() -> list[str]:
    """Every stonith agent: the glue catalogue first, then the fence agents (as crm_resource)."""
    return glue_plugins() + fence_agents()


def _glue_xml(spec: PluginSpec) -> str:
    rows = []
    for p in spec.parameters:
        default = f" default={quoteattr(p.default)}" if p.default is not None else ""
        rows.append(
            f"<parameter name={quoteattr(p.name)} unique=\"{int(p.unique)}\" required=\"{int(p.required)}\">\n"
            f"<content type={quoteattr(p.type)}{default} />\n"
            f"<shortdesc lang=\"en\">{escape(p.shortdesc)}</shortdesc>\n"
            f"<longdesc lang=\"en\">{escape(p.shortdesc)}</longdesc>\n"
            "</parameter>"
        )
    actions = "\n".join(
        f"    <action name=\"{n}\" timeout=\"{t}\"" + (f" interval=\"{i}\"" if i else "") + " />"
        for n, t, i in _GLUE_ACTIONS
    )
    params = "\n".join(rows)
    return (
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
        f"<resource-agent name={quoteattr(spec.name)}>\n"
        "  <version>1.0</version>\n"
        f"  <longdesc lang=\"en\">{escape(spec.longdesc)}</longdesc>\n"
        f"  <shortdesc lang=\"en\">{escape(spec.shortdesc)}</shortdesc>\n"
        f"<parameters>\n{params}\n</parameters>\n"
        f"  <actions>\n{actions}\n  </actions>\n"
        "</resource-agent>\n"
    )


@memoized(256)
def _fence_metadata(path: str, _mtime_ns: int) -> str | None:
    from crmsh_py.agents.process import run_process  # only fence agents need a process

    outcome = run_process([path, "-o", "metadata"], {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                          FENCE_METADATA_TIMEOUT_S)
    start = outcome.output.find("<")
    if outcome.returncode != 0 or start < 0:
        return None
    return outcome.output[start:]


def plugin_metadata(name: str) -> str | None:
    """Meta-data XML of a stonith agent, or None when there is no such agent."""
    spec = plugin_spec(name)
    if spec is not None:
        return _glue_xml(spec)
    path = fence_agent_path(name)
    if path is None:
        return None
    return _fence_metadata(str(path), path.stat().st_mtime_ns)


# --------------------------------------------------------------------------- simulated fencing


def _words(value: str) -> list[str]:
    return [w for w in re.split(r"[\s,;]+", value) if w]


def _plugin_hosts(plugin: str, params: Mapping[str, str]) -> list[str] | None:
    """Hosts the plugin's own configuration names, or None when it can fence any host."""
    spec = plugin_spec(plugin)
    if spec is not None:
        if spec.host_param is None:
            return None
        value = params.get(spec.host_param, "")
        if value.strip().upper() == "AUTO":
            return None
        # xen0 writes "node:config-file" pairs
        return [w.split(":", 1)[0] for w in _words(value)]
    for name in _FENCE_HOST_PARAMS:
        if params.get(name):
            return _words(params[name])
    return None


def fenceable_hosts(plugin: str, params: Mapping[str, str]) -> list[str] | None:
    """Hosts this device can fence (Pacemaker's ``pcmk_host_check`` rules); None means any."""
    check = params.get("pcmk_host_check", "")
    if check == "none":
        return None
    static = _words(params.get("pcmk_host_list", ""))
    static += [entry.split(":", 1)[0] for entry in _words(params.get("pcmk_host_map", "")) if entry]
    if check == "static-list" or (static and check != "dynamic-list"):
        return static
    return _plugin_hosts(plugin, params)


def can_fence(plugin: str, params: Mapping[str, str], target: str) -> bool:
    """True when a device of ``plugin`` configured with ``params`` can fence ``target``."""
    hosts = fenceable_hosts(plugin, params)
    return hosts is None or target in hosts


def missing_parameters(plugin: str, params: Mapping[str, str]) -> list[str]:
    """Required parameters of a glue plugin that ``params`` lacks (fence agents: not checked)."""
    spec = plugin_spec(plugin)
    if spec is None:
        return []
    return [p.name for p in spec.parameters if p.required and not params.get(p.name)]


def _power_file(cluster_dir: str | Path | None, target: str) -> Path | None:
    if cluster_dir is None or "/" in target or target in ("", ".", ".."):
        return None
    return Path(cluster_dir) / "fencing" / f"{target}.power"


def _record_power(cluster_dir: str | Path | None, target: str, power: str) -> None:
    path = _power_file(cluster_dir, target)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(power + "\n")


def power_state(cluster_dir: str | Path | None, target: str) -> str:
    """The simulated power of ``target``: ``off`` after an ``off``, else ``on``."""
    path = _power_file(cluster_dir, target)
    try:
        return path.read_text().strip() if path is not None else "on"
    except OSError:
        return "on"


_POWER_AFTER = {"reboot": "on", "off": "off", "on": "on"}


def fence(plugin: str, params: Mapping[str, str], target: str, action: str,
          cluster_dir: str | Path | None) -> FenceResult:
    """Carry out ``action`` on ``target`` with a simulated device (see the module docstring)."""
    if plugin not in plugin_names():
        return FenceResult(1, False, f"no such stonith agent: {plugin}")
    hosts = fenceable_hosts(plugin, params)
    if action == "list":
        return FenceResult(0, True, "", None, tuple(hosts or ()))
    missing = missing_parameters(plugin, params)
    if missing:
        return FenceResult(1, can_fence(plugin, params, target),
                           f"{plugin}: required parameter(s) not set: {', '.join(missing)}")
    if not can_fence(plugin, params, target):
        return FenceResult(1, False, f"{plugin} cannot fence {target}: not in its host list")
    if action in ("status", "monitor"):
        return FenceResult(0, True, "", power_state(cluster_dir, target))
    if action not in _POWER_AFTER:
        return FenceResult(1, True, f"{plugin}: unsupported action {action}")
    if plugin == "suicide" and action == "on":
        return FenceResult(1, True, "suicide cannot power a node on")
    power = _POWER_AFTER[action]
    _record_power(cluster_dir, target, power)
    return FenceResult(0, True, f"{plugin}: {action} of {target} done (simulated)", power)


def device_op(plugin: str, action: str, params: Mapping[str, str], rsctmp: Path, rsc_id: str) -> tuple[int, str]:
    """start/stop/monitor of a stonith resource on one node: ``(OCF rc, output)``."""
    record = rsctmp / f"stonith-{rsc_id.replace('/', '_')}.state"
    if plugin not in plugin_names():
        return 5, f"no such stonith agent: {plugin}\n"
    if action == "start":
        missing = missing_parameters(plugin, params)
        if missing:
            return 6, f"{plugin}: required parameter(s) not set: {', '.join(missing)}\n"
        rsctmp.mkdir(parents=True, exist_ok=True)
        record.write_text(plugin + "\n")
        return 0, ""
    if action == "stop":
        record.unlink(missing_ok=True)
        return 0, ""
    if action in ("monitor", "status"):
        return (0 if record.exists() else 7), ""
    if action in ("validate-all", "reload", "reload-agent"):
        missing = missing_parameters(plugin, params)
        return (6, f"required parameter(s) not set: {', '.join(missing)}\n") if missing else (0, "")
    return 3, f"{plugin}: unsupported action {action}\n"
