"""Parse callbacks for attribute sets, rules and expressions."""

from __future__ import annotations

from crmsh_py.cib import model as m
from crmsh_py.lang import values as v
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.transform_parts import (
    _VALUE_SOURCE_RE,
    BINARY_OPS,
    DATE_OPS,
    EXPR_TYPES,
    SET_KINDS,
    Children,
)
from crmsh_py.lang.values import SemanticError


class RuleCallbacks:
    """Builds attribute sets, rules and their expressions."""

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
