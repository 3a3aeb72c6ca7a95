"""Issue 13 items 10-13: a CIB_file link is written through; tracebacks become one-line errors;
permission problems are reported as such and never sent to (or handled by) repair; planted links
for ha-log and lock are refused, and so is a state directory others may write to."""

from __future__ import annotations

from pathlib import Path

import rel_probes


def test_cib_file_symlink_is_written_through(tmp_path: Path) -> None:
    assert rel_probes.probe_cib_file_symlink(tmp_path, rounds=1) == []


def test_failures_are_one_line_errors_and_permission_is_not_damage(cluster_dir: Path) -> None:
    assert rel_probes.probe_errors(cluster_dir, rounds=1) == []


def test_planted_links_and_open_state_dirs_are_refused(tmp_path: Path) -> None:
    assert rel_probes.probe_planted_links(tmp_path, rounds=1) == []
