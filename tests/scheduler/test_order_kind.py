"""An order's kind is read case-insensitively; an unknown kind counts as Mandatory (Pacemaker
resets it, with a configuration error)."""

from __future__ import annotations

import pytest
from sched_factory import Cluster, order, prim, props

from crmsh_py.cib.model import Configuration
from crmsh_py.engine.scheduler import plan


@pytest.mark.parametrize("kind, restarts", [("foo", True), ("mandatory", True), ("OPTIONAL", False)])
def test_kind_spelling(cluster: Cluster, kind: str, restarts: bool) -> None:
    cluster.running("b", "srv01")
    cfg = Configuration([props(stonith_enabled="false", no_quorum_policy="ignore"),
                         prim("a"), prim("b", meta={"resource-stickiness": "100"}), order("o", "a", "b", kind=kind)])
    t = plan(cfg, cluster.status)
    assert any(c.change == "Restart" and c.rsc_id == "b" for c in t.changes) is restarts
