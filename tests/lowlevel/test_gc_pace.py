"""A tool run slows the cycle collector down for its own length only: a long-lived process (the
REPL, the engine daemon) that runs many tools keeps the collector's pace it had."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator

import pytest

from crmsh_py.lowlevel.gc_pace import RUN_THRESHOLD, SlowCollector
from crmsh_py.lowlevel.registry import run_tool
from crmsh_py.lowlevel.toolio import ToolIO


@pytest.fixture
def default_pace() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_the_pace_is_slow_inside_and_restored_after(default_pace: None) -> None:
    with SlowCollector():
        assert gc.get_threshold() == (RUN_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_the_pace_is_restored_when_the_run_fails(default_pace: None) -> None:
    with pytest.raises(RuntimeError), SlowCollector():
        raise RuntimeError("the tool failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_slower_pace_set_by_the_process_is_kept(default_pace: None) -> None:
    gc.set_threshold(50_000, 10, 10)
    with SlowCollector():
        assert gc.get_threshold()[0] == 50_000
    assert gc.get_threshold() == (50_000, 10, 10)


def test_running_a_tool_in_process_leaves_the_pace_as_it_was(default_pace: None) -> None:
    tool_io = ToolIO(io.StringIO(), io.StringIO(), io.StringIO(), {})
    assert run_tool(["crm_resource", "--version"], tool_io) == 0
    assert "Pacemaker" in tool_io.stdout.getvalue()  # type: ignore[attr-defined]
    assert gc.get_threshold() == (700, 10, 10)
