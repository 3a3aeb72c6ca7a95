"""The configure level's working copy: taken from the live CIB, edited locally, committed at once.

Reading and writing the CIB both go through low-level commands (``cibadmin -Q``,
``crm_verify --xml-pipe``, ``cibadmin --patch --xml-pipe``), so ``-R`` shows them and both
backends serve.  Committing is ``configure_commit``'s business.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.errors import CommandError, ValidationError, ValidationErrors
from crmsh_py.backends.argv import Cmd
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session

#: ``load METHOD FILE``'s methods (configure_ops.LOAD_METHODS does each), here so that the command
#: table names them without importing the commands' module
LOAD_METHOD_NAMES = ("update", "replace", "push")


def effective_id(element: "Element") -> str:
    """The id an element has in the CIB (unnamed property sets get crmsh's default set id)."""
    from crmsh_py.cib.model import ClusterSet

    if isinstance(element, ClusterSet) and not element.id:
        from crmsh_py.cib import ids

        return ids.default_set_id(element.kind)
    return element.id


def text_of(element: "Element") -> str:
    """Canonical text of one element (what ``show`` prints; the unit of change tracking)."""
    from crmsh_py.lang import write

    text: str = write(element)
    return text


@record
class WorkingCopy:
    """Elements being edited, the CIB they came from, and what they looked like then."""

    root: ET.Element
    epoch: tuple[int, int]
    elements: list["Element"] = field(default_factory=list)
    original: dict[str, str] = field(default_factory=dict)
    # ids an edit or filter took out of an element that stays: crmsh keeps them registered for the
    # rest of the session, so ids generated later skip them (`r1-expression-1`, not `-0` again)
    reserved: set[str] = field(default_factory=set)
    # (elements, their validation errors) as the last load left them: a one-shot load's commit,
    # which follows with nothing in between, uses them instead of validating it all again
    checked: tuple[list["Element"], list[ValidationError]] | None = field(default=None, repr=False)
    # the nodes' names when the fencing topology was read (taken or defined): crmsh decides then,
    # not when showing it, whether its text reads back the same (lang/fencing_form.py)
    fencing_nodes: list[str] | None = None
    # what crmsh lists as read from the CIB (cib/listed_order.py): an element deleted since counts
    # as new when made again (``forgotten``), a renamed one as read still (``renamed``: new -> old)
    forgotten: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)

    # resources taken out of a group, clone or bundle in this session, in that order, each with the
    # resources there were then: crmsh appends such a resource to <resources> when it frees it
    freed: list[tuple[str, frozenset[str]]] = field(default_factory=list)

    def members(self) -> list[str]:
        """The ids of the resources inside a group, clone or bundle now, container by container."""
        from crmsh_py.cib.xmlio import contained_ids

        return contained_ids(self.elements)

    def note_freed(self, held: list[str]) -> None:
        """Note the resources of ``held`` (:meth:`members` before a change) that are now top-level,
        in their order there (crmsh frees a container's members in order)."""
        from crmsh_py.cib.model import Bundle, Clone, Group, Primitive

        now = set(self.members())
        present = {effective_id(e) for e in self.elements}
        then = frozenset(effective_id(e) for e in self.elements if isinstance(e, (Primitive, Group, Clone, Bundle)))
        for ident in held:
            if ident in present and ident not in now:
                self.freed = [entry for entry in self.freed if entry[0] != ident]
                self.freed.append((ident, then))

    def was_read(self, element: "Element") -> bool:
        """Whether crmsh would list ``element`` as one it read from the CIB (see ``forgotten``)."""
        ident = effective_id(element)
        return ident not in self.forgotten and self.renamed.get(ident, ident) in self.original

    def forget(self, before: list["Element"]) -> None:
        """Note the elements of ``before`` that the working copy no longer has (deleted)."""
        present = {effective_id(e) for e in self.elements}
        self.forgotten.update(i for i in map(effective_id, before) if i not in present)

    def checked_errors(self) -> list[ValidationError] | None:
        """The validation errors recorded for exactly the current elements, or None."""
        if self.checked is None or self.checked[0] is not self.elements:
            return None
        return self.checked[1]

    def find(self, element_id: str) -> "Element | None":
        """The element with this id, or None."""
        return next((e for e in self.elements if effective_id(e) == element_id), None)

    def index(self, element_id: str) -> int:
        """The position of the element with this id (CommandError when there is none)."""
        for i, e in enumerate(self.elements):
            if effective_id(e) == element_id:
                return i
        raise CommandError(f"object {element_id} does not exist")  # crmsh's words

    def changed_flags(self) -> list[bool]:
        """For each element in order: added or changed since the copy was taken (each element
        written out once: callers that need both the changed and the unchanged ones share this)."""
        original = self.original
        flags = []
        for element in self.elements:
            before = original.get(effective_id(element))
            # an element the copy did not have is new: no need to write it out to know that
            flags.append(before is None or before != text_of(element))
        return flags

    def changed_ids(self, flags: list[bool] | None = None) -> list[str]:
        """Ids of elements added or changed since the copy was taken (``flags``: from
        :meth:`changed_flags`, when the caller has them already)."""
        flags = self.changed_flags() if flags is None else flags
        return [effective_id(e) for e, changed in zip(self.elements, flags) if changed]

    def deleted_ids(self) -> list[str]:
        """Ids of elements removed since the copy was taken."""
        present = {effective_id(e) for e in self.elements}
        return [i for i in self.original if i not in present]

    @property
    def dirty(self) -> bool:
        """True when there is something to commit (stops at the first change found: writing out
        every element of a large configuration only to answer yes is dear)."""
        original = self.original
        return any(original.get(effective_id(e)) != text_of(e) for e in self.elements) or bool(self.deleted_ids())

    def configuration_xml(self) -> ET.Element:
        """The working copy as a ``<configuration>`` element."""
        from crmsh_py.cib import xmlio
        from crmsh_py.cib.model import Configuration

        return xmlio.configuration_to_xml(Configuration(list(self.elements)), self.reserved)

    def cib_xml(self) -> ET.Element:
        """A whole ``<cib>``: the live one's attributes and status with our configuration."""
        import copy  # here, as below: `configure show` reads the working copy and copies nothing

        root = copy.deepcopy(self.root)
        old = root.find("configuration")
        position = list(root).index(old) if old is not None else 0
        if old is not None:
            root.remove(old)
        root.insert(position, self.configuration_xml())
        return root


