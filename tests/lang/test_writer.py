"""Writer unit tests on model objects (facts checked against crmsh 4.4.1's ``configure show``)."""

from __future__ import annotations

import pytest

from crmsh_py.cib import ids
from crmsh_py.cib.model import (
    Agent,
    AttrSet,
    Bundle,
    BundlePart,
    ClusterSet,
    Colocation,
    Expression,
    FencingLevel,
    FencingTopology,
    Location,
    Node,
    NVPair,
    Op,
    Order,
    Primitive,
    ResourceRef,
    ResourceSet,
    RscTicket,
    Rule,
)
from crmsh_py.lang import acl
from crmsh_py.lang.quoting import quote
from crmsh_py.lang.writer import WriteContext, write, write_all


@pytest.mark.parametrize(
    ("value", "shown"),
    [("10s", "10s"), ("/tmp/d5.state", '"/tmp/d5.state"'), ("", '""'), ("a b", '"a b"'),
     ('say "hi"', '"say \\"hi\\""'), ("x.y_z-1", "x.y_z-1"), ("a:b", '"a:b"')],
)
def test_quoting(value: str, shown: str) -> None:
    assert quote(value) == shown


def test_primitive_with_ops_and_comment() -> None:
    p = Primitive(
        "dummy",
        agent=Agent("ocf", "Dummy", "heartbeat"),
        attr_sets=[AttrSet("params", [NVPair("state", "/tmp/d5.state")]), AttrSet("meta", [NVPair("target-role", "Stopped")])],
        ops=[Op("monitor", "10s", [NVPair("timeout", "20s")], attr_sets=[AttrSet("op_params", [NVPair("depth", "0")])]),
             Op("stop", None, [NVPair("timeout", "20s")])],
        comments=["# the dummy"],
    )
    assert write(p) == (
        "# the dummy\nprimitive dummy Dummy \\\n\tparams state=\"/tmp/d5.state\" \\\n\tmeta target-role=Stopped \\\n"
        "\top monitor interval=10s timeout=20s \\\n\top_params depth=0 \\\n\top stop timeout=20s interval=0"
    )


@pytest.mark.parametrize(
    ("agent", "shown"),
    [(Agent("ocf", "IPaddr2", "heartbeat"), "IPaddr2"), (Agent("ocf", "Stateful", "pacemaker"), "ocf:pacemaker:Stateful"),
     (Agent("stonith", "null"), "stonith:null"), (Agent("systemd", "sshd"), "systemd:sshd")],
)
def test_agent_names(agent: Agent, shown: str) -> None:
    assert write(Primitive("p", agent=agent)) == f"primitive p {shown}"


def test_node_forms() -> None:
    assert write(Node("n1", node_id="n1")) == "node n1"
    assert write(Node("n4", node_id="1001", type="member")) == "node 1001: n4:member"
    assert write(Node("n5", node_id="a b")) == 'node $id="a b" n5'
    assert write(Node("r1", type="remote", attr_sets=[AttrSet("attributes", [NVPair("standby", "off")])])) == (
        "node r1:remote \\\n\tattributes standby=off"
    )


def test_cluster_sets_show_their_set_name() -> None:
    prop = ClusterSet("cib-bootstrap-options", kind="property", nvpairs=[NVPair("stonith-enabled", "false")])
    assert write(prop) == "property cib-bootstrap-options: \\\n\tstonith-enabled=false"
    odd = ClusterSet("my opts", kind="rsc_defaults", nvpairs=[NVPair("a", "1")])
    assert write(odd) == 'rsc_defaults $id="my opts" \\\n\ta=1'


def test_scores_and_kinds() -> None:
    assert write(Order("o1", score="inf", items=[ResourceRef("a"), ResourceRef("b")])) == "order o1 Mandatory: a b"
    assert write(Order("o2", score="0", items=[ResourceRef("a"), ResourceRef("b")])) == "order o2 Optional: a b"
    assert write(Colocation("c1", score="-INFINITY", items=[ResourceRef("a", "Promoted"), ResourceRef("b")])) == (
        "colocation c1 -inf: a:Promoted b"
    )
    rule = Rule([Expression("#uname", "eq", "n1")], score="INFINITY")
    assert write(Location("l1", resource=ResourceRef("a"), rules=[rule])) == "location l1 a \\\n\trule #uname eq n1"
    assert write(Location("l2", resource=ResourceRef("a"), score="+INFINITY", node="n1")) == "location l2 a +inf: n1"


