"""Small pieces the ``crm_resource`` action modules share: finding resources and nodes in CIB XML,
and the error results Pacemaker's ``crm_resource`` reports."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib.vocabulary import RESOURCE_TAGS
from crmsh_py.lowlevel import exitcodes
from crmsh_py.records import field, record

TOOL = "crm_resource"


@record
class Result:
    """What an action prints and returns: stdout lines, stderr lines, exit code."""

    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    rc: int = exitcodes.CRM_EX_OK


def failure(rc: int, *messages: str) -> Result:
    """Pacemaker's error shape: ``crm_resource: MSG`` lines then ``Error performing operation: TEXT``."""
    err = [f"{TOOL}: {m}" for m in messages]
    if messages:
        err.append(f"Error performing operation: {exitcodes.exit_text(rc)}")
    else:
        err.append(f"{TOOL}: Error performing operation: {exitcodes.exit_text(rc)}")
    return Result(err=err, rc=rc)


def not_found(rsc: str) -> Result:
    """``Resource 'x' not found`` (exit 105)."""
    return failure(exitcodes.CRM_EX_NOSUCH, f"Resource '{rsc}' not found")


def find_resource(root: ET.Element, rsc_id: str) -> ET.Element | None:
    """The resource element (primitive, group, clone, bundle) with this id, at any depth."""
    resources = root.find("configuration/resources")
    if resources is None:
        return None
    for x in resources.iter():
        if x.tag in RESOURCE_TAGS and x.get("id") == rsc_id:
            return x
    return None


def node_names(root: ET.Element) -> list[str]:
    """Configured node names, in CIB order."""
    return [n.get("uname") or n.get("id") or "" for n in root.findall("configuration/nodes/node")]


def constraints(root: ET.Element) -> ET.Element:
    """The ``<constraints>`` section (created when missing)."""
    cfg = root.find("configuration")
    if cfg is None:
        cfg = ET.SubElement(root, "configuration")
    section = cfg.find("constraints")
    if section is None:
        section = ET.SubElement(cfg, "constraints")
    return section
