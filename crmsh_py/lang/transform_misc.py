"""Parse callbacks for cluster-wide sets, fencing, tags, ACLs, alerts and raw XML."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import model as m
from crmsh_py.lang import constraints as c
from crmsh_py.lang import values as v
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.transform_parts import CLUSTER_SET_IDS, Children, _desc, _Marker, _statement
from crmsh_py.lang.values import SemanticError


class _NoSpec(list):  # type: ignore[type-arg]
    """A permission that named no specification: no rules, and the right's word for an error."""

    def __init__(self, right: Word) -> None:
        super().__init__()
        self.right = right


class MiscCallbacks:
    """Builds cluster sets, fencing topology, tags, ACL elements, alerts and raw XML."""

    @_statement
    def cluster_set(self, children: Children) -> m.ClusterSet:
        kind = str(children[0]).lower()
        elem = m.ClusterSet(CLUSTER_SET_IDS[kind], kind=kind)  # type: ignore[arg-type]
        if len(children) == 1:  # crmsh refuses a set with nothing in it at all
            raise SemanticError(children[0], f"{kind} needs something to set", "[ID:] name=value ...")
        for child in children[1:]:
            if isinstance(child, m.Rule):
                elem.rules.append(child)
            elif child.type == "LABEL":
                elem.id = v.label_text(child)
            elif child.type in ("IDSPEC", "IDREF"):
                elem.id = v.split_pair(child)[1]
            elif child.type == "WORD":  # a name without a value: crmsh's "Unknown arguments"
                raise SemanticError(child, f'"{child}" has no value', "name=value")
            else:
                elem.nvpairs.append(v.nvpair_of(child))
        return elem

    @_statement
    def fencing(self, children: Children) -> m.FencingTopology:
        return m.FencingTopology("fencing_topology", levels=c.fencing_levels(children[1:]))

    @_statement
    def tag(self, children: Children) -> m.Tag:
        ident = children[1]
        name = v.label_text(ident) if ident.type == "LABEL" else str(ident)
        return m.Tag(name, refs=[str(t) for t in children[2:]])

    # ------------------------------------------------------------------ ACLs and alerts

    def permission(self, children: Children) -> list[m.AclRule]:
        right, rule_id, specs = children[0], None, []
        for tok in children[1:]:
            if tok.type == "IDSPEC":
                rule_id = v.split_pair(tok)[1]
            elif tok.type == "LABEL":
                rule_id = v.label_text(tok)
            elif tok.type != "DESC":
                specs.append(tok)
        rules = c.acl_rules(right, rule_id, specs)
        return rules or _NoSpec(right)

    @_statement
    def role(self, children: Children) -> m.Role:
        if len(children) == 2:  # crmsh: "Expected at least 2 arguments"
            raise SemanticError(children[1], "a role needs permissions", "read|write|deny SPEC ...")
        # a right without a specification is dropped, as crmsh drops it (the role may end up empty)
        rules = [r for child in children[2:] if isinstance(child, list) for r in child]
        return m.Role(str(children[1]), rules=rules)

    @_statement
    def acl_target(self, children: Children) -> m.AclTarget:
        return m.AclTarget(str(children[1]), roles=[str(t) for t in children[2:]])

    @_statement
    def acl_group(self, children: Children) -> m.AclGroup:
        return m.AclGroup(str(children[1]), roles=[str(t) for t in children[2:]])

    @_statement
    def user(self, children: Children) -> m.User:
        elem = m.User(str(children[1]))
        for child in children[2:]:
            if isinstance(child, _NoSpec):
                raise SemanticError(child.right, f'"{child.right}" needs a specification',
                                    "xpath:, ref:, tag: or a shortcut")
            if isinstance(child, list):
                elem.rules.extend(child)
            elif str(child).lower().startswith("role:") and len(str(child)) > 5:
                elem.roles.append(str(child)[5:])
            else:
                raise SemanticError(child, f'unexpected "{child}" in user', "role:NAME or read|write|deny SPEC")
        return elem

    @_statement
    def alert(self, children: Children) -> m.Alert:
        elem = m.Alert(str(children[1]), path=str(children[2]), description=_desc(children[3:4]))
        target: m.Alert | m.AlertRecipient = elem
        order: list[str] = []  # crmsh keeps the written order of sets, select and recipients
        for child in children[3:]:
            if isinstance(child, m.AttrSet):
                if child.kind not in ("attributes", "meta"):
                    raise SemanticError(children[0], f"{child.kind} is not allowed in an alert", "attributes or meta")
                target.attr_sets.append(child)
                if target is elem:
                    order.append("set")
            elif isinstance(child, m.AlertRecipient):
                elem.recipients.append(child)
                target = elem
                order.append("to")
            elif isinstance(child, _Marker) and child.kind == "recipient":
                elem.recipients.append(child.payload)
                target = child.payload
                order.append("to")
            elif isinstance(child, _Marker):  # select attributes { ... }
                elem.select.append("attributes")
                elem.select_attributes.extend(child.payload)
            elif child.type == "SELECT":
                target = elem
                if "select" not in order:
                    order.append("select")
            elif child.type == "SELECTOR":
                elem.select.append(str(child).lower())
        elem.record_part_order(order)
        return elem

    def select_attributes(self, children: Children) -> _Marker:
        return _Marker("select", children[0], [str(t) for t in children[2:-1]])

    def recipient(self, children: Children) -> _Marker:
        return _Marker("recipient", children[0], m.AlertRecipient(str(children[1])))

    def braced_recipient(self, children: Children) -> m.AlertRecipient:
        sets = [ch for ch in children if isinstance(ch, m.AttrSet)]
        for aset in sets:
            if aset.kind not in ("attributes", "meta"):
                raise SemanticError(children[0], f"{aset.kind} is not allowed in a recipient", "attributes or meta")
        return m.AlertRecipient(str(children[2]), attr_sets=sets)

    @_statement
    def xml(self, children: Children) -> m.RawXml:
        raw = children[1]
        try:
            root = ET.fromstring(str(raw))
        except ET.ParseError as err:
            raise SemanticError(raw, f"bad XML: {err}", "one well-formed XML element") from None
        return m.RawXml(root.get("id", ""), tag=root.tag, xml=str(raw))
