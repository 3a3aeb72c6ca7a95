"""``crm report``: collect what support needs into one tarball, secrets masked.

Layout (``NAME.tar.bz2`` holding ``NAME/``), close to crmsh's report so either can read it::

    NAME/description.txt      when, by whom, period, nodes, the command line
    NAME/analysis.txt         failed actions, fencing, transitions with warnings/errors, log errors
    NAME/NODE/ha-log.txt      that node's log lines within the period (its own log when collected from it)
    NAME/NODE/cib.xml         the CIB (every node's copy; passwords masked)
    NAME/NODE/cluster.yaml    the cluster definition (bundled engine), or corosync.conf (Pacemaker)
    NAME/NODE/crm_mon.txt     ``crm_mon -1 -r -f``
    NAME/NODE/crm_verify.txt  ``crm_verify -L -V``
    NAME/NODE/agents.txt      the resource agents in use with their versions
    NAME/NODE/sysinfo.txt     versions of this program, Python and the platform
    NAME/NODE/pengine/        the transition inputs saved within the period (passwords masked): each
                              node's own on a real cluster, the DC's folder on the bundled engine

Passwords: every value of a parameter named like ``passwd``/``password`` is replaced by ``*****``
in every file (the project's masking, as in its logs).
"""

from __future__ import annotations

import bz2
import io
import os
import platform
import re
import shutil
import socket
import tarfile
import tempfile
import time
from pathlib import Path

from crmsh_py.invocation import MASK, mask_secrets
from crmsh_py.errors import CommandError
from crmsh_py.lowlevel.history import logscan, sources, timefmt
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_SECRET_ATTR = re.compile(r"(<nvpair\b[^>]*\bname=\"[^\"]*pass(?:wd|word)[^\"]*\"[^>]*\bvalue=\")([^\"]*)(\")",
                          re.IGNORECASE)
_SECRET_ATTR_REV = re.compile(r"(<nvpair\b[^>]*\bvalue=\")([^\"]*)(\"[^>]*\bname=\"[^\"]*pass(?:wd|word)[^\"]*\")",
                              re.IGNORECASE)


def mask_text(text: str) -> str:
    """``text`` with secret parameter values masked (XML nvpairs in any attribute order, ``name=value``)."""
    text = _SECRET_ATTR.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    text = _SECRET_ATTR_REV.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return "\n".join(mask_secrets([line])[0] if "pass" in line.lower() else line for line in text.split("\n"))


@record
class Collected:
    """What the collector gathered for one node (file name -> text) and where its inputs are."""

    files: dict[str, str] = field(default_factory=dict)
    pengine: Path | None = None


