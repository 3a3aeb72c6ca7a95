"""Agent discovery: which resource agent classes, providers and agents exist, and their meta-data.

Search order for OCF agents (first hit wins):
  1. the agents bundled with crmsh_py (``crmsh_py/agents/ocf/resource.d/<provider>/<type>``),
  2. the system's ``/usr/lib/ocf/resource.d`` (Debian's resource-agents, pacemaker-resource-agents),
  3. each directory of the colon-separated env ``CRM_OCF_PATH`` -- a ``resource.d``-style directory
     (``DIR/<provider>/<type>``); its agents run with ``OCF_ROOT`` = the directory's parent.
LSB agents are the executables in ``/etc/init.d``; ``service:`` is LSB plus systemd units (when
systemd runs); ``stonith:`` is the cluster-glue catalogue plus the machine's ``fence_*`` agents
(see ``crmsh_py.agents.stonith``).

Meta-data is obtained by running the agent's ``meta-data`` action and cached for the life of the
process, keyed by the agent file's path and modification time so that an edited agent is re-read.
Unknown classes and providers give empty lists; unknown agents raise ``CommandError`` with
crm_resource's message and exit code (105, no such object).
"""

from __future__ import annotations

import os

from crmsh_py.agents import metadata as md
from crmsh_py.cib.model import Agent
from crmsh_py.errors import CommandError
from crmsh_py.memo import memoized
from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

# File names are strings handled with os.path: pathlib (with the re, fnmatch and urllib.parse it
# imports) would cost every command that runs an agent milliseconds.
BUNDLED_OCF_ROOT = os.path.join(os.path.dirname(os.path.realpath(__file__)), "ocf")
SYSTEM_OCF_ROOT = "/usr/lib/ocf"
INIT_D = "/etc/init.d"
SYSTEMD_RUNNING_MARK = "/run/systemd/system"
SYSTEMD_UNIT_DIRS = ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")

METADATA_TIMEOUT_S = 30.0
CRM_EX_NOSUCH = 105
# Pacemaker's standards in the order crm_resource --list-standards prints them
_CLASS_ORDER = ("ocf", "lsb", "service", "systemd", "stonith")


