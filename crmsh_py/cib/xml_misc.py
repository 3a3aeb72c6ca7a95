"""Cluster-wide sets, fencing topology, tags, ACLs, alerts and raw XML: model <-> XML."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import ids
from crmsh_py.cib.model import (
    AclGroup,
    AclRule,
    AclTarget,
    Alert,
    AlertRecipient,
    ClusterSet,
    Element,
    FencingLevel,
    FencingTopology,
    RawXml,
    Role,
    Tag,
    User,
)
from crmsh_py.cib.xml_rules import (
    ALERT_SET_KINDS,
    attr_set_to_xml,
    attr_sets_from_xml,
    comments_from_xml,
    comments_to_xml,
    fill_set,
    nvpairs_from_xml,
    own_id,
    rules_from_xml,
    set_attrs,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, MutableSet

_CLUSTER_SET_TAG: dict[str, str] = {
    "property": "cluster_property_set",
    "rsc_defaults": "meta_attributes",
    "op_defaults": "meta_attributes",
}
# crm ``select`` keywords -> XML tag inside ``<select>``.
_SELECT_TAG: dict[str, str] = {
    "nodes": "select_nodes",
    "fencing": "select_fencing",
    "resources": "select_resources",
    "attributes": "select_attributes",
}
_SELECT_WORD: dict[str, str] = {tag: word for word, tag in _SELECT_TAG.items()}
# AclRule field -> acl_permission attribute.
_ACL_FIELDS: tuple[tuple[str, str], ...] = (
    ("xpath", "xpath"),
    ("reference", "reference"),
    ("object_type", "object-type"),
    ("attribute", "attribute"),
)


# --------------------------------------------------------------------------- writing


def cluster_set_to_xml(cset: ClusterSet, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``cluster_property_set`` (property) or ``meta_attributes`` (rsc/op defaults)."""
    el = ET.Element(_CLUSTER_SET_TAG[cset.kind])
    set_id = cset.id or ids.default_set_id(cset.kind)
    el.set("id", set_id)
    taken.add(set_id)
    set_attrs(el, [("score", cset.score)])
    comments_to_xml(el, cset.comments)
    fill_set(el, set_id, cset.rules, cset.nvpairs, taken)
    return el


def _expand_untargeted(levels: list[FencingLevel], nodes: list[str] | None) -> list[FencingLevel]:
    # crmsh applies levels written without a target to every node known at the time
    if nodes is None or all(_has_target(lv) for lv in levels):
        return levels
    out = [lv for lv in levels if _has_target(lv)]
    for node in nodes:
        out += [FencingLevel(target=node, index=lv.index, devices=lv.devices)
                for lv in levels if not _has_target(lv)]
    return out


def _has_target(level: FencingLevel) -> bool:
    return bool(level.target or level.target_attribute or level.target_pattern)


def fencing_levels_to_xml(
    topo: FencingTopology, taken: MutableSet[str], nodes: list[str] | None = None
) -> list[ET.Element]:
    """The ``fencing-level`` elements of a topology (ids ``fencing``, ``fencing-0``, ...).

    With ``nodes``, levels without a target are written once per node (as crmsh does).
    """
    out: list[ET.Element] = []
    for level in _expand_untargeted(topo.levels, nodes):
        el = ET.Element("fencing-level")
        set_attrs(
            el,
            [
                # crmsh's order: a node target first, the other kinds of target after the devices
                ("target", level.target),
                ("index", str(level.index)),
                ("devices", ",".join(level.devices)),
                ("target-attribute", level.target_attribute),
                ("target-value", level.target_value),
                ("target-pattern", level.target_pattern),
            ],
        )
        el.set("id", own_id(level.id, ids.FENCING_PREFIX, taken))
        out.append(el)
    return out


