"""Property: model -> crm text -> model gives the model back (``parse(write_all(m)) == m``).

The models are generated in the form the parser builds, which is the writer's input modulo these
documented normalisations (each one is a fact about the language, not a loss of meaning):

- ids the canonical text does not show are None: attribute sets, nvpairs, ops, rules (unless another
  rule refers to them), resource sets;
- an op without ``interval`` is shown ``interval=0`` after its attributes, so it reads back as
  ``interval="0"`` at that position (:func:`_expected` applies this);
- scores are in the parser's spelling (``INFINITY``, ``+INFINITY``, ``-INFINITY``, integers); a location
  rule always has a score or a score attribute (the parser gives a bare rule ``INFINITY``);
- a location's role lives in ``Location.role`` (``location l r role=Started ...``), not on its ref;
- a rule has ``boolean_op`` only with two or more expressions; expression type ``string`` and value
  source ``literal`` are the defaults and are not generated;
- constraint members: the simple form is exactly two refs (one for ``rsc_ticket``); otherwise sets,
  where neighbouring plain (unbracketed) sets have different roles/actions (the text cannot tell two
  such runs apart) and a bracketed set has one role/action;
- values contain no backslash or newline (crmsh's quoting does not escape them), rule values and
  element ids are plain words that are not keywords of the language;
- ``write_all`` prints elements in crmsh's display order, so the parsed list is compared with the
  generated one sorted by :func:`crmsh_py.lang.writer.sort_key`.

A second property checks that the XML layer keeps everything the text shows:
``write_all(from_xml(to_xml(m))) == write_all(m)``.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import (
    Agent,
    AttrSet,
    Clone,
    ClusterSet,
    Colocation,
    Configuration,
    DateExpression,
    DateSpec,
    Element,
    Expression,
    Group,
    Location,
    NVPair,
    Op,
    Order,
    Primitive,
    ResourceRef,
    ResourceSet,
    RscTicket,
    Rule,
    Tag,
)
from crmsh_py.lang import parse
from crmsh_py.lang.writer import sort_key, write, write_all

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LOWER = "abcdefghijklmnopqrstuvwxyz"


def _word(first: str, rest: str, max_rest: int, last: str = "") -> st.SearchStrategy[str]:
    """A word of one character from ``first``, up to ``max_rest`` from ``rest`` and one from ``last``
    (cheaper to draw than ``from_regex``)."""
    parts = [st.sampled_from(first), st.text(rest, max_size=max_rest)]
    if last:
        parts.append(st.sampled_from(last))
    return st.tuples(*parts).map("".join)


# Ids end with a digit, so that no id is a keyword of the language.
IDS = _word(LOWER, LOWER + "_-", 4, "0123456789")
NAMES = _word(LOWER, LOWER + "0123456789_-", 7)
VALUES = st.text(st.characters(codec="utf-8", exclude_characters="\\\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
                               exclude_categories=("Cs", "Cc")), max_size=12)
WORDS = _word(LOWER + "ABCXYZ0123456789", LOWER + "ABCXYZ0123456789_.-", 7)
SCORES = st.sampled_from(["INFINITY", "-INFINITY", "+INFINITY", "0", "100", "-50", "5000"])
ROLES = st.sampled_from(["Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"])
ACTIONS = st.sampled_from(["start", "stop", "promote", "demote"])
AGENTS = st.sampled_from([Agent("ocf", "Dummy", "heartbeat"), Agent("ocf", "Stateful", "pacemaker"),
                          Agent("lsb", "apache"), Agent("systemd", "sshd"), Agent("stonith", "external/ssh"),
                          Agent("ocf", "IPaddr2", "heartbeat")])
COMMENTS = st.lists(st.lists(_word(LOWER, LOWER, 5), max_size=3).map(lambda ws: " ".join(["#", *ws])),
                    max_size=2)
OP_ATTRIBUTES = ["timeout", "on-fail", "role", "start-delay", "enabled", "requires", "record-pending"]


def nvpairs(names: st.SearchStrategy[str] = NAMES, max_size: int = 3) -> st.SearchStrategy[list[NVPair]]:
    """Pairs with distinct names."""
    return st.lists(st.builds(NVPair, names, VALUES), max_size=max_size, unique_by=lambda p: p.name)


# --------------------------------------------------------------------------- rules


EXPRESSIONS = st.one_of(
    st.builds(Expression, st.sampled_from(["#uname", "#kind", "pingd", "site"]),
              st.sampled_from(["eq", "ne", "lt", "gt", "lte", "gte"]), WORDS,
              type=st.sampled_from([None, "number", "integer", "version"]),
              value_source=st.sampled_from([None, None, "param", "meta"])),
    st.builds(Expression, NAMES, st.sampled_from(["defined", "not_defined"])),
    st.builds(DateExpression, st.just("gt"), start=st.just("2024-01-01")),
    st.builds(DateExpression, st.just("lt"), end=st.just("2025-06-30")),
    st.builds(DateExpression, st.just("in_range"), start=st.just("2024-01-01"), end=st.just("2024-12-31")),
    st.builds(DateExpression, st.just("date_spec"),
              date_spec=st.builds(DateSpec, st.lists(
                  st.builds(NVPair, st.sampled_from(["hours", "weekdays", "monthdays", "months", "years"]),
                            st.sampled_from(["1", "9-16", "1-5", "2024"])),
                  min_size=1, max_size=2, unique_by=lambda p: p.name))),
)


OPTIONAL_ROLES = st.one_of(st.none(), ROLES)
OPTIONAL_ACTIONS = st.one_of(st.none(), ACTIONS)
DESCRIPTIONS = st.one_of(st.none(), VALUES.filter(bool))
EXPRESSION_LISTS = st.lists(EXPRESSIONS, min_size=1, max_size=3)
RULE_ROLES = st.sampled_from([None, "Promoted", "Started"])
BOOLEAN_OPS = st.sampled_from(["and", "or"])
SCORE_ATTRIBUTES = st.sampled_from(["pingd", "site-score"])


@st.composite
def rules(draw: st.DrawFn, scored: bool) -> Rule:
    """A rule; ``scored`` rules (locations) always carry a score or a score attribute."""
    expressions = draw(EXPRESSION_LISTS)
    rule = Rule(expressions, role=draw(RULE_ROLES), boolean_op=draw(BOOLEAN_OPS) if len(expressions) > 1 else None)
    if scored:
        if draw(st.booleans()):
            rule.score = draw(SCORES)
        else:
            rule.score_attribute = draw(SCORE_ATTRIBUTES)
    return rule


PLAIN_RULES = rules(False)
SCORED_RULES = rules(True)
NVPAIRS = nvpairs()


def attr_sets(kinds: list[str], with_rules: bool = True) -> st.SearchStrategy[list[AttrSet]]:
    """Attribute sets of the given kinds, sometimes with a score or rules."""
    one = st.builds(AttrSet, st.sampled_from(kinds), NVPAIRS,
                    score=st.sampled_from([None, None, "10", "INFINITY"]),
                    rules=st.lists(PLAIN_RULES, max_size=1 if with_rules else 0))
    return st.lists(one, max_size=2)


RESOURCE_SETS = attr_sets(["params", "meta", "utilization"])
CONTAINER_SETS = attr_sets(["meta", "params"])
OP_SETS = attr_sets(["op_params", "op_meta"], with_rules=False)

# --------------------------------------------------------------------------- resources

OP_NAMES = st.sampled_from(["start", "stop", "monitor", "promote", "demote", "migrate_to"])
OP_ATTRIBUTE_NAMES = st.lists(st.sampled_from(OP_ATTRIBUTES), max_size=3, unique=True)
INTERVALS = st.sampled_from([None, "0", "0s", "10s", "20", "1min"])


@st.composite
def ops(draw: st.DrawFn) -> Op:
    """An op with attributes in any order and the interval anywhere among them (or missing)."""
    attributes = [NVPair(name, draw(WORDS)) for name in draw(OP_ATTRIBUTE_NAMES)]
    return Op(draw(OP_NAMES), draw(INTERVALS), attributes, draw(OP_SETS),
              interval_index=draw(st.integers(0, len(attributes))))


OP_LISTS = st.lists(ops(), max_size=2)


@st.composite
def primitives(draw: st.DrawFn, rid: str) -> Primitive:
    return Primitive(rid, agent=draw(AGENTS), description=draw(DESCRIPTIONS), attr_sets=draw(RESOURCE_SETS),
                     ops=draw(OP_LISTS), comments=draw(COMMENTS))


# --------------------------------------------------------------------------- constraints

POOL_SIZE = 4  # primitives per configuration; constraints pick them by index
PERMUTATIONS = st.permutations(range(POOL_SIZE))
MEMBERS = st.lists(st.integers(0, POOL_SIZE - 1), min_size=1, max_size=3, unique=True)
BRACKETS = st.sampled_from(["", "(", "["])


@st.composite
def constraint_items(draw: st.DrawFn, pool: list[str], qualifiers: st.SearchStrategy[str | None], field: str,
                     simple_count: int) -> list:
    """The simple form (``simple_count`` refs) or a list of sets, as the parser builds them."""
    if draw(st.booleans()):
        picked = draw(PERMUTATIONS)[:simple_count]
        return [ResourceRef(pool[i], draw(qualifiers)) for i in picked]
    sets: list[ResourceSet] = []
    for _ in range(draw(st.integers(1, 3))):
        bracket = draw(BRACKETS)
        qualifier = draw(qualifiers)
        if bracket == "" and sets and sets[-1].bracket == "" and getattr(sets[-1], field) == qualifier:
            bracket = "("  # two plain runs with the same qualifier would read back as one
        rset = ResourceSet([pool[i] for i in draw(MEMBERS)], bracket)  # type: ignore[arg-type]
        setattr(rset, field, qualifier)
        if bracket == "[" and draw(st.booleans()):
            rset.attributes.append(NVPair("sequential", "true"))
        sets.append(rset)
    return sets


DISCOVERY = st.sampled_from([None, "never", "always", "exclusive"])
LOCATION_TARGETS = st.sampled_from(["ref", "pattern", "sets"])
PATTERNS = st.sampled_from(["web.*", "^db[0-9]+$", "p"])
LOCATION_RULES = st.lists(SCORED_RULES, min_size=1, max_size=2)


@st.composite
def locations(draw: st.DrawFn, lid: str, pool: list[str]) -> Location:
    elem = Location(lid, role=draw(OPTIONAL_ROLES), resource_discovery=draw(DISCOVERY), comments=draw(COMMENTS))
    target = draw(LOCATION_TARGETS)
    if target == "ref":
        elem.resource = ResourceRef(pool[draw(st.integers(0, POOL_SIZE - 1))])
    elif target == "pattern":
        elem.rsc_pattern = draw(PATTERNS)
    else:
        elem.resource_sets = [ResourceSet([pool[i] for i in draw(MEMBERS)], "{")]
    if draw(st.booleans()):
        elem.score, elem.node = draw(SCORES), draw(IDS)
    else:
        elem.rules = draw(LOCATION_RULES)
    return elem


# --------------------------------------------------------------------------- configurations

ID_LISTS = st.lists(IDS, min_size=POOL_SIZE + 8, max_size=POOL_SIZE + 8, unique=True)
ORDER_KINDS = st.sampled_from([None, "Mandatory", "Optional", "Serialize"])
SYMMETRICAL = st.sampled_from([None, "true", "false"])
LOSS_POLICIES = st.sampled_from([None, "stop", "demote", "fence", "freeze"])
NODE_ATTRIBUTES = st.sampled_from([None, "site"])
PROPERTY_PAIRS = nvpairs(st.sampled_from(["stonith-enabled", "no-quorum-policy", "cluster-name", "symmetric-cluster"]))
DEFAULTS_IDS = st.sampled_from(["rsc-options", "rsc-options2"])
DEFAULTS_RULES = st.lists(PLAIN_RULES, max_size=1)
TAG_REFS = st.lists(st.integers(0, POOL_SIZE - 1), min_size=1, max_size=3)


@st.composite
def configurations(draw: st.DrawFn) -> list[Element]:
    """Primitives, a group, clones/ms, constraints of every kind, cluster sets and tags."""
    ids = draw(ID_LISTS)
    pool, other_ids = ids[:POOL_SIZE], ids[POOL_SIZE:]
    elements: list[Element] = [draw(primitives(rid)) for rid in pool]
    # each resource in at most one container (the XML nests it there)
    free = [pool[i] for i in draw(PERMUTATIONS)]
    if draw(st.booleans()):
        size = draw(st.integers(1, 3))
        members, free = free[:size], free[size:]
        group = Group(other_ids.pop(), children=members, description=draw(DESCRIPTIONS),
                      attr_sets=draw(CONTAINER_SETS), comments=draw(COMMENTS))
        elements.append(group)
        free.append(group.id)
    for child in free[: draw(st.integers(0, 2))]:
        elements.append(Clone(other_ids.pop(), child=child, legacy_ms=draw(st.booleans()),
                              attr_sets=draw(CONTAINER_SETS)))
    if draw(st.booleans()):
        elements.append(draw(locations(other_ids.pop(), pool)))
    if draw(st.booleans()):
        elements.append(Colocation(other_ids.pop(), draw(SCORES), draw(constraint_items(pool, OPTIONAL_ROLES, "role", 2)),
                                   node_attribute=draw(NODE_ATTRIBUTES)))
    if draw(st.booleans()):
        elements.append(Order(other_ids.pop(), kind=draw(ORDER_KINDS),
                              items=draw(constraint_items(pool, OPTIONAL_ACTIONS, "action", 2)),
                              symmetrical=draw(SYMMETRICAL)))
    if draw(st.booleans()):
        elements.append(RscTicket(other_ids.pop(), ticket=draw(IDS), items=draw(constraint_items(pool, OPTIONAL_ROLES, "role", 1)),
                                  loss_policy=draw(LOSS_POLICIES)))
    if draw(st.booleans()):
        elements.append(Tag(other_ids.pop(), refs=[pool[i] for i in draw(TAG_REFS)]))
    elements.append(ClusterSet("cib-bootstrap-options", kind="property", nvpairs=draw(PROPERTY_PAIRS)))
    if draw(st.booleans()):
        elements.append(ClusterSet(draw(DEFAULTS_IDS), kind="rsc_defaults", nvpairs=draw(NVPAIRS),
                                   rules=draw(DEFAULTS_RULES)))
    return elements


def _expected(elements: list[Element]) -> list[Element]:
    """What the text reads back as: the generated model with the writer's normalisations applied."""
    out = copy.deepcopy(elements)
    for element in out:
        for op in getattr(element, "ops", []):
            if op.interval is None:  # shown as interval=0 after the attributes
                op.interval, op.interval_index = "0", len(op.attributes)
    return sorted(out, key=sort_key)


