"""crm configuration text -> model objects: one test per element form and per lexical rule."""

from __future__ import annotations

import pytest

from crmsh_py.cib import model as m
from crmsh_py.lang import parse


def one(text: str) -> m.ElementBase:
    elements = parse(text)
    assert len(elements) == 1, elements
    return elements[0]


# ------------------------------------------------------------------ nodes and resources


def test_node_forms() -> None:
    a, b, c = parse("node srv01\nnode $id=1234 srv02 description=\"a b\" attributes standby=off\n"
                    "node 3: srv03:remote utilization cpu=2")
    assert a == m.Node("srv01")
    assert (b.id, b.node_id, b.description) == ("srv02", "1234", "a b")
    assert b.attr_sets == [m.AttrSet("attributes", [m.NVPair("standby", "off")])]
    assert (c.id, c.node_id, c.type) == ("srv03", "3", "remote")
    assert c.attr_sets[0].kind == "utilization"


def test_node_implicit_attributes() -> None:
    node = one("node srv01 standby=on")
    assert node.attr_sets == [m.AttrSet("attributes", [m.NVPair("standby", "on")])]


def test_primitive_full() -> None:
    p = one("primitive d2 ocf:heartbeat:Dummy description=\"my d\" params $id=d2-ia state=/tmp/x empty= "
            "meta target-role=Stopped utilization cpu=1 operations $id=d2-ops "
            "op monitor interval=10s timeout=20s depth=0 op_meta foo=1 op start timeout=3")
    assert p.agent == m.Agent("ocf", "Dummy", "heartbeat")
    assert p.description == "my d"
    assert [s.kind for s in p.attr_sets] == ["params", "meta", "utilization"]
    assert p.attr_sets[0].id == "d2-ia"
    assert p.attr_sets[0].nvpairs == [m.NVPair("state", "/tmp/x"), m.NVPair("empty", "")]
    assert p.operations_id == "d2-ops"
    mon, start = p.ops
    assert (mon.name, mon.interval, mon.attributes) == ("monitor", "10s", [m.NVPair("timeout", "20s")])
    assert mon.attr_sets == [m.AttrSet("op_params", [m.NVPair("depth", "0")]),
                             m.AttrSet("op_meta", [m.NVPair("foo", "1")])]
    assert (start.name, start.interval) == ("start", None)


@pytest.mark.parametrize(("text", "agent"), [
    ("stonith:external/ssh", m.Agent("stonith", "external/ssh")),
    ("lsb:apache", m.Agent("lsb", "apache")),
    ("systemd:nginx", m.Agent("systemd", "nginx")),
    ("service:x", m.Agent("service", "x")),
    ("Dummy", m.Agent("ocf", "Dummy", "heartbeat")),
    ("ocf:pacemaker:Stateful", m.Agent("ocf", "Stateful", "pacemaker")),
])
def test_agent_names(text: str, agent: m.Agent) -> None:
    assert one(f"primitive p {text}").agent == agent


def test_primitive_implicit_params_and_template() -> None:
    p = one("primitive p @tmpl state=1 meta a=b")
    assert p.template == "tmpl" and p.agent is None
    assert p.attr_sets[0] == m.AttrSet("params", [m.NVPair("state", "1")])
    t = one("rsc_template tmpl ocf:heartbeat:Dummy params state=/x")
    assert isinstance(t, m.RscTemplate) and t.agent == m.Agent("ocf", "Dummy", "heartbeat")


def test_attr_set_rule() -> None:
    p = one("primitive p Dummy params $id=ia rule $role=master 10: #uname eq srv01 a=1")
    rule = p.attr_sets[0].rules[0]
    assert (rule.role, rule.score) == ("Master", "10")
    assert rule.expressions == [m.Expression("#uname", "eq", "srv01")]
    assert p.attr_sets[0].nvpairs == [m.NVPair("a", "1")]


def test_group_clone_ms() -> None:
    g, c, ms, master = parse("group g a b c description=x meta target-role=Stopped\n"
                             "clone cl d3 meta promotable=true\nms m1 d3\nmaster m2 d3 notify=true")
    assert (g.children, g.description) == (["a", "b", "c"], "x")
    assert g.attr_sets[0].kind == "meta"
    assert (c.child, c.legacy_ms, c.attr_sets[0].nvpairs) == ("d3", False, [m.NVPair("promotable", "true")])
    assert ms.legacy_ms and master.legacy_ms
    assert master.attr_sets == [m.AttrSet("params", [m.NVPair("notify", "true")])]


