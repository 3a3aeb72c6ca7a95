"""Configure commands that reshape the working copy: delete, rename, modgroup, load, save, erase, edit."""

from __future__ import annotations

import copy
import os
import shlex
import sys

from crmsh_py.cib.model import ClusterSet, Element, Group, Node
from crmsh_py.errors import CommandError, CrmError, ParseError
from crmsh_py.shell.levels.configure_refs import LEFT_BY_RENAME, drop_references, rename_references
from crmsh_py.shell.levels.configure_state import LOAD_METHOD_NAMES, check_no_new_errors, effective_id, working
from crmsh_py.shell.registry import Call

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py import xmltree as ET

    from crmsh_py.session import Session
    from crmsh_py.shell.levels.configure_state import WorkingCopy

ERROR_MARK = "# crm: "


def do_delete(session: "Session", call: Call) -> None:
    """``delete ID ...``: remove elements; constraints left pointing at nothing go too."""
    from crmsh_py.shell.levels import configure_moves as moves
    from crmsh_py.shell.levels.configure_running import guard_delete, split_force

    ids = split_force(list(call.args))[0]
    if not ids:
        return  # crmsh deletes nothing and says nothing
    wc = working(session)
    present = {effective_id(e) for e in wc.elements}
    missing = [i for i in ids if i not in present]
    if missing:
        # crmsh deletes the others all the same; with -F a missing one is not even an error
        # (for scripts), without it each is
        rest = [a for a in call.args if a not in missing]
        if not session.force:  # each missing one is said as crmsh meets it (the last as this command's error)
            for ident in missing[:-1]:
                session.err.write(f"ERROR: {session._at()}object {ident} does not exist\n")
        if split_force(rest)[0]:
            do_delete(session, Call(rest, call.text, call.name, call.values, call.usage))
        if session.force:
            return
        wc.index(missing[-1])
    ids = guard_delete(session, list(call.args))
    wc = working(session)
    held = wc.members()
    ids = moves.deletion_order(wc.elements, ids)
    before = {e.id: e for e in wc.elements}
    moved = moves.out_of_containers(session, list(wc.elements), ids)
    remaining, cascaded = drop_references(moved, set(ids))
    from crmsh_py.cib.model import Bundle, Clone

    for element_id in cascaded:
        if not isinstance(before[element_id], (Group, Clone, Bundle)):  # (crmsh drops an emptied one quietly)
            session.info(f"hanging {moves.label(before[element_id])} deleted")
    wc.elements = remaining
    wc.forget(list(before.values()))
    wc.note_freed(held)


def do_rename(session: "Session", call: Call) -> None:
    """``rename OLD NEW``: change an id and every reference to it."""
    old, new = call.value("old"), call.value("new")
    assert old is not None and new is not None
    wc = working(session)
    # crmsh looks at the new id first, among every id of the configuration
    from crmsh_py.shell.levels.configure_xml import REFERENCES  # (their id names another element)

    if wc.find(new) is not None or any(e.get("id") == new and e.tag not in REFERENCES
                                       for e in wc.configuration_xml().iter()):
        raise CommandError(f"{new}: id is already in use")  # crmsh's words
    element = wc.elements[wc.index(old)]
    if isinstance(element, Node) and (session.shadow or session.env.get("CIB_file")):
        raise CommandError("cannot rename nodes")  # crmsh: only on the live CIB
    from crmsh_py.shell.levels.configure_moves import CONSTRAINTS, label, refers_to

    changed = [e for e in wc.elements if isinstance(e, CONSTRAINTS) and refers_to(e, old)]
    element = _with_ids_pinned(wc, element)
    element.id = new  # ids made from the old name stay as they are, as crmsh keeps them
    wc.renamed[new] = wc.renamed.pop(old, old)
    rename_references(wc.elements, old, new, skip=LEFT_BY_RENAME)
    for constraint in changed:
        session.info(f"modified {label(constraint)} from {old} to {new}")


