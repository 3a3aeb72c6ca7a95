"""Where history comes from: the live cluster, a ``crm report`` directory or its tarball.

A source resolves to a :class:`Source`: the log files (each with the node it came from, when
known), the directories holding transition inputs, the CIB, and the report's description.

* ``live`` on the bundled engine: ``<cluster>/ha-log``, ``<cluster>/pengine``, ``<cluster>/cib.xml``;
* ``live`` on Pacemaker: its log (``CRM_PACEMAKER_LOG``, else ``/var/log/pacemaker/pacemaker.log``)
  and pengine directory (``CRM_PENGINE_DIR``, else ``/var/lib/pacemaker/pengine``) on this machine;
* a directory: a bundled cluster directory, or a report (one folder per node holding
  ``ha-log.txt``/``pacemaker.log``, ``pengine/``, ``cib.xml``; ``description.txt`` at the top);
* a tarball (``.tar``, ``.tar.bz2``, ``.tar.gz``, ``.tar.xz``): unpacked once into the cache
  directory (``$XDG_CACHE_HOME/crmsh_py/history``) and read as a directory.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
from pathlib import Path
from typing import Literal

from crmsh_py import paths
from crmsh_py.errors import CommandError
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

PACEMAKER_LOGS = ("/var/log/pacemaker/pacemaker.log", "/var/log/pacemaker.log", "/var/log/cluster/corosync.log")
# where the shell's own "crm[PID]: Invoked: ..." lines go on a real cluster (syslog)
SYSLOGS = ("/var/log/syslog", "/var/log/messages")
PACEMAKER_PENGINE = "/var/lib/pacemaker/pengine"
PACEMAKER_CIB = "/var/lib/pacemaker/cib/cib.xml"
LOG_NAMES = ("ha-log.txt", "ha-log", "pacemaker.log", "messages", "journal.log")
TAR_SUFFIXES = (".tar", ".tar.bz2", ".tbz2", ".tar.gz", ".tgz", ".tar.xz", ".txz")


@record
class Source:
    """The files one history source consists of."""

    name: str
    kind: str  # live-bundled, live-pacemaker, directory, report
    logs: list[tuple[str, Path]] = field(default_factory=list)  # (node or "", log file)
    pengine: list[tuple[str, Path]] = field(default_factory=list)  # (node or "", directory)
    cib: Path | None = None
    description: dict[str, str] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # nodes whose files could not be fetched, and why
    root: Path | None = None  # a report's top folder

    def pe_path(self, logged: str, node: str = "") -> Path | None:
        """The local file of an input the log names (``/var/lib/pacemaker/pengine/pe-input-3.bz2``),
        looked up by name in the source's pengine directories, ``node``'s first."""
        name = logged.rsplit("/", 1)[-1]
        if not name:
            return None
        if not name.endswith(".bz2") and not name.endswith(".xml"):
            name += ".bz2"
        ordered = sorted(self.pengine, key=lambda item: item[0] != node)
        for _, directory in ordered:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        return None

    def pe_files(self) -> list[tuple[str, Path]]:
        """Every saved input, ``(node, path)``, by modification time."""
        found = [(node, p) for node, d in self.pengine if d.is_dir() for p in d.glob("pe-*-*.bz2")]
        return sorted(found, key=lambda item: (item[1].stat().st_mtime, item[1].name))


def resolve(spec: str, env: Mapping[str, str], live: str = "bundled") -> Source:
    """The :class:`Source` for ``spec`` (``live``, a directory or a tarball)."""
    if spec in ("", "live"):
        return _live_pacemaker(env) if live == "pacemaker" else _live_bundled(env)
    path = Path(spec).expanduser()
    if not path.exists():
        raise CommandError(f"history source {spec}: no such file or directory")
    if path.is_dir():
        return from_directory(path, spec)
    if path.name.endswith(TAR_SUFFIXES):
        return from_directory(unpack(path, env), spec)
    raise CommandError(f"history source {spec}: not a directory nor a report tarball ({', '.join(TAR_SUFFIXES)})")


def _live_bundled(env: Mapping[str, str]) -> Source:
    directory = Path(paths.cluster_dir(env))
    if not (directory / "cib.xml").exists():
        raise CommandError(f"no bundled cluster in {directory} (crm cluster init creates one)")
    return _bundled_dir(directory, "live")


def _bundled_dir(directory: Path, name: str) -> Source:
    source = Source(name, "live-bundled" if name == "live" else "directory", cib=directory / "cib.xml")
    source.logs.append(("", directory / "ha-log"))
    source.pengine.append(("", directory / "pengine"))
    return source


def _live_pacemaker(env: Mapping[str, str]) -> Source:
    logs = [env["CRM_PACEMAKER_LOG"]] if env.get("CRM_PACEMAKER_LOG") else list(PACEMAKER_LOGS)
    source = Source("live", "live-pacemaker", cib=Path(env.get("CRM_PACEMAKER_CIB") or PACEMAKER_CIB))
    source.logs = [("", Path(p)) for p in logs if Path(p).is_file()]
    syslogs = [env["CRM_SYSLOG_FILE"]] if env.get("CRM_SYSLOG_FILE") else list(SYSLOGS)
    found = next((Path(p) for p in syslogs if Path(p).is_file() and os.access(p, os.R_OK)), None)
    if source.logs and found is not None:
        source.logs.append(("", found))
    pengine = Path(env.get("CRM_PENGINE_DIR") or PACEMAKER_PENGINE)
    source.pengine.append(("", pengine))
    _add_remote_nodes(source, env, logs, pengine)
    if not source.logs:
        raise CommandError(f"no Pacemaker log found ({', '.join(logs)}); set CRM_PACEMAKER_LOG")
    return source


def _add_remote_nodes(source: Source, env: Mapping[str, str], logs: list[str], pengine: Path) -> None:
    """The other nodes' logs and inputs, fetched over SSH into the cache (refreshed each time:
    their logs grow).  A node that cannot be reached is left out and named in ``source.notes``."""
    from crmsh_py.lowlevel.history import collect

    nodes = cluster_nodes(env)
    if not any(not collect.is_local(n) for n in nodes):
        return
    target = cache_root(env) / "live-nodes"
    _remove_tree(target)
    files, notes = collect_nodes(nodes, env, logs, pengine, None, target)
    source.nodes = nodes
    local = [n for n in nodes if collect.is_local(n)]
    if local:  # this machine's own files, read in place, belong to its node
        source.logs = [(local[0], path) for _, path in source.logs]
        source.pengine = [(local[0], path) for _, path in source.pengine]
    for node, (log, pe_dir) in files.items():
        if log is not None:
            source.logs.append((node, log))
        if pe_dir is not None:
            source.pengine.append((node, pe_dir))
    source.notes.extend(notes)


def collect_nodes(nodes: list[str], env: Mapping[str, str], logs: list[str], pengine: Path, since: float | None,
                  target: Path) -> tuple[dict[str, tuple[Path | None, Path | None]], list[str]]:
    """Fetch the log and inputs of every node that is not this machine over SSH into
    ``target/NODE``: ``{node: (log, pengine dir)}`` of those that answered, and why the others did not."""
    from crmsh_py.lowlevel.history import collect

    remote = [n for n in nodes if not collect.is_local(n)]
    found = collect.fetch(remote, env, logs, str(pengine), since, target)
    files = {f.node: (f.log, f.pengine) for f in found if f.log is not None or f.pengine is not None}
    return files, [f.error for f in found if f.error]


def cluster_nodes(env: Mapping[str, str]) -> list[str]:
    """The node names of the Pacemaker CIB (Pacemaker's ``cibadmin -Q -o nodes``; [] when it fails)."""
    import re
    import subprocess

    from crmsh_py.lowlevel.detect import find_tool

    path = find_tool("cibadmin", env)
    if path is None:
        return []
    try:
        done = subprocess.run([path, "-Q", "-o", "nodes"], capture_output=True, text=True, timeout=30,
                              env=dict(env), stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return re.findall(r"<node\b[^>]*\buname=\"([^\"]+)\"", done.stdout) if done.returncode == 0 else []


def from_directory(path: Path, name: str) -> Source:
    """A bundled cluster directory or a report directory (its top folder may be one level down)."""
    if (path / "ha-log").is_file() and (path / "cib.xml").is_file():
        return _bundled_dir(path, name)
    top = path
    entries = [p for p in path.iterdir() if not p.name.startswith(".")]
    if not (path / "description.txt").exists() and len(entries) == 1 and entries[0].is_dir():
        top = entries[0]  # a tarball's single top folder
    source = Source(name, "report", root=top)
    source.description = _description(top / "description.txt")
    for node_dir in sorted(p for p in top.iterdir() if p.is_dir() and not p.name.startswith(".")):
        logs = [node_dir / n for n in LOG_NAMES if (node_dir / n).is_file()]
        if not logs and not (node_dir / "pengine").is_dir() and not (node_dir / "cib.xml").is_file():
            continue
        source.nodes.append(node_dir.name)
        source.logs.extend((node_dir.name, log) for log in logs[:1])
        if (node_dir / "pengine").is_dir():
            source.pengine.append((node_dir.name, node_dir / "pengine"))
        if source.cib is None and (node_dir / "cib.xml").is_file():
            source.cib = node_dir / "cib.xml"
    if not source.nodes:
        raise CommandError(f"history source {name}: no node folders with logs found in {top} "
                           "(expected a crm report)")
    return source


def _description(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip() and key.strip() not in out:
                out[key.strip()] = value.strip()
    except OSError:
        pass
    return out


def unpack(tarball: Path, env: Mapping[str, str]) -> Path:
    """Unpack ``tarball`` once into the cache; a corrupt or truncated one is a CommandError naming it."""
    stat = tarball.stat()
    key = hashlib.sha1(f"v2:{tarball.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode(),
                       usedforsecurity=False).hexdigest()[:16]
    target = cache_root(env) / "reports" / key
    if (target / ".complete").exists():
        return target
    staging = target.with_name(key + f".{os.getpid()}.tmp")
    try:
        staging.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball, _tar_mode(tarball.name)) as archive:
            times: list[tuple[Path, float]] = []
            for member in archive:
                if member.isdev() or member.issym() or member.islnk() or \
                        member.name.startswith("/") or ".." in Path(member.name).parts:
                    continue  # nothing outside the target, no device files, no links
                archive.extract(member, staging, set_attrs=False)
                times.append((staging / member.name, member.mtime))
            # the times are kept: logs without a year in their stamps take it from them
            for path, mtime in reversed(times):  # a folder's time after its files are in
                os.utime(path, (mtime, mtime))
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        _remove_tree(staging)
        raise CommandError(f"cannot read report {tarball}: {_reason(error)}") from None
    (staging / ".complete").write_text("", encoding="ascii")
    if target.exists():
        _remove_tree(target)
    os.replace(staging, target)
    return target


def cache_root(env: Mapping[str, str]) -> Path:
    """``$XDG_CACHE_HOME/crmsh_py/history`` (unpacked reports, log indexes)."""
    return Path(paths.user_dir(env, "cache")) / "history"


def _tar_mode(name: str) -> Literal["r:bz2", "r:gz", "r:xz", "r:"]:
    """How to open a report by its name (no guessing: a damaged file gets one clear reason)."""
    if name.endswith((".tar.bz2", ".tbz2")):
        return "r:bz2"
    if name.endswith((".tar.gz", ".tgz")):
        return "r:gz"
    if name.endswith((".tar.xz", ".txz")):
        return "r:xz"
    return "r:"


def _reason(error: BaseException) -> str:
    text = (str(error) or type(error).__name__).splitlines()[0]
    if isinstance(error, (EOFError, tarfile.ReadError)) or "unexpected end" in text.lower() or \
            "compressed file ended" in text.lower() or "invalid data stream" in text.lower():
        return f"truncated or corrupt archive ({text})"
    return text


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
