"""Shared pieces of the parse callbacks: option tables, inner-result markers and child lookups.

The callbacks themselves live in ``transform_rules``, ``transform_resources``,
``transform_constraints`` and ``transform_misc``; :mod:`crmsh_py.lang.transform` joins them.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from crmsh_py.cib import model as m
from crmsh_py.lang import values as v
from crmsh_py.lang.keywords import BINARY_OPS as BINARY_OPS, DATE_OPS as DATE_OPS, EXPR_TYPES as EXPR_TYPES
from crmsh_py.lang.lexing import Word
from crmsh_py.records import record

Children = list[Any]

NODE_TYPES = frozenset(("normal", "member", "ping", "remote"))
SET_KINDS = {"PARAMS": "params", "META": "meta", "UTILIZATION": "utilization", "ATTRIBUTES": "attributes",
             "OP_PARAMS": "op_params", "OP_META": "op_meta"}
_VALUE_SOURCE_RE = re.compile(r"([^\s{}]+)\{(\S+)\}$")
CLUSTER_SET_IDS = {"property": "cib-bootstrap-options", "rsc_defaults": "rsc-options", "op_defaults": "op-options"}


@record
class _Operations:
    id: str | None
    id_ref: str | None


@record
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
