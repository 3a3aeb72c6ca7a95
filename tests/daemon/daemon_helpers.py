"""Shared helpers of the engine daemon tests (helper I): a bundled cluster with a configuration,
our tools and bounded waits (from tests/support), and a scan for leftover daemon processes."""

from __future__ import annotations

import os
from pathlib import Path

from support.bundled import DEMO as BUNDLED_DEMO
from support.ours import tool
from support.waiting import wait_for

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import Configuration
from crmsh_py.engine import daemon_control
from crmsh_py.engine.definition import dump_definition
from crmsh_py.engine.controller import bundled_cluster, init_cluster
from crmsh_py.engine.store import BundledCluster, read_definition
from crmsh_py.lang import parse

# The reference demo's configuration (tests/support/bundled) with a 1s monitor (the demo uses 10s).
DEMO = BUNDLED_DEMO.replace("op monitor interval=10s", "op monitor interval=1s")
assert DEMO != BUNDLED_DEMO
STONITH = DEMO.replace("stonith-enabled=false", "stonith-enabled=true") + \
    'primitive st stonith:external/ssh params hostlist="srv01 srv02"\n'

# An OCF agent whose monitor hangs while the file "hang" exists in HA_RSCTMP (it first
# touches "hanging", so a test knows the monitor has begun).
HANG_AGENT = """#!/bin/sh
state="$HA_RSCTMP/Hang-$OCF_RESOURCE_INSTANCE.state"
case "$1" in
  meta-data) cat <<'XML'
<?xml version="1.0"?>
<resource-agent name="Hang" version="1.0"><version>1.0</version>
<longdesc lang="en">test agent</longdesc><shortdesc lang="en">test agent</shortdesc>
<parameters/>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
XML
  exit 0;;
  start) touch "$state"; exit 0;;
  stop) rm -f "$state"; exit 0;;
  monitor)
    if [ -e "$HA_RSCTMP/hang" ] && [ -e "$state" ]; then touch "$HA_RSCTMP/hanging"; sleep 30; fi
    [ -e "$state" ] && exit 0 || exit 7;;
  *) exit 3;;
esac
"""

HANG_CONFIG = """property stonith-enabled=false
rsc_defaults migration-threshold=1 resource-stickiness=INFINITY
primitive h ocf:testing:Hang op monitor interval=1s timeout=2s
"""


def install_hang_agent(directory: Path) -> Path:
    """Install ``ocf:testing:Hang`` under ``directory``; returns the value for ``CRM_OCF_PATH``."""
    agents = directory / "ocf" / "resource.d"
    (agents / "testing").mkdir(parents=True, exist_ok=True)
    path = agents / "testing" / "Hang"
    path.write_text(HANG_AGENT, encoding="utf-8")
    path.chmod(0o755)
    return agents


def make_cluster(directory: Path, config: str, reboot_delay: float | None = None,
                 env: dict[str, str] | None = None) -> BundledCluster:
    """A new 2-node bundled cluster in ``directory`` running ``config`` (crm syntax), settled
    with ``env`` (``CRM_OCF_PATH`` for test agents)."""
    init_cluster(directory)
    if reboot_delay is not None:
        definition = read_definition(directory / "cluster.yaml")
        definition.reboot_delay = reboot_delay
        (directory / "cluster.yaml").write_text(dump_definition(definition), encoding="utf-8")
    cluster = bundled_cluster(directory, dict(os.environ) if env is None else env)
    load_config(cluster, config)
    return cluster


def load_config(cluster: BundledCluster, config: str) -> None:
    """Replace the configuration (all but <nodes>) with ``config`` and settle."""
    new = xmlio.configuration_to_xml(Configuration(elements=parse(config)))
    with cluster.mutate("cibadmin") as snap:
        section = snap.section("configuration")
        for child in list(section):
            if child.tag != "nodes":
                section.remove(child)
        for child in new:
            if child.tag != "nodes":
                section.append(child)


def daemon_processes(directory: Path) -> list[int]:
    """Live (non-zombie) processes whose command line names ``directory`` as a daemon's cluster."""
    target = str(directory.resolve()).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if target in cmdline.split(b"\0") and b"run-daemon" in cmdline and \
                daemon_control.process_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def pid_of(directory: Path) -> int | None:
    """The running daemon's pid."""
    return daemon_control.running_pid(directory)


__all__ = ["DEMO", "HANG_AGENT", "HANG_CONFIG", "STONITH", "daemon_processes", "install_hang_agent", "load_config", "make_cluster", "pid_of",
           "tool", "wait_for"]
