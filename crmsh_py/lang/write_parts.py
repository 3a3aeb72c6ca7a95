"""Pieces shared by the element writers: attribute sets, rules, expressions, resource sets.

Every function returns crm text for one part of an element, in crmsh 4.4's canonical
``configure show`` form.  Nothing here knows about element order or line continuation.
"""

from __future__ import annotations

from crmsh_py.cib import ids
from crmsh_py.cib.vocabulary import FALSE_WORDS, TRUE_WORDS
from crmsh_py.cib.model import (
    AttrSet,
    DateExpression,
    DateSpec,
    Expression,
    ResourceRef,
    ResourceSet,
    Rule,
)
from crmsh_py.lang.quoting import cib_score, nvpair, quote, shown_score
from crmsh_py.records import field, record


@record(frozen=True)
class WriteContext:
    """Facts about the whole configuration that change how one element is shown.

    ``node_count``: number of nodes (a fencing topology that uses the same devices for every
    node is shown without targets); None when unknown (single element).
    ``referenced_rule_ids``: ids of rules that another rule refers to with ``$id-ref``; crmsh
    shows ``$id=`` on exactly those rules.
    """

    node_count: int | None = None
    referenced_rule_ids: frozenset[str] = field(default_factory=frozenset)


# --------------------------------------------------------------------------- attribute sets


def set_text(word: str, aset: AttrSet, ctx: WriteContext) -> str:
    """``params [$id-ref=..] [SCORE:] [rule ..] k=v ...`` for one attribute set.

    crmsh never shows a set's own ``$id`` (ids are generated or uninteresting); it shows
    ``$id-ref`` because that is the set's only content.
    """
    parts = [word]
    if aset.id_ref is not None:
        parts.append(nvpair("$id-ref", aset.id_ref))
    if aset.score:
        parts.append(f"{aset.score}:")
    parts.extend(f"rule {rule_text(rule, ctx)}" for rule in aset.rules)
    parts.extend(nvpair(p.name, p.value) for p in aset.nvpairs)
    return " ".join(parts)


# --------------------------------------------------------------------------- rules


def rule_score(rule: Rule) -> str | None:
    """The ``SCORE:`` shown before a rule's expressions, without the colon, or None.

    A score of plain INFINITY is the default and is not shown; ``+INFINITY`` is shown ``+inf``.
    """
    if rule.score is not None and rule.score != "":
        canonical = cib_score(rule.score)
        if canonical == "INFINITY":
            return None
        return canonical.replace("INFINITY", "inf")
    if rule.score_attribute:
        return rule.score_attribute
    return None


def rule_text(rule: Rule, ctx: WriteContext) -> str:
    """A rule after the ``rule`` keyword: ``[$id=..] [$role=..] [SCORE:] expr [and|or expr ...]``."""
    parts: list[str] = []
    if rule.id is not None and rule.id in ctx.referenced_rule_ids:
        parts.append(nvpair("$id", rule.id))
    elif rule.id_ref is not None:
        return nvpair("$id-ref", rule.id_ref)
    if rule.role:
        parts.append(nvpair("$role", rule.role))
    score = rule_score(rule)
    if score is not None:
        parts.append(f"{score}:")
    joiner = f" {rule.boolean_op or 'and'} "
    exprs = [
        expression_text(e)
        for e in rule.expressions
        if isinstance(e, (Expression, DateExpression))  # crmsh does not show nested rules
    ]
    parts.append(joiner.join(exprs))
    return " ".join(parts)


def expression_text(expr: Expression | DateExpression) -> str:
    """One expression of a rule."""
    if isinstance(expr, DateExpression):
        return date_text(expr)
    operation = expr.operation
    # a type given is shown, string too (read from the CIB, the default string is no type: see
    # cib.xml_rules, as crmsh drops it when it reads the CIB)
    if expr.type:
        operation = f"{expr.type}:{operation}"
    if expr.value is None or expr.value == "":
        return f"{operation} {expr.attribute}"
    if expr.value_source and expr.value_source != "literal":
        return f"{expr.attribute} {operation} {expr.value_source}{{{expr.value}}}"
    return f"{expr.attribute} {operation} {expr.value}"


def _spec_fields(spec: DateSpec | None) -> list[str]:
    if spec is None:
        return []
    return [nvpair(p.name, p.value) for p in spec.fields if p.name != "id"]


def date_text(expr: DateExpression) -> str:
    """``date lt VALUE``, ``date gt VALUE``, ``date in start=.. end=..|DURATION``, ``date spec ..``."""
    operation = expr.operation
    if operation in ("lt", "gt"):
        value = expr.end if operation == "lt" else expr.start
        return f"date {operation} {quote(value or '')}"
    if operation == "in_range":
        parts = ["date", "in"]
        if expr.start is not None:
            parts.append(nvpair("start", expr.start))
        if expr.end is not None:
            parts.append(nvpair("end", expr.end))
        parts.extend(_spec_fields(expr.duration))
        parts.extend(_spec_fields(expr.date_spec))
        return " ".join(parts)
    # date_spec (crmsh keyword "spec")
    parts = ["date", "spec" if operation == "date_spec" else operation]
    parts.extend(_spec_fields(expr.date_spec))
    parts.extend(_spec_fields(expr.duration))
    return " ".join(parts)


