"""Issue 13 item 5: `crm cluster add` killed at any moment or hitting a full disk never leaves a
half-added node: the change rolls back (full disk) or `crm cluster repair` / the next `add` finish it."""

from __future__ import annotations

from pathlib import Path

import rel_probes


def test_membership_changes_are_atomic(cluster_dir: Path) -> None:
    assert rel_probes.probe_membership(cluster_dir, trials=6) == []
