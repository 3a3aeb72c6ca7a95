"""The order crmsh 4.4.1 lists a configuration in when it writes it out as a whole document.

crmsh keeps two orders.  The CIB itself gets each new element appended to its section, and each
new section appended to ``<configuration>``, as it is made: that is what a commit writes (and what
``configuration_to_commit`` reproduces).  But the document it builds to show (``show xml``) or to
check (the ``crm_verify`` run of ``verify`` and ``commit``) is made afresh from its list of
objects: the four basic sections first, then every element's top-level container (a group for its
member, a clone for its primitive) at the place where the first of them comes in that list, each
in a section made when first needed.  So ``group g p3`` over an existing ``p3`` is listed where
``p3`` was, not at the end; and ``rsc_defaults`` made before ``fencing_topology`` comes before it.
crm_verify's report (the lines it names, the order of the schema's complaints, the numbered
listing of a CIB it refuses) follows that document, so ours is checked in the same order.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from crmsh_py.cib.model import Element

BASIC_SECTIONS = ("crm_config", "nodes", "resources", "constraints")
FENCING = "fencing-topology"  # the rank key of the fencing topology (one element, without an id)
_MAX_DEPTH = 64  # containers nest a few levels (clone > group > primitive): this only bounds the climb


def _parents(elements: Sequence[Element]) -> dict[str, str]:
    """Each contained resource's id -> its container's id."""
    from crmsh_py.cib.xmlio import held_by

    parent: dict[str, str] = {}
    for element in elements:
        for child in held_by(element):
            parent.setdefault(child, element.id)
    return parent


def _read_class(element: Element) -> int:
    """Where crmsh puts an element it read from the CIB in its list: by kind (nodes, templates,
    primitives, bundles, groups, masters, clones, tags, constraints, ...), in CIB order within one
    kind; a nested primitive counts as a primitive, so its container comes where it does."""
    from crmsh_py.cib.model import Clone, ClusterSet

    if isinstance(element, Clone):
        return _CLASS["master" if element.legacy_ms else "clone"]
    if isinstance(element, ClusterSet):
        return _CLASS.get(element.kind, _LAST)
    return _CLASS.get(type(element).__name__, _LAST)


# crmsh 4.4.1's processing order of the elements it reads (xmlutil's sort map of XML tags), by model
_CLASS: dict[str, int] = {
    "Node": 0, "RscTemplate": 1, "Primitive": 2, "Bundle": 3, "Group": 4, "master": 5, "clone": 6,
    "Tag": 8, "Location": 9, "Colocation": 9, "Order": 9, "RscTicket": 10, "FencingTopology": 10,
    "property": 11, "rsc_defaults": 12, "op_defaults": 13, "Role": 14, "AclTarget": 15,
    "AclGroup": 15, "User": 15, "Alert": 16,
}
_LAST = 1000  # what the map does not name (raw XML) comes after the rest
_NEW = 10_000  # elements made in this session follow every element read, in the order made


def object_order(elements: Sequence[Element], was_read: Callable[[Element], bool]) -> list[int]:
    """The positions in ``elements`` in crmsh's order of its objects: those read from the CIB by
    kind (see :func:`_read_class`), then those made since, in the order made."""
    keys = [(_read_class(e) if was_read(e) else _NEW, i) for i, e in enumerate(elements)]
    return [position for _, position in sorted(keys)]


def listed_ranks(elements: Sequence[Element], xml_id: Callable[[Element], str | None],
                 was_read: Callable[[Element], bool]) -> dict[str, int]:
    """The XML id of each top-level element -> its rank in crmsh's list: the first of it and the
    resources it contains.  ``xml_id``: an element's id in the CIB; ``was_read``: whether the
    element came from the CIB (crmsh lists those by kind) rather than made since (in order)."""
    from crmsh_py.cib.model import FencingTopology

    parent = _parents(elements)
    ranks: dict[str, int] = {}
    for rank, position in enumerate(object_order(elements, was_read)):
        element = elements[position]
        top = FENCING if isinstance(element, FencingTopology) else xml_id(element)
        if top is None:
            continue
        for _ in range(_MAX_DEPTH):
            if top not in parent:
                break
            top = parent[top]
        ranks.setdefault(top, rank)
    return ranks


def as_listed(configuration: ET.Element, ranks: dict[str, int]) -> ET.Element:
    """A new ``<configuration>`` holding ``configuration``'s sections and elements in crmsh's listed
    order (``ranks`` from :func:`listed_ranks`).  ``configuration`` itself is left as it was: the
    result shares its elements, for a reader only.  What has no rank (a comment, an element the
    list does not know) stays right after the element it followed."""
    sections: list[tuple[int, ET.Element]] = []
    for section in configuration:
        if not isinstance(section.tag, str):
            continue
        keyed: list[tuple[int, int, ET.Element]] = []
        last = -1
        for index, child in enumerate(section):
            ident = child.get("id") if isinstance(child.tag, str) else None
            last = ranks.get(ident, last) if ident is not None else last
            keyed.append((last, index, child))
        keyed.sort(key=lambda item: (item[0], item[1]))
        fresh = ET.Element(section.tag, dict(section.attrib))
        fresh.text, fresh.tail = section.text, section.tail
        fresh.extend(child for _, _, child in keyed)
        if section.tag == FENCING:
            first = ranks.get(FENCING, len(ranks))
        else:
            first = min((rank for rank, _, _ in keyed if rank >= 0), default=len(ranks))
        sections.append((first, fresh))
    basic = [s for _, s in sections if s.tag in BASIC_SECTIONS]
    basic.sort(key=lambda s: BASIC_SECTIONS.index(s.tag))
    rest = sorted((item for item in sections if item[1].tag not in BASIC_SECTIONS), key=lambda item: item[0])
    result = ET.Element(configuration.tag, dict(configuration.attrib))
    result.extend(basic)
    result.extend(s for _, s in rest)
    return result
