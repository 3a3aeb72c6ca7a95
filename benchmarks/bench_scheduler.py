"""Scheduler on generated clusters, side by side with Pacemaker's ``crm_simulate -S -x``.

    python benchmarks/bench_scheduler.py                 # 1,000 and 10,000 resources x 32 nodes
    python benchmarks/bench_scheduler.py --resources 1000 --nodes 32 --no-pacemaker

Each cluster has plain primitives, groups of three, clones (one every 100 resources), locations,
colocations and orders.  The status is a settled cluster's: every resource was probed on every
node (``monitor_0`` not running) and half of the plain primitives run somewhere (start + a 10 s
monitor, with Pacemaker's operation digests so nothing looks changed); the rest must be started.
The same CIB file goes to our ``crm_simulate -S -x`` and to Pacemaker's (both as processes: wall
time and peak RSS); ``plan`` is our scheduler alone, in this process, on the model already built.
Target (issues 3 and 7): within 2x of Pacemaker's time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from crmsh_py.cib.model import (Agent, AttrSet, ClusterSet, Clone, Colocation, Configuration, Group, Location,
                                NVPair, Op, Order, Primitive, ResourceRef)
from crmsh_py.engine.digest import op_digest
from crmsh_py.engine.scheduler import plan
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import TIMED_OUT, Timing, bin_path, cell, fmt_row, python_env, run_timed  # noqa: E402

CRM_SIMULATE = "/usr/sbin/crm_simulate"
WIDTHS = (10, 8, 8, 10, 6, 16, 6, 8, 15, 8)


PLAIN = op_digest({})  # our generated primitives have no parameters
RECURRING = op_digest({}, 10000, 20000)


def _prim(rid: str) -> Primitive:
    ops = [Op("start", "0s", [NVPair("timeout", "20s")]), Op("monitor", "10s", [NVPair("timeout", "20s")]),
           Op("stop", "0s", [NVPair("timeout", "20s")])]
    return Primitive(rid, agent=Agent("ocf", "Dummy", "heartbeat"), ops=ops)


def build(resources: int, nodes: int) -> tuple[Configuration, ClusterStatus]:
    """A cluster with ``resources`` primitives (some in groups and clones) on ``nodes`` nodes."""
    names = [f"node{i:02d}" for i in range(1, nodes + 1)]
    elements: list = [
        ClusterSet("cib-bootstrap-options", kind="property",
                   nvpairs=[NVPair("stonith-enabled", "false"), NVPair("no-quorum-policy", "ignore")]),
        ClusterSet("rsc-options", kind="rsc_defaults", nvpairs=[NVPair("resource-stickiness", "100")]),
    ]
    status = ClusterStatus(now=1_700_000_000)
    for i, name in enumerate(names, 1):
        status.nodes[name] = NodeStatus(name, str(i), joined_at=1)
    call = 1
    tops: list[str] = []
    primitives: list[str] = []
    i = 0
    while i < resources:
        if i % 100 == 0 and i + 1 <= resources:  # a clone every 100 resources
            primitives.append(f"c{i}")
            elements += [_prim(f"c{i}"), Clone(f"cl{i}", child=f"c{i}",
                                               attr_sets=[AttrSet("meta", [NVPair("interleave", "true")])])]
            tops.append(f"cl{i}")
            i += 1
        elif i % 10 == 1 and i + 3 <= resources:  # groups of three
            members = [f"g{i}m{k}" for k in range(3)]
            primitives += members
            elements += [_prim(m) for m in members] + [Group(f"g{i}", children=members)]
            tops.append(f"g{i}")
            i += 3
        else:
            elements.append(_prim(f"r{i}"))
            primitives.append(f"r{i}")
            tops.append(f"r{i}")
            if i % 2 == 0:  # half of the plain primitives already run
                node = status.nodes[names[i % nodes]]
                hist = node.resources.setdefault(f"r{i}", ResourceHistory(f"r{i}", "ocf", "Dummy", "heartbeat"))
                # replaces its probe; digests as the engine records them (nothing looks changed)
                hist.ops.append(OpRecord("start", 0, 0, call, on_node=node.name, op_digest=PLAIN))
                hist.ops.append(OpRecord("monitor", 10000, 0, call + 1, on_node=node.name, op_digest=RECURRING))
                call += 2
            i += 1
    for node in status.nodes.values():  # every node probed every resource: "not running" (rc 7)
        for rid in primitives:
            if rid not in node.resources:
                hist = node.resources[rid] = ResourceHistory(rid, "ocf", "Dummy", "heartbeat")
                hist.ops.append(OpRecord("monitor", 0, 7, call, expected_rc=7, on_node=node.name))
                call += 1
    for k, top in enumerate(tops):
        if k % 7 == 3:
            elements.append(Location(f"loc{k}", resource=ResourceRef(top), node=names[k % nodes], score="50"))
        if k % 11 == 5 and k + 1 < len(tops):
            elements.append(Colocation(f"col{k}", score="INFINITY",
                                       items=[ResourceRef(tops[k + 1]), ResourceRef(top)]))
        if k % 13 == 6 and k + 1 < len(tops):
            elements.append(Order(f"ord{k}", kind="Mandatory", items=[ResourceRef(top), ResourceRef(tops[k + 1])]))
    return Configuration(elements), status


def _status_xml(status: ClusterStatus) -> ET.Element:
    """The status section as Pacemaker's controller writes it (with operation digests).

    Built directly rather than with ``status_xml.record_op`` (which looks entries up one by one:
    fine for a live cluster, slow for 320,000 history entries)."""
    from crmsh_py.engine.digest import op_digest

    element = ET.Element("status")
    plain = op_digest({})  # our generated primitives have no parameters
    recurring = op_digest({}, 10000, 20000)
    for node in status.nodes.values():
        state = ET.SubElement(element, "node_state", {
            "id": node.node_id, "uname": node.name, "in_ccm": "true", "crmd": "online", "join": "member",
            "expected": "member"})
        lrm = ET.SubElement(ET.SubElement(state, "lrm", {"id": node.node_id}), "lrm_resources")
        for hist in node.resources.values():
            rsc = ET.SubElement(lrm, "lrm_resource", {"id": hist.rsc_id, "class": hist.ra_class,
                                                      "provider": hist.provider or "", "type": hist.ra_type})
            for op in hist.ops:
                key = f"{hist.rsc_id}_{op.task}_{op.interval_ms}"
                tkey = f"0:0:{op.expected_rc}:c0ffee00-0000-4000-8000-000000000000"
                ET.SubElement(rsc, "lrm_rsc_op", {
                    "id": f"{hist.rsc_id}_last_0" if op.interval_ms == 0 else key, "operation_key": key,
                    "operation": op.task, "crm-debug-origin": "bench", "crm_feature_set": "3.16.1",
                    "transition-key": tkey, "transition-magic": f"0:{op.rc};{tkey}", "exit-reason": "",
                    "on_node": node.name, "call-id": str(op.call_id), "rc-code": str(op.rc), "op-status": "0",
                    "interval": str(op.interval_ms), "last-rc-change": "1700000000", "exec-time": "1",
                    "queue-time": "0", "op-digest": recurring if op.interval_ms else plain})
    return element


def write_cib(cfg: Configuration, status: ClusterStatus, path: str) -> None:
    """The cluster as one CIB file for both crm_simulates."""
    from crmsh_py.cib.xmlio import configuration_to_xml

    root = ET.Element("cib", {"crm_feature_set": "3.16.1", "validate-with": "pacemaker-3.9", "epoch": "1",
                              "num_updates": "0", "admin_epoch": "0", "have-quorum": "1", "dc-uuid": "1"})
    configuration = configuration_to_xml(cfg)
    nodes_el = configuration.find("nodes")
    if nodes_el is None:
        nodes_el = ET.SubElement(configuration, "nodes")
    for n in status.nodes.values():
        ET.SubElement(nodes_el, "node", {"id": n.node_id, "uname": n.name})
    root.append(configuration)
    root.append(_status_xml(status))
    ET.ElementTree(root).write(path)


def report(sizes: list[int], nodes: int = 32, pacemaker: bool = True, limit_s: float = 900.0) -> list[str]:
    """The comparison table as lines."""
    lines = [f"scheduler: one run each on the same CIB file ({nodes} nodes, settled status); peak RSS in MiB",
             fmt_row(("resources", "actions", "plan s", "ours -S s", "RSS", "Pacemaker -S s", "RSS",
                      "ours/-S", "Pacemaker -R s", "ours/-R"), WIDTHS)]
    work = tempfile.mkdtemp(prefix="bench-sched-")
    env = dict(python_env(work), CRM_SYSLOG_SOCKET=os.path.join(work, "no-syslog"))
    for count in sizes:
        cfg, status = build(count, nodes)
        start = time.perf_counter()
        transition = plan(cfg, status)
        planned = time.perf_counter() - start
        path = os.path.join(work, f"cib-{count}.xml")
        write_cib(cfg, status, path)
        mine = run_timed([bin_path("crm_simulate"), "-S", "-x", path], env=env, runs=1, limit_s=limit_s)
        theirs = plan_only = Timing(float("nan"), 0.0, 127)
        if pacemaker and os.path.exists(CRM_SIMULATE):
            plan_only = run_timed([CRM_SIMULATE, "-R", "-x", path], env=env, runs=1, limit_s=limit_s)
            theirs = run_timed([CRM_SIMULATE, "-S", "-x", path], env=env, runs=1, limit_s=limit_s)

        def versus(other: Timing) -> str:
            """ours / theirs ("<" when theirs was killed at the limit)."""
            if mine.rc != 0 or other.rc not in (0, TIMED_OUT):
                return "-"
            return f"{'<' if other.rc == TIMED_OUT else ''}{mine.median_s / other.median_s:.2f}x"

        lines.append(fmt_row((count, len(transition.actions), f"{planned:.2f}", cell(mine, 2),
                              f"{mine.peak_mib:.0f}", cell(theirs, 2) if theirs.rc != 127 else "n/a",
                              f"{theirs.peak_mib:.0f}" if theirs.rc != 127 else "",
                              versus(theirs), cell(plan_only, 2) if plan_only.rc != 127 else "n/a",
                              versus(plan_only)), WIDTHS))
        os.unlink(path)
    shutil.rmtree(work, ignore_errors=True)
    lines.append("target: ours <= 2x theirs.  -S plans and simulates the execution; -R only plans")
    return lines


def main() -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--nodes", type=int, default=32)
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before a run is killed")
    parser.add_argument("--no-pacemaker", action="store_true", help="do not run Pacemaker's crm_simulate")
    args = parser.parse_args()
    print("\n".join(report(args.resources, args.nodes, not args.no_pacemaker, args.limit)))


if __name__ == "__main__":
    main()
