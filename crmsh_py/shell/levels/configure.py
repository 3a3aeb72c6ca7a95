"""The configure level: element commands, show, commit and friends on a working copy.

Element commands (``primitive ...``, ``location ...``) hand the whole line to
``crmsh_py.lang.parse``; the result joins the working copy after validation.  Nothing reaches the
cluster before ``commit`` (or the end of a one-shot, which commits like crmsh).
"""

from __future__ import annotations

import os

from crmsh_py.errors import CommandError, ValidationErrors
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.levels.configure_commit import commit, on_enter, on_leave
from crmsh_py.shell.levels.configure_cibcmds import COMMANDS as CIB_COMMANDS
from crmsh_py.shell.levels.configure_state import (
    LOAD_METHOD_NAMES,
    as_crmsh_lists,
    check_no_new_errors,
    effective_id,
    report_unreadable,
    take,
    validation_errors,
    verify_cib,
    working,
)
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level, lazy

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session


def _schema_major(validate_with: str) -> int:
    """2 for ``pacemaker-2.10``, 3 for ``pacemaker-3.9``; 0 when it says no version."""
    version = validate_with.rpartition("-")[2]
    major = version.partition(".")[0]
    return int(major) if major.isdigit() else 0


def do_element(session: "Session", call: Call) -> None:
    """Any element command: parse the line, add the element (property sets merge)."""
    from crmsh_py.cib.model import ClusterSet
    from crmsh_py.agents.catalog import ocf_provider
    from crmsh_py.lang import parse
    from crmsh_py.shell.levels.configure_compat import (check_agents_exist, default_rule_scores,
                                                        drop_missing_members, ms_notice, override_lower_levels,
                                                        refuse_invalid_ids, resolve_id_refs, strip_id_keyword)
    from crmsh_py.shell.levels.configure_fencing import expand_untargeted
    from crmsh_py.shell.levels.configure_moves import into_container
    from crmsh_py.cib.model import Node
    from crmsh_py.shell.levels.configure_ops import merge_node, merge_set

    if call.name == "user" and _schema_major(working(session).root.get("validate-with", "")) >= 2:
        # the legacy ACL user: pacemaker-2.0 and later schemas have no <acl_user> (crmsh's check)
        raise CommandError("user not supported by the RNG schema")
    new = parse(strip_id_keyword(call.text), providers=ocf_provider)
    if call.name in ("ms", "master"):
        ms_notice(session, call.text)
    wc = working(session)
    resolve_id_refs(wc.elements, new)
    fencing_nodes = expand_untargeted(wc.elements, new)
    default_rule_scores(new)
    override_lower_levels(session, wc.elements, call.text)
    before = list(wc.elements)
    after = list(wc.elements)
    for element in new:
        existing = next((e for e in after if effective_id(e) == effective_id(element)), None)
        if existing is None:
            after.append(element)
        elif isinstance(existing, ClusterSet) and isinstance(element, ClusterSet) \
                and existing.kind == element.kind and not element.rules:
            after[after.index(existing)] = merge_set(existing, element)
        elif isinstance(existing, Node) and isinstance(element, Node):
            taken = {e.get("id", "") for e in wc.configuration_xml().iter()} | wc.reserved
            after[after.index(existing)] = merge_node(existing, element, taken)  # (crmsh's exception for nodes)
            wc.reserved |= taken - {e.get("id", "") for e in wc.configuration_xml().iter()}
        else:
            from crmsh_py.lang.writer import keyword

            raise CommandError(f"Cannot create {keyword(element)} with ID '{effective_id(element)}': "
                               f"Found existing {keyword(existing)} with same ID.")  # crmsh's words
    refuse_invalid_ids(session, new)
    drop_missing_members(session, before, new)
    check_no_new_errors(before, after)
    check_agents_exist(session, before, after)
    for element in new:
        if element in after:  # resources put into a group or clone bring their constraints along
            after = into_container(session, after, element)
    wc.elements = after
    if fencing_nodes is not None:
        wc.fencing_nodes = fencing_nodes
    report_unreadable(session, [e for e in new if e in after])


# ---------------------------------------------------------------------- show