def test_keywords_as_names() -> None:
    g = one("group grp op group rule")
    assert g.children == ["op", "group", "rule"]
    p = one("primitive group Dummy params rule=x op=y")
    assert p.id == "group"
    assert p.attr_sets[0].nvpairs == [m.NVPair("rule", "x"), m.NVPair("op", "y")]


def test_bundle() -> None:
    b = one("bundle b1 docker image=pcmk:http replicas=3 network control-port=3121 "
            "port-mapping id=p80 port=80 storage storage-mapping id=s1 source-dir=/srv "
            "primitive p1 meta target-role=Started")
    assert [p.kind for p in b.parts] == ["docker", "network", "port-mapping", "storage", "storage-mapping"]
    assert b.parts[0].attributes == [m.NVPair("image", "pcmk:http"), m.NVPair("replicas", "3")]
    assert b.parts[2].attributes == [m.NVPair("id", "p80"), m.NVPair("port", "80")]
    assert b.primitive == "p1"
    assert b.attr_sets == [m.AttrSet("meta", [m.NVPair("target-role", "Started")])]


# ------------------------------------------------------------------ constraints


@pytest.mark.parametrize(("score", "normal"), [
    ("inf", "INFINITY"), ("INF", "INFINITY"), ("+inf", "+INFINITY"), ("-inf", "-INFINITY"),
    ("INFINITY", "INFINITY"), ("-INFINITY", "-INFINITY"), ("100", "100"), ("-50", "-50"),
    ("mandatory", "INFINITY"), ("advisory", "0"),
])
def test_scores(score: str, normal: str) -> None:
    loc = one(f"location l d1 {score}: srv01")
    assert (loc.score, loc.node) == (normal, "srv01")


def test_location_forms() -> None:
    a, b, c = parse("location l1 { p1 p2 } role=Started resource-discovery=never 100: srv01\n"
                    "location l2 /d.*/ -inf: srv02\nlocation l3 d1 $role=Promoted inf: srv01")
    assert a.resource_sets == [m.ResourceSet(["p1", "p2"], "{")]
    assert (a.role, a.resource_discovery) == ("Started", "never")
    assert (b.rsc_pattern, b.resource) == ("d.*", None)
    assert c.resource == m.ResourceRef("d1") and c.role == "Promoted"


def test_location_rules() -> None:
    loc = one("location l d1 rule $id=r1 inf: #uname eq srv01 and foo string:gt 3 "
              "rule pingd: defined pingd rule -inf: date spec hours=9-16 weekdays=1-5 "
              "rule 50: date in start=2009-01-01 years=1 rule defined x rule date gt \"2009-05-26\"")
    r1, r2, r3, r4, r5, r6 = loc.rules
    assert (r1.id, r1.score, r1.boolean_op) == ("r1", "INFINITY", "and")
    assert r1.expressions[1] == m.Expression("foo", "gt", "3", type="string")
    assert (r2.score, r2.score_attribute) == (None, "pingd")
    assert r2.expressions == [m.Expression("pingd", "defined")]
    assert r3.expressions == [m.DateExpression("date_spec", date_spec=m.DateSpec(
        [m.NVPair("hours", "9-16"), m.NVPair("weekdays", "1-5")]))]
    assert r4.expressions == [m.DateExpression("in_range", start="2009-01-01",
                                               duration=m.DateSpec([m.NVPair("years", "1")]))]
    assert r5.score == "INFINITY"  # crmsh's default for a location rule
    assert r6.expressions == [m.DateExpression("gt", start="2009-05-26")]


def test_expression_value_source_and_types() -> None:
    rule = one("location l d1 rule inf: a number:lt param{limit} or b version:gte 1.2").rules[0]
    assert rule.expressions == [m.Expression("a", "lt", "limit", type="number", value_source="param"),
                                m.Expression("b", "gte", "1.2", type="version")]


def test_colocation_simple_and_sets() -> None:
    c1, c2, c3 = parse("colocation c1 inf: d1 cl:master\n"
                       "colocation c2 100: d1 ( d2 d3 sequential=true ) [ d4 d5 require-all=false ] "
                       "node-attribute=rack\n"
                       "colocation c3 inf: (a b) c:Promoted d:Promoted")
    assert c1.items == [m.ResourceRef("d1"), m.ResourceRef("cl", "Master")]
    assert c2.items == [m.ResourceSet(["d1"], ""),
                        m.ResourceSet(["d2", "d3"], "(", attributes=[m.NVPair("sequential", "true")]),
                        m.ResourceSet(["d4", "d5"], "[", attributes=[m.NVPair("require-all", "false")])]
    assert c2.node_attribute == "rack"
    assert c3.items == [m.ResourceSet(["a", "b"], "("), m.ResourceSet(["c", "d"], "", role="Promoted")]


