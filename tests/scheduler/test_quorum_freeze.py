"""no-quorum-policy=freeze: what runs may go on, and even move within the partition; nothing that
is stopped starts ("due to quorum freeze (blocked)")."""

from __future__ import annotations

from sched_factory import Cluster, prim, props

from crmsh_py.cib.model import Configuration
from crmsh_py.engine.scheduler import plan


def test_freeze_moves_running_resources_but_starts_nothing(cluster: Cluster) -> None:
    cluster.running("a", "srv01")
    cluster.running("b", "srv01")
    cluster.status.have_quorum = False
    t = plan(Configuration([props(stonith_enabled="false", no_quorum_policy="freeze"), prim("a"), prim("b"),
                            prim("c")]), cluster.status)
    lines = [" ".join(x.split()).removeprefix("* ") for x in t.summary()]
    assert "Move b ( srv01 -> srv02 )" in lines
    assert any(x.startswith("Start c") and x.endswith("due to quorum freeze (blocked)") for x in lines)
    assert t.allocation["c"] is None
