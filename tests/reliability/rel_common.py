"""Shared plumbing of the reliability proofs (tests/reliability and benchmarks/bench_reliability.py).

Everything here runs against a cluster directory given explicitly (no reliance on the test
fixtures), so the benchmark script can call the same proofs with full counts.
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from support.ours import Outcome, crm, tool

# the proofs' names for the shared in-process runners (benchmarks/bench_reliability.py uses them too)
run_crm = crm
run_tool = tool
__all__ = ["Outcome", "STONITH_OFF", "base_env", "cib_path", "configuration_bytes", "epoch_of", "epoch_of_file", "new_cluster", "python_cmd", "read_root", "run_crm", "run_tool", "stray_files", "zombie_children"]

STONITH_OFF = "stonith-enabled"


def base_env(cluster_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a tool sees for the bundled cluster in ``cluster_dir`` (no real syslog)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CIB_file",)}
    env["CRM_CLUSTER_DIR"] = str(cluster_dir)
    env.setdefault("CRM_SYSLOG_SOCKET", str(cluster_dir.parent / "no-syslog"))
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def new_cluster(cluster_dir: Path, stonith: bool = False) -> Path:
    """A fresh default 2-node bundled cluster; stonith disabled so that resources may start."""
    from crmsh_py.engine.controller import init_cluster

    cluster = init_cluster(cluster_dir)
    if not stonith:
        with cluster.mutate("crm_attribute") as snap:
            props = snap.section("crm_config").find("cluster_property_set")
            assert props is not None
            ET.SubElement(props, "nvpair", {"id": "cib-bootstrap-options-stonith-enabled",
                                             "name": STONITH_OFF, "value": "false"})
    return cluster_dir


def cib_path(cluster_dir: Path) -> Path:
    """The CIB file of a bundled cluster."""
    return cluster_dir / "cib.xml"


def configuration_bytes(root: ET.Element) -> bytes:
    """Whitespace-insensitive serialisation of ``<configuration>`` (for old/new comparisons)."""
    from crmsh_py.engine.cibfile import canonical

    section = root.find("configuration")
    return canonical(section) if section is not None else b""


def epoch_of(cluster_dir: Path) -> int:
    """The ``epoch`` of the CIB on disk."""
    from crmsh_py.engine.cibfile import read_cib

    return int(read_cib(cib_path(cluster_dir)).get("epoch", "0"))


def stray_files(cluster_dir: Path) -> list[str]:
    """Temp files a writer may leave: ``.cib.xml.*.tmp``, ``.cluster.yaml.*.tmp``, agents' ``.attrs-*``."""
    found = [p.name for p in cluster_dir.glob(".*.tmp")]
    found += [str(p.relative_to(cluster_dir)) for p in cluster_dir.glob("nodes/*/rsctmp/.attrs-*")]
    return sorted(found)


def python_cmd() -> list[str]:
    """The interpreter running us (subprocess writers use the same one)."""
    return [sys.executable]


def zombie_children(pid: int | None = None) -> list[int]:
    """Pids of zombie (state Z) processes whose parent is ``pid`` (default: this process)."""
    parent = os.getpid() if pid is None else pid
    zombies: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) S ppid ...": comm may contain spaces and parentheses
        rest = stat[stat.rfind(")") + 2:].split()
        if len(rest) >= 2 and rest[0] == "Z" and int(rest[1]) == parent:
            zombies.append(int(entry))
    return zombies


def read_root(path: Path) -> ET.Element:
    """The parsed ``<cib>`` of a CIB file (CibFileError when broken)."""
    from crmsh_py.engine.cibfile import read_cib

    return read_cib(path)


def epoch_of_file(path: Path) -> int:
    """The ``epoch`` of the CIB file at ``path``."""
    return int(read_root(path).get("epoch", "0"))
