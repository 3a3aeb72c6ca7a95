"""``node show`` and ``node server``: the nodes as the CIB records them, in crmsh's format.

The CIB (``cibadmin -Q``) is the one source that holds node ids, types and attributes on every
backend, live or offline: Pacemaker's ``crm_node -l`` ignores ``CIB_file`` and asks the cluster.
A node is listed when it is configured (``<nodes>``) or has a state (``<status>``)::

    node1: member                  (uname and id the same)
    vm(1): member(offline)         (the controller says it is offline)
    	description: web server    (other attributes of <node>)
    	standby=on maintenance=true   (each instance_attributes set)
"""

from __future__ import annotations

from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.lang.quoting import nvpair
from crmsh_py.shell.cibedit import read_cib
from crmsh_py.shell.registry import Call

if TYPE_CHECKING:
    from crmsh_py.session import Session

_OWN = ("type", "uname", "id")


def _by_uname(elements: list[ET.Element], uname: str) -> ET.Element | None:
    return next((e for e in elements if e.get("uname") == uname), None)


def node_lines(node: ET.Element, offline: bool) -> list[str]:
    """One node in crmsh's format (see the module docstring)."""
    uname, ident = node.get("uname") or "", node.get("id") or ""
    kind = (node.get("type") or "member") + ("(offline)" if offline else "")
    lines = [f"{uname}: {kind}" if uname == ident else f"{uname}({ident}): {kind}"]
    lines += [f"\t{name}: {value}" for name, value in node.attrib.items() if name not in _OWN]
    for attr_set in node.findall("instance_attributes"):
        pairs = [nvpair(p.get("name") or "", p.get("value")) for p in attr_set.findall("nvpair")]
        lines.append("\t" + " ".join(pairs))
    return lines


def show_text(root: ET.Element, wanted: list[str]) -> list[str]:
    """The lines of ``node show [NODE ...]``; CommandError for a node the CIB does not know."""
    configured = root.findall("configuration/nodes/node")
    states = root.findall("status/node_state")
    known = sorted({e.get("uname") or "" for e in configured + states} - {""})
    missing = [n for n in wanted if n not in known]
    if missing:
        raise CommandError(f"node {', '.join(missing)} not found in the CIB")
    lines: list[str] = []
    for uname in wanted or known:
        state = _by_uname(states, uname)
        offline = state is not None and state.get("crmd") == "offline"
        element = _by_uname(configured, uname)
        lines += node_lines(element if element is not None else state, offline)  # type: ignore[arg-type]
    return lines


def do_show(session: "Session", call: Call) -> None:
    """``show [NODE ...]``: every node, or the named ones (an unknown name is an error)."""
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.node_show(session, call)
        return
    for line in show_text(read_cib(session), call.args):
        session.write(line)


def server_lines(root: ET.Element, wanted: list[str]) -> list[str]:
    """``node server``: each node's name, or for a remote node its ``server`` parameter."""
    lines = []
    for node in root.findall("configuration/nodes/node"):
        name = node.get("uname") or node.get("id") or ""
        if wanted and name not in wanted:
            continue
        server = None
        if node.get("type") == "remote":
            for prim in root.iter("primitive"):
                if prim.get("id") == name:
                    server = next((p.get("value") for s in prim.findall("instance_attributes")
                                   for p in s.findall("nvpair") if p.get("name") == "server"), None)
        lines.append(server or name)
    return lines


def do_server(session: "Session", call: Call) -> None:
    """``server [NODE ...]``: the address each node is reached at."""
    for line in server_lines(read_cib(session), call.args):
        session.write(line)