@SETTINGS
@given(configurations())
def test_model_text_model(elements: list[Element]) -> None:
    # One generated configuration serves three properties (generation is the costly part).
    expected = _expected(elements)
    text = write_all(elements)
    assert parse(text) == expected, text
    # each element alone reads back the same
    for element, want in zip(sorted(elements, key=sort_key), expected):
        assert parse(write(element)) == [want]
    # the XML layer keeps everything the text shows
    # (except an empty set: in the CIB it has an id, and show omits it rather than print a bare `meta`)
    back = xmlio.configuration_from_xml(xmlio.configuration_to_xml(Configuration(list(elements))))
    assert write_all(back.elements) == write_all(_without_empty_sets(elements))


def _without_empty_sets(elements: list[Element]) -> list[Element]:
    """A copy of ``elements`` where no list holds an attribute set with nothing in it."""
    out = copy.deepcopy(elements)
    stack: list[object] = list(out)
    for _ in range(100_000):  # bounded walk over the dataclass tree
        if not stack:
            break
        node = stack.pop()
        for name, value in list(getattr(node, "__dict__", {}).items()):
            if isinstance(value, list):
                kept = [v for v in value if not (isinstance(v, AttrSet) and not v.nvpairs and not v.rules
                                                 and v.id_ref is None and not v.score)]
                setattr(node, name, kept)
                stack.extend(kept)
            elif hasattr(value, "__dict__"):
                stack.append(value)
    return out