def _with_ids_pinned(wc: "WorkingCopy", element: Element) -> Element:
    """``element`` (in place in the working copy) with every id inside it written down as it is
    now: ids made from an element's id are made once, so a rename keeps them (crmsh's XML has them
    from the moment the element is made; ours makes them when writing XML)."""
    from crmsh_py.cib.model import FencingTopology, RawXml
    from crmsh_py.cib.xmlio import element_from_xml, section_of
    from crmsh_py.lang.nocli import element_xml

    if isinstance(element, (Node, FencingTopology, RawXml)):
        return element
    xml = element_xml(element, wc.configuration_xml())
    if xml is None:
        return element
    pinned = element_from_xml(xml, section_of(element))
    if type(pinned) is not type(element):
        return element
    from crmsh_py.cib.model import Colocation, Order, RscTicket

    if isinstance(pinned, (Colocation, Order, RscTicket)):
        from crmsh_py.cib.xml_constraints import sets_as_read

        # plain members read back as references would get set ids made from the new name
        pinned.items = sets_as_read(xml) or pinned.items
    wc.elements[wc.elements.index(element)] = pinned
    return pinned


def _check_new_member(session: "Session", elements: list[Element], group: Group, rsc: str) -> bool:
    """crmsh's refusals (and words) for a resource that cannot join ``group``; False for one that
    does not exist: crmsh says so, leaves the group as it is, and the command does not fail."""
    from crmsh_py.cib.model import Clone, Primitive, RscTemplate
    from crmsh_py.lang.writer import keyword

    member = next((e for e in elements if effective_id(e) == rsc), None)
    holder = next((e for e in elements if e is not group and (
        (isinstance(e, Group) and rsc in e.children) or (isinstance(e, Clone) and e.child == rsc))), None)
    if member is None:
        session.err.write(f"ERROR: {group.id} refers to missing object {rsc}\n")
        return False
    if not isinstance(member, Primitive) or isinstance(member, RscTemplate):
        problem = f"a group may contain only primitives; {rsc} is {keyword(member)}"
    elif holder is not None:
        problem = f"{rsc} already in use at {holder.id}"
    else:
        return True
    # crmsh logs these from its CIB layer: without the batch line's number
    session.err.write(f"ERROR: {problem}\n")
    raise CommandError(problem, shown=True)


def do_modgroup(session: "Session", call: Call) -> None:
    """``modgroup GROUP add RSC [after|before RSC]`` / ``modgroup GROUP remove RSC``."""
    args = call.args
    if len(args) not in (3, 5) or args[1] not in ("add", "remove"):
        raise call.bad_usage()
    wc = working(session)
    found = wc.find(args[0])
    if found is None:
        raise CommandError(f"configure.modgroup: group {args[0]} does not exist")  # crmsh's words
    if not isinstance(found, Group):
        raise CommandError(f"configure.modgroup: element {args[0]} is not a group")
    group = found
    before = copy.deepcopy(wc.elements)  # the group is changed in place: keep what it was
    rsc = args[2]
    if args[1] == "remove":
        if len(args) != 3 or rsc not in group.children:
            raise CommandError(f"configure.modgroup: {rsc} is not member of {group.id}")  # crmsh's words
        if len(group.children) == 1:
            raise CommandError(f"cannot remove the last resource of group {group.id}; delete the group")
        held = wc.members()
        group.children.remove(rsc)
        group.comments = []  # crmsh makes the group again from its text, without its comments
        wc.note_freed(held)
        return
    position = len(group.children)
    if len(args) == 5:
        if args[3] not in ("after", "before"):
            raise call.bad_usage()
        if args[4] not in group.children:
            raise CommandError(f"configure.modgroup: {args[4]} is not member of {group.id}")  # crmsh's words
        position = group.children.index(args[4]) + (1 if args[3] == "after" else 0)
    if rsc in group.children:
        # crmsh rewrites the group's line with the member added and parses it: its words
        line = " ".join(["group", group.id, *group.children[:position], rsc, *group.children[position:]])
        raise CommandError(f"syntax in group: child {rsc} listed more than once in group {group.id} "
                           f"parsing '{line}'")
    if not _check_new_member(session, wc.elements, group, rsc):
        return
    group.children.insert(position, rsc)
    try:
        check_no_new_errors(before, wc.elements)
    except CrmError:
        group.children.remove(rsc)
        raise
    group.comments = []  # crmsh makes the group again from its text, without its comments


def _read_source(session: "Session", source: str) -> str:
    try:
        if source == "-":
            return (session.stdin or sys.stdin).read()
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise CommandError(f"{source}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{'<stdin>' if source == '-' else source}: not UTF-8 text (byte "
                           f"0x{error.object[error.start]:02x} at offset {error.start}); nothing was changed") from None


