"""Which backend serves this invocation: the one decision the shell and every low-level tool share.

Order (the first that answers wins):

1. an explicit request: ``--backend``/``-H`` on crm's command line, else ``CRM_BACKEND``;
2. ``CIB_file`` set: Pacemaker's tools handle it when they are installed (else our bundled ones);
3. ``CRM_CLUSTER_DIR`` set: that bundled cluster;
4. a Pacemaker cluster on this machine: its CIB manager listening (``cib_rw`` in
   ``/proc/net/unix``: Pacemaker 2.x uses abstract sockets, so no file marks it), a starting
   ``pacemakerd`` (its socket), or a node set up for Pacemaker (``/var/lib/pacemaker/cib/cib.xml``) whose
   cluster is down (then the tools say "not connected", as crmsh would: never a simulated cluster
   on a real node);
5. otherwise the bundled simulated cluster.

Every probe is one file read or stat (no fork, no IPC, no scan of /proc): a one-shot pays well
under a millisecond.  When
the answer is not obvious (a cluster node that is down, or Pacemaker installed but no cluster
here) ``Choice.notice`` is set and the caller says which backend it uses and why.
``CRM_DETECT=off`` skips step 4 (the test suite sets it, to stay apart from the host's cluster).

It lives with the low-level tools because they need it before anything else (a tool that hands
over to Pacemaker's must not touch our engine); ``crmsh_py.backends.detect`` is the shell's door.
"""

from __future__ import annotations

import os

from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

BACKENDS = ("bundled", "pacemaker")
# Where Debian, RHEL and SUSE install Pacemaker's command-line tools.
DEFAULT_BINDIRS = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")
# Pacemaker's CIB manager listens on "cib_rw": abstract (@cib_rw) with libqb on Linux, or a file
# socket ending in /cib_rw with older builds.  /proc/net/unix pads abstract names with '@'.
# pacemakerd's own socket ("pacemakerd") is up from its first second, before the CIB manager is.


def _listening(sockets: str, name: str) -> bool:
    """Whether a line of ``sockets`` (/proc/net/unix) ends in ``@NAME`` or ``/NAME``, padding aside."""
    ends = ("@" + name, "/" + name)
    return any(line.rstrip("@").endswith(ends) for line in sockets.split("\n"))


@record(frozen=True)
class HostPaths:
    """Where the probes look (tests point these at files of their own).  Plain strings (or any
    path-like): pathlib and the urllib.parse and ipaddress behind it are a few ms of a one-shot."""

    unix_sockets: str | os.PathLike[str] = "/proc/net/unix"
    cib_xml: str | os.PathLike[str] = "/var/lib/pacemaker/cib/cib.xml"
    legacy_sockets: tuple[str | os.PathLike[str], ...] = ("/run/crm/cib_rw", "/var/run/crm/cib_rw")


@record(frozen=True)
class Choice:
    """The backend chosen, why, and whether the user should be told (the choice was not obvious)."""

    kind: str
    reason: str
    notice: bool = False

    def message(self, cluster_dir: str | None = None) -> str:
        """One line for the user: ``using the X backend: why``."""
        if self.kind == "bundled":
            where = f" in {cluster_dir}" if cluster_dir else ""
            return (f"using the bundled simulated cluster{where}: {self.reason} "
                    "(--backend pacemaker or CRM_BACKEND=pacemaker for Pacemaker's tools)")
        return f"using Pacemaker's tools: {self.reason}"


def bindirs(env: Mapping[str, str]) -> tuple[str, ...]:
    """Directories searched for Pacemaker's tools (``CRM_PACEMAKER_BINDIR`` overrides)."""
    override = env.get("CRM_PACEMAKER_BINDIR")
    return tuple(override.split(os.pathsep)) if override else DEFAULT_BINDIRS


def find_tool(tool: str, env: Mapping[str, str]) -> str | None:
    """The absolute path of Pacemaker's ``tool``, or None when it is not installed."""
    for directory in bindirs(env):
        candidate = os.path.join(directory, tool)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unix_sockets(paths: HostPaths) -> str:
    try:
        with open(paths.unix_sockets, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def running_cluster(paths: HostPaths = HostPaths()) -> str | None:
    """Why we believe a Pacemaker cluster runs on this machine, or None."""
    sockets = _unix_sockets(paths)
    if _listening(sockets, "cib_rw"):
        return "a Pacemaker cluster runs on this machine (its CIB manager listens on cib_rw)"
    for marker in paths.legacy_sockets:
        if os.path.exists(marker):
            return f"a Pacemaker cluster runs on this machine ({marker} exists)"
    if _listening(sockets, "pacemakerd"):
        return "pacemakerd runs on this machine (its CIB manager is not up yet)"
    return None


def choose_backend(env: Mapping[str, str], requested: str = "", paths: HostPaths = HostPaths()) -> Choice:
    """The backend for an invocation that asked for ``requested`` ("" = nothing) and sees ``env``."""
    if requested:
        return Choice(requested, "asked for on the command line")
    wanted = env.get("CRM_BACKEND", "")
    if wanted:
        if wanted not in BACKENDS:
            return Choice("bundled", f"CRM_BACKEND={wanted} is not one of {', '.join(BACKENDS)}", True)
        return Choice(wanted, "CRM_BACKEND is set")
    installed = find_tool("cibadmin", env) is not None and find_tool("crm_mon", env) is not None
    if env.get("CIB_file"):
        if installed:
            return Choice("pacemaker", "CIB_file is set")
        return Choice("bundled", "CIB_file is set and Pacemaker's tools are not installed")
    if env.get("CRM_CLUSTER_DIR"):
        return Choice("bundled", "CRM_CLUSTER_DIR is set")
    if env.get("CRM_DETECT", "").lower() in ("off", "no", "0", "false"):
        return Choice("bundled", "CRM_DETECT=off")
    if installed:
        evidence = running_cluster(paths)
        if evidence is not None:
            return Choice("pacemaker", evidence)
        if os.path.exists(paths.cib_xml):
            return Choice("pacemaker", f"this machine is a Pacemaker node ({paths.cib_xml}) "
                                       "but its cluster is not running", True)
        return Choice("bundled", "Pacemaker is installed but no cluster runs on this machine", True)
    return Choice("bundled", "Pacemaker is not installed")