# --------------------------------------------------------------------------- element parts

# Word shown for each XML attribute-set tag, per element family.
RESOURCE_SETS = {"instance_attributes": "params", "meta_attributes": "meta", "utilization": "utilization"}
NODE_SETS = {"instance_attributes": "attributes", "utilization": "utilization"}
ALERT_SETS = {"instance_attributes": "attributes", "meta_attributes": "meta"}
OP_SETS = {"instance_attributes": "op_params", "meta_attributes": "op_meta"}


def element_sets(word_by_tag: dict[str, str], sets: list[AttrSet], ctx: WriteContext) -> list[str]:
    """One line per attribute set, each introduced by the word its family uses for its XML tag."""
    lines = []
    for aset in sets:
        word = word_by_tag.get(ids.set_tag(aset.kind), aset.kind)
        text = set_text(word, aset, ctx)
        # A set in the CIB whose last attribute was deleted (`resource meta R delete N` leaves it
        # behind, as Pacemaker does) says nothing: no bare `meta`.  An empty set typed as text has
        # no id and is kept, so text round-trips.
        if text != word or aset.id is None:
            lines.append(text)
    return lines


def description_lines(description: str | None) -> list[str]:
    """``description=...`` as a continuation line, or nothing."""
    return [nvpair("description", description)] if description else []


# --------------------------------------------------------------------------- resource sets




def _boolean(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


@record
class _SetView:
    """A resource set reduced to what crmsh shows of it."""

    resources: list[str]
    sequential: bool | None
    require_all: bool | None
    qualifier: str | None  # role (colocation, ticket, location) or action (order)


def _set_view(rset: ResourceSet, obj_type: str) -> _SetView:
    sequential: bool | None = None
    require_all: bool | None = None
    if rset.bracket == "(":
        sequential = False
    elif rset.bracket == "[":
        require_all = False
        sequential = False
    extra = {p.name: p.value for p in rset.attributes}
    if "sequential" in extra:
        sequential = _boolean(extra["sequential"])
    if "require-all" in extra:
        require_all = _boolean(extra["require-all"])
    role = rset.role or extra.get("role")
    action = rset.action or extra.get("action")
    qualifier = action if obj_type == "order" else role
    return _SetView(list(rset.resources), sequential, require_all, qualifier)


def _group_refs(items: list[ResourceRef | ResourceSet]) -> list[ResourceSet]:
    """Turn a constraint's items into resource sets the way crmsh stores them: a run of plain
    resources with the same role/action becomes one set."""
    sets: list[ResourceSet] = []
    current: ResourceSet | None = None
    for item in items:
        if isinstance(item, ResourceSet):
            sets.append(item)
            current = None
            continue
        qualifier = item.role_or_action
        if current is not None and (current.role or current.action) == qualifier:
            current.resources.append(item.id)
            continue
        current = ResourceSet(resources=[item.id], role=qualifier, action=qualifier)
        sets.append(current)
    return sets


def uses_sets(items: list[ResourceRef | ResourceSet], obj_type: str) -> bool:
    """Whether crmsh stores these constraint items as resource sets (else rsc/with-rsc form)."""
    if any(isinstance(i, ResourceSet) for i in items):
        return True
    simple_count = 1 if obj_type in ("rsc_ticket", "location") else 2
    return len(items) != simple_count


def sets_text(items: list[ResourceRef | ResourceSet], obj_type: str) -> list[str]:
    """The words crmsh shows for a set-based constraint (``( a b ) c:Promoted``), including the
    ``_rsc_set_`` marker it prints for sets that would read back as a simple constraint."""
    words: list[str] = []
    count = 0
    view = _SetView([], None, None, None)
    for rset in _group_refs(items):
        view = _set_view(rset, obj_type)
        if view.require_all is False:
            words.append("[")
        elif view.sequential is False:
            words.append("(")
        for rsc in view.resources:
            words.append(f"{rsc}:{view.qualifier}" if view.qualifier else rsc)
            count += 1
        if view.require_all is False:
            if view.sequential in (None, True):
                words.append(nvpair("sequential", "true"))
            words.append("]")
        elif view.sequential is False:
            words.append(")")
    # crmsh looks at the last set's options here (its loop variables), and so do we.
    seq_all = view.sequential in (None, True) and view.require_all in (None, True)
    is_ticket = obj_type == "rsc_ticket"
    degenerate = (seq_all and not is_ticket and count <= 2) or (is_ticket and count <= 1)
    if obj_type != "location" and degenerate:
        words.insert(0, "_rsc_set_")
    return words


def ref_text(ref: ResourceRef) -> str:
    """``rsc`` or ``rsc:role``/``rsc:action``."""
    return f"{ref.id}:{ref.role_or_action}" if ref.role_or_action else ref.id


__all__ = [
    "WriteContext",
    "set_text",
    "rule_text",
    "rule_score",
    "expression_text",
    "date_text",
    "sets_text",
    "uses_sets",
    "ref_text",
    "shown_score",
    "element_sets",
    "description_lines",
    "RESOURCE_SETS",
    "NODE_SETS",
    "ALERT_SETS",
    "OP_SETS",
]
