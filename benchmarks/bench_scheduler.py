"""Benchmark the scheduler on generated clusters, side by side with Pacemaker's crm_simulate.

    python benchmarks/bench_scheduler.py                 # 1,000 and 10,000 resources x 32 nodes
    python benchmarks/bench_scheduler.py --resources 1000 --nodes 32 --no-pacemaker

Each cluster has plain primitives, groups of three, a few clones, colocations and orders; half of
the primitives already run somewhere (so stickiness, moves and monitors all appear).  It prints the
plan time, the action count and the peak RSS of this process; when ``/usr/sbin/crm_simulate`` is
installed it writes the same cluster as a CIB and times ``crm_simulate -S -x`` on it... with
``-R`` (run, no simulation of results) so both sides compute the same transition.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from crmsh_py.cib.model import (Agent, AttrSet, ClusterSet, Clone, Colocation, Configuration, Group, Location,
                                NVPair, Op, Order, Primitive, ResourceRef)
from crmsh_py.engine.scheduler import plan
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory

CRM_SIMULATE = "/usr/sbin/crm_simulate"


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
    i = 0
    while i < resources:
        if i % 100 == 0 and i + 1 <= resources:  # a clone every 100 resources
            elements += [_prim(f"c{i}"), Clone(f"cl{i}", child=f"c{i}",
                                               attr_sets=[AttrSet("meta", [NVPair("interleave", "true")])])]
            tops.append(f"cl{i}")
            i += 1
        elif i % 10 == 1 and i + 3 <= resources:  # groups of three
            members = [f"g{i}m{k}" for k in range(3)]
            elements += [_prim(m) for m in members] + [Group(f"g{i}", children=members)]
            tops.append(f"g{i}")
            i += 3
        else:
            elements.append(_prim(f"r{i}"))
            tops.append(f"r{i}")
            if i % 2 == 0:  # half of the plain primitives already run
                node = status.nodes[names[i % nodes]]
                hist = node.resources.setdefault(f"r{i}", ResourceHistory(f"r{i}", "ocf", "Dummy", "heartbeat"))
                hist.ops.append(OpRecord("start", 0, 0, call, on_node=node.name))
                hist.ops.append(OpRecord("monitor", 10000, 0, call + 1, on_node=node.name))
                call += 2
            i += 1
    for k, top in enumerate(tops):
        if k % 7 == 3:
            elements.append(Location(f"loc{k}", resource=ResourceRef(top), node=names[k % nodes], score="50"))
        if k % 11 == 5 and k + 1 < len(tops):
            elements.append(Colocation(f"col{k}", score="INFINITY",
                                       items=[ResourceRef(tops[k + 1]), ResourceRef(top)]))
        if k % 13 == 6 and k + 1 < len(tops):
            elements.append(Order(f"ord{k}", kind="Mandatory", items=[ResourceRef(top), ResourceRef(tops[k + 1])]))
    return Configuration(elements), status


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_cib(cfg: Configuration, status: ClusterStatus, path: str) -> bool:
    """The cluster as a CIB file for crm_simulate; False if the XML writers are not available."""
    try:
        from crmsh_py.cib.xmlio import configuration_to_xml
        from crmsh_py.engine.definition import ClusterDefinition, NodeDef
        from crmsh_py.engine.status_xml import status_to_xml
    except ImportError:
        return False
    definition = ClusterDefinition(nodes=[NodeDef(n.name, int(n.node_id), n.node_id) for n in status.nodes.values()])
    root = ET.Element("cib", {"crm_feature_set": "3.16.2", "validate-with": "pacemaker-3.9", "epoch": "1",
                              "num_updates": "0", "admin_epoch": "0", "have-quorum": "1", "dc-uuid": "1"})
    configuration = configuration_to_xml(cfg)
    nodes_el = configuration.find("nodes")
    if nodes_el is not None:
        for n in status.nodes.values():
            ET.SubElement(nodes_el, "node", {"id": n.node_id, "uname": n.name})
    root.append(configuration)
    root.append(status_to_xml(status, definition))
    ET.ElementTree(root).write(path)
    return True


def run(resources: int, nodes: int, pacemaker: bool) -> None:
    cfg, status = build(resources, nodes)
    start = time.perf_counter()
    transition = plan(cfg, status)
    ours = time.perf_counter() - start
    line = (f"{resources:>6} resources x {nodes} nodes: plan {ours:6.2f}s, {len(transition.actions)} actions, "
            f"peak RSS {peak_rss_mb():.0f} MiB")
    if pacemaker and os.path.exists(CRM_SIMULATE):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cib.xml")
            if write_cib(cfg, status, path):
                start = time.perf_counter()
                proc = subprocess.run([CRM_SIMULATE, "-R", "-Q", "-x", path], capture_output=True, text=True)
                theirs = time.perf_counter() - start
                line += f"; crm_simulate -R {theirs:6.2f}s (rc {proc.returncode})"
            else:
                line += "; crm_simulate skipped (no XML writer)"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--nodes", type=int, default=32)
    parser.add_argument("--no-pacemaker", action="store_true", help="do not run crm_simulate")
    args = parser.parse_args()
    for count in args.resources:
        run(count, args.nodes, not args.no_pacemaker)


if __name__ == "__main__":
    main()