def test_order_kinds() -> None:
    o1, o2, o3, o4, o5 = parse("order o1 inf: d1 d2\norder o2 optional: d1:start cl:promote symmetrical=no\n"
                               "order o3 0: d1 d2\norder o4 d1 d2\norder o5 Serialize: a b c:stop")
    assert (o1.kind, o1.score) == ("Mandatory", None)
    assert (o2.kind, o2.symmetrical) == ("Optional", "false")
    assert o2.items == [m.ResourceRef("d1", "start"), m.ResourceRef("cl", "promote")]
    assert o3.kind == "Optional"
    assert o4.kind is None and o4.items == [m.ResourceRef("d1"), m.ResourceRef("d2")]
    assert o5.items == [m.ResourceSet(["a", "b"]), m.ResourceSet(["c"], action="stop")]


def test_rsc_set_marker_forces_sets() -> None:
    # crmsh shows `_rsc_set_` before a set that would otherwise read back as the simple form,
    # and reads it back as that set (checked with crmsh 4.4.1: one <resource_set> with a and b).
    c, o, t = parse("colocation c inf: _rsc_set_ a:Promoted b:Promoted\norder o Mandatory: _rsc_set_ a b\n"
                    "rsc_ticket t tk: _rsc_set_ a")
    assert c.items == [m.ResourceSet(["a", "b"], role="Promoted")]
    assert o.items == [m.ResourceSet(["a", "b"])]
    assert t.items == [m.ResourceSet(["a"])]


def test_rsc_ticket() -> None:
    t = one("rsc_ticket t1 ticketA: d1 loss-policy=fence")
    assert (t.ticket, t.items, t.loss_policy) == ("ticketA", [m.ResourceRef("d1")], "fence")
    t2 = one("rsc_ticket t2 tk: d1 m1:Promoted")
    assert t2.items == [m.ResourceSet(["d1"]), m.ResourceSet(["m1"], role="Promoted")]


# ------------------------------------------------------------------ cluster sets, fencing, tags, ACLs, alerts


def test_cluster_sets() -> None:
    p, q, r, o = parse("property stonith-enabled=false no-quorum-policy=ignore\n"
                       "property $id=extra rule date spec hours=9-16 maintenance-mode=true\n"
                       "rsc_defaults rsc-options: resource-stickiness=INFINITY\nop_defaults timeout=60s")
    assert (p.kind, p.id, p.nvpairs[0]) == ("property", "cib-bootstrap-options", m.NVPair("stonith-enabled", "false"))
    assert q.id == "extra" and q.rules[0].expressions[0].operation == "date_spec"
    assert q.nvpairs == [m.NVPair("maintenance-mode", "true")]
    assert (r.kind, r.id) == ("rsc_defaults", "rsc-options")
    assert (o.kind, o.id, o.nvpairs) == ("op_defaults", "op-options", [m.NVPair("timeout", "60s")])


def test_fencing_topology() -> None:
    f = one("fencing_topology srv01: st1 st2,st3 srv02: st4 attr:rack=1 st5 pattern:srv0[12] st6")
    assert [(lv.target, lv.index, lv.devices) for lv in f.levels[:3]] == [
        ("srv01", 1, ["st1"]), ("srv01", 2, ["st2", "st3"]), ("srv02", 1, ["st4"])]
    assert (f.levels[3].target_attribute, f.levels[3].target_value) == ("rack", "1")
    assert f.levels[4].target_pattern == "srv0[12]"
    assert one("fencing_topology st1").levels[0].target is None


def test_tags_and_acls() -> None:
    t1, t2, role, target, group, user = parse(
        "tag t1: a b\ntag t2 a\n"
        "role r1 read xpath:/cib write meta:p1:target-role deny ref:p2 read tag:primitive attr:foo\n"
        "acl_target alice r1 r2\nacl_group admins r1\nuser bob role:r1")
    assert (t1.id, t1.refs, t2.refs) == ("t1", ["a", "b"], ["a"])
    assert role.rules == [
        m.AclRule("read", xpath="/cib"),
        m.AclRule("write", xpath="//primitive[@id='p1']/meta_attributes/nvpair[@name='target-role']"),
        m.AclRule("deny", reference="p2"),
        m.AclRule("read", object_type="primitive", attribute="foo")]
    assert target.roles == ["r1", "r2"] and group.roles == ["r1"]
    assert user.roles == ["r1"]


