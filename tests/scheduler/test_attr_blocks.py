"""Attribute blocks with scores and rules (rsc_defaults by agent, date rules, block order), as the
scheduler and the status display resolve them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sched_factory import Cluster, prim, props

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import (Agent, AttrSet, ClusterSet, Configuration, DateExpression, NVPair, Primitive,
                                RscExpression, Rule)
from crmsh_py.engine.scheduler import plan
from crmsh_py.engine.scheduler.attr_sets import resolve

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _defaults(set_id: str, expr: RscExpression, **values: str) -> ClusterSet:
    return ClusterSet(set_id, kind="rsc_defaults", nvpairs=[NVPair(k.replace("_", "-"), v) for k, v in values.items()],
                      rules=[Rule([expr], score="INFINITY")])


def test_rsc_defaults_apply_by_agent(cluster: Cluster) -> None:
    cfg = Configuration([BASE, prim("web", ra="IPaddr2"), prim("db", ra="Dummy", provider="pacemaker"),
                         _defaults("stop-ip", RscExpression("ocf", "heartbeat", "IPaddr2"), target_role="Stopped")])
    t = plan(cfg, cluster.status)
    assert t.allocation["web"] is None and t.allocation["db"] is not None


def test_rsc_expression_provider_must_match_even_when_absent(cluster: Cluster) -> None:
    # an expression without a provider only matches agents without one (lsb, stonith, ...)
    cfg = Configuration([BASE, prim("a"),
                         Primitive("b", agent=Agent("lsb", "b")),
                         _defaults("no-prov", RscExpression(None, None, None), target_role="Stopped")])
    t = plan(cfg, cluster.status)
    assert t.allocation["a"] is not None and t.allocation["b"] is None


def test_higher_score_block_wins_and_date_rules_use_now(cluster: Cluster) -> None:
    cluster.status.now = 1_700_000_000  # 2023-11-14
    low = AttrSet("meta", [NVPair("target-role", "Stopped")], id="low", score="10")
    expired = AttrSet("meta", [NVPair("target-role", "Started")], id="old", score="100",
                      rules=[Rule([DateExpression("lt", end="2020-01-01")], score="INFINITY")])
    current = AttrSet("meta", [NVPair("target-role", "Started")], id="now", score="50",
                      rules=[Rule([DateExpression("gt", start="2020-01-01")], score="INFINITY")])
    a = prim("a")
    a.attr_sets = [low, expired]
    b = prim("b")
    b.attr_sets = [low, expired, current]
    t = plan(Configuration([BASE, a, b]), cluster.status)
    assert t.allocation["a"] is None and t.allocation["b"] is not None


def test_equal_scores_the_block_written_last_comes_first() -> None:
    first = AttrSet("meta", [NVPair("x", "1")], id="one")
    second = AttrSet("meta", [NVPair("x", "2")], id="two")
    assert resolve([first, second], 0) == {"x": "2"}
    bootstrap = ClusterSet("cib-bootstrap-options", nvpairs=[NVPair("x", "boot")], score="-10")
    assert resolve([ClusterSet("other", nvpairs=[NVPair("x", "o")], score="100"), bootstrap], 0,
                   first="cib-bootstrap-options") == {"x": "boot"}


def test_rsc_expression_survives_the_xml_model() -> None:
    xml = ('<configuration><crm_config/><nodes/><resources/><constraints/><rsc_defaults>'
           '<meta_attributes id="m"><rule id="m-r" score="INFINITY">'
           '<rsc_expression id="m-e" class="ocf" provider="pacemaker" type="Dummy"/></rule>'
           '<nvpair id="m-n" name="is-managed" value="false"/></meta_attributes></rsc_defaults></configuration>')
    cfg = xmlio.configuration_from_xml(ET.fromstring(xml))
    back = ET.tostring(xmlio.configuration_to_xml(cfg), encoding="unicode")
    assert '<rsc_expression id="m-e" class="ocf" provider="pacemaker" type="Dummy"' in back


def test_default_value_unsets_the_name() -> None:
    blocks = [AttrSet("meta", [NVPair("target-role", "#default")], id="later"),
              AttrSet("meta", [NVPair("target-role", "Stopped"), NVPair("x", "1")], id="first", score="10")]
    assert resolve(blocks, 0) == {"x": "1"}


def test_is_dc_builtin_attribute(cluster: Cluster) -> None:
    from crmsh_py.cib.model import Expression, Location, ResourceRef

    cluster.status.dc = "srv02"
    only_dc = Rule([Expression("#is_dc", "eq", "false")], score="-INFINITY")
    t = plan(Configuration([BASE, prim("ip"), Location("l", resource=ResourceRef("ip"), rules=[only_dc])]),
             cluster.status)
    assert t.allocation["ip"] == "srv02"
