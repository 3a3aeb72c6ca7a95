"""The words of the crm configuration language: keywords, operators, roles, kinds.

One table each, read by the parser (:mod:`crmsh_py.lang.lexing`, :mod:`crmsh_py.lang.values`,
:mod:`crmsh_py.lang.transform_parts`) and by the shell's completion, which offers what the
language accepts.  This module imports nothing, so completion can read it without loading the
parser (Lark).
"""

from __future__ import annotations

# Statement keywords and section keywords, by lower-case spelling.
KEYWORDS: dict[str, str] = {
    "node": "NODE",
    "primitive": "PRIMITIVE",
    "rsc_template": "RSC_TEMPLATE",
    "group": "GROUP",
    "clone": "CLONE",
    "ms": "MS",
    "master": "MS",
    "bundle": "BUNDLE",
    "location": "LOCATION",
    "colocation": "COLOCATION",
    "collocation": "COLOCATION",
    "order": "ORDER",
    "rsc_ticket": "RSC_TICKET",
    "property": "PROPERTY",
    "rsc_defaults": "RSC_DEFAULTS",
    "op_defaults": "OP_DEFAULTS",
    "fencing_topology": "FENCING_TOPOLOGY",
    "fencing-topology": "FENCING_TOPOLOGY",
    "tag": "TAG",
    "role": "ROLE",
    "acl_target": "ACL_TARGET",
    "acl_group": "ACL_GROUP",
    "user": "USER",
    "alert": "ALERT",
    "xml": "XML",
    "params": "PARAMS",
    "meta": "META",
    "utilization": "UTILIZATION",
    "attributes": "ATTRIBUTES",
    "operations": "OPERATIONS",
    "op": "OP",
    "op_params": "OP_PARAMS",
    "op_meta": "OP_META",
    "rule": "RULE",
    "and": "BOOLOP",
    "or": "BOOLOP",
    "date": "DATE",
    "defined": "UNARYOP",
    "not_defined": "UNARYOP",
    "docker": "CONTAINER",
    "rkt": "CONTAINER",
    # podman too, which crmsh 4.4.1's language does not know (it refuses the line): Pacemaker 2.1
    # runs podman bundles and the bundled engine simulates them, so ours takes it
    "podman": "CONTAINER",
    "network": "NETWORK",
    "storage": "STORAGE",
    "read": "RIGHT",
    "write": "RIGHT",
    "deny": "RIGHT",
    "select": "SELECT",
    "nodes": "SELECTOR",
    "fencing": "SELECTOR",
    "resources": "SELECTOR",
    "to": "TO",
}

# Binary operators of rule expressions, and the value types that may prefix them (``number:lt``).
BINARY_OPS = frozenset(("lt", "gt", "lte", "gte", "eq", "ne"))
EXPR_TYPES = frozenset(("string", "number", "integer", "version"))
# ``date OP``: the word written → the operation in the CIB
DATE_OPS = {"lt": "lt", "gt": "gt", "in": "in_range", "in_range": "in_range",
            "spec": "date_spec", "date_spec": "date_spec"}
# Roles by lower-case spelling (the OCF 1.0 names are still read); order kinds likewise.
ROLES = {r.lower(): r for r in ("Stopped", "Started", "Master", "Slave", "Promoted", "Unpromoted")}
LEGACY_ROLES = frozenset(("Master", "Slave"))  # read, but not offered: Pacemaker 2.1 says Promoted/Unpromoted
ORDER_KINDS = {k.lower(): k for k in ("Mandatory", "Optional", "Serialize")}
# options of a resource set in a constraint (``( a b sequential=false )``)
SET_OPTIONS = ("sequential", "require-all", "action", "role")


def words_of(*terminals: str) -> tuple[str, ...]:
    """The keywords that are one of ``terminals`` (``words_of("BOOLOP")`` → and, or), in table order."""
    return tuple(word for word, terminal in KEYWORDS.items() if terminal in terminals)