def _cib_id(element: "Element") -> str | None:
    """The ``id`` attribute an element has in the CIB (a node's is its node id)."""
    from crmsh_py.cib.model import Node

    if isinstance(element, Node):
        from crmsh_py.cib import ids

        return element.node_id or ids.node_id(element.id)
    return effective_id(element)


def listed(wc: WorkingCopy, configuration: ET.Element) -> ET.Element:
    """A new ``<configuration>`` with ``configuration``'s sections and elements in the order crmsh
    lists the working copy when it shows or checks it (cib/listed_order.py); it shares their
    elements, and ``configuration`` itself is left as it was."""
    from crmsh_py.cib.listed_order import as_listed, listed_ranks

    return as_listed(configuration, listed_ranks(wc.elements, _cib_id, wc.was_read))


def as_crmsh_lists(wc: WorkingCopy, root: ET.Element) -> ET.Element:
    """``root`` (a whole ``<cib>``) with its configuration :func:`listed`; ``root`` is left as it was."""
    result = ET.Element(root.tag, dict(root.attrib))
    result.extend(listed(wc, child) if child.tag == "configuration" else child for child in root)
    return result


def read_live(session: "Session") -> ET.Element:
    """The live (or shadow) CIB via ``cibadmin -Q``."""
    from crmsh_py.cib import load

    return load(session.check(Cmd("cibadmin").flag("-Q")).stdout, "cibadmin -Q")


def take(session: "Session") -> WorkingCopy:
    """A fresh working copy of the current CIB."""
    from crmsh_py.cib import xmlio

    root = read_live(session)
    section = root.find("configuration")
    if section is None:
        raise CommandError("the CIB has no configuration section")
    elements = list(xmlio.configuration_from_xml(section).elements)
    from crmsh_py.cib.versions import version_of

    from crmsh_py.cib.model import Node

    report_unreadable(session, elements)
    return WorkingCopy(root, version_of(root)[:2], elements, {effective_id(e): text_of(e) for e in elements},
                       fencing_nodes=[e.id for e in elements if isinstance(e, Node)])


