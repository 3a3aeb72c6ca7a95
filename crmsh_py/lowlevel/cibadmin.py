"""``cibadmin``: read and edit the CIB as XML (Pacemaker 2.1's options and messages).

Commands: ``-Q`` (``-o SCOPE``, ``-A/--xpath``, ``-e/--node-path``), ``-C`` create, ``-R``
replace, ``-M`` modify (``-c`` allow create), ``-D`` delete (by XML or ``--xpath``, ``-d`` all
matches), ``-E --force`` erase, ``-B`` bump the epoch, ``-P`` apply a v2 patchset, ``-a/--empty``.
XML comes from ``-X TEXT``, ``-x FILE`` or ``-p`` (stdin).  Changes go through the store (lock,
epoch, settle, atomic write); queries print XML the way Pacemaker does (2-space indent, ``<a/>``).
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.engine import facade
from crmsh_py.invocation import log_invocation
from crmsh_py.engine.facade import BundledCluster, Cluster, open_cluster
from crmsh_py.errors import CibFileError
from crmsh_py.lowlevel import cibadmin_ops as ops
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "cibadmin"
SPEC = [
    Opt("u", "upgrade"), Opt("Q", "query"), Opt("E", "erase"), Opt("B", "bump"), Opt("C", "create"),
    Opt("M", "modify"), Opt("P", "patch"), Opt("R", "replace"), Opt("D", "delete"), Opt("d", "delete-all"),
    Opt("a", "empty", arg=True, optional_arg=True), Opt("5", "md5-sum"), Opt("6", "md5-sum-versioned"),
    Opt("S", "show-access", arg=True, optional_arg=True), Opt("f", "force"), Opt("t", "timeout", arg=True),
    Opt("U", "user", arg=True), Opt("s", "sync-call"), Opt("l", "local"), Opt("c", "allow-create"),
    Opt("n", "no-children"), Opt("X", "xml-text", arg=True), Opt("x", "xml-file", arg=True),
    Opt("p", "xml-pipe"), Opt("o", "scope", arg=True), Opt("A", "xpath", arg=True), Opt("e", "node-path"),
    Opt("N", "node", arg=True), Opt("$", "version"), Opt("V", "verbose"), Opt("?", "help"),
    Opt("h", None, dest="help"),
]
COMMANDS = ["upgrade", "query", "erase", "bump", "create", "modify", "patch", "replace", "delete",
            "delete-all", "empty", "md5-sum", "md5-sum-versioned"]
USAGE = """cibadmin - query and edit the Pacemaker configuration
Usage: cibadmin <command> [options]
Commands:
 -Q, --query\t\tQuery the contents of the CIB
 -E, --erase\t\tErase the contents of the whole CIB
 -B, --bump\t\tIncrease the CIB's epoch value by 1
 -C, --create\t\tCreate an object in the CIB (will fail if object already exists)
 -M, --modify\t\tFind object somewhere in CIB's XML tree and update it
 -P, --patch\t\tSupply an update in the form of an XML diff (see crm_diff(8))
 -R, --replace\t\tRecursively replace an object in the CIB
 -D, --delete\t\tDelete first object matching supplied criteria
 -d, --delete-all\tWhen used with --xpath, remove all matching objects
 -a, --empty\t\tOutput an empty CIB
Data:
 -X, --xml-text=value\tRetrieve XML from the supplied string
 -x, --xml-file=value\tRetrieve XML from the named file
 -p, --xml-pipe\t\tRetrieve XML from stdin
 -o, --scope=value\tLimit scope of operation to specific section of CIB
 -A, --xpath=value\tA valid XPath to use instead of --scope/-o
 -e, --node-path\tWhen performing XPath queries, return path of any matches found
