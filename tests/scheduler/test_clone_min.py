"""``clone-min``: what is ordered after a clone waits until that many instances can run."""

from __future__ import annotations

from sched_factory import Cluster, loc, nv, order, prim, props

from crmsh_py.cib.model import AttrSet, Clone, Configuration
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _cfg(clone_min: str) -> Configuration:
    clone = Clone("cl", child="c", attr_sets=[AttrSet("meta", nv(clone_min=clone_min))])
    return Configuration([BASE, prim("c"), clone, prim("app"), order("o", "cl", "app"),
                          loc("one-node", "cl", "srv02", "-INFINITY")])


def test_fewer_instances_than_clone_min_block_the_then(cluster: Cluster) -> None:
    t = plan(_cfg("2"), cluster.status)  # the clone may run on srv01 only: 1 instance < 2
    lines = [" ".join(x.split()) for x in t.summary()]
    assert any("Start app" in x and "due to unrunnable clone-one-or-more:o (blocked)" in x for x in lines)
    assert t.allocation["app"] is None


def test_enough_instances_let_the_then_start(cluster: Cluster) -> None:
    t = plan(_cfg("1"), cluster.status)
    assert t.allocation["app"] is not None


def test_plain_order_with_require_all_false_waits_for_any_instance(cluster: Cluster) -> None:
    from crmsh_py.cib.model import Order, ResourceRef

    one = Order("o", kind="Mandatory", items=[ResourceRef("cl"), ResourceRef("app")], require_all="false")
    cfg = Configuration([BASE, prim("c"), Clone("cl", child="c"), prim("app"), one,
                         loc("nowhere1", "cl", "srv01", "-INFINITY"), loc("nowhere2", "cl", "srv02", "-INFINITY")])
    t = plan(cfg, cluster.status)
    lines = [" ".join(x.split()) for x in t.summary()]
    assert any("due to unrunnable clone-one-or-more:o (blocked)" in x for x in lines), lines


def test_require_all_survives_the_xml_model() -> None:
    import xml.etree.ElementTree as ET

    from crmsh_py.cib import xmlio

    xml = ('<configuration><crm_config/><nodes/><resources/><constraints>'
           '<rsc_order id="o" first="a" then="b" require-all="false"/></constraints></configuration>')
    back = ET.tostring(xmlio.configuration_to_xml(xmlio.configuration_from_xml(ET.fromstring(xml))), encoding="unicode")
    assert 'require-all="false"' in back
