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
