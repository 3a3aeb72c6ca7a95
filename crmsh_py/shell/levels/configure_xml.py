"""``show xml`` / ``save xml``: the working copy as a whole ``<cib>`` document, as crmsh prints it.

crmsh wraps the configuration (or only the chosen elements) in the CIB's root element, without
the status section: the result can be loaded back (``load xml replace``), checked with
``crm_verify --xml-file`` or used as a shadow CIB.  The four basic sections are always there
(empty when nothing of theirs was chosen), so the skeleton is a valid CIB.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection
    from crmsh_py.shell.levels.configure_state import WorkingCopy

BASIC_SECTIONS = ("crm_config", "nodes", "resources", "constraints")
CONTAINERS = ("group", "clone", "master", "ms", "bundle")
MEMBERS = ("group", "primitive")
DECLARATION = '<?xml version="1.0" ?>'
# elements whose id attribute names another element (a constraint's or tag's member, a user's role)
REFERENCES = frozenset({"resource_ref", "obj_ref", "role"})


def cib_document(wc: WorkingCopy, wanted: Collection[str] | None = None) -> str:
    """``<cib>`` with the working copy's configuration (only elements whose id is in ``wanted``
    when given), the live CIB's root attributes, no status; crmsh's declaration and layout."""
    from crmsh_py.cib import dump
    from crmsh_py.shell.levels.configure_commit import configuration_to_commit
    from crmsh_py.shell.levels.configure_state import listed
    from crmsh_py.shell.levels.configure_state import effective_id

    # what nobody changed keeps the XML the CIB has (attribute order and all), as crmsh shows it
    flags = wc.changed_flags()
    # listed as crmsh lists its objects, not in the CIB's order (cib/listed_order.py)
    configuration = listed(wc, configuration_to_commit(wc, flags))
    _drop_read_defaults(configuration, {effective_id(e) for e, changed in zip(wc.elements, flags) if not changed})
    if wanted is not None:
        for section in list(configuration):
            for child in list(section):
                # a chosen resource inside a group or clone shows as its top-level element, as crmsh
                if not isinstance(child.tag, str) or not any(
                        e.get("id") in wanted for e in child.iter() if e.tag not in REFERENCES):
                    section.remove(child)
            if section.tag not in BASIC_SECTIONS and len(section) == 0:
                configuration.remove(section)  # crmsh leaves out what holds nothing chosen
    for container in [e for e in configuration.iter() if e.tag in CONTAINERS and e.tag != "bundle"]:
        _members_last(container)  # (crmsh shows a bundle's primitive where its XML has it)
    present = {section.tag for section in configuration}
    for position, tag in enumerate(BASIC_SECTIONS):
        if tag not in present:
            configuration.insert(min(position, len(configuration)), ET.Element(tag))
    root = ET.Element("cib", dict(wc.root.attrib))
    root.append(configuration)
    # lxml's empty-element form, as crmsh prints it ("/>" cannot occur inside ET's escaped values)
    # crmsh's output ends with an empty line (its text already ends with a newline when printed)
    # crmsh writes with an ASCII encoding: other characters as (decimal) character references
    from crmsh_py.lang.nocli import ascii_refs

    return f"{DECLARATION}\n{ascii_refs(dump(root).replace(' />', '/>'))}\n"


def _drop_read_defaults(configuration: ET.Element, unchanged: set[str]) -> None:
    """Inside the elements read from the CIB and left alone (ids ``unchanged``), an expression's
    default ``type="string"`` goes: crmsh drops it when it reads the CIB (one made in this
    session keeps it until committed and read again)."""
    for section in configuration:
        for element in section:
            if element.get("id") not in unchanged:
                continue
            for expression in element.iter("expression"):
                if expression.get("type") == "string":
                    del expression.attrib["type"]


def _members_last(container: ET.Element) -> None:
    """A container's attribute sets before its members, whatever order the CIB keeps them in
    (``crm_resource --meta`` appends a group's set after its primitives): crmsh shows them so."""
    members = [child for child in container if child.tag in MEMBERS]
    for member in members:
        container.remove(member)
        container.append(member)
