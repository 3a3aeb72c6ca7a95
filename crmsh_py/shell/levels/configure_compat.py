"""crmsh compatibility at the configure level: its regression-test commands and its notices.

``_test``, ``_regtest``, ``_objects`` and ``_keywords`` are commands crmsh's own test cases use; they
are accepted (hidden from help and completion) so that those scripts run unchanged.  Their table
entries are in :mod:`crmsh_py.shell.levels.configure`, which loads this module when one of them
(or an element command) runs.
"""

from __future__ import annotations

import re

from crmsh_py.cib.model import Clone, ClusterSet, Group, Location, Node, Primitive
from crmsh_py.shell.registry import Call

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session


def do_check_structure(session: "Session", call: Call) -> None:
    """``_test``: crmsh checks its in-memory structure; ours is checked on every change already."""
    from crmsh_py.shell.levels.configure_state import working

    working(session)


def do_nothing(session: "Session", call: Call) -> None:
    """``_regtest on|off``, ``_objects``, ``_keywords``: crmsh test-harness switches with no effect here."""


def ms_notice(session: "Session", text: str) -> None:
    """crmsh's deprecation warning for ``ms ID RSC ...`` (the clone line that replaces it)."""
    words = text.split()
    if len(words) >= 3 and words[0] in ("ms", "master"):
        rest = " ".join(words[1:])
        meta = " " if "meta" in words[1:] else " meta "  # crmsh adds to a meta list already there
        session.warning(f'"ms" is deprecated. Please use "clone {rest}{meta}promotable=true"')


# compiled (and cached by re) on first use: most commands never strip an id= word
_ID_WORD = r"^(\s*(?:primitive|bundle|group|clone|ms|master|rsc_template|tag)\s+)id="


def strip_id_keyword(text: str) -> str:
    """crmsh accepts ``primitive id=dummy ...`` for ``primitive dummy ...``."""
    return re.sub(_ID_WORD, r"\1", text, count=1, flags=re.I)


def resolve_id_refs(existing: list["Element"], new: list["Element"]) -> None:
    """``$id-ref=`` naming an element stands for that element's part, as in crmsh:
    ``operations $id-ref=d1`` is d1's operations (``d1-ops``), ``rule $id-ref=l2`` l2's first rule."""
    by_id = {getattr(e, "id", None): e for e in [*existing, *new]}
    for element in new:
        if isinstance(element, Primitive) and element.operations_id_ref:
            target = by_id.get(element.operations_id_ref)
            if isinstance(target, Primitive) and target.operations_id:
                element.operations_id_ref = target.operations_id
        if isinstance(element, Location):
            for rule in element.rules:
                target = by_id.get(rule.id_ref) if rule.id_ref else None
                if isinstance(target, Location) and target.rules:
                    from crmsh_py.cib.ids import rule_id

                    rule.id_ref = target.rules[0].id or rule_id(target.id)


def _ask(session: "Session", question: str) -> bool:
    """crmsh's ``ask``: -F answers yes (and says so), no one to ask answers no."""
    policy = session.options.get("manage-children", "ask")
    if policy in ("always", "never"):
        return policy == "always"
    if session.force:
        session.info(f"{question} [YES]")
        return True
    return session.ask is not None and session.ask(f"{question} (y/n)?")


def _drop_attribute(session: "Session", element: "Element", kinds: tuple[str, ...], name: str,
                    question: str) -> None:
    for aset in getattr(element, "attr_sets", []):
        if aset.kind in kinds and any(nv.name == name for nv in aset.nvpairs) and _ask(session, question):
            aset.nvpairs = [nv for nv in aset.nvpairs if nv.name != name]
    element.attr_sets = [s for s in element.attr_sets  # type: ignore[union-attr]  # (elements with sets)
                         if s.nvpairs or s.id_ref or s.rules]


