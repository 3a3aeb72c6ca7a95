"""Grammar callbacks that build model objects while the LALR parser reduces (no parse tree is built).

Each statement callback returns ``(line, element)`` so that the parser can attach comment lines.
Children are :class:`crmsh_py.lang.lexing.Word` (whose ``type`` says what they are) and the results
of inner rules.  A plain class, not a lark ``Transformer``: the parse loop calls the methods by rule
name, and a parse should not import lark.
The callbacks are grouped by concern in sibling modules; :class:`CrmTransformer` joins them.
"""

from __future__ import annotations

from typing import Any

from crmsh_py.cib.vocabulary import OP_ATTRIBUTES  # noqa: F401  (re-exported)
from crmsh_py.lang.transform_constraints import ConstraintCallbacks
from crmsh_py.lang.transform_misc import MiscCallbacks
from crmsh_py.lang.transform_parts import (  # noqa: F401  (re-exported: callers import them from here)
    BINARY_OPS,
    CLUSTER_SET_IDS,
    DATE_OPS,
    EXPR_TYPES,
    NODE_TYPES,
    SET_KINDS,
    Children,
)
from crmsh_py.lang.transform_resources import ResourceCallbacks
from crmsh_py.lang.transform_rules import RuleCallbacks


class CrmTransformer(RuleCallbacks, ResourceCallbacks, ConstraintCallbacks, MiscCallbacks):
    """Builds :mod:`crmsh_py.cib.model` objects; raises SemanticError for meaningless words."""

    def start(self, children: Children) -> list[tuple[int, Any]]:
        return children
