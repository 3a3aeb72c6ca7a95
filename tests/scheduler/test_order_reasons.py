"""The reason a stop prints when a mandatory order's first cannot start (Pacemaker 2.1.5)."""

from sched_factory import Cluster, nv, order, prim, props

from crmsh_py.cib.model import Agent, AttrSet, Clone, Configuration, Primitive
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def _config(then_promotable: bool) -> Configuration:
    clone = Clone("ms", child="s", attr_sets=[AttrSet("meta", nv(promotable="true" if then_promotable else "false",
                                                                  clone_max="1"))])
    return Configuration([BASE, Primitive("s", agent=Agent("ocf", "Stateful", "pacemaker")), clone,
                          prim("b", meta={"target-role": "Stopped"}), order("o", "b", "ms")])


def _stop_reason(t) -> str:
    line = next(line for line in t.summary() if " s:0 " in line)
    return line.split("due to ", 1)[1]


def test_promotable_then_of_a_stopping_first_is_required(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=None, ra="Stateful", provider="pacemaker")
    cluster.running("b", "srv02")
    assert _stop_reason(plan(_config(True), cluster.status)) == "required b start"


def test_first_not_running_makes_the_then_unrunnable(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=None, ra="Stateful", provider="pacemaker")
    assert _stop_reason(plan(_config(True), cluster.status)) == "unrunnable b start"


def test_plain_clone_then_is_unrunnable(cluster: Cluster) -> None:
    cluster.running("s:0", "srv01", monitor=None, ra="Stateful", provider="pacemaker")
    cluster.running("b", "srv02")
    assert _stop_reason(plan(_config(False), cluster.status)) == "unrunnable b start"