@record
class ReportSpec:
    """What to collect: the period, the destination, the cluster's nodes and how to run tools."""

    name: Path
    start: float | None
    end: float | None
    nodes: list[str]
    dc: str
    run_tool: Callable[[list[str]], tuple[int, str, str]]
    log: Path | None
    pengine: Path | None
    cib_text: str
    definition: dict[str, str]
    command: str
    # what was collected from each node itself (its own log and pengine directory; None: not found)
    node_files: dict[str, tuple[Path | None, Path | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # nodes that could not be collected, and why


def build(spec: ReportSpec, env: Mapping[str, str]) -> Path:
    """Collect into a temporary directory, analyse, pack ``spec.name``.tar.bz2; returns its path."""
    tarball = spec.name.with_name(spec.name.name + ".tar.bz2")
    with tempfile.TemporaryDirectory(prefix="crm-report-") as tmp:
        top = Path(tmp) / spec.name.name
        top.mkdir()
        node_lines = _split_log(spec)
        shared = _shared_files(spec)
        for node in spec.nodes:
            folder = top / node
            folder.mkdir()
            (folder / "ha-log.txt").write_text(mask_text("".join(node_lines.get(node, []))), encoding="utf-8")
            for name, text in shared.items():
                (folder / name).write_text(mask_text(text), encoding="utf-8")
            own_pengine = spec.node_files[node][1] if node in spec.node_files else None
            if own_pengine is not None and own_pengine.is_dir():
                _copy_inputs(spec, folder / "pengine", own_pengine)
            elif node not in spec.node_files and node == spec.dc and spec.pengine is not None \
                    and spec.pengine.is_dir():
                _copy_inputs(spec, folder / "pengine", spec.pengine)
        description = _description(spec)
        (top / "description.txt").write_text(description, encoding="utf-8")
        (top / "analysis.txt").write_text(analysis(top, env), encoding="utf-8")
        staging = tarball.with_name(f".{tarball.name}.{os.getpid()}.tmp")
        try:
            with tarfile.open(staging, "w:bz2") as archive:
                archive.add(top, arcname=spec.name.name)
            os.replace(staging, tarball)
        except OSError as error:
            staging.unlink(missing_ok=True)
            raise CommandError(f"cannot write {tarball}: {error.strerror or error}") from None
    return tarball


def _split_log(spec: ReportSpec) -> dict[str, list[str]]:
    """The log's lines within the period, per node: a node's own log when it was collected from
    it, else its lines of the shared log (lines of unknown nodes go to the DC)."""
    out: dict[str, list[str]] = {node: [] for node in spec.nodes}
    for node, (log, _) in spec.node_files.items():
        if log is not None and log.is_file():
            out[node] = [line.raw + "\n" for line in logscan.scan(log, everything=True) if _in_period(spec, line.ts)]
    if spec.log is None or not spec.log.is_file() or all(node in spec.node_files for node in spec.nodes):
        return out
    for line in logscan.scan(spec.log, everything=True):
        if not _in_period(spec, line.ts):
            continue
        owner = line.node if line.node in out else spec.dc
        if owner not in spec.node_files:
            out.setdefault(owner, []).append(line.raw + "\n")
    return out


def _in_period(spec: ReportSpec, ts: float) -> bool:
    return (spec.start is None or ts >= spec.start) and (spec.end is None or ts <= spec.end)


def _shared_files(spec: ReportSpec) -> dict[str, str]:
    """Files every node folder holds (one cluster, one CIB: the bundled engine shares them)."""
    files = {"cib.xml": spec.cib_text}
    files.update(spec.definition)
    for name, argv in (("crm_mon.txt", ["crm_mon", "-1", "-r", "-f"]), ("crm_verify.txt", ["crm_verify", "-L", "-V"])):
        rc, out, err = spec.run_tool(argv)
        files[name] = out + err + ("" if rc == 0 else f"(exit code {rc})\n")
    files["agents.txt"] = _agents(spec)
    files["sysinfo.txt"] = _sysinfo()
    return files


def _agents(spec: ReportSpec) -> str:
    """``class:provider:type version`` of each agent the configuration uses."""
    found = sorted(set(re.findall(r"<primitive\b[^>]*>", spec.cib_text)))
    agents = set()
    for tag in found:
        attrs = dict(re.findall(r"(\w+)=\"([^\"]*)\"", tag))
        if "type" not in attrs:
            continue
        name = ":".join(p for p in (attrs.get("class", ""), attrs.get("provider", ""), attrs["type"]) if p)
        agents.add(name)
    lines = []
    for agent in sorted(agents):
        rc, out, _ = spec.run_tool(["crm_resource", f"--show-metadata={agent}"])
        match = re.search(r"<resource-agent[^>]*\bversion=\"([^\"]+)\"", out) or \
            re.search(r"<version>\s*([^<\s]+)\s*</version>", out)
        lines.append(f"{agent} {match.group(1) if match and rc == 0 else 'unknown'}")
    return "\n".join(lines) + ("\n" if lines else "")


def _sysinfo() -> str:
    try:
        from importlib.metadata import version

        own = version("crmsh_py")
    except Exception:  # noqa: BLE001 - not installed as a distribution: say so
        own = "unknown"
    return (f"crmsh_py {own}\nPython {platform.python_version()}\nPlatform {platform.platform()}\n"
            f"Host {socket.gethostname()}\n")


def _copy_inputs(spec: ReportSpec, target: Path, pengine: Path) -> None:
    """The saved inputs of ``pengine`` modified within the period, masked and recompressed."""
    target.mkdir()
    for path in sorted(pengine.glob("pe-*-*.bz2")):
        mtime = path.stat().st_mtime
        if (spec.start is not None and mtime < spec.start) or (spec.end is not None and mtime > spec.end + 60):
            continue
        try:
            text = bz2.decompress(path.read_bytes()).decode("utf-8", "replace")
        except (OSError, EOFError, ValueError):
            shutil.copy2(path, target / path.name)  # unreadable: kept as it is for the analyst
            continue
        (target / path.name).write_bytes(bz2.compress(mask_text(text).encode("utf-8")))
        os.utime(target / path.name, (mtime, mtime))
    for last in pengine.glob("pe-*.last"):
        shutil.copy2(last, target / last.name)


def _description(spec: ReportSpec) -> str:
    try:
        import pwd

        user = pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        user = str(os.geteuid())
    return "\n".join([
        f"Date: {timefmt.show(time.time())}",
        f"By: {user}",
        f"Period: {timefmt.show(spec.start) if spec.start else 'beginning of the log'} - "
        f"{timefmt.show(spec.end) if spec.end else 'now'}",
        f"Nodes: {' '.join(spec.nodes)}",
        f"DC: {spec.dc}",
        f"Command: {' '.join(mask_secrets(spec.command.split()))}",
        *(f"Not collected: {note}" for note in spec.notes),
    ]) + "\n"


def analysis(top: Path, env: Mapping[str, str]) -> str:
    """Failed actions, fencing, transitions with warnings or errors, errors in the logs."""
    from crmsh_py.lowlevel.history.view import Query

    query = Query(sources.from_directory(top, str(top)))
    history = query.history
    failed = [e.line.raw for e in history.events
              if e.kind == "resource" and e.line.level in ("error", "crit")]
    fencing = [e.line.raw for e in history.events if e.kind == "fencing"]
    flagged = [f"{t.label} (transition {t.number}, with {t.kind})" for t in history.transitions if t.kind != "input"]
    errors = [e.line.raw for e in history.events if e.kind in ("error", "warning")]
    out = ["Analysis of the report", "======================", ""]
    for title, items in (("Failed actions", failed), ("Fencing", fencing),
                         ("Transitions with warnings or errors", flagged), ("Errors and warnings in the logs", errors)):
        out.append(f"{title}: {len(items) if items else 'none'}")
        out.extend(f"  {item}" for item in items[:200])
        if len(items) > 200:
            out.append(f"  ... and {len(items) - 200} more")
        out.append("")
    out.append(f"Transitions: {len(history.transitions)}; shell commands: {len(history.commands)}")
    return "\n".join(out) + "\n"


def read_text(path: Path) -> str:
    """A file's text, or ``""`` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def captured(run: Callable[[list[str], object], int], argv: list[str], env: Mapping[str, str]) -> tuple[int, str, str]:
    """Run an in-process tool ``run(argv, io)`` and capture its result."""
    from crmsh_py.lowlevel.toolio import ToolIO

    tool_io = ToolIO(io.StringIO(""), io.StringIO(), io.StringIO(), dict(env))
    rc = run(argv, tool_io)
    return rc, tool_io.stdout.getvalue(), tool_io.stderr.getvalue()  # type: ignore[attr-defined]
