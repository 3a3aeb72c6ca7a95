"""Parse callbacks for nodes, primitives, templates, ops, groups, clones and bundles."""

from __future__ import annotations

from typing import TypeVar

from crmsh_py.cib import model as m
from crmsh_py.cib.vocabulary import OP_ATTRIBUTES
from crmsh_py.lang import values as v
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.transform_parts import (
    NODE_TYPES,
    Children,
    _desc,
    _Marker,
    _Operations,
    _sets,
    _statement,
    _tok,
)
from crmsh_py.lang.values import SemanticError

_P = TypeVar("_P", bound=m.Primitive)  # a primitive or a template (which is one)


class ResourceCallbacks:
    """Builds node and resource elements."""

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
            # crmsh reads `ID:` only as letters, digits, _ and -: a dotted one is no id for it
            if ident.type == "LABEL" and not all(ch.isalnum() or ch in "_-" for ch in node_id):
                raise SemanticError(ident, f'bad node id "{ident}"',
                                    "ID: of letters, digits, _ or - (or $id=ID), then uname[:type]")
        return m.Node(uname, node_id=node_id, type=ntype.lower() or None, description=_desc(children),
                      attr_sets=_sets(children, "attributes"))

    def _primitive(self, children: Children, cls: type[_P]) -> _P:
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
        return self._primitive(children, m.RscTemplate)

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
                # sets given before this point come first (crmsh keeps the line's order)
                elem.primitive_first = not any(isinstance(c, m.AttrSet) for c in children[2:children.index(child)])
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
