"""Concurrency: several processes mutating one cluster lose nothing and never deadlock
(CI: 4 × 20; benchmarks/bench_reliability.py: 8 × 200)."""

from __future__ import annotations

from pathlib import Path

import rel_concurrency


def test_low_level_tools_in_parallel_lose_no_update(tmp_path: Path) -> None:
    figures = rel_concurrency.run_concurrency(tmp_path, workers=4, count=20, timeout_s=120, kinds=3)
    assert figures.ok, figures.problems
    assert figures.mutations == 80 and figures.epoch_growth == 80


def test_crm_one_shots_and_tools_in_parallel_lose_no_update(tmp_path: Path) -> None:
    figures = rel_concurrency.run_concurrency(tmp_path, workers=4, count=20, timeout_s=180)
    assert figures.ok, figures.problems
    assert figures.mutations == 80 and figures.epoch_growth == 80