def merge_set(old: Element, new: Element) -> Element:
    """``old`` (a property/rsc_defaults/op_defaults set) with ``new``'s values set or added, the
    way crmsh merges sets on update: by nvpair name, other values kept."""
    merged = copy.deepcopy(old)
    values = {p.name: p for p in merged.nvpairs}  # type: ignore[union-attr]
    for pair in new.nvpairs:  # type: ignore[union-attr]
        if pair.name in values:
            values[pair.name].value = pair.value
        else:
            merged.nvpairs.append(copy.deepcopy(pair))  # type: ignore[union-attr]
    return merged


def merge_node(old: Node, new: Node, taken: set[str]) -> Node:
    """``old`` with ``new``'s attribute sets merged in, as crmsh updates a node entry defined again:
    a set of a kind the node has gives its values (by name) to the first such set, rules left out;
    a set of another kind is added whole; the node's own attributes (type, description) stay.
    crmsh made the new set with an id of its own first (the next free ``NODE-instance_attributes-N``,
    added to ``taken``: crmsh keeps it in use), and the values it adds keep the ids made from it."""
    from crmsh_py.cib import ids

    merged = copy.deepcopy(old)
    for new_set in new.attr_sets:
        target = next((s for s in merged.attr_sets if s.kind == new_set.kind and not s.id_ref), None)
        if target is None:
            merged.attr_sets.append(copy.deepcopy(new_set))
            continue
        tag = "utilization" if new_set.kind == "utilization" else "instance_attributes"
        set_id = ids.claim(new_set.id or f"{ids.prefix(old.node_id or old.id)}-{tag}", taken)
        values = {p.name: p for p in target.nvpairs}
        for pair in new_set.nvpairs:
            if pair.name in values:
                values[pair.name].value = pair.value
            else:
                added = copy.deepcopy(pair)
                added.id = added.id or f"{set_id}-{ids.prefix(pair.name)}"
                target.nvpairs.append(added)
    return merged


def _mergeable(old: Element, new: Element) -> bool:
    return isinstance(old, ClusterSet) and isinstance(new, ClusterSet) and old.kind == new.kind


def _update(current: list[Element], new: list[Element]) -> list[Element]:
    """Elements of ``new`` replace those with their id (sets merge) or are appended."""
    result = list(current)
    # id → position of its first element: one dict instead of a list scan per loaded element
    # (loading 10,000 primitives was quadratic).
    position: dict[str, int] = {}
    for i, e in enumerate(result):
        position.setdefault(effective_id(e), i)
    for element in new:
        at = position.get(effective_id(element))
        if at is None:
            position[effective_id(element)] = len(result)
            result.append(element)
            continue
        if _mergeable(result[at], element):
            element = merge_set(result[at], element)
        elif isinstance(element, Node) and isinstance(result[at], Node) and element.node_id is None:
            # `node srv01 ...` in a file means the node the cluster knows by that name: keep its id
            element = copy.deepcopy(element)
            element.node_id = result[at].node_id  # type: ignore[union-attr]
        result[at] = element
    return result


def _replace(current: list[Element], new: list[Element]) -> list[Element]:
    """Everything but the node entries goes, then the file is loaded as an update."""
    return _update([e for e in current if isinstance(e, Node)], new)


def _push(current: list[Element], new: list[Element]) -> list[Element]:
    """An update that also removes every element the file does not mention (node entries too)."""
    mentioned = {effective_id(e) for e in new}
    return [e for e in _update(current, new) if effective_id(e) in mentioned]


# crmsh 4.4's three ways of loading a file
LOAD_METHODS: dict[str, Callable[[list[Element], list[Element]], list[Element]]] = dict(
    zip(LOAD_METHOD_NAMES, (_update, _replace, _push), strict=True))


def merge(current: list[Element], new: list[Element], method: str) -> list[Element]:
    """The configuration after loading ``new`` with ``method`` (crmsh 4.4 semantics):

    - ``update``: elements replace those with the same id or are added; property, rsc_defaults
      and op_defaults sets merge their values into the existing set;
    - ``replace``: all but the node entries is erased, then the file is loaded as an update;
    - ``push``: an update that then drops every element not in the file, node entries included.
    """
    return LOAD_METHODS[method](current, new)


