"""``crm_resource --force-start|--force-stop|--force-check|--force-promote|--force-demote|--validate``.

Pacemaker runs the resource's agent on the local node, bypassing the cluster (what ``crm
maintenance action`` relies on).  The bundled cluster does the same on the node the tools run
"on" (its first node), with that node's agent state directory, and records nothing in the CIB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.rsc_common import TOOL, Result, failure, find_resource, not_found

if TYPE_CHECKING:
    from crmsh_py.engine.facade import Cluster

# option → (agent action, interval 0)
FORCE_ACTIONS: dict[str, str] = {
    "force-start": "start",
    "force-stop": "stop",
    "force-check": "monitor",
    "force-promote": "promote",
    "force-demote": "demote",
    "validate": "validate-all",
}
# Pacemaker's words for OCF results (services_ocf_exitcode_str)
OCF_TEXT: dict[int, str] = {
    0: "ok", 1: "error", 2: "invalid parameter", 3: "unimplemented feature", 4: "insufficient privileges",
    5: "not installed", 6: "not configured", 7: "not running", 8: "promoted", 9: "promoted (failed)",
}


def force(cluster: "Cluster", rsc: str, option: str) -> Result:
    """Run ``option``'s agent action for primitive ``rsc`` on the local node."""
    from crmsh_py.engine import facade

    snap = cluster.read()
    element = find_resource(snap.root, rsc)
    if element is None:
        return not_found(rsc)
    if element.tag != "primitive":
        kind = {"group": "group", "clone": "clone", "master": "clone", "bundle": "bundle"}[element.tag]
        return Result(err=[f"Sorry, the {option} option doesn't support {kind} resources",
                           f"{TOOL}: Error performing operation: Unimplemented"],
                      rc=exitcodes.CRM_EX_UNIMPLEMENT_FEATURE)
    node = cluster.local_node()
    if cluster.offline or node is None:
        return failure(exitcodes.CRM_EX_UNAVAILABLE,
                       "no local node to run the agent on (a CIB_file cluster runs nothing)")
    cfg = snap.configuration
    spec = facade.resource_spec(cfg, rsc)
    if spec is None:
        return not_found(rsc)
    action = FORCE_ACTIONS[option]
    result = facade.run_resource_op(cluster, cfg, spec, rsc, node, action)
    rc = result.rc if 0 <= result.rc <= 9 else exitcodes.CRM_EX_ERROR
    out = [f"Operation {option} for {rsc} ({spec.agent}) returned {rc} ({OCF_TEXT.get(rc, 'error')})"]
    err = [] if rc == 0 else [f"{TOOL}: Error performing operation: {exitcodes.exit_text(rc)}"]
    return Result(out=out, err=err, rc=rc)