def do_show(session: "Session", call: Call) -> None:
    """``show [xml] [changed|type:T|ids|ID ...]``."""
    from crmsh_py.shell.obscure import obscure_text, obscure_xml, split_patterns

    words, hidden = split_patterns(list(call.args))  # obscure:GLOB, like crmsh (default passw*)
    as_xml = bool(words) and words[0] == "xml"
    if as_xml:
        words.pop(0)
    if words == ["ids"]:
        for element in working(session).elements:
            session.write(effective_id(element))
        return
    from crmsh_py.shell.output import show, structured_asked

    if words:
        from crmsh_py.shell.levels.configure_more import select

        try:
            elements = select(session, words)
        except CommandError:
            if as_xml:  # crmsh prints the document with nothing chosen before the error
                from crmsh_py.shell.levels.configure_xml import cib_document

                session.write(cib_document(working(session), set()))
            raise
    else:  # no selector: every element in configuration order, as select() gives it
        elements = list(working(session).elements)

    if not as_xml and structured_asked(session):
        from crmsh_py.shell import structured

        if structured.wanted(session):
            structured.configure_show(session, elements, lambda text: obscure_text(text, hidden))
            return
    if as_xml:
        from crmsh_py.shell.levels.configure_xml import cib_document

        wanted = {effective_id(e) for e in elements} if words else None
        session.write(obscure_xml(cib_document(working(session), wanted), hidden))
        return
    from crmsh_py.lang import write_all
    from crmsh_py.lang.nocli import as_crmsh_shows

    wc = working(session)
    shown = as_crmsh_shows(elements, wc.configuration_xml(), wc.fencing_nodes)
    from crmsh_py.lang.writer import has_typed_strings

    fresh = set(wc.changed_ids()) if has_typed_strings(shown) else set()  # only these look different
    from crmsh_py.cib.model import Node

    nodes = sum(1 for e in wc.elements if isinstance(e, Node))
    show(session, obscure_text(write_all(shown, fresh, nodes), hidden), "config")


# ---------------------------------------------------------------------- commit and checks


def do_commit(session: "Session", call: Call) -> None:
    """``commit [force] [replace]``: a patch against the CIB version read, or (``replace``) the
    whole configuration section; ``force`` overrides the changed-CIB and crm_verify checks."""
    commit(session, force=call.value("force") is not None, replace=call.value("replace") is not None)


def do_verify(session: "Session", call: Call) -> None:
    """Validate the working copy, then let ``crm_verify`` judge it with the live status."""
    wc = working(session)
    errors = validation_errors(wc.elements)
    if errors:
        raise ValidationErrors(errors)
    from crmsh_py.shell.levels.configure_sanity import warn
    from crmsh_py.shell.levels.verify_report import report

    # crmsh: crm_verify on everything (it says nothing worth showing when it accepts), then its
    # own checks; either failing fails the command, with nothing more said
    ok, said = verify_cib(session, as_crmsh_lists(wc, wc.cib_xml()))
    if not ok:
        report(session, said)
    if not warn(session) or not ok:
        raise CommandError("crm_verify found problems", shown=True)


def do_refresh(session: "Session", call: Call) -> None:
    """Drop local changes and take a fresh working copy."""
    if session.working is not None and session.working.dirty and session.ask is not None:
        if not session.ask("Discard the uncommitted changes (y/n)?"):
            return
    session.working = take(session)


def do_simulate(session: "Session", call: Call) -> None:
    """Show the transition the working copy would cause (``crm_simulate -S -x FILE``)."""
    import tempfile  # here: tempfile (and shutil behind it) is dear for every other configure command

    from crmsh_py.cib import dump

    wc = working(session)
    with tempfile.TemporaryDirectory(prefix="crm-simulate-") as tmp:
        path = os.path.join(tmp, "cib.xml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(dump(wc.cib_xml()))
        result = session.check(Cmd("crm_simulate").flag("-S").opt("-x", path))
    lines = result.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Transition Summary")), None)
    if start is None:
        session.write(result.stdout)
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "\t"))),
               len(lines))
    session.write("\n".join(lines[start:end]).rstrip())


# ---------------------------------------------------------------------- the level

_ELEMENTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "node": ("Define a cluster node", "node [$id=ID] NAME[:TYPE] [attributes NAME=VALUE ...] "
             "[utilization ...]", ("node srv01 attributes rack=1",)),
    "primitive": ("Define a primitive resource", "primitive ID CLASS:[PROVIDER:]TYPE|@TEMPLATE [params ...] "
                  "[meta ...] [utilization ...] [op NAME k=v ...]",
                  ("primitive dummy ocf:heartbeat:Dummy op monitor interval=10s",
                   "primitive st stonith:external/ssh params hostlist=\"srv01 srv02\"")),
    "rsc_template": ("Define a resource template", "rsc_template ID CLASS:[PROVIDER:]TYPE [params ...] ...",
                     ("rsc_template web ocf:heartbeat:apache",)),
    "group": ("Define a group", "group ID RSC ... [meta ...]", ("group g1 ip web",)),
    "clone": ("Define a clone", "clone ID RSC [meta ...]", ("clone cl-ping ping",)),
    "ms": ("Define a promotable clone (legacy master/slave)", "ms ID RSC [meta ...]", ("ms ms-db db",)),
    "bundle": ("Define a bundle (containers)", "bundle ID docker|rkt|podman image=... [network ...] "
               "[storage ...] [primitive RSC]", ("bundle b1 docker image=httpd replicas=2",)),
    "location": ("Define a location constraint", "location ID RSC SCORE: NODE | location ID RSC rule ...",
                 ("location l1 dummy 100: srv01",)),
    "colocation": ("Define a colocation constraint", "colocation ID SCORE: RSC[:ROLE] RSC[:ROLE] ...",
                   ("colocation c1 inf: web ip",)),
    "order": ("Define an order constraint", "order ID [KIND:] RSC[:ACTION] RSC[:ACTION] ...",
              ("order o1 Mandatory: ip web",)),
    "rsc_ticket": ("Define a ticket dependency", "rsc_ticket ID TICKET: RSC[:ROLE] ... [loss-policy=...]",
                   ("rsc_ticket t1 ticketA: db loss-policy=stop",)),
    "property": ("Set cluster properties", "property [NAME:] NAME=VALUE ...",
                 ("property stonith-enabled=false no-quorum-policy=ignore",)),
    "rsc_defaults": ("Set resource defaults", "rsc_defaults [NAME:] NAME=VALUE ...",
                     ("rsc_defaults resource-stickiness=INFINITY",)),
    "op_defaults": ("Set operation defaults", "op_defaults [NAME:] NAME=VALUE ...", ("op_defaults timeout=60s",)),
    "fencing_topology": ("Define fencing levels", "fencing_topology [TARGET:] DEV[,DEV] ...",
                         ("fencing_topology srv01: st1 srv02: st2",)),
    "tag": ("Define a tag (a named set of resources)", "tag ID: RSC ...", ("tag web-stack: ip web",)),
    "role": ("Define an ACL role", "role ID read|write|deny xpath:... ...", ("role ro read xpath:/cib",)),
    "acl_target": ("Bind ACL roles to a user", "acl_target ID ROLE ...", ("acl_target alice ro",)),
    "acl_group": ("Bind ACL roles to a group", "acl_group ID ROLE ...", ("acl_group admins rw",)),
    "user": ("Define an ACL user (legacy)", "user ID role:ROLE ...", ("user bob role:ro",)),
    "alert": ("Define an alert agent", "alert ID PATH [attributes ...] [to RECIPIENT ...]",
              ("alert a1 /usr/share/pacemaker/alerts/alert_file.sh to /var/log/alerts.log",)),
    "xml": ("Add an element given as raw XML", "xml <XML...>", ("xml <tag id=\"t1\"/>",)),
}
_ALIASES: dict[str, tuple[str, ...]] = {"ms": ("master",), "colocation": ("collocation",)}


def _element_spec(name: str) -> CommandSpec:
    text, usage, examples = _ELEMENTS[name]
    return CommandSpec(name, f"{text}\n\nThe line is parsed with the crm configuration language and "
                       "added to the working copy; `commit` writes it to the CIB.", usage=usage,
                       handler=do_element, raw=True, aliases=_ALIASES.get(name, ()), examples=examples)