def do_load(session: "Session", call: Call) -> None:
    """``load update|replace|push FILE|-``: merge a crm configuration file into the working copy."""
    method, source = call.value("method"), call.value("file")
    assert method is not None and source is not None
    from crmsh_py.agents.catalog import ocf_provider
    from crmsh_py.lang import parse

    from crmsh_py.collector import paused

    text = _read_source(session, source)
    with paused():  # a large file makes a great many acyclic objects: see crmsh_py.collector
        elements = parse(text, source="<stdin>" if source == "-" else source, providers=ocf_provider)
        from crmsh_py.shell.levels.configure_compat import default_rule_scores

        default_rule_scores(elements)  # (as a line typed at the level gets them)
        load_elements(session, elements, method)


def load_elements(session: "Session", elements: list[Element], method: str) -> None:
    """Merge parsed ``elements`` into the working copy by ``method`` (see :func:`merge`), checked
    as a load is; interactively, ``replace`` over uncommitted changes asks first."""
    wc = working(session)
    if method == "replace" and wc.dirty and session.mode == "interactive" and session.ask is not None:
        if not session.ask("This operation will erase all changes. Do you want to proceed (y/n)?"):
            return
    from crmsh_py.cib.model import RscTemplate

    # crmsh processes a file's templates before the resources that may use them
    elements = [e for e in elements if isinstance(e, RscTemplate)] + [e for e in elements
                                                                      if not isinstance(e, RscTemplate)]
    merged = merge(wc.elements, elements, method)
    errors = check_no_new_errors(wc.elements if method == "update" else [], merged)
    from crmsh_py.shell.levels.configure_compat import check_agents_exist

    check_agents_exist(session, wc.elements, merged)
    wc.elements = merged
    wc.checked = (merged, errors)


def do_save(session: "Session", call: Call) -> None:
    """``save [xml] FILE``: write the working copy to a local file."""
    as_xml, path = call.value("format") == "xml", call.value("file")
    assert path is not None
    wc = working(session)
    if as_xml:
        from crmsh_py.shell.levels.configure_xml import cib_document

        text = cib_document(wc)
    else:
        from crmsh_py.lang import write_all

        text = write_all(wc.elements)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


def do_erase(session: "Session", call: Call) -> None:
    """``erase``: remove every element but the node entries; ``erase nodes``: remove only the node
    entries (as crmsh; never the rest of the configuration)."""
    wc = working(session)
    before = wc.elements
    if call.value("what"):
        wc.elements = [e for e in wc.elements if not isinstance(e, Node)]
    else:
        _erase_messages(session, wc)
        wc.elements = [e for e in wc.elements if isinstance(e, Node)]
    wc.forget(before)


def _erase_messages(session: "Session", wc: "WorkingCopy") -> None:
    """What crmsh says while erasing: it deletes the elements without members one by one, in the
    order of its list; deleting a template deletes the primitives made from it first ("hanging
    primitive:X deleted"), and a tag goes with its last member, so when their turn comes they
    are gone ("object X does not exist", not said with -F)."""
    from crmsh_py.cib.listed_order import object_order
    from crmsh_py.cib.model import Primitive, RscTemplate
    from crmsh_py.cib.xmlio import held_by
    from crmsh_py.shell.levels.configure_moves import CONSTRAINTS

    elements = [wc.elements[i] for i in object_order(wc.elements, wc.was_read)]
    gone: set[str] = set()
    for element in elements:
        if isinstance(element, (Node, *CONSTRAINTS)) or held_by(element):
            continue
        if element.id in gone:
            if not session.force:
                session.err.write(f"ERROR: {session._at()}object {element.id} does not exist\n")
            continue
        if isinstance(element, RscTemplate):
            for made in elements:
                if isinstance(made, Primitive) and made.template == element.id and made.id not in gone:
                    session.info(f"hanging primitive:{made.id} deleted")
                    gone.add(made.id)
        gone.add(element.id)
        _gone_with_members(elements, gone)