def test_alert() -> None:
    a = one("alert a1 /usr/bin/x attributes foo=1 meta timeout=10 select nodes fencing attributes { a b } "
            "to /tmp/y meta x=1 to { /tmp/z attributes q=1 }")
    assert a.path == "/usr/bin/x"
    assert [s.kind for s in a.attr_sets] == ["attributes", "meta"]
    assert (a.select, a.select_attributes) == (["nodes", "fencing", "attributes"], ["a", "b"])
    assert a.recipients == [
        m.AlertRecipient("/tmp/y", [m.AttrSet("meta", [m.NVPair("x", "1")])]),
        m.AlertRecipient("/tmp/z", [m.AttrSet("attributes", [m.NVPair("q", "1")])])]


def test_raw_xml() -> None:
    x = one('xml <tag id="t9">\\\n  <obj_ref id="p1"/> </tag>')
    assert (x.id, x.tag) == ("t9", "tag")
    assert x.xml == '<tag id="t9"> <obj_ref id="p1"/> </tag>'


# ------------------------------------------------------------------ lexical rules


def test_comments_attach_to_next_element() -> None:
    a, b = parse("# first\n#   second\nprimitive a Dummy\n\n# about b\nprimitive b Dummy\n# trailing\n")
    assert a.comments == ["# first", "#   second"]
    assert b.comments == ["# about b"]


def test_continuation_and_blank_lines() -> None:
    text = "\n\nprimitive dummy ocf:heartbeat:Dummy \\\n    op start interval=\"0s\" timeout=\"120s\" \\\n" \
           "    op monitor interval=\"10s\"\n\nproperty \\\n  no-quorum-policy=\"ignore\"\n"
    p, prop = parse(text)
    assert [o.name for o in p.ops] == ["start", "monitor"]
    assert prop.nvpairs == [m.NVPair("no-quorum-policy", "ignore")]


def test_quoting() -> None:
    p = one("primitive p Dummy params a=\"x y\" b='it''s' c=\"say \\\"hi\\\"\" 'd=e f'")
    assert p.attr_sets[0].nvpairs == [m.NVPair("a", "x y"), m.NVPair("b", "its"),
                                      m.NVPair("c", 'say "hi"'), m.NVPair("d", "e f")]


def test_quoted_brackets_are_text() -> None:
    # Brackets glued to a word are split off, but not when they come from a quoted value.
    p = one('property a="x}" b="(y" c=\\)')
    assert p.nvpairs == [m.NVPair("a", "x}"), m.NVPair("b", "(y"), m.NVPair("c", ")")]
    c = one('colocation c inf: (a b) "[x"')
    assert c.items == [m.ResourceSet(["a", "b"], "("), m.ResourceSet(["[x"])]


def test_case_insensitive_keywords() -> None:
    p = one("PRIMITIVE P3 Dummy PARAMS a=1 Op monitor interval=10s")
    assert p.id == "P3" and p.attr_sets[0].kind == "params" and p.ops[0].name == "monitor"
    assert one("Location l d1 INF: n1").score == "INFINITY"


def test_empty_text() -> None:
    assert parse("") == [] and parse("\n  \n# only a comment\n") == []


def test_reference_demo_configuration(repo_root) -> None:  # type: ignore[no-untyped-def]
    text = """### Cluster Option ###
property \\
    no-quorum-policy="ignore" \\
    stonith-enabled="false" \\
    startup-fencing="false"
### Resource Defaults ###
rsc_defaults \\
    resource-stickiness="INFINITY" \\
    migration-threshold="1"

### Primitive Configuration ###
primitive dummy ocf:heartbeat:Dummy \\
    op start interval="0s" timeout="120s" on-fail="restart" \\
    op monitor interval="10s" timeout="120s" on-fail="restart" \\
    op stop interval="0s" timeout="120s" on-fail="stop"
"""
    prop, defaults, dummy = parse(text)
    assert prop.comments == ["### Cluster Option ###"]
    assert [nv.name for nv in prop.nvpairs] == ["no-quorum-policy", "stonith-enabled", "startup-fencing"]
    assert defaults.nvpairs[0] == m.NVPair("resource-stickiness", "INFINITY")
    assert dummy.comments == ["### Primitive Configuration ###"]
    assert dummy.ops[2].attributes == [m.NVPair("timeout", "120s"), m.NVPair("on-fail", "stop")]