ELEMENT_COMMANDS = tuple(_ELEMENTS)
# the commands that reshape the working copy (and crmsh's test-harness commands) load their module
# when one of them runs
_OPS = "crmsh_py.shell.levels.configure_ops"
_MORE = "crmsh_py.shell.levels.configure_more"
_COMPAT = "crmsh_py.shell.levels.configure_compat"
_TIMEOUTS = "crmsh_py.shell.levels.configure_timeouts"
# crmsh's regression-test commands: accepted so its test scripts run unchanged, hidden from help
# and completion (crmsh_py.shell.levels.configure_compat says what each does)
HIDDEN: tuple[CommandSpec, ...] = (
    CommandSpec("_test", "Check the working copy's structure (crmsh regression tests)",
                handler=lazy(_COMPAT, "do_check_structure"), hidden=True),
    CommandSpec("_regtest", "Regression-test mode switch (crmsh regression tests)",
                handler=lazy(_COMPAT, "do_nothing"), hidden=True),
    CommandSpec("_objects", "List objects (crmsh regression tests)", handler=lazy(_COMPAT, "do_nothing"),
                hidden=True),
    CommandSpec("_keywords", "List keywords (crmsh regression tests)", handler=lazy(_COMPAT, "do_nothing"),
                hidden=True),
)
ID_ARGS = (Arg("id", "element", optional=True, repeat=True),)