def report_unreadable(session: "Session", elements: list["Element"]) -> None:
    """crmsh 4.4.1 reads back the text it writes for each element it reads (the CIB at the start
    and after a commit, or an element just defined) and logs its syntax error when that fails,
    then shows the element as XML; nothing fails.  Two kinds fail so: a role without permissions
    (``role ID``) and a node whose id has a dot (``node ID: NAME``)."""
    from crmsh_py.cib.model import Clone, Group, Node, Role

    for element in elements:
        said = None
        empty = (isinstance(element, Group) and not element.children) or (isinstance(element, Clone) and not element.child)
        if (isinstance(element, Role) and not element.rules) or (empty and not getattr(element, "attr_sets", None)):
            kind = "ms" if isinstance(element, Clone) and element.legacy_ms else type(element).__name__.lower()
            kind = "role" if isinstance(element, Role) else kind
            said = f"syntax in {kind}: Expected at least 2 arguments near <{kind}> parsing '{kind} {element.id}'"
        elif isinstance(element, Node) and element.node_id and "." in element.node_id:
            line = " ".join(part.strip() for part in text_of(element).split("\\\n"))
            said = f"syntax in node: Expected uname[:type] near <{element.node_id}:> parsing '{line}'"
        if said is not None:
            session.err.write(f"ERROR: {session._at()}{said}\n")


def working(session: "Session") -> WorkingCopy:
    """The session's working copy, taken on first use."""
    if session.working is None:
        session.working = take(session)
    copy: WorkingCopy = session.working
    return copy


def validation_errors(elements: list["Element"]) -> list[ValidationError]:
    """Semantic problems of a configuration (duplicate ids, bad scores, ...) that the configure
    level refuses at once.  A reference to an id that does not exist is not among them: crmsh takes
    the element, warns about it (the sanity checks) and crm_verify refuses the commit."""
    from crmsh_py.cib.model import Configuration
    from crmsh_py.cib.validate import DANGLING, validate

    return [e for e in validate(Configuration(list(elements))) if e.code != DANGLING]


def check_no_new_errors(before: list["Element"], after: list["Element"]) -> list[ValidationError]:
    """Refuse a change that introduces validation errors (old problems do not block new work);
    returns every error of ``after`` (the old problems)."""
    known = {e.message() for e in validation_errors(before)} if before else set()
    found = validation_errors(after)
    new = [e for e in found if e.message() not in known]
    if new:
        raise ValidationErrors(new)
    return found


def verify_cib(session: "Session", root: ET.Element) -> tuple[bool, str]:
    """``crm_verify --xml-pipe`` on a prospective CIB: (acceptable, what it said).

    Like crmsh, only errors block: crm_verify also fails on CIBs that merely draw warnings, so a
    failure is looked at again with ``-VV`` (the detailed lines) and refused only when one of
    them is an ``error:`` line.  The configuration is checked without the status section, as
    crmsh does: an offline CIB's empty status makes every node look unclean, a warning about the
    moment rather than the configuration.  Remote or guest nodes named like a cluster node are
    refused first, with their names: an update may have replaced the node entry, so only the whole
    CIB (its status section) shows the clash.
    """
    from crmsh_py.cib import dump, remote_xml
    from crmsh_py.cib.xml_handoff import XmlInput

    clashes = remote_xml.cluster_node_clashes(root)
    if clashes:
        return False, "\n".join(clashes)

    import copy

    config = copy.copy(root)  # a shallow copy: removing its status leaves ``root`` whole
    for status in config.findall("status"):
        config.remove(status)
    # handed over as a tree to an in-process crm_verify, which only reads it: ``root`` may share
    # its parts with what the caller commits next (see configure_commit._prospective)
    result = session.run(Cmd("crm_verify").flag("--xml-pipe"), stdin=XmlInput(config))
    if result.rc == 0:
        # crmsh runs crm_verify -VV: the dates its scheduler could not read show, as errors
        from crmsh_py.cib.date_checks import date_errors

        section = config.find("configuration")
        dates = date_errors(section) if section is not None else []
        return True, "\n".join([*dates, (result.stdout + result.stderr).strip()]).strip()
    detail = session.run(Cmd("crm_verify").flag("-VV", "--xml-pipe"), stdin=dump(config))
    lines = [line.strip() for line in (detail.stdout + detail.stderr).splitlines() if line.strip()]
    said = "\n".join(lines) or (result.stdout + result.stderr).strip()
    if detail.rc == 0:
        return True, said
    import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)

    errors = [line for line in lines if re.search(_ERROR_LINE, line)]
    return (not errors and detail.rc == CRM_EX_CONFIG), said


def show_warnings(session: "Session", said: str) -> None:
    """crm_verify's warnings (and errors that did not fail it) about a configuration being
    committed, as crmsh shows them."""
    for line in said.splitlines():
        if "warning:" in line:
            session.err.write(f"WARNING: {line.strip()}\n")
        elif "error:" in line:
            session.err.write(f"ERROR: {line.strip()}\n")


CRM_EX_CONFIG = 78  # crm_verify: "Errors/Warnings found during check"
_ERROR_LINE = r"\berror:|\bErrors found\b"  # compiled by re on first use (verify only)