def test_resource_sets() -> None:
    seq_false = ResourceSet(["a", "b"], bracket="(")
    assert write(Colocation("c", items=[seq_false, ResourceRef("c")])) == "colocation c inf: ( a b ) c"
    assert write(Colocation("c", items=[ResourceSet(["a", "b"], bracket="[")])) == "colocation c inf: [ a b ]"
    # A plain set of two reads back as a simple constraint: crmsh marks it.
    assert write(Order("o", kind="Optional", items=[ResourceSet(["a", "b"])])) == "order o Optional: _rsc_set_ a b"
    assert write(RscTicket("t", ticket="tk", items=[ResourceRef("a"), ResourceRef("b")], loss_policy="stop")) == (
        "rsc_ticket t tk: a b loss-policy=stop"
    )


def test_fencing_topology_collapses_only_when_every_node_has_the_same_devices() -> None:
    ft = FencingTopology("fencing_topology", levels=[FencingLevel("n1", index=1, devices=["st"]),
                                                    FencingLevel("n2", index=1, devices=["st"])])
    assert write(ft, WriteContext(node_count=2)) == "fencing_topology st"
    assert write(ft, WriteContext(node_count=3)) == "fencing_topology \\\n\tn1: st \\\n\tn2: st"


def test_bundle_mapping_ids_are_generated_like_crmsh() -> None:
    b = Bundle("b1", parts=[BundlePart("docker", [NVPair("image", "img")]), BundlePart("port-mapping", [NVPair("port", "80")])])
    assert write(b) == "bundle b1 \\\n\tdocker image=img \\\n\tnetwork port-mapping port=80 id=b1-0"


def test_write_all_sorts_like_crmsh() -> None:
    elements = [
        ClusterSet("cib-bootstrap-options", kind="property"),
        Order("o1", kind="Mandatory", items=[ResourceRef("b"), ResourceRef("a")]),
        Location("l1", resource=ResourceRef("a"), score="10", node="n1"),
        Colocation("c1", items=[ResourceRef("a"), ResourceRef("b")]),
        Primitive("b", agent=Agent("ocf", "Dummy", "heartbeat")),
        Primitive("a", agent=Agent("ocf", "Dummy", "heartbeat")),
        Node("n1"),
    ]
    heads = [line.split(" \\")[0] for line in write_all(elements).splitlines() if not line.startswith("\t")]
    assert heads == ["node n1", "primitive a Dummy", "primitive b Dummy", "colocation c1 inf: a b",
                     "location l1 a 10: n1", "order o1 Mandatory: b a", "property cib-bootstrap-options:"]
    assert write_all([]) == ""


def test_acl_shortcuts_round_trip() -> None:
    xpath = acl.expand("meta", ["d1", "target-role"])
    assert xpath == "//primitive[@id='d1']/meta_attributes/nvpair[@name='target-role']"
    assert acl.show_xpath(xpath) == "meta:d1:target-role"
    assert acl.show_xpath("/cib") == "cib"
    assert acl.show_xpath("//nodes") == 'xpath:"//nodes"'


def test_generated_ids() -> None:
    assert ids.op_id("dummy", "monitor", "10s") == "dummy-monitor-10s"
    assert ids.op_id("dummy", "start", "0") == "dummy-start-0"
    assert ids.attr_set_id("dummy", "params") == "dummy-instance_attributes"
    assert ids.attr_set_id("dummy-start-0", "op_meta") == "dummy-start-0-meta_attributes"
    assert ids.nvpair_id("cib-bootstrap-options", "stonith-enabled") == "cib-bootstrap-options-stonith-enabled"
    assert ids.rule_id("l1") == "l1-rule" and ids.expression_id("l1-rule") == "l1-rule-expression"
    assert ids.unique("o2", {"o2"}) == "o2-0"
    assert ids.unique("o2", {"o2", "o2-0"}) == "o2-1"
    assert ids.prefix("123") == "num-123"
    taken = {"x"}
    assert ids.claim("x", taken) == "x-0" and "x-0" in taken
