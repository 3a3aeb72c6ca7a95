"""The ra level: resource agent classes, lists and meta-data, all through ``crm_resource``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.agents.metadata import AgentInfo
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
    if not call.args or len(call.args) > 2:
        raise CommandError("usage: list CLASS [PROVIDER]")
    spec = call.args[0] if len(call.args) == 1 else f"{call.args[0]}:{call.args[1]}"
    names = _lines(session.check(Cmd("crm_resource").long("--list-agents", spec)).stdout)
    from crmsh_py.shell.output import columns, on_terminal

    if on_terminal(session):  # a terminal: crmsh's aligned columns across its width
        import shutil

        session.write(columns(names, shutil.get_terminal_size((80, 24)).columns))
        return
    session.write(textwrap.fill(" ".join(names), LIST_WIDTH, break_long_words=False, break_on_hyphens=False))


def do_providers(session: "Session", call: Call) -> None:
    """``providers TYPE``: the OCF providers that ship an agent called TYPE."""
    if len(call.args) != 1:
        raise CommandError("usage: providers TYPE")
    result = session.check(Cmd("crm_resource").long("--list-ocf-alternatives", call.args[0]))
    session.write(" ".join(_lines(result.stdout)))


# ---------------------------------------------------------------------- meta-data rendering


def render_info(agent: str, info: "AgentInfo") -> str:
    """The agent description the way crmsh lays it out."""
    out = [f"{info.shortdesc or agent} ({agent})", ""]
    if info.longdesc:
        out += [textwrap.fill(p, 79) for p in info.longdesc.split("\n\n")] + [""]
    out += ["Parameters (*: required, []: default):", ""]
    for p in info.parameters:
        default = f", [{p.default}]" if p.default is not None else ""
        out.append(f"{p.name}{'*' if p.required else ''} ({p.type}{default}): {p.shortdesc}")
        if p.longdesc:
            out.append(textwrap.indent(textwrap.fill(p.longdesc, 75), "    "))
        out.append("")
    if info.actions:
        out += ["Operations' defaults (advisory minimum):", ""]
        for a in info.actions:
            name = f"{a.name}_{a.role}" if a.role else a.name
            extras = " ".join(f"{k}={v}" for k, v in (("timeout", a.timeout), ("interval", a.interval),
                                                       ("depth", a.depth)) if v is not None)
            out.append(f"    {name.ljust(14)}{extras}".rstrip())
    return "\n".join(out).rstrip()


def qualify(agent: str) -> str:
    """``Dummy`` → ``ocf:heartbeat:Dummy`` (crmsh's default class and provider)."""
    if ":" in agent:
        return agent
    return f"ocf:heartbeat:{agent}"


def do_info(session: "Session", call: Call) -> None:
    """``info AGENT``: the agent's parameters and operations from its meta-data."""
    if len(call.args) != 1:
        raise CommandError("usage: info AGENT (e.g. ocf:heartbeat:Dummy, stonith:external/ssh)")
    agent = qualify(call.args[0])
    result = session.check(Cmd("crm_resource").long("--show-metadata", agent))
    from crmsh_py.agents.metadata import parse_metadata
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.ra_info(session, agent, parse_metadata(result.stdout, agent))
        return
    from crmsh_py.shell.output import show

    show(session, render_info(agent, parse_metadata(result.stdout, agent)))


LEVEL = Level(
    name="ra",
    help="Resource agents: the classes, the agents of a class, and an agent's parameters.",
    commands=[
        CommandSpec("classes", "List the resource agent classes (and OCF providers)", usage="classes",
                    handler=do_classes, examples=("classes",)),
        CommandSpec("list", "List the agents of a class\n\n`list stonith` lists the fencing plugins.",
                    usage="list CLASS [PROVIDER]", handler=do_list,
                    args=(Arg("class", "ra-class"), Arg("provider", "ra-provider", optional=True)),
                    examples=("list ocf", "list ocf pacemaker", "list stonith")),
        CommandSpec("info", "Show an agent's description, parameters and operation defaults",
                    usage="info [CLASS:[PROVIDER:]]AGENT", handler=do_info, aliases=("meta",),
                    args=(Arg("agent", "agent"),),
                    examples=("info ocf:heartbeat:Dummy", "info stonith:external/ssh")),
        CommandSpec("providers", "List the OCF providers of an agent type", usage="providers TYPE",
                    handler=do_providers, args=(Arg("type", "ra-type"),), examples=("providers Dummy",)),
    ],
)
