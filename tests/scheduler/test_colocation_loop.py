"""A loop of mandatory colocations still places its resources, together (Pacemaker ignores the
colocation that closes the loop)."""

from __future__ import annotations

from sched_factory import Cluster, coloc, prim, props

from crmsh_py.cib.model import Configuration
from crmsh_py.engine.scheduler import plan

BASE = props(stonith_enabled="false", no_quorum_policy="ignore")


def test_colocation_loop_places_everything_together(cluster: Cluster) -> None:
    cfg = Configuration([BASE, prim("a"), prim("b"), prim("c"),
                         coloc("ab", "INFINITY", "a", "b"), coloc("bc", "INFINITY", "b", "c"),
                         coloc("ca", "INFINITY", "c", "a")])
    t = plan(cfg, cluster.status)
    where = {t.allocation[r] for r in ("a", "b", "c")}
    assert len(where) == 1 and None not in where


def _set_cfg(ordering: str | None) -> Configuration:
    from crmsh_py.cib.model import Colocation, NVPair, ResourceSet

    extra = [NVPair("ordering", ordering)] if ordering else []
    rset = ResourceSet(["a", "b", "c"], attributes=[NVPair("sequential", "true"), *extra], id="s")
    return Configuration([BASE, prim("a"), prim("b", meta={"target-role": "Stopped"}), prim("c"),
                          Colocation("col", score="INFINITY", items=[rset])])


def test_colocation_set_members_follow_the_one_before(cluster: Cluster) -> None:
    t = plan(_set_cfg(None), cluster.status)  # c with b (stopped): c cannot run, a can
    assert t.allocation["a"] is not None and t.allocation["c"] is None


def test_listed_colocation_set_members_follow_the_one_after(cluster: Cluster) -> None:
    t = plan(_set_cfg("listed"), cluster.status)  # a with b (stopped): a cannot run, c can
    assert t.allocation["a"] is None and t.allocation["c"] is not None
