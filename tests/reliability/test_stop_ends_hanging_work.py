"""Issue 13 item 6: `crm cluster stop` ends an in-flight (hanging) agent and its children, and a
`crm cluster run` command past its timeout leaves no process behind."""

from __future__ import annotations

from pathlib import Path

import rel_probes


def test_cluster_stop_ends_in_flight_agents(cluster_dir: Path) -> None:
    assert rel_probes.probe_stop_ends_agents(cluster_dir, rounds=1) == []


def test_cluster_run_timeout_ends_the_command_and_its_children(cluster_dir: Path) -> None:
    assert rel_probes.probe_run_timeout(cluster_dir, rounds=1) == []
