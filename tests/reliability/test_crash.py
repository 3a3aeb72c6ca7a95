"""Crash safety: a writer killed with SIGKILL never leaves a broken or half-written CIB
(CI counts; benchmarks/bench_reliability.py runs ≥ 200 kills)."""

from __future__ import annotations

from pathlib import Path

import rel_common as rc
import rel_crash


def _explain(figures: rel_crash.CrashFigures) -> str:
    return f"corrupt={figures.corrupt} mixed={figures.mixed} leftovers={figures.leftovers}"


def test_killing_a_looping_store_writer_leaves_the_old_or_the_new_cib(tmp_path: Path) -> None:
    figures = rel_crash.crash_loop(tmp_path / "loop", trials=8, primitives=300, max_delay=0.6)
    assert figures.ok, _explain(figures)
    assert figures.trials == 8 and figures.old + figures.new == 8


def test_killing_crm_attribute_leaves_the_old_or_the_new_cib(tmp_path: Path) -> None:
    figures = rel_crash.crash_bundled(tmp_path / "oneshot", trials=6, mode="oneshot")
    assert figures.ok, _explain(figures)
    assert figures.old + figures.new == 6


def test_killing_a_tool_while_agents_run_leaves_no_temp_files(tmp_path: Path) -> None:
    figures = rel_crash.crash_bundled(tmp_path / "settle", trials=6, mode="settle")
    assert figures.ok, _explain(figures)
    assert figures.old + figures.new == 6


def test_a_killed_agent_runs_attrs_file_is_removed_by_the_next_command(cluster_dir: Path,
                                                                         env: dict[str, str]) -> None:
    rsctmp = cluster_dir / "nodes" / "srv01" / "rsctmp"
    stale = rsctmp / ".attrs-999999999-abc"  # no such pid: its writer is gone
    stale.write_text("")
    alive = rsctmp / f".attrs-{__import__('os').getpid()}-abc"  # a live process's file stays
    alive.write_text("")
    assert rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"], env).rc == 0
    assert not stale.exists() and alive.exists()


def test_every_write_keeps_the_previous_version_as_last_good(cluster_dir: Path, env: dict[str, str]) -> None:
    before = (cluster_dir / "cib.xml").read_text()
    assert rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"], env).rc == 0
    assert (cluster_dir / "cib.xml.last-good").read_text() == before
    assert rc.stray_files(cluster_dir) == []