@record(frozen=True)
class AgentLocation:
    """Where an executable agent lives and the ``OCF_ROOT`` it expects (None for non-OCF)."""

    path: str
    ocf_root: str | None
    bundled: bool = False


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def ocf_search_path(env: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """``(resource.d directory, OCF_ROOT)`` pairs, in search order."""
    dirs = [(os.path.join(BUNDLED_OCF_ROOT, "resource.d"), os.fspath(BUNDLED_OCF_ROOT)),
            (os.path.join(SYSTEM_OCF_ROOT, "resource.d"), os.fspath(SYSTEM_OCF_ROOT))]
    for entry in _env(env).get("CRM_OCF_PATH", "").split(":"):
        if entry.strip():
            path = _as_pathlib_writes_it(os.path.expanduser(entry.strip()))
            dirs.append((path, os.path.dirname(path) or "."))
    return dirs


def _as_pathlib_writes_it(path: str) -> str:
    """``str(pathlib.Path(path))``: repeated and trailing slashes and ``.`` parts dropped (``..``
    kept: it may cross a symbolic link)."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    lead = "//" if path.startswith("//") and not path.startswith("///") else "/" if path.startswith("/") else ""
    return lead + "/".join(parts) if parts or lead else "."


def _is_agent_file(path: str) -> bool:
    """An executable regular file; bundled agents count even without the executable bit (an
    installer may drop it: the executor then runs them through /bin/sh)."""
    if os.path.basename(path).startswith(".") or not os.path.isfile(path):
        return False
    return os.access(path, os.X_OK) or path.startswith(os.path.join(BUNDLED_OCF_ROOT, ""))


def _safe_name(name: str) -> bool:
    """Agent and provider names are single path components: no traversal out of the search path."""
    return bool(name) and "/" not in name and name not in (".", "..") and "\0" not in name


def parse_agent(text: str) -> Agent:
    """``ocf:heartbeat:Dummy`` / ``stonith:external/ssh`` / ``lsb:ssh`` / ``Dummy`` -> ``Agent``.

    A bare type means ``ocf:heartbeat:TYPE``, as crmsh assumes.
    """
    parts = text.split(":", 2)
    if len(parts) == 1:
        return Agent("ocf", parts[0], "heartbeat")
    if parts[0] == "ocf":
        if len(parts) != 3:
            raise CommandError(f"{text}: an OCF agent is written ocf:PROVIDER:TYPE")
        return Agent("ocf", parts[2], parts[1])
    return Agent(parts[0], ":".join(parts[1:]))


def locate(agent: Agent, env: Mapping[str, str] | None = None) -> AgentLocation | None:
    """The executable behind ``agent`` (OCF agents, init scripts, fence agents), or None.

    cluster-glue stonith plugins have no executable of ours: they are simulated in
    ``crmsh_py.agents.stonith``, so this returns None for them.
    """
    if agent.ra_class == "ocf":
        if not (_safe_name(agent.ra_type) and _safe_name(agent.provider or "")):
            return None
        for resource_d, root in ocf_search_path(env):
            candidate = os.path.join(resource_d, str(agent.provider), agent.ra_type)
            if _is_agent_file(candidate):
                return AgentLocation(candidate, root, bundled=root == os.fspath(BUNDLED_OCF_ROOT))
        return None
    if agent.ra_class in ("lsb", "service") and _safe_name(agent.ra_type):
        script = os.path.join(INIT_D, agent.ra_type)
        return AgentLocation(script, None) if _is_agent_file(script) else None
    if agent.ra_class == "stonith":
        from crmsh_py.agents import stonith  # (and in the functions below) only stonith work needs it

        path = stonith.fence_agent_path(agent.ra_type)
        return AgentLocation(os.fspath(path), None) if path is not None else None
    return None


def list_classes(env: Mapping[str, str] | None = None) -> list[str]:
    """Resource classes available here, in ``crm_resource --list-standards`` order."""
    present = {"ocf", "stonith"}
    if os.path.isdir(INIT_D):
        present |= {"lsb", "service"}
    if os.path.isdir(SYSTEMD_RUNNING_MARK):
        present |= {"systemd", "service"}
    return [c for c in _CLASS_ORDER if c in present]


def _provider_dirs(env: Mapping[str, str] | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for resource_d, _root in ocf_search_path(env):
        try:
            names = sorted(os.listdir(resource_d))
        except OSError:
            continue
        for name in names:
            entry = os.path.join(resource_d, name)
            if os.path.isdir(entry) and not name.startswith((".", "__")):
                found.setdefault(name, []).append(entry)
    return found


def list_providers(ra_type: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """OCF providers (sorted); with ``ra_type``, only those that have an agent of that name."""
    providers = _provider_dirs(env)
    if ra_type is None:
        return sorted(providers)
    return sorted(p for p, dirs in providers.items() if any(_is_agent_file(os.path.join(d, ra_type)) for d in dirs))


@memoized(512)
def ocf_provider(ra_type: str) -> str:
    """crmsh's provider for an OCF type named without one: heartbeat if it has the agent (or
    nobody does), else pacemaker, else the first provider that has it.  The parser's callers pass
    this as its ``providers``.  Cached per process: agents installed later under a new provider
    are seen by a new process."""
    try:
        providers = list_providers(ra_type)
    except OSError:  # an unreadable agent directory: fall back like crmsh does
        return "heartbeat"
    if not providers or "heartbeat" in providers:
        return "heartbeat"
    if "pacemaker" in providers:
        return "pacemaker"
    return providers[0]


def _ocf_agents(provider: str | None, env: Mapping[str, str] | None) -> list[str]:
    names: set[str] = set()
    for name, dirs in _provider_dirs(env).items():
        if provider is not None and name != provider:
            continue
        for directory in dirs:
            names.update(name for name in os.listdir(directory) if _is_agent_file(os.path.join(directory, name)))
    return sorted(names)


def _systemd_units() -> list[str]:
    if not os.path.isdir(SYSTEMD_RUNNING_MARK):
        return []
    units: set[str] = set()
    for directory in SYSTEMD_UNIT_DIRS:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        units.update(name[: -len(".service")] for name in names
                     if name.endswith(".service") and "@" not in name)
    return sorted(units)


def _lsb_scripts() -> list[str]:
    try:
        return sorted(name for name in os.listdir(INIT_D) if _is_agent_file(os.path.join(INIT_D, name)))
    except OSError:
        return []


def list_agents(ra_class: str, provider: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """Agent names of a class (``ocf`` may carry a provider: ``ocf:pacemaker`` or ``provider=``).

    OCF without a provider lists each name once across providers; an unknown class or provider
    gives an empty list.
    """
    if ra_class.startswith("ocf:"):
        ra_class, provider = "ocf", ra_class.split(":", 1)[1] or provider
    listers = {
        "ocf": lambda: _ocf_agents(provider, env),
        "lsb": _lsb_scripts,
        "service": lambda: sorted(set(_lsb_scripts()) | set(_systemd_units())),
        "systemd": _systemd_units,
        "stonith": stonith_plugins,
    }
    lister = listers.get(ra_class)
    return lister() if lister is not None else []


def stonith_plugins() -> list[str]:
    """The stonith agents: the cluster-glue catalogue, then the machine's ``fence_*`` agents."""
    from crmsh_py.agents import stonith

    return stonith.plugin_names()