def tag_to_xml(tag: Tag, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<tag id>`` with ``obj_ref`` children."""
    el = ET.Element("tag", {"id": tag.id})
    taken.add(tag.id)
    comments_to_xml(el, tag.comments)
    for ref in tag.refs:
        ET.SubElement(el, "obj_ref", {"id": ref})
    return el


def role_to_xml(role: Role, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<acl_role>`` with ``acl_permission`` children (ids ``ROLE-0``, ``ROLE-1``...)."""
    el = ET.Element("acl_role", {"id": role.id})
    taken.add(role.id)
    comments_to_xml(el, role.comments)
    for rule in role.rules:
        perm = ET.SubElement(el, "acl_permission", {"kind": rule.right})
        set_attrs(perm, [(xml_name, getattr(rule, name)) for name, xml_name in _ACL_FIELDS])
        perm.set("id", own_id(rule.id, ids.prefix(role.id), taken))
    return el


def _role_holder_to_xml(tag: str, holder: AclTarget | AclGroup, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element(tag, {"id": holder.id})
    taken.add(holder.id)
    comments_to_xml(el, holder.comments)
    for role in holder.roles:
        ET.SubElement(el, "role", {"id": role})
    return el


def acl_target_to_xml(target: AclTarget, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<acl_target id>`` with ``<role id>`` references."""
    return _role_holder_to_xml("acl_target", target, taken)


def acl_group_to_xml(group: AclGroup, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<acl_group id>`` with ``<role id>`` references."""
    return _role_holder_to_xml("acl_group", group, taken)


def user_to_xml(user: User, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """Legacy ``<acl_user>`` (ACL schema 1; Pacemaker 2 schemas reject it, as with crmsh)."""
    el = ET.Element("acl_user", {"id": user.id})
    taken.add(user.id)
    comments_to_xml(el, user.comments)
    for role in user.roles:
        ET.SubElement(el, "role_ref", {"id": role})
    for rule in user.rules:
        perm = ET.SubElement(el, rule.right)
        set_attrs(perm, [(xml_name, getattr(rule, name)) for name, xml_name in _ACL_FIELDS])
        perm.set("id", own_id(rule.id, ids.prefix(user.id), taken))
    return el


def alert_to_xml(alert: Alert, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<alert id path>``: sets, ``<select>`` and recipients (``ALERT-recipient-N``), in the
    alert's part order (by default sets, select, then recipients)."""
    el = ET.Element("alert", {"id": alert.id, "path": alert.path})
    taken.add(alert.id)
    set_attrs(el, [("description", alert.description)])
    comments_to_xml(el, alert.comments)
    sets, recipients = iter(alert.attr_sets), iter(enumerate(alert.recipients, start=1))
    for part in alert.parts_in_order():
        if part == "set":
            el.append(attr_set_to_xml(next(sets), alert.id, taken))
        elif part == "select":
            _select_to_xml(alert, el, taken)
        else:
            index, rcpt = next(recipients)
            r_el = ET.SubElement(el, "recipient")
            rid = own_id(rcpt.id, ids.recipient_id(alert.id, index), taken)
            set_attrs(r_el, [("id", rid), ("value", rcpt.value)])
            for aset in rcpt.attr_sets:
                r_el.append(attr_set_to_xml(aset, rid, taken))
    return el


def _select_to_xml(alert: Alert, el: ET.Element, taken: MutableSet[str]) -> None:
    words = list(alert.select)
    if alert.select_attributes and "attributes" not in words:
        words.append("attributes")
    select = ET.SubElement(el, "select")
    for word in words:
        sub = ET.SubElement(select, _SELECT_TAG.get(word, f"select_{word}"))
        if word == "attributes":
            for name in alert.select_attributes:
                attr = ET.SubElement(sub, "attribute", {"name": name})
                attr.set("id", ids.claim(ids.prefix(alert.id), taken))


def raw_to_xml(raw: RawXml, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """The element given as raw XML text (raises ValueError if the text is not XML)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        parser.feed(raw.xml)
        el = parser.close()
    except ET.ParseError as err:
        raise ValueError(f"{raw.id}: invalid XML: {err}") from None
    for sub in el.iter():
        if sub.get("id"):
            taken.add(sub.get("id", ""))
    return el


# --------------------------------------------------------------------------- reading


def cluster_set_from_xml(el: ET.Element, read_child: object = None, *, kind: str = "property") -> list[Element]:
    """A property set or a defaults set; ``kind`` comes from the enclosing section."""
    return [
        ClusterSet(
            id=el.get("id", ids.default_set_id(kind)),
            kind=kind,  # type: ignore[arg-type]
            nvpairs=nvpairs_from_xml(el),
            rules=rules_from_xml(el),
            score=el.get("score"),
            comments=comments_from_xml(el),
        )
    ]


def fencing_topology_from_xml(section: ET.Element) -> FencingTopology:
    """The whole ``<fencing-topology>`` section as one element."""
    levels = []
    for el in section.findall("fencing-level"):
        devices = el.get("devices", "")
        levels.append(
            FencingLevel(
                target=el.get("target"),
                target_attribute=el.get("target-attribute"),
                target_value=el.get("target-value"),
                target_pattern=el.get("target-pattern"),
                index=int(el.get("index", "1") or 1),
                devices=devices.split(",") if devices else [],
                id=el.get("id"),
            )
        )
    return FencingTopology(id=ids.FENCING_TOPOLOGY_ID, levels=levels,
                           comments=comments_from_xml(section))


def tag_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A ``<tag>``."""
    return [Tag(id=el.get("id", ""), refs=[r.get("id", "") for r in el.findall("obj_ref")],
                comments=comments_from_xml(el))]


def _acl_rule(perm: ET.Element, right: str) -> AclRule:
    values = {name: perm.get(xml_name) for name, xml_name in _ACL_FIELDS}
    if values["reference"] is None and perm.get("ref"):
        values["reference"] = perm.get("ref")  # ACL schema 1 spelling
    if values["object_type"] is None and perm.get("tag"):
        values["object_type"] = perm.get("tag")
    return AclRule(right=right, id=perm.get("id"), **values)


def role_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """An ``<acl_role>``."""
    rules = [_acl_rule(p, p.get("kind", "")) for p in el.findall("acl_permission")]
    return [Role(id=el.get("id", ""), rules=rules, comments=comments_from_xml(el))]


def acl_target_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """An ``<acl_target>``."""
    return [AclTarget(id=el.get("id", ""), roles=[r.get("id", "") for r in el.findall("role")],
                      comments=comments_from_xml(el))]


def acl_group_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """An ``<acl_group>``."""
    return [AclGroup(id=el.get("id", ""), roles=[r.get("id", "") for r in el.findall("role")],
                     comments=comments_from_xml(el))]


def user_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A legacy ``<acl_user>``."""
    rules = [_acl_rule(p, p.tag) for p in el if p.tag in ("read", "write", "deny")]
    return [User(id=el.get("id", ""), roles=[r.get("id", "") for r in el.findall("role_ref")],
                 rules=rules, comments=comments_from_xml(el))]


_ALERT_PART: dict[str, str] = {"select": "select", "recipient": "to"}


def alert_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """An ``<alert>``."""
    select: list[str] = []
    select_attributes: list[str] = []
    select_el = el.find("select")
    if select_el is not None:
        for sub in select_el:
            if not isinstance(sub.tag, str):
                continue
            select.append(_SELECT_WORD.get(sub.tag, sub.tag.removeprefix("select_")))
            select_attributes += [a.get("name", "") for a in sub.findall("attribute")]
    recipients = [
        AlertRecipient(value=r.get("value", ""), attr_sets=attr_sets_from_xml(r, ALERT_SET_KINDS),
                       id=r.get("id"))
        for r in el.findall("recipient")
    ]
    alert = Alert(
        id=el.get("id", ""),
        path=el.get("path", ""),
        description=el.get("description"),
        attr_sets=attr_sets_from_xml(el, ALERT_SET_KINDS),
        select=select,
        select_attributes=select_attributes,
        recipients=recipients,
        comments=comments_from_xml(el),
    )
    order = [_ALERT_PART.get(child.tag) for child in el if child.tag in _ALERT_PART or child.tag in ALERT_SET_KINDS]
    alert.record_part_order(["set" if part is None else part for part in order])
    return [alert]


def raw_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """Any element we have no model for, kept verbatim."""
    return [RawXml(id=el.get("id", el.tag), tag=el.tag, xml=ET.tostring(el, encoding="unicode").strip())]


WRITERS: dict[type, Callable[..., ET.Element]] = {
    ClusterSet: cluster_set_to_xml,
    Tag: tag_to_xml,
    Role: role_to_xml,
    AclTarget: acl_target_to_xml,
    AclGroup: acl_group_to_xml,
    User: user_to_xml,
    Alert: alert_to_xml,
    RawXml: raw_to_xml,
}