LEVEL = Level(
    name="configure",
    help="Edit the cluster configuration.  Changes go to a working copy of the CIB; `commit` writes "
         "them (refused when the CIB changed meanwhile, unless `commit force`).",
    on_enter=on_enter,
    on_leave=on_leave,
    commands=[
        *(_element_spec(name) for name in _ELEMENTS),
        *HIDDEN,
        *CIB_COMMANDS,
        CommandSpec("cibstatus", "A copy of the status section: inject node, ticket and operation changes",
                    usage="cibstatus [COMMAND ...]", level="cibstatus", examples=("cibstatus",)),
        CommandSpec("template", "Configurations made from templates (virtual-ip, filesystem, apache, ...)",
                    usage="template [COMMAND ...]", level="template", examples=("template",)),
        CommandSpec("filter", "Pipe elements through a command and take its output in their place\n\n"
                    "The text of the chosen elements (all by default) goes to the shell command CMD; "
                    "what it prints replaces them (elements it drops are deleted).",
                    usage="filter CMD [ID|type:T|tag:T|related:ID ...]", handler=lazy(_MORE, "do_filter"), parse_args=True,
                    args=(Arg("command"), *ID_ARGS), examples=("filter \"sed 's/p1/p2/'\" g1",)),
        CommandSpec("monitor", "Add a monitor operation to a primitive",
                    usage="monitor RSC[:ROLE] INTERVAL[:TIMEOUT]", handler=lazy(_MORE, "do_monitor"), parse_args=True,
                    args=(Arg("resource", "element"), Arg("interval")), examples=("monitor d1 60s:30s",)),
        CommandSpec("set", "Set one attribute of an element\n\n`ID.NAME` is the element's only attribute "
                    "NAME (params, meta, ...); `ID.OP.NAME` an attribute of its only OP operation; "
                    "`ID.OP.INTERVAL.NAME` of the OP with that interval.",
                    usage="set ID.[OP.][INTERVAL.]NAME VALUE", handler=lazy(_MORE, "do_set"), parse_args=True,
                    args=(Arg("path"), Arg("value")), examples=("set d2.mondelay 45",
                                                                "set d1.monitor.timeout 30s")),
        CommandSpec("show", "Show the configuration (or part of it)\n\n`xml` shows CIB XML; `changed` the "
                    "uncommitted elements; `type:primitive` one kind; `ids` only the ids.",
                    usage="show [xml] [changed|ids|type:T|tag:T|related:ID|ID|GLOB ...] (joined by and/or)",
                    handler=do_show,
                    args=(Arg("what", "element", optional=True, repeat=True),),
                    examples=("show", "show dummy", "show xml dummy", "show changed", "show type:primitive")),
        CommandSpec("edit", "Edit elements in your editor\n\nThe text of the chosen elements (all by default) "
                    "opens in $EDITOR; on a syntax error the editor reopens with the error at the top.",
                    usage="edit [ID ...]", handler=lazy(_OPS, "do_edit"), args=ID_ARGS, parse_args=True, examples=("edit", "edit dummy")),
        CommandSpec("delete", "Delete elements (and constraints left without resources)", usage="delete ID ...",
                    handler=lazy(_OPS, "do_delete"), aliases=("rm",), args=(Arg("id", "element", optional=True, repeat=True),), parse_args=True,
                    examples=("delete dummy",)),
        CommandSpec("rename", "Rename an element and update every reference", usage="rename OLD NEW",
                    handler=lazy(_OPS, "do_rename"), args=(Arg("old", "element"), Arg("new")), parse_args=True,
                    examples=("rename dummy dummy1",)),
        CommandSpec("default-timeouts", "Give primitives' operations the timeouts their agent advises\n\n"
                    "The first start, stop (migrate_to, migrate_from when allow-migrate=true; promote, "
                    "demote in a promotable clone) and every monitor get the agent's advised timeout; "
                    "those of them a primitive lacks are added with interval=0.",
                    usage="default-timeouts ID [ID ...]", handler=lazy(_TIMEOUTS, "do_default_timeouts"),
                    aliases=("default_timeouts",), args=(Arg("id", "element", repeat=True),),
                    examples=("default-timeouts dummy",)),
        CommandSpec("modgroup", "Add a resource to a group or remove one",
                    usage="modgroup GROUP add RSC [after|before RSC] | modgroup GROUP remove RSC",
                    handler=lazy(_OPS, "do_modgroup"), args=(Arg("group", "element"), Arg("action", "choice",
                                                                                choices=("add", "remove")),
                                                   Arg("resource", "element")),
                    examples=("modgroup g1 add d3 after d1", "modgroup g1 remove d3")),
        CommandSpec("load", "Load a configuration file\n\n`update` adds elements and replaces those with "
                    "the same id (property, rsc_defaults and op_defaults sets merge their values); "
                    "`replace` erases everything but the node entries, then loads the file; `push` "
                    "loads the file as an update and removes every element it does not mention, node "
                    "entries included.  `-` reads stdin.",
                    usage="load update|replace|push FILE|-", handler=lazy(_OPS, "do_load"), parse_args=True,
                    args=(Arg("method", "choice", choices=LOAD_METHOD_NAMES), Arg("file", "file")),
                    examples=("load update examples/demo.crm", "load replace -")),
        CommandSpec("save", "Save the working copy to a file (crm text, or XML with `xml`)",
                    usage="save [xml] FILE", handler=lazy(_OPS, "do_save"), parse_args=True,
                    args=(Arg("format", "choice", optional=True, choices=("xml",)), Arg("file", "file")),
                    examples=("save backup.crm", "save xml backup.xml")),
        CommandSpec("erase", "Remove all resources and constraints (and node entries with `nodes`)",
                    usage="erase [nodes]", handler=lazy(_OPS, "do_erase"), parse_args=True,
                    args=(Arg("what", "choice", optional=True, choices=("nodes",)),), examples=("erase",)),
        CommandSpec("verify", "Check the working copy (validation, then `crm_verify`)", usage="verify",
                    handler=do_verify, examples=("verify",)),
        CommandSpec("commit", "Write the working copy to the CIB\n\nThe changes go as a patch against the "
                    "CIB version the working copy was read at (`cibadmin --patch`); `replace` sends the "
                    "whole configuration section instead.  Refused when the CIB changed since the "
                    "working copy was taken or crm_verify rejects it, unless `force`.",
                    usage="commit [force] [replace]", handler=do_commit, parse_args=True,
                    args=(Arg("force", "keyword", choices=("force",)), Arg("replace", "keyword", choices=("replace",))),
                    examples=("commit", "commit force", "commit replace")),
        CommandSpec("refresh", "Drop uncommitted changes and reload the CIB", usage="refresh",
                    handler=do_refresh, examples=("refresh",)),
        CommandSpec("simulate", "Show what the cluster would do if the working copy were committed",
                    usage="simulate", handler=do_simulate, examples=("simulate",)),
    ],
)
