"""Rules, expressions, attribute sets and nvpairs: model <-> XML.

These pieces appear inside many elements (resources, nodes, constraints, cluster sets, alerts),
so both directions live here.  Writers take ``taken``, the set of ids already used in the
document; generated ids follow :mod:`crmsh_py.cib.ids` and are added to it.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import ids
from crmsh_py.cib.model import (
    AttrSet,
    DateExpression,
    DateSpec,
    Expression,
    NVPair,
    OpExpression,
    RscExpression,
    Rule,
    RuleExpression,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, MutableSet

# Model kinds by XML tag, per context: the same XML tag means different crm keywords in a
# resource (params), a node (attributes) or an op (op_params).
RESOURCE_SET_KINDS: dict[str, str] = {
    "instance_attributes": "params",
    "meta_attributes": "meta",
    "utilization": "utilization",
}
NODE_SET_KINDS: dict[str, str] = {"instance_attributes": "attributes", "utilization": "utilization"}
OP_SET_KINDS: dict[str, str] = {"instance_attributes": "op_params", "meta_attributes": "op_meta"}
ALERT_SET_KINDS: dict[str, str] = {"instance_attributes": "attributes", "meta_attributes": "meta"}


def own_id(given: str | None, generated: str, taken: MutableSet[str]) -> str:
    """The model's id if it has one, else a fresh generated id; either way mark it taken."""
    if given:
        taken.add(given)
        return given
    return ids.claim(generated, taken)


def set_attrs(el: ET.Element, pairs: list[tuple[str, str | None]]) -> None:
    """Set XML attributes in order, skipping the ones whose value is None."""
    for name, value in pairs:
        if value is not None:
            el.set(name, value)


# --------------------------------------------------------------------------- writing


def nvpair_to_xml(pair: NVPair, set_id: str, taken: MutableSet[str]) -> ET.Element:
    """``<nvpair name value id>`` (crmsh puts the id last)."""
    el = ET.Element("nvpair")
    set_attrs(el, [("name", pair.name), ("value", pair.value)])
    el.set("id", own_id(pair.id, ids.nvpair_id(set_id, pair.name), taken))
    return el


def attr_set_to_xml(
    aset: AttrSet, parent_id: str, taken: MutableSet[str], tag: str | None = None
) -> ET.Element:
    """An attribute set: ``instance_attributes``/``meta_attributes``/``utilization`` (or ``tag``)."""
    el = ET.Element(tag or ids.set_tag(aset.kind))
    if aset.id_ref:
        el.set("id-ref", aset.id_ref)
        return el
    set_id = own_id(aset.id, ids.attr_set_id(parent_id, aset.kind) if tag is None
                    else ids.child_id(parent_id, tag), taken)
    el.set("id", set_id)
    set_attrs(el, [("score", aset.score)])
    fill_set(el, set_id, aset.rules, aset.nvpairs, taken)
    return el


def fill_set(
    el: ET.Element, set_id: str, rules: list[Rule], nvpairs: list[NVPair], taken: MutableSet[str]
) -> None:
    """Append a set's rules, then its nvpairs (the order crmsh writes)."""
    for rule in rules:
        el.append(rule_to_xml(rule, set_id, taken))
    for pair in nvpairs:
        el.append(nvpair_to_xml(pair, set_id, taken))


def rule_to_xml(rule: Rule, parent_id: str, taken: MutableSet[str]) -> ET.Element:
    """``<rule [role] [score|score-attribute] [boolean-op] id>`` with its expressions."""
    el = ET.Element("rule")
    if rule.id_ref:
        el.set("id-ref", rule.id_ref)
        return el
    set_attrs(
        el,
        [
            ("role", rule.role),
            ("score", rule.score),
            ("score-attribute", rule.score_attribute),
            # crmsh leaves out the default "and"
            ("boolean-op", None if rule.boolean_op == "and" else rule.boolean_op),
        ],
    )
    rid = own_id(rule.id, ids.rule_id(parent_id), taken)
    el.set("id", rid)
    for expr in rule.expressions:
        el.append(_EXPR_WRITERS[type(expr)](expr, rid, taken))
    return el


