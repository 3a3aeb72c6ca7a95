"""Issue 13 item 2: a resource whose monitor always fails never ends the monitoring of the others:
every recovery re-arms the recovered resource's monitor and no settle gives up work."""

from __future__ import annotations

from pathlib import Path

import rel_probes


def test_a_flapping_resource_does_not_end_monitoring_of_others(cluster_dir: Path) -> None:
    assert rel_probes.probe_flapping(cluster_dir, failures=2) == []
