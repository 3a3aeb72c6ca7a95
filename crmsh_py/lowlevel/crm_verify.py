"""``crm_verify``: check a CIB (live ``-L``, ``-x FILE``, ``-p`` from stdin).

Checks: XML well-formedness, the configuration's semantic validation (``crmsh_py.cib.validate``)
and the scheduler's own start-up checks (STONITH enabled without a STONITH resource).  Details
print with ``-V``, like Pacemaker; without it only the verdict does.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.invocation import log_invocation
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.errors import CibFileError, CrmError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_verify"
SPEC = [Opt("L", "live-check"), Opt("x", "xml-file", arg=True), Opt("X", "xml-text", arg=True),
        Opt("p", "xml-pipe"), Opt("S", "save-xml", arg=True), Opt("V", "verbose"), Opt("q", "quiet"),
        Opt(None, "output-as", arg=True)]
NO_STONITH = [
    "(unpack_resources) \terror: Resource start-up disabled since no STONITH resources have been defined",
    "(unpack_resources) \terror: Either configure some or disable STONITH with the stonith-enabled option",
    "(unpack_resources) \terror: NOTE: Clusters with shared data need STONITH to ensure data integrity",
]


def check(root: ET.Element) -> list[str]:
    """Every error line (Pacemaker's log style) for this CIB; empty when it is valid.  ``root`` is
    only read (the shell hands its own tree over: see ``crmsh_py.cib.xml_handoff``)."""
    from crmsh_py.cib import remote_xml, xmlio
    from crmsh_py.cib.validate import validate

    cfg_el = root.find("configuration")
    if cfg_el is None:
        return ["(crm_verify) \terror: CIB has no configuration section"]
    errors = []
    try:
        cfg = xmlio.configuration_from_xml(cfg_el)
        errors += [f"(validate) \terror: {e.message()}" for e in validate(cfg)]
    except CrmError as err:
        errors.append(f"(validate) \terror: {err.message()}")
    errors += [f"(validate) \terror: {text}" for text in remote_xml.cluster_node_clashes(root)]
    props = {nv.get("name"): nv.get("value", "")
             for nv in root.findall("configuration/crm_config/cluster_property_set/nvpair")}
    has_stonith = any(p.get("class") == "stonith" for p in root.iter("primitive"))
    if is_true(props.get("stonith-enabled", "true")) and not has_stonith:
        errors += NO_STONITH
    return errors


def _load(p, io: ToolIO) -> ET.Element | int:  # type: ignore[no-untyped-def]
    """The CIB to check, or an exit code after printing why there is none."""
    from crmsh_py.cib import check_root, load

    if p.get("xml-file") is not None:
        path = p.get("xml-file")
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, ValueError):  # ValueError: NUL in the path, or not UTF-8
            io.err(f"{TOOL}: Couldn't parse input file: {path}")
            return exitcodes.CRM_EX_ERROR
        return load(text, path)
    if p.get("xml-text") is not None:
        return load(p.get("xml-text"), "<xml-text>")
    if p.has("xml-pipe"):
        from crmsh_py.cib.xml_handoff import handed_tree

        tree = handed_tree(io.stdin)  # in-process, the shell's tree as it is (no text to parse)
        if tree is not None:
            return check_root(tree, "<stdin>")
        return load(io.stdin.read(), "<stdin>")
    if p.has("live-check"):
        from crmsh_py.engine.facade import open_cluster

        return open_cluster(io.env, notice=io.stderr).read().root
    io.err(f"{TOOL}: No configuration source specified.  Use --help for usage information.")
    return exitcodes.CRM_EX_ERROR


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        p = parse_options(TOOL, args, SPEC)
        answered = help_or_version(p, io, lambda: usage_from_spec(TOOL, SPEC, "check a Pacemaker configuration for errors"))
        if answered is not None:
            return answered
        if p.positional:
            raise UsageError(TOOL, f"Unexpected argument '{p.positional[0]}'")
    except UsageError as error:
        return error.report(io)
    verbose = p.count("verbose")
    try:
        root = _load(p, io)
    except CibFileError as err:
        if p.has("live-check"):  # the cluster itself is broken: say how, and how to repair it
            io.err(f"{TOOL}: {err.message()}")
            return exitcodes.CRM_EX_CONFIG
        if verbose:
            io.err(f"(crm_verify) \terror: {err.message()}")
        root = None
    if isinstance(root, int):
        return root
    errors = check(root) if root is not None else ["invalid XML"]
    if not errors:
        return exitcodes.CRM_EX_OK
    if verbose and root is not None:
        for line in errors:
            io.err(line)
    if not p.has("quiet"):
        io.err(f"{TOOL}: Errors found during check: config not valid")
        if not verbose:
            io.err("-V may provide more details")
    return exitcodes.CRM_EX_CONFIG


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
