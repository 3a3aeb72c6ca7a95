"""``crm_report``: collect the cluster's logs, CIB, transition inputs and state into a tarball
(our own tool; ``crm report`` runs it).  See :mod:`crmsh_py.lowlevel.history.report` for the layout.

::

    crm_report [-f FROM] [-t TO] [--dest DEST | DEST] [-Z] [--live bundled|pacemaker]

``DEST`` (default ``crm_report-<Day>-<DD>-<Mon>-<YYYY>`` in the current directory) names the
report; ``DEST.tar.bz2`` is written.  ``-Z`` replaces an existing one.  Times as for
``crm history limit``.  On Pacemaker (``--live pacemaker``) every node of the CIB gives its own
log and transition inputs: this machine's are read here, the other nodes' fetched over SSH
(:mod:`crmsh_py.lowlevel.history.collect`); a node that cannot be reached is named in the
report's description and the others are still collected.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from crmsh_py.errors import CommandError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.history import collect, report, sources, timefmt
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

TOOL = "crm_report"
SPEC = [Opt("f", "from", arg=True), Opt("t", "to", arg=True), Opt(None, "dest", arg=True), Opt("Z", "overwrite"),
        Opt(None, "live", arg=True)]


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    from crmsh_py.invocation import log_invocation

    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        parsed = parse_options(TOOL, args, SPEC)
        answered = help_or_version(parsed, io, lambda: usage_from_spec(TOOL, SPEC, "collect a cluster report") + __doc__)
        if answered is not None:
            return answered
    except UsageError as error:
        return error.report(io)
    dest = parsed.get("dest")
    dests = ([dest] if dest else []) + parsed.positional
    if len(dests) > 1:
        io.err(f"{TOOL}: one destination only (got {' '.join(dests)})")
        return exitcodes.CRM_EX_USAGE
    try:
        start = timefmt.parse_time(parsed.get("from") or "") if parsed.get("from") else None
        end = timefmt.parse_time(parsed.get("to") or "") if parsed.get("to") else None
        if start is not None and end is not None and end < start:
            raise CommandError("the end of the period (-t) is before its start (-f)")
        name = Path(dests[0] if dests else time.strftime("crm_report-%a-%d-%b-%Y"))
        name = name.with_name(name.name.removesuffix(".tar.bz2"))
        tarball = name.with_name(name.name + ".tar.bz2")
        if tarball.exists() and not parsed.has("overwrite"):
            raise CommandError(f"{tarball} exists: remove it or use -Z to replace it")
        if not name.parent.is_dir():
            raise CommandError(f"{name.parent}: no such directory")
        live = parsed.get("live") or "bundled"
        with tempfile.TemporaryDirectory(prefix="crm-report-nodes-") as fetched:
            if live == "pacemaker":
                spec = _pacemaker_spec(name, start, end, io.env, " ".join([TOOL, *args]), Path(fetched))
            else:
                spec = _bundled_spec(name, start, end, io.env, " ".join([TOOL, *args]))
            for note in spec.notes:
                io.err(f"{TOOL}: warning: not collected from {note}")
            written = report.build(spec, io.env)
    except CommandError as error:
        io.err(f"{TOOL}: {error.message()}")
        return exitcodes.CRM_EX_ERROR
    io.out(f"Report saved in '{written.resolve()}'")
    return exitcodes.CRM_EX_OK


def _bundled_spec(name: Path, start: float | None, end: float | None, env: Mapping[str, str],
                  command: str) -> report.ReportSpec:
    from crmsh_py.engine.facade import BundledCluster, dc_name, open_cluster
    from crmsh_py.lowlevel.registry import run_tool

    cluster = open_cluster(env)
    if not isinstance(cluster, BundledCluster):
        raise CommandError("CIB_file is set: there is no cluster to report on (unset CIB_file)")
    snap = cluster.read()
    directory = cluster.directory

    def run(argv: list[str]) -> tuple[int, str, str]:
        return report.captured(run_tool, argv, env)  # type: ignore[arg-type]

    return report.ReportSpec(
        name=name, start=start, end=end, nodes=list(cluster.definition.node_names),
        dc=dc_name(snap.root, snap.definition) or (cluster.local_node() or ""),
        run_tool=run, log=directory / "ha-log", pengine=directory / "pengine",
        cib_text=report.read_text(directory / "cib.xml"),
        definition={"cluster.yaml": report.read_text(directory / "cluster.yaml")}, command=command)


def _pacemaker_spec(name: Path, start: float | None, end: float | None, env: Mapping[str, str],
                    command: str, fetched: Path) -> report.ReportSpec:
    import re
    import socket

    def run(argv: list[str]) -> tuple[int, str, str]:
        for directory in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
            path = Path(directory) / argv[0]
            if path.is_file() and os.access(path, os.X_OK):
                try:
                    done = subprocess.run([str(path), *argv[1:]], capture_output=True, text=True, timeout=120,
                                          env=dict(env), stdin=subprocess.DEVNULL)
                except (OSError, subprocess.TimeoutExpired) as error:
                    return 1, "", f"{argv[0]}: {error}\n"
                return done.returncode, done.stdout, done.stderr
        return 127, "", f"{argv[0]}: not installed\n"

    rc, cib_text, err = run(["cibadmin", "-Q"])
    if rc != 0:
        raise CommandError(f"cibadmin -Q failed: {err.strip() or rc}")
    nodes = re.findall(r"<node\b[^>]*\buname=\"([^\"]+)\"", cib_text) or [socket.gethostname().split(".")[0]]
    logs = [env["CRM_PACEMAKER_LOG"]] if env.get("CRM_PACEMAKER_LOG") else list(sources.PACEMAKER_LOGS)
    log = next((Path(p) for p in logs if Path(p).is_file()), None)
    rc, dc_out, _ = run(["crmadmin", "-D", "-q"])
    dc = dc_out.strip() if rc == 0 and dc_out.strip() in nodes else nodes[0]
    pengine = Path(env.get("CRM_PENGINE_DIR") or sources.PACEMAKER_PENGINE)
    node_files, notes = sources.collect_nodes(nodes, env, logs, pengine, start, fetched)
    if log is not None:
        node_files.update({n: (log, pengine) for n in nodes if collect.is_local(n)})
    return report.ReportSpec(
        name=name, start=start, end=end, nodes=nodes, dc=dc, run_tool=run, log=log, pengine=pengine,
        cib_text=cib_text, definition={"corosync.conf": report.read_text(Path("/etc/corosync/corosync.conf"))},
        command=command, node_files=node_files, notes=notes)


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