def _gone_with_members(elements: list[Element], gone: set[str]) -> None:
    """Add to ``gone`` what crmsh removes with its last member: a container, a tag (quietly while
    erasing); bounded by the elements' count (each round removes one more or stops)."""
    from crmsh_py.cib.model import Tag
    from crmsh_py.cib.xmlio import held_by

    for _ in range(len(elements)):
        more = set()
        for element in elements:
            if element.id in gone:
                continue
            members = element.refs if isinstance(element, Tag) else held_by(element)
            if members and all(m in gone for m in members):
                more.add(element.id)
        if not more:
            return
        gone |= more


# ---------------------------------------------------------------------- edit


def _editor(session: "Session") -> list[str]:
    editor = session.options.get("editor") or session.env.get("VISUAL") or session.env.get("EDITOR") or "vi"
    return shlex.split(editor)


def apply_edit(session: "Session", ids: list[str], text: str) -> None:
    """Replace the elements ``ids`` with what ``text`` defines (parse and validate first)."""
    from crmsh_py.agents.catalog import ocf_provider
    from crmsh_py.lang import parse

    body = "\n".join(line for line in text.splitlines() if not line.startswith(ERROR_MARK))
    new = parse(body, source="edit", providers=ocf_provider)
    from crmsh_py.shell.levels.configure_compat import default_rule_scores

    default_rule_scores(new)  # (crmsh's parser gives a set's rule its score, whatever the source)
    wc = working(session)
    chosen = set(ids)
    result: list[Element] = []
    pending = {effective_id(e): e for e in new}
    for element in wc.elements:
        eid = effective_id(element)
        if eid in pending:
            result.append(pending.pop(eid))
        elif eid not in chosen:
            result.append(element)
    result.extend(pending.values())
    check_no_new_errors(wc.elements, result)
    kept = chosen & {effective_id(e) for e in result}  # an element the edit deleted frees its ids
    before = _sub_ids(wc.configuration_xml(), kept)
    held = wc.members()
    wc.elements = result
    wc.note_freed(held)
    after = wc.configuration_xml()
    # (the ids of a member the edit took out of a container stay with it)
    wc.reserved |= before - _sub_ids(after, kept) - {e.get("id") for e in after.iter()}


def _sub_ids(configuration: ET.Element, chosen: set[str]) -> set[str]:
    """The XML ids inside the top-level elements ``chosen`` (their own ids aside)."""
    found: set[str] = set()
    for element in configuration.iter():
        if element.get("id") in chosen:
            found.update(e.get("id", "") for e in element.iter() if e is not element and e.get("id"))
    return found


def do_edit(session: "Session", call: Call) -> None:
    """``edit [ID ...]``: the chosen elements (all by default) in $EDITOR; re-parsed on save.

    A syntax or validation error reopens the editor with the error as comments at the top;
    saving the file unchanged gives up (nothing changes).
    """
    from crmsh_py.lang import write_all

    batch = session.mode == "batch" or not session.terminal
    missing = [i for i in call.args if working(session).find(i) is None]
    if batch:
        # crmsh's rule: no editor without a terminal (a batch would otherwise commit blindly);
        # crmsh logs it as INFO (after its error about an id it looked up), and fails
        if missing:
            session.err.write(f"ERROR: object {missing[0]} does not exist\n")
        session.info("edit not allowed in batch mode")
        raise CommandError("edit not allowed in batch mode", shown=True)
    for element_id in missing:
        working(session).index(element_id)
    wc = working(session)
    ids = call.args or [effective_id(e) for e in wc.elements]
    chosen = [wc.elements[wc.index(i)] for i in ids]
    text = write_all(chosen)
    import subprocess  # only edit runs an editor: the other commands need neither module
    import tempfile

    with tempfile.TemporaryDirectory(prefix="crm-edit-") as tmp:
        path = os.path.join(tmp, "edit.crm")
        while True:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            try:
                subprocess.run([*_editor(session), path], check=True)
            except (OSError, subprocess.CalledProcessError) as error:
                raise CommandError(f"editor failed: {error}") from None
            with open(path, encoding="utf-8") as handle:
                edited = handle.read()
            if edited == text:
                session.info("no changes")
                return
            try:
                apply_edit(session, ids, edited)
                return
            except (ParseError, CrmError) as error:
                body = [line for line in edited.splitlines() if not line.startswith(ERROR_MARK)]
                marks = [ERROR_MARK + line for line in error.message().splitlines()]
                text = "\n".join(marks + body) + "\n"
