"""``crm_mon``: show the cluster's state (Pacemaker 2.1 text, the 1.0 layout, or XML).

One shot with ``-1`` (or when stdout is not a terminal); otherwise redraw every ``--interval``
seconds until Ctrl-C.
"""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main
from crmsh_py.render import mon_text
from crmsh_py.render.mon_view import ClusterView, build_view

TOOL = "crm_mon"
SPEC = [
    Opt("1", "one-shot"), Opt("r", "inactive"), Opt("f", "failcounts"),
    Opt("A", "show-node-attributes"), Opt("n", "group-by-node"), Opt("o", "operations"),
    Opt("X", "as-xml"), Opt(None, "output-as", arg=True), Opt("i", "interval", arg=True),
    Opt("s", "simple-status"), Opt("R", "show-detail"), Opt("V", "verbose"), Opt("Q", "quiet"),
    Opt("b", "brief"), Opt("t", "timing-details"), Opt("c", "tickets"), Opt("m", "fence-history", optional_arg=True),
    Opt("w", "web-cgi"), Opt("N", "neg-locations", optional_arg=True), Opt("L", "neg-locations-all"),
    Opt("E", "external-agent", arg=True), Opt("e", "external-recipient", arg=True),
    Opt(None, "output-to", arg=True), Opt(None, "include", arg=True), Opt(None, "exclude", arg=True),
]


def resource_list(root: ET.Element) -> list[str]:
    """``Full List of Resources:`` and its lines, inactive ones included (``crm_resource -L``)."""
    view = build_view(root)
    if not view.resources:
        return ["NO resources configured"]
    options = mon_text.MonOptions(inactive=True)
    return mon_text.resources_block(view, options)[0:1] + [
        line for r in view.resources for line in mon_text.resource_lines(view, r, options)]


def load(io: ToolIO) -> tuple[ClusterView, mon_text.StackInfo, str]:
    """Read the cluster; return the view, stack info and the layout style (``"2.1"`` or ``"1.0"``)."""
    from crmsh_py.engine.facade import open_cluster

    snap = open_cluster(io.env, notice=io.stderr, known=io.known).read()
    view = build_view(snap.root)
    definition = snap.definition
    if io.env.get("CIB_file") or definition is None:
        return view, mon_text.StackInfo(), "2.1"
    info = mon_text.StackInfo(stack=str(definition.stack), version=str(definition.version))
    style = definition.crm_mon_style or ("1.0" if info.stack.lower() == "heartbeat" else "2.1")
    return view, info, style


def simple_status(view: ClusterView) -> tuple[str, int]:
    """``-s``: one line ``CLUSTER OK: ...`` / ``CLUSTER WARN: ...`` and the exit code."""
    problems = []
    if not view.dc:
        problems.append("No DC")
    problems += [f"offline node: {n.name}" for n in view.nodes if not n.online]
    if problems:
        return "CLUSTER WARN: " + ", ".join(problems), exitcodes.CRM_EX_OK
    online = sum(1 for n in view.nodes if n.online)
    inst = view.instance_count()
    return (f"CLUSTER OK: {online} node{'s' if online != 1 else ''} online, "
            f"{inst} resource instance{'s' if inst != 1 else ''} configured"), exitcodes.CRM_EX_OK


def _render(io: ToolIO, fmt: str, opts: mon_text.MonOptions, argv: list[str]) -> str:
    view, info, style = load(io)
    # the XML and 1.0 layouts load only when asked for: `crm status` shows neither
    if fmt == "xml":
        from crmsh_py.render import mon_xml

        return mon_xml.render(view, info, argv)
    if style == "1.0":
        from crmsh_py.render import mon_text_legacy

        return mon_text_legacy.render(view, opts, info)
    return mon_text.render(view, opts, info)


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env, known=io.known)
    try:
        p = parse_options(TOOL, args, SPEC)
        answered = help_or_version(p, io, lambda: usage_from_spec(TOOL, SPEC, "provide a summary of the cluster's current state"))
        if answered is not None:
            return answered
    except UsageError as error:
        return error.report(io)
    if p.positional:
        io.err(f"{TOOL}: Unexpected argument '{p.positional[0]}'")
        return exitcodes.CRM_EX_USAGE
    fmt = "xml" if p.has("as-xml") else (p.get("output-as") or "text")
    if fmt not in ("text", "xml"):
        io.err(f"{TOOL}: Invalid output format '{fmt}' (choose text or xml)")
        return exitcodes.CRM_EX_USAGE
    interval = p.get("interval") or "5"
    try:
        seconds = float(interval.rstrip("s"))
    except ValueError:
        io.err(f"{TOOL}: Invalid interval '{interval}'")
        return exitcodes.CRM_EX_USAGE
    if p.has("simple-status"):
        line, code = simple_status(load(io)[0])
        io.out(line)
        return code
    opts = mon_text.MonOptions(
        inactive=p.has("inactive"), failcounts=p.has("failcounts"),
        node_attributes=p.has("show-node-attributes"), group_by_node=p.has("group-by-node"),
        operations=p.has("operations"), show_detail=p.has("show-detail"), tickets=p.has("tickets"))
    argv = [TOOL, *args]
    one_shot = p.has("one-shot") or fmt == "xml" or not _is_tty(io)
    if one_shot:
        io.stdout.write(_render(io, fmt, opts, argv))
        return exitcodes.CRM_EX_OK
    return _live(io, fmt, opts, argv, seconds)


def _is_tty(io: ToolIO) -> bool:
    isatty = getattr(io.stdout, "isatty", None)
    return bool(isatty and isatty())


def _live(io: ToolIO, fmt: str, opts: mon_text.MonOptions, argv: list[str], seconds: float) -> int:
    """Clear and redraw until Ctrl-C (plain ANSI: no heavy imports for a status screen)."""
    try:
        while True:
            text = _render(io, fmt, opts, argv)
            io.stdout.write("\x1b[H\x1b[2J" + text)
            io.stdout.flush()
            time.sleep(max(seconds, 0.5))
    except KeyboardInterrupt:
        io.stdout.write("\n")
        return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
