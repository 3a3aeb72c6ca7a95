"""Semantic validation messages."""

from __future__ import annotations

from crmsh_py.cib.model import (
    AclTarget,
    Agent,
    Clone,
    Colocation,
    Configuration,
    Group,
    Location,
    Op,
    Order,
    Primitive,
    ResourceRef,
    ResourceSet,
    RscTemplate,
    Tag,
)
from crmsh_py.cib.validate import validate

DUMMY = Agent("ocf", "Dummy", "heartbeat")


def _messages(*elements) -> list[str]:
    return [str(e) for e in validate(Configuration(list(elements)))]


def test_valid_configuration_has_no_errors() -> None:
    assert _messages(Primitive("a", agent=DUMMY), Primitive("b", agent=DUMMY),
                     Group("g", ["a", "b"]), Clone("c", child="g"),
                     Colocation("col", "inf", [ResourceRef("c"), ResourceRef("a")]),
                     Tag("t", ["a"]), Order("o", kind="Mandatory",
                                            items=[ResourceRef("t"), ResourceSet(["b"], "(")])) == []


def test_unknown_group_child_and_clone_child() -> None:
    assert _messages(Group("g", ["nope"]), Clone("c", child="x")) == [
        "g: child resource 'nope' does not exist", "c: child resource 'x' does not exist"]


def test_resource_in_two_parents() -> None:
    msgs = _messages(Primitive("a", agent=DUMMY), Group("g1", ["a"]), Group("g2", ["a"]))
    assert msgs == ["g2: resource 'a' is already in 'g1'"]


def test_group_child_must_be_primitive() -> None:
    msgs = _messages(Primitive("a", agent=DUMMY), Group("g1", ["a"]), Group("g2", ["g1"]))
    assert msgs == ["g2: child 'g1' must be a primitive"]


def test_duplicate_ids_across_types() -> None:
    msgs = _messages(Primitive("a", agent=DUMMY), Tag("a", ["a"]))
    assert "a: id is used 2 times" in msgs


def test_constraint_references() -> None:
    msgs = _messages(Primitive("a", agent=DUMMY),
                     Location("l", resource=ResourceRef("zz"), score="10", node="n1"),
                     Colocation("c", "inf", [ResourceRef("a"), ResourceSet(["q"], "(")]))
    assert msgs == ["l: resource 'zz' does not exist", "c: resource 'q' does not exist"]


def test_bad_scores() -> None:
    msgs = _messages(Primitive("a", agent=DUMMY), Primitive("b", agent=DUMMY),
                     Colocation("c", "lots", [ResourceRef("a"), ResourceRef("b")]),
                     Location("l", resource=ResourceRef("a"), score="1.5", node="n"))
    assert msgs == ["c: invalid score 'lots': expected an integer, INFINITY, +INFINITY, "
                    "-INFINITY or inf",
                    "l: invalid score '1.5': expected an integer, INFINITY, +INFINITY, "
                    "-INFINITY or inf"]


def test_agents_and_templates() -> None:
    msgs = _messages(Primitive("a", agent=Agent("heartbeat", "IPaddr")), Primitive("b"),
                     Primitive("c", template="missing"), Primitive("d", agent=Agent("ocf", "X")))
    assert msgs[0].startswith("a: unknown resource agent class 'heartbeat' (known: lsb, nagios,")
    assert msgs[1:] == ["b: no resource agent given", "c: template 'missing' does not exist",
                        "d: ocf agent 'X' needs a provider"]
    assert _messages(RscTemplate("t", agent=DUMMY), Primitive("p", template="t")) == []


def test_an_op_repeated_with_the_same_name_and_interval_is_valid() -> None:
    # crmsh and crm_verify take it (commit's sanity check warns about a repeated monitor)
    prim = Primitive("a", agent=DUMMY, ops=[Op("monitor", "10s"), Op("monitor", "10")])
    assert _messages(prim) == []
    assert _messages(Primitive("b", agent=DUMMY, ops=[Op("monitor", "often")])) == []  # (crmsh takes it too)


def test_acl_and_tag_references() -> None:
    # a tag may name what does not exist, as crmsh and crm_verify take it
    assert _messages(AclTarget("alice", ["admin"]), Tag("t", ["ghost"])) == [
        "alice: ACL role 'admin' does not exist"]