"""


def run(args: list[str], io: ToolIO) -> int:
    """Run ``cibadmin`` with ``args`` (without the program name)."""
    log_invocation(TOOL, [TOOL, *args], io.env, known=io.known)
    try:
        opts = parse_options(TOOL, args, SPEC)
    except UsageError as err:
        # cibadmin 2.1 still parses with getopt_long: its messages, then the usage text
        word = err.text.split()[-1]
        if err.text.startswith("Unknown option -") and not word.startswith("--"):
            io.err(f"{TOOL}: invalid option -- '{word[1:]}'")
        elif err.text.startswith("Unknown option"):
            io.err(f"{TOOL}: unrecognized option '{word}'")
        else:
            io.err(f"{TOOL}: option requires an argument -- '{word.lstrip('-')}'")
        io.stderr.write(USAGE)
        return exitcodes.CRM_EX_USAGE
    answered = help_or_version(opts, io, USAGE)
    if answered is not None:
        return answered
    command = opts.first_of(COMMANDS)
    if command == "delete-all" and not opts.has("xpath"):
        command = "delete" if opts.has("delete") else None
    if command is None:
        io.stderr.write(USAGE)
        return exitcodes.CRM_EX_USAGE
    if command == "empty":
        from crmsh_py.cib import empty_cib

        io.stdout.write(ops.xml_text(empty_cib()))
        return exitcodes.CRM_EX_OK
    if command in ("erase",) and not opts.has("force"):
        io.err("The supplied command is considered dangerous.  To prevent accidental destruction of the "
               "cluster, the --force flag is required in order to proceed.")
        return exitcodes.CRM_EX_UNSAFE
    try:
        data = _input_xml(opts, io)
    except _InputError as err:
        io.err(err.text)
        return exitcodes.CRM_EX_CONFIG
    if command in ("create", "modify", "replace", "patch") and data is None:
        io.err(f"{TOOL}: Operation requires XML input (-X, -x or -p)")
        return exitcodes.CRM_EX_USAGE
    if command == "delete" and data is None and not opts.has("xpath"):
        io.err(f"{TOOL}: Operation requires XML input (-X, -x or -p) or --xpath")
        return exitcodes.CRM_EX_USAGE
    cluster = open_cluster(io.env, notice=io.stderr, known=io.known)
    if command == "query":
        return _query(cluster, opts, io)
    if command in ("md5-sum", "md5-sum-versioned", "upgrade"):
        io.err("Call failed: Operation not supported")
        return exitcodes.CRM_EX_UNIMPLEMENT_FEATURE
    return _change(cluster, command, opts, data, io)


class _InputError(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _input_xml(opts, io: ToolIO) -> ET.Element | None:  # type: ignore[no-untyped-def]
    """The XML given with -X/-x/-p, parsed (comments kept), or None."""
    if opts.get("xml-text") is not None:
        text, where = opts.get("xml-text") or "", "input string"
    elif opts.get("xml-file") is not None:
        path = opts.get("xml-file") or ""
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, ValueError) as exc:  # ValueError: NUL in the path, or not UTF-8
            reason = getattr(exc, "strerror", None) or str(exc)
            raise _InputError(f"Couldn't parse input file: {path!r}: {reason}") from None
        where = "input file"
    elif opts.has("xml-pipe"):
        from crmsh_py.cib.xml_handoff import handed_tree

        tree = handed_tree(io.stdin)  # in-process, the shell's tree as it is (no text to parse)
        if tree is not None:
            return tree
        text, where = io.stdin.read(), "stdin"
    else:
        return None
    try:
        return ET.fromstring(text, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    except ET.ParseError:
        raise _InputError(f"Couldn't parse input from {where}.") from None


def _query(cluster: Cluster, opts, io: ToolIO) -> int:  # type: ignore[no-untyped-def]
    root = cluster.read().root
    xpath = opts.get("xpath")
    if xpath is None:
        element = ops.scope_element(root, opts.get("scope"))
        if opts.has("no-children"):
            element = ET.Element(element.tag, dict(element.attrib))
        io.stdout.write(ops.xml_text(element))
        return exitcodes.CRM_EX_OK
    try:
        matches = ops.xpath_select(root, xpath)
    except ops.XPathError:
        io.err("Call failed: Invalid argument")
        return exitcodes.CRM_EX_INVALID_PARAM
    if not matches:
        io.err("Call failed: No such device or address")
        return exitcodes.CRM_EX_NOSUCH
    if opts.has("node-path"):
        for element in matches:
            io.out(ops.node_path(root, element))
        return exitcodes.CRM_EX_OK
    if opts.has("no-children"):
        matches = [ET.Element(m.tag, dict(m.attrib)) for m in matches]
    if len(matches) == 1:
        io.stdout.write(ops.xml_text(matches[0]))
    else:
        import copy  # here: cibadmin -Q (every configure show) copies nothing

        holder = ET.Element("xpath-query")
        holder.extend(copy.deepcopy(m) for m in matches)
        io.stdout.write(ops.xml_text(holder))
    return exitcodes.CRM_EX_OK


def _change(cluster: Cluster, command: str, opts, data: ET.Element | None, io: ToolIO) -> int:  # type: ignore[no-untyped-def]
    try:
        with cluster.mutate(TOOL) as snap:
            handler = ops.HANDLERS[command]
            handler(snap.root, ops.Request(data, opts.get("scope"), opts.get("xpath"), opts.has("allow-create"),
                                           opts.has("delete-all")))
            if command == "erase" and isinstance(cluster, BundledCluster):
                for node in snap.definition.nodes:
                    facade.add_node_entry(snap.root, node)
    except ops.CibCallError as err:
        if err.failed_xml is not None:
            io.stdout.write(ops.xml_text(err.failed_xml))
        io.err(f"Call failed: {err.text}")
        return err.code
    except CibFileError as err:
        io.err(f"Call failed: {err.message()}")
        return exitcodes.CRM_EX_CONFIG
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)