def _expression_to_xml(expr: Expression, rule_id: str, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element("expression")
    set_attrs(
        el,
        [
            ("operation", expr.operation),
            ("attribute", expr.attribute),
            ("type", expr.type),
            ("value", expr.value),
            ("value-source", expr.value_source),
        ],
    )
    el.set("id", own_id(expr.id, ids.expression_id(rule_id), taken))
    return el


def _date_expression_to_xml(
    expr: DateExpression, rule_id: str, taken: MutableSet[str]
) -> ET.Element:
    el = ET.Element("date_expression")
    set_attrs(el, [("operation", expr.operation), ("start", expr.start), ("end", expr.end)])
    eid = own_id(expr.id, ids.expression_id(rule_id), taken)
    el.set("id", eid)
    for tag, spec in (("date_spec", expr.date_spec), ("duration", expr.duration)):
        if spec is not None:
            el.append(_date_spec_to_xml(tag, spec, eid, taken))
    return el


def _date_spec_to_xml(tag: str, spec: DateSpec, expr_id: str, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element(tag)
    set_attrs(el, [(f.name, f.value) for f in spec.fields])
    el.set("id", own_id(spec.id, ids.child_id(expr_id, tag), taken))
    return el


def _rsc_expression_to_xml(expr: RscExpression, rule_id: str, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element("rsc_expression")
    el.set("id", own_id(expr.id, ids.expression_id(rule_id), taken))
    set_attrs(el, [("class", expr.standard), ("provider", expr.provider), ("type", expr.type)])
    return el


def _op_expression_to_xml(expr: OpExpression, rule_id: str, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element("op_expression")
    el.set("id", own_id(expr.id, ids.expression_id(rule_id), taken))
    set_attrs(el, [("name", expr.name), ("interval", expr.interval)])
    return el


_EXPR_WRITERS: dict[type, Callable[..., ET.Element]] = {
    Expression: _expression_to_xml,
    DateExpression: _date_expression_to_xml,
    RscExpression: _rsc_expression_to_xml,
    OpExpression: _op_expression_to_xml,
    Rule: rule_to_xml,
}


# --------------------------------------------------------------------------- reading


def nvpairs_from_xml(el: ET.Element) -> list[NVPair]:
    """The ``<nvpair>`` children of a set."""
    return [
        NVPair(name=n.get("name", ""), value=n.get("value"), id=n.get("id"))
        for n in el.findall("nvpair")
    ]


def rules_from_xml(el: ET.Element) -> list[Rule]:
    """The ``<rule>`` children of an element."""
    return [rule_from_xml(r) for r in el.findall("rule")]


def attr_set_from_xml(el: ET.Element, kinds: dict[str, str]) -> AttrSet:
    """One attribute set; ``kinds`` maps its XML tag to the model kind for this context."""
    return AttrSet(
        kind=kinds.get(el.tag, el.tag),
        nvpairs=nvpairs_from_xml(el),
        id=el.get("id"),
        id_ref=el.get("id-ref"),
        score=el.get("score"),
        rules=rules_from_xml(el),
    )


def attr_sets_from_xml(el: ET.Element, kinds: dict[str, str]) -> list[AttrSet]:
    """All attribute-set children of ``el`` whose tag is a key of ``kinds``, in order."""
    return [attr_set_from_xml(child, kinds) for child in el if child.tag in kinds]


def rule_from_xml(el: ET.Element) -> Rule:
    """A ``<rule>`` with its expressions and nested rules."""
    exprs: list[RuleExpression] = []
    for child in el:
        reader = _EXPR_READERS.get(child.tag)
        if reader is not None:
            exprs.append(reader(child))
    return Rule(
        expressions=exprs,
        score=el.get("score"),
        score_attribute=el.get("score-attribute"),
        role=el.get("role"),
        boolean_op=el.get("boolean-op") or ("and" if len(exprs) > 1 else None),
        id=el.get("id"),
        id_ref=el.get("id-ref"),
    )


def _expression_from_xml(el: ET.Element) -> Expression:
    return Expression(
        attribute=el.get("attribute", ""),
        operation=el.get("operation", ""),
        value=el.get("value"),
        type=el.get("type"),
        value_source=el.get("value-source"),
        id=el.get("id"),
    )


def _date_spec_from_xml(el: ET.Element | None) -> DateSpec | None:
    if el is None:
        return None
    fields = [NVPair(name=k, value=v) for k, v in el.attrib.items() if k != "id"]
    return DateSpec(fields=fields, id=el.get("id"))


def _date_expression_from_xml(el: ET.Element) -> DateExpression:
    return DateExpression(
        operation=el.get("operation", ""),
        start=el.get("start"),
        end=el.get("end"),
        duration=_date_spec_from_xml(el.find("duration")),
        date_spec=_date_spec_from_xml(el.find("date_spec")),
        id=el.get("id"),
    )


def _rsc_expression_from_xml(el: ET.Element) -> RscExpression:
    return RscExpression(standard=el.get("class"), provider=el.get("provider"), type=el.get("type"),
                         id=el.get("id"))


def _op_expression_from_xml(el: ET.Element) -> OpExpression:
    return OpExpression(name=el.get("name", ""), interval=el.get("interval"), id=el.get("id"))


_EXPR_READERS: dict[str, Callable[[ET.Element], RuleExpression]] = {
    "expression": _expression_from_xml,
    "date_expression": _date_expression_from_xml,
    "rsc_expression": _rsc_expression_from_xml,
    "op_expression": _op_expression_from_xml,
    "rule": rule_from_xml,
}


# --------------------------------------------------------------------------- comments


def comments_to_xml(el: ET.Element, comments: list[str]) -> None:
    """Store an element's ``#`` comment lines as XML comments, its first children (as crmsh)."""
    for line in comments:
        el.append(ET.Comment(line))


def comments_from_xml(el: ET.Element) -> list[str]:
    """The XML comments directly inside ``el``, as comment lines."""
    return [c.text or "" for c in el if ET.is_comment(c.tag)]
