"""The ra level: resource agent classes, lists and meta-data, all through ``crm_resource``."""

from __future__ import annotations

import textwrap
from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

# `list stonith` in the reference demo wraps the names at this width, one space apart.
LIST_WIDTH = 105


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def do_classes(session: "Session", call: Call) -> None:
    """Classes (``crm_resource --list-standards``), OCF with its providers."""
    classes = _lines(session.check(Cmd("crm_resource").flag("--list-standards")).stdout)
    for ra_class in classes:
        if ra_class == "ocf":
            providers = _lines(session.check(Cmd("crm_resource").flag("--list-ocf-providers")).stdout)
            session.write(f"ocf / {' '.join(providers)}")
        else:
            session.write(ra_class)


def do_list(session: "Session", call: Call) -> None:
    """``list CLASS [PROVIDER]``: agent names, wrapped like the demo's ``list stonith``."""
    ra_class, provider = call.value("class"), call.value("provider")
    assert ra_class is not None
    spec = ra_class if provider is None else f"{ra_class}:{provider}"
    names = _lines(session.check(Cmd("crm_resource").long("--list-agents", spec)).stdout)
    from crmsh_py.shell.output import columns, on_terminal

    if on_terminal(session):  # a terminal: crmsh's aligned columns across its width
        import shutil

        session.write(columns(names, shutil.get_terminal_size((80, 24)).columns))
        return
    session.write(textwrap.fill(" ".join(names), LIST_WIDTH, break_long_words=False, break_on_hyphens=False))


def do_providers(session: "Session", call: Call) -> None:
    """``providers TYPE``: the OCF providers that ship an agent called TYPE."""
    ra_type = call.value("type")
    assert ra_type is not None
    result = session.check(Cmd("crm_resource").long("--list-ocf-alternatives", ra_type))
    session.write(" ".join(_lines(result.stdout)))


# ---------------------------------------------------------------------- meta-data rendering


TAB = "    "
SKIPPED_ACTIONS = ("meta-data", "validate-all")  # crmsh leaves these out of the operations


def _text(element: ET.Element | None, tag: str) -> str:
    found = element.findtext(tag) if element is not None else None
    return (found or "").strip()


def _shortdesc(element: ET.Element, agent_type: str) -> str:
    """An element's shortdesc, unless it only repeats its name, its longdesc or the agent's type."""
    short = _text(element, "shortdesc")
    return "" if short in (element.get("name"), _text(element, "longdesc"), agent_type) else short


def _parameter(element: ET.Element, agent_type: str) -> list[str]:
    content = element.find("content")
    kind = content.get("type") if content is not None else None
    default = content.get("default") if content is not None else None
    head = (element.get("name") or "") + ("*" if element.get("required") == "1" else "")
    if kind and default:
        head += f" ({kind}, [{default}])"
    elif kind:
        head += f" ({kind})"
    lines = [f"{head}: {_shortdesc(element, agent_type)}"]
    longdesc = _text(element, "longdesc")
    if longdesc:
        lines.append(TAB + longdesc.replace("\n", "\n" + TAB) + "\n")
    return lines


def render_info(agent: str, xml_text: str) -> str:
    """The agent's meta-data laid out as crmsh does: the texts as the agent wrote them (no
    re-wrapping), a parameter's default only when it has one, operations with every attribute."""
    root = ET.fromstring(xml_text)
    agent_type = agent.rsplit(":", 1)[-1]
    short = _shortdesc(root, agent_type)
    parts = [f"{short} ({agent})" if short else agent]
    if _text(root, "longdesc"):
        parts.append(_text(root, "longdesc"))
    params = [line for p in root.iterfind("parameters/parameter") if p.get("name")
              for line in _parameter(p, agent_type)]
    if params:
        parts.append(("Parameters (*: required, []: default):\n\n" + "\n".join(params)).rstrip())
    actions = [TAB + f"{a.get('name', ''):<13}" + "".join(f" {k}={v}" for k, v in a.attrib.items() if k != "name" and v)
               for a in root.iterfind("actions/action") if a.get("name") and a.get("name") not in SKIPPED_ACTIONS]
    if actions:
        parts.append("Operations' defaults (advisory minimum):\n\n" + "\n".join(actions))
    return "\n\n".join(parts)


def qualify(agent: str) -> str:
    """``Dummy`` → ``ocf:heartbeat:Dummy`` (crmsh's default class and provider)."""
    if ":" in agent:
        return agent
    return f"ocf:heartbeat:{agent}"


def do_info(session: "Session", call: Call) -> None:
    """``info AGENT``: the agent's parameters and operations from its meta-data."""
    agent = qualify(call.value("agent") or "")
    result = session.check(Cmd("crm_resource").long("--show-metadata", agent))
    from crmsh_py.agents.metadata import parse_metadata
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.ra_info(session, agent, parse_metadata(result.stdout, agent))
        return
    from crmsh_py.shell.output import show

    parse_metadata(result.stdout, agent)  # refuses what is not an agent's meta-data, with the reason
    show(session, render_info(agent, result.stdout))


LEVEL = Level(
    name="ra",
    help="Resource agents: the classes, the agents of a class, and an agent's parameters.",
    commands=[
        CommandSpec("classes", "List the resource agent classes (and OCF providers)", usage="classes",
                    handler=do_classes, parse_args=True, examples=("classes",)),
        CommandSpec("list", "List the agents of a class\n\n`list stonith` lists the fencing plugins.",
                    usage="list CLASS [PROVIDER]", handler=do_list, parse_args=True,
                    args=(Arg("class", "ra-class"), Arg("provider", "ra-provider", optional=True)),
                    examples=("list ocf", "list ocf pacemaker", "list stonith")),
        CommandSpec("info", "Show an agent's description, parameters and operation defaults",
                    usage="info [CLASS:[PROVIDER:]]AGENT", handler=do_info, aliases=("meta",), parse_args=True,
                    args=(Arg("agent", "agent"),),
                    examples=("info ocf:heartbeat:Dummy", "info stonith:external/ssh")),
        CommandSpec("providers", "List the OCF providers of an agent type", usage="providers TYPE",
                    handler=do_providers, args=(Arg("type", "ra-type"),), parse_args=True, examples=("providers Dummy",)),
    ],
)