@memoized(256)
def _ocf_metadata(path: str, ocf_root: str, provider: str, ra_type: str, _mtime_ns: int) -> tuple[int | None, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "OCF_ROOT": ocf_root,
        "OCF_RESOURCE_TYPE": ra_type,
        "OCF_RESOURCE_PROVIDER": provider,
        "OCF_RESOURCE_INSTANCE": ra_type,
        "OCF_RA_VERSION_MAJOR": "1",
        "OCF_RA_VERSION_MINOR": "1",
        "HA_LOGFACILITY": "none",
    }
    argv = [path, "meta-data"] if os.access(path, os.X_OK) else ["/bin/sh", path, "meta-data"]
    from crmsh_py.agents.process import run_process  # only a metadata query needs a process

    outcome = run_process(argv, env, METADATA_TIMEOUT_S)
    return outcome.returncode, outcome.output


def _no_such(agent: Agent) -> CommandError:
    return CommandError(f"Metadata query for {agent} failed: No such device or address", exit_code=CRM_EX_NOSUCH)


def metadata(agent: Agent, env: Mapping[str, str] | None = None) -> str:
    """The meta-data XML of ``agent``; raises ``CommandError`` (exit code 105) when unknown."""
    if agent.ra_class == "stonith":
        from crmsh_py.agents import stonith

        text = stonith.plugin_metadata(agent.ra_type)
        if text is None:
            raise _no_such(agent)
        return text
    location = locate(agent, env)
    if agent.ra_class == "ocf" and location is not None and location.ocf_root is not None:
        rc, output = _ocf_metadata(location.path, location.ocf_root, str(agent.provider),
                                   agent.ra_type, os.stat(location.path).st_mtime_ns)
        start = output.find("<")
        if rc != 0 or start < 0:
            raise CommandError(f"Metadata query for {agent} failed: agent exited with {rc}", exit_code=1)
        # Some agents print warnings before the XML: keep only the document
        return output[start:]
    if agent.ra_class in ("lsb", "service") and location is not None:
        return md.lsb_metadata(agent.ra_type, location.path)
    if agent.ra_class in ("systemd", "service") and agent.ra_type in _systemd_units():
        return md.unit_metadata(agent.ra_class, agent.ra_type)
    raise _no_such(agent)


def agent_info(agent: Agent, env: Mapping[str, str] | None = None) -> md.AgentInfo:
    """Parsed meta-data of ``agent`` (see ``crmsh_py.agents.metadata.AgentInfo``)."""
    return md.parse_metadata(metadata(agent, env), str(agent))


def exists(agent: Agent, env: Mapping[str, str] | None = None) -> bool:
    """True when ``agent`` names an agent this machine (or the bundled engine) has."""
    if agent.ra_class == "stonith":
        return agent.ra_type in stonith_plugins()
    if agent.ra_class == "systemd":
        return agent.ra_type in _systemd_units()
    if agent.ra_class == "service" and agent.ra_type in _systemd_units():
        return True
    return locate(agent, env) is not None
