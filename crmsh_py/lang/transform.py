"""Lark callbacks that build model objects while the LALR parser reduces (no parse tree is built).

Each statement callback returns ``(line, element)`` so that the parser can attach comment lines.
Children are lark Tokens (whose ``type`` says what they are) and the results of inner rules.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Callable

from lark import Transformer

from crmsh_py.cib import model as m
from crmsh_py.lang import constraints as c
from crmsh_py.lang import values as v
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.values import SemanticError

Children = list[Any]

# XML attributes of <op> (Pacemaker schema); other op name=value pairs are op instance attributes.
OP_ATTRIBUTES = frozenset(("id", "name", "interval", "description", "start-delay", "interval-origin",
                           "timeout", "enabled", "record-pending", "role", "requires", "on-fail"))
BINARY_OPS = frozenset(("lt", "gt", "lte", "gte", "eq", "ne"))
EXPR_TYPES = frozenset(("string", "number", "integer", "version"))
NODE_TYPES = frozenset(("normal", "member", "ping", "remote"))
DATE_OPS = {"lt": "lt", "gt": "gt", "in": "in_range", "in_range": "in_range",
            "spec": "date_spec", "date_spec": "date_spec"}
SET_KINDS = {"PARAMS": "params", "META": "meta", "UTILIZATION": "utilization", "ATTRIBUTES": "attributes",
             "OP_PARAMS": "op_params", "OP_META": "op_meta"}
_VALUE_SOURCE_RE = re.compile(r"([^\s{}]+)\{(\S+)\}$")
CLUSTER_SET_IDS = {"property": "cib-bootstrap-options", "rsc_defaults": "rsc-options", "op_defaults": "op-options"}


@dataclass
class _Operations:
    id: str | None
    id_ref: str | None


@dataclass
class _Marker:
    """An inner result that only its parent interprets (bundle primitive, recipient, ...)."""

    kind: str
    token: Word
    payload: Any = None


def _statement(build: Callable[[Any, Children], m.ElementBase]) -> Callable[[Any, Children], tuple[int, Any]]:
    def wrapper(self: Any, children: Children) -> tuple[int, Any]:
        return children[0].line, build(self, children)
    wrapper.__name__ = build.__name__
    return wrapper


def _tok(children: Children, kind: str) -> Word | None:
    for child in children:
        if isinstance(child, Word) and child.type == kind:
            return child
    return None


def _desc(children: Children) -> str | None:
    tok = _tok(children, "DESC")
    return v.split_pair(tok)[1] if tok is not None else None


def _sets(children: Children, implicit_kind: str) -> list[m.AttrSet]:
    out = []
    for child in children:
        if isinstance(child, m.AttrSet):
            if not child.kind:
                child.kind = implicit_kind
            out.append(child)
    return out


class CrmTransformer(Transformer):
    """Builds :mod:`crmsh_py.cib.model` objects; raises SemanticError for meaningless words."""

    # ------------------------------------------------------------------ attribute sets and rules

    def attr_set(self, children: Children) -> m.AttrSet:
        aset = m.AttrSet("", [])
        nvpairs = aset.nvpairs
        for child in children:
            kind = child.type if type(child) is Word else None
            if kind == "NVPAIR" or kind == "WORD":
                nvpairs.append(v.nvpair_of(child))
            elif kind is None:
                aset.rules.append(child)
            elif kind == "IDREF":
                aset.id_ref = v.split_pair(child)[1]
            elif kind == "IDSPEC":
                aset.id = v.split_pair(child)[1]
            elif kind == "LABEL":
                aset.score = v.score_of(child)
            else:
                nvpairs.append(v.nvpair_of(child))
        return aset

    def implicit_set(self, children: Children) -> m.AttrSet:
        return m.AttrSet(kind="", nvpairs=[v.nvpair_of(t) for t in children])

    def set_section(self, children: Children) -> m.AttrSet:
        aset: m.AttrSet = children[1]
        aset.kind = SET_KINDS[children[0].type]
        return aset

    op_set = set_section

    def rule(self, children: Children) -> m.Rule:
        rule = m.Rule()
        for child in children[1:]:
            if not isinstance(child, Word):
                rule.expressions.append(child)
            elif child.type == "IDREF":
                rule.id_ref = v.split_pair(child)[1]
            elif child.type == "IDSPEC":
                rule.id = v.split_pair(child)[1]
            elif child.type in ("ROLESPEC", "NVPAIR"):
                name, value = v.split_pair(child)
                if name.lstrip("$").lower() != "role":
                    raise SemanticError(child, f'unexpected "{child}" in rule', "$role=ROLE, a score or an expression")
                rule.role = v.role_of(child, value)
            elif child.type == "LABEL":
                rule.score, rule.score_attribute = v.score_or_attribute(child)
            elif child.type == "BOOLOP":
                op = str(child).lower()
                if rule.boolean_op and rule.boolean_op != op:
                    raise SemanticError(child, f"mixing {rule.boolean_op} and {op} in one rule",
                                        f"{rule.boolean_op} (use separate rules)")
                rule.boolean_op = op
        return rule

    def bin_expr(self, children: Children) -> m.Expression:
        attr, op_tok, value_tok = children
        typ, _, op = str(op_tok).lower().rpartition(":")
        if op not in BINARY_OPS or (typ and typ not in EXPR_TYPES):
            raise SemanticError(op_tok, f'unknown comparison "{op_tok}"',
                                "one of lt gt lte gte eq ne, optionally typed like string:eq or number:lt")
        value, source = str(value_tok), None
        vs = _VALUE_SOURCE_RE.match(value)
        if vs is not None:
            source, value = vs.groups()
        return m.Expression(str(attr), op, value, type=typ or None, value_source=source)

    def unary_expr(self, children: Children) -> m.Expression:
        return m.Expression(str(children[1]), str(children[0]).lower())

    def date_expr(self, children: Children) -> m.DateExpression:
        op_tok, args = children[1], children[2:]
        op = DATE_OPS.get(str(op_tok).lower())
        if op is None:
            raise SemanticError(op_tok, f'unknown date operation "{op_tok}"', "gt, lt, in or spec")
        expr = m.DateExpression(op)
        if op in ("lt", "gt"):
            if len(args) != 1 or args[0].type == "DATEPAIR":
                raise SemanticError(args[0], f'bad date "{args[0]}"', "a date like 2009-05-26")
            if op == "lt":
                expr.end = str(args[0])
            else:
                expr.start = str(args[0])
            return expr
        if any(a.type != "DATEPAIR" for a in args):
            bad = next(a for a in args if a.type != "DATEPAIR")
            raise SemanticError(bad, f'unexpected "{bad}" in date expression', "fields like hours=9-16 or start=DATE")
        spec = m.DateSpec()
        for tok in args:
            name, value = v.split_pair(tok)
            if op == "in_range" and name in ("start", "end"):
                setattr(expr, name, value)
            else:
                spec.fields.append(m.NVPair(name, value))
        if op == "date_spec":
            expr.date_spec = spec
        elif spec.fields:
            expr.duration = spec
        if op == "in_range" and expr.start is None and expr.end is None:
            raise SemanticError(op_tok, "date in needs start= or end=", "start=DATE end=DATE or start=DATE years=..")
        return expr

    # ------------------------------------------------------------------ nodes and resources

    @_statement
    def node(self, children: Children) -> m.Node:
        ident = _tok(children, "IDSPEC") or _tok(children, "LABEL")
        uname_tok = _tok(children, "WORD")
        assert uname_tok is not None
        uname, sep, ntype = str(uname_tok).partition(":")
        if sep and ntype.lower() not in NODE_TYPES:
            raise SemanticError(uname_tok, f'bad node "{uname_tok}"', "uname or uname:TYPE with TYPE normal, member, ping or remote")
        node_id = None
        if ident is not None:
            node_id = v.split_pair(ident)[1] if ident.type == "IDSPEC" else v.label_text(ident)
        return m.Node(uname, node_id=node_id, type=ntype.lower() or None, description=_desc(children),
                      attr_sets=_sets(children, "attributes"))

    def _primitive(self, children: Children, cls: type) -> m.Primitive:
        elem = cls(str(children[1]))
        rtype = children[2]
        if rtype[0] == "@" and cls is m.Primitive:
            elem.template = str(rtype)[1:]
        else:
            elem.agent = v.agent_of(rtype)
        ops, attr_sets = elem.ops, elem.attr_sets
        ops_index = None  # how many sets came before the first op (crmsh keeps that order)
        for child in children[3:]:  # one pass: a large configuration is mostly primitives
            kind = type(child)
            if kind is m.Op:
                ops.append(child)
                if ops_index is None:
                    ops_index = len(attr_sets)
            elif kind is m.AttrSet:
                if not child.kind:
                    child.kind = "params"
                attr_sets.append(child)
            elif kind is _Operations:
                elem.operations_id, elem.operations_id_ref = child.id, child.id_ref
                if ops_index is None:
                    ops_index = len(attr_sets)
            elif kind is Word:  # DESC
                elem.description = v.split_pair(child)[1]
        if ops_index is not None and ops_index < len(attr_sets):
            elem.ops_index = ops_index
        return elem

    @_statement
    def primitive(self, children: Children) -> m.Primitive:
        return self._primitive(children, m.Primitive)

    @_statement
    def template(self, children: Children) -> m.RscTemplate:
        return self._primitive(children, m.RscTemplate)  # type: ignore[return-value]

    def operations(self, children: Children) -> _Operations:
        tok = children[1]
        value = v.split_pair(tok)[1]
        return _Operations(value, None) if tok.type == "IDSPEC" else _Operations(None, value)

    def op(self, children: Children) -> m.Op:
        op = m.Op(str(children[1]), None, [], [])
        attributes, attr_sets = op.attributes, op.attr_sets
        extra: list[m.NVPair] = []
        for child in children[2:]:
            if type(child) is not Word:
                attr_sets.append(child)
                continue
            pair = v.nvpair_of(child)
            name = pair.name
            if name not in OP_ATTRIBUTES:
                extra.append(pair)
            elif extra:
                raise SemanticError(child, f"{name} must come before the op's instance attributes",
                                    "op attributes (interval, timeout, ...) first, then others")
            elif name == "interval":
                op.interval = pair.value
                op.interval_index = len(attributes)  # crmsh keeps the written order
            elif name == "id":
                op.id = pair.value
            else:
                attributes.append(pair)
        if extra:
            attr_sets.insert(0, m.AttrSet("op_params", extra))
        return op

    @_statement
    def group(self, children: Children) -> m.Group:
        members: list[str] = []
        for tok in children[2:]:
            if not (isinstance(tok, Word) and tok.type == "WORD"):
                break
            if str(tok) in members:
                raise SemanticError(tok, f'"{tok}" is listed twice in group {children[1]}', "each resource once")
            members.append(str(tok))
        return m.Group(str(children[1]), children=members, description=_desc(children),
                       attr_sets=_sets(children, "params"))

    @_statement
    def clone(self, children: Children) -> m.Clone:
        return m.Clone(str(children[1]), child=str(children[2]), description=_desc(children),
                       attr_sets=_sets(children, "params"), legacy_ms=children[0].type == "MS")

    ms = clone

    @_statement
    def bundle(self, children: Children) -> m.Bundle:
        elem = m.Bundle(str(children[1]), description=_desc(children), attr_sets=_sets(children, "meta"))
        for child in children[2:]:
            if isinstance(child, list):
                elem.parts.extend(child)
            elif isinstance(child, _Marker):
                elem.primitive = str(child.payload)
        return elem

    def bundle_part(self, children: Children) -> list[m.BundlePart]:
        parts = [m.BundlePart(str(children[0]).lower())]
        for tok in children[1:]:
            pair = v.nvpair_of(tok)
            if pair.value is None and pair.name in ("port-mapping", "storage-mapping"):
                parts.append(m.BundlePart(pair.name))
            else:
                parts[-1].attributes.append(pair)
        return parts

    def bundle_primitive(self, children: Children) -> _Marker:
        return _Marker("primitive", children[0], children[1])

    # ------------------------------------------------------------------ constraints

    @_statement
    def location(self, children: Children) -> m.Location:
        elem = m.Location(str(children[1]))
        rsc = children[2]
        if isinstance(rsc, c.Bracketed):
            elem.resource_sets = c.bracket_sets(rsc, v.role_of, "role")
        elif len(str(rsc)) > 2 and str(rsc).startswith("/") and str(rsc).endswith("/"):
            elem.rsc_pattern = str(rsc)[1:-1]
        else:
            elem.resource = m.ResourceRef(str(rsc))
        rest = children[3:]
        for i, child in enumerate(rest):
            if isinstance(child, m.Rule):
                if child.score is None and child.score_attribute is None and child.id_ref is None:
                    child.score = "INFINITY"  # crmsh writes score="INFINITY" for a rule without one
                elem.rules.append(child)
            elif child.type == "LABEL":
                elem.score = v.score_of(child)
                elem.node = str(rest[i + 1])
            elif child.type in ("NVPAIR", "ROLESPEC"):
                name, value = v.split_pair(child)
                name = name.lstrip("$").lower()
                if name == "role":
                    elem.role = v.role_of(child, value)
                elif name == "resource-discovery":
                    elem.resource_discovery = value
                else:
                    raise SemanticError(child, f'unknown location option "{name}"', "role= or resource-discovery=")
        return elem

    def brace_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("{", children[1:-1], children[-1])

    def paren_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("(", children[1:-1], children[-1])

    def square_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("[", children[1:-1], children[-1])

    @staticmethod
    def _split_options(children: Children, allowed: dict[str, Callable[[Word, str], str]]) -> tuple[list, dict[str, str]]:
        items = [ch for ch in children if not (isinstance(ch, Word) and ch.type == "NVPAIR")]
        options: dict[str, str] = {}
        for ch in children:
            if isinstance(ch, Word) and ch.type == "NVPAIR":
                name, value = v.split_pair(ch)
                check = allowed.get(name.lower())
                if check is None:
                    raise SemanticError(ch, f'unknown option "{name}"', " or ".join(f"{k}=" for k in allowed))
                options[name.lower()] = check(ch, value)
        return items, options

    @_statement
    def colocation(self, children: Children) -> m.Colocation:
        items, options = self._split_options(children[3:], {"node-attribute": lambda t, s: s})
        return m.Colocation(str(children[1]), score=v.score_of(children[2]),
                            items=c.constraint_items(items, 2, v.role_of, "role"),
                            node_attribute=options.get("node-attribute"))

    @_statement
    def order(self, children: Children) -> m.Order:
        elem = m.Order(str(children[1]))
        rest = children[2:]
        if isinstance(rest[0], Word) and rest[0].type == "LABEL":
            label, rest = rest[0], rest[1:]
            text = v.label_text(label)
            kind = v.ORDER_KINDS.get(text.lower())
            if kind is None:
                score = v.normalise_score(text)
                if score is None:
                    raise SemanticError(label, f'invalid order kind "{text}"',
                                        "Mandatory:, Optional:, Serialize: or a score like inf:")
                kind = "Optional" if score == "0" else "Mandatory"  # crmsh turns scores into kinds
            elem.kind = kind
        items, options = self._split_options(rest, {"symmetrical": v.boolean_of})
        elem.items = c.constraint_items(items, 2, v.action_of, "action")
        elem.symmetrical = options.get("symmetrical")
        return elem

    @_statement
    def rsc_ticket(self, children: Children) -> m.RscTicket:
        policies = ("stop", "demote", "fence", "freeze")

        def policy(tok: Word, text: str) -> str:
            if text not in policies:
                raise SemanticError(tok, f'invalid loss-policy "{text}"', "stop, demote, fence or freeze")
            return text

        items, options = self._split_options(children[3:], {"loss-policy": policy})
        return m.RscTicket(str(children[1]), ticket=v.label_text(children[2]),
                           items=c.constraint_items(items, 1, v.role_of, "role"),
                           loss_policy=options.get("loss-policy"))

    # ------------------------------------------------------------------ cluster sets, fencing, tags

    @_statement
    def cluster_set(self, children: Children) -> m.ClusterSet:
        kind = str(children[0]).lower()
        elem = m.ClusterSet(CLUSTER_SET_IDS[kind], kind=kind)  # type: ignore[arg-type]
        for child in children[1:]:
            if isinstance(child, m.Rule):
                elem.rules.append(child)
            elif child.type == "LABEL":
                elem.id = v.label_text(child)
            elif child.type in ("IDSPEC", "IDREF"):
                elem.id = v.split_pair(child)[1]
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
        return c.acl_rules(right, rule_id, specs)

    @_statement
    def role(self, children: Children) -> m.Role:
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

    def start(self, children: Children) -> list[tuple[int, Any]]:
        return children