def override_lower_levels(session: "Session", elements: list["Element"], text: str) -> None:
    """Setting ``property maintenance-mode`` offers to remove the ``maintenance`` (and conflicting
    ``is-managed``) attributes of resources and nodes that it would override, as crmsh does."""
    words = text.split()
    if len(words) < 2 or words[0] != "property":
        return
    first = words[2] if words[1].endswith(":") and len(words) > 2 else words[1]
    if not first.startswith("maintenance-mode="):
        return
    rank = {Primitive: 0, Group: 1, Clone: 2}  # crmsh's order: primitives, then groups, then clones
    resources = sorted((e for e in elements if type(e) in rank), key=lambda e: rank[type(e)])
    nodes = [e for e in elements if isinstance(e, Node)]
    for group, kinds in ((resources, ("meta",)), (nodes, ("attributes", "params"))):
        for element in group:
            _drop_attribute(session, element, kinds, "maintenance",
                            f"'maintenance' attribute already exists in {element.id}. Remove it?")
            _drop_attribute(session, element, kinds, "is-managed",
                            f"'is-managed' conflicts with 'maintenance' in {element.id}. Remove it?")


def default_rule_scores(new: list["Element"]) -> None:
    """crmsh stores ``score="INFINITY"`` for a rule of an attribute set (or of a cluster-wide set:
    property, rsc_defaults, op_defaults) written without a score."""
    for element in new:
        sets = list(getattr(element, "attr_sets", []))
        sets += [s for op in getattr(element, "ops", []) for s in op.attr_sets]
        if isinstance(element, ClusterSet):
            sets.append(element)
        for aset in sets:
            for rule in aset.rules:
                if rule.score is None and rule.score_attribute is None and not rule.id_ref:
                    rule.score = "INFINITY"


AGENT_CHECKED_CLASSES = ("ocf",)  # classes whose agents crm_resource can describe everywhere


def check_agents_exist(session: "Session", before: list["Element"], after: list["Element"]) -> None:
    """Say so when a new primitive's OCF agent does not exist where the cluster runs (asked of
    ``crm_resource --show-metadata`` through the backend, as crmsh asks for the agent's meta-data).
    The primitive is taken all the same, as crmsh takes it: commit's checks refuse it."""
    known = {str(e.agent) for e in before if isinstance(e, Primitive) and e.agent is not None}
    wanted = {str(e.agent) for e in after if isinstance(e, Primitive) and e.agent is not None
              and e.agent.ra_class in AGENT_CHECKED_CLASSES} - known
    for name in sorted(wanted):
        if session.metadata(name).rc != 0:
            from crmsh_py.errors import CommandError
            from crmsh_py.shell.error_hints import with_hint  # a did-you-mean, as for other errors

            said = with_hint(session, CommandError(f"{name}: got no meta-data, does this RA exist?"))
            session.err.write(f"ERROR: {session._at()}{said}\n")


# (ids made for a descendant are not there yet when crmsh refuses the element; references stay)
_REFERENCES = frozenset({"resource_ref", "obj_ref", "role", "crmsh-ref"})


def refuse_invalid_ids(session: "Session", new: list["Element"]) -> None:
    """crmsh's refusal of a new element whose id is no XML id (``1bad``, ``x:y``): the id, then
    the element as it had built it, ids of its parts not made yet and members as references."""
    from crmsh_py import xmltree as ET
    from crmsh_py.cib import xmlio
    from crmsh_py.cib.model import ClusterSet, Configuration, FencingTopology
    from crmsh_py.errors import CommandError
    from crmsh_py.lang.writer import keyword

    for element in new:
        if isinstance(element, (Node, ClusterSet, FencingTopology)) or re.fullmatch(r"[^\W\d][\w.-]*", element.id):
            continue
        configuration = xmlio.configuration_to_xml(Configuration([element]))
        xml = next((x for section in configuration for x in section if x.get("id") == element.id), None)
        if xml is None:
            continue
        for part in xml.iter():
            if part is not xml and part.tag not in _REFERENCES:
                part.attrib.pop("id", None)
        members = element.children if isinstance(element, Group) else [element.child] if isinstance(element, Clone) else []
        for member in members:
            ET.SubElement(xml, "crmsh-ref", {"id": member})
        session.err.write(f"ERROR: {session._at()}{element.id}: invalid object id\n")
        session.err.write(f"ERROR: {session._at()}No ID found for {keyword(element)}: "
                          f"{ET.tostring(xml, encoding='unicode').replace(' />', '/>')}\n")
        raise CommandError(f"{element.id}: invalid object id", shown=True)
