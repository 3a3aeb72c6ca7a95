"""The input's status as crm_simulate shows it: pending operations and migrations in progress.

The differential cases (``differential/*.summary``, Pacemaker 2.1.5's own output) pin the
Transition Summary and the Revised Cluster Status; here the Current cluster status of those whose
rule is about display: Pacemaker shows pending operations there ("Starting node1") but not in the
revised status ("Stopped node1"), and a migration in progress makes a resource active on both ends.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "differential"
CASES = ("migration-partial-unmanaged", "migration-failed-unmanaged", "migration-failed-then-stopped",
         "migrate-from-failed-unmanaged", "pending-start-stopped")


def _current(text: str) -> list[str]:
    """The lines of the ``Current cluster status:`` block, whitespace-normalised."""
    lines = text.splitlines()
    start = lines.index("Current cluster status:") + 1
    end = lines.index("Transition Summary:")
    return [" ".join(line.split()) for line in lines[start:end] if line.strip()]


def _ours(path: Path) -> str:
    from crmsh_py.lowlevel.crm_simulate import run
    from crmsh_py.lowlevel.toolio import ToolIO

    out, err = io.StringIO(), io.StringIO()
    assert run(["-S", "-x", str(path)], ToolIO(io.StringIO(), out, err, {})) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("name", CASES)
def test_current_status_matches_pacemaker(name: str) -> None:
    want = _current((HERE / f"{name}.summary").read_text(encoding="utf-8"))
    assert _current(_ours(HERE / f"{name}.xml")) == want


def test_pending_start_is_shown_as_starting_then_as_the_node_it_stopped_on() -> None:
    text = _ours(HERE / "pending-start-stopped.xml")
    current, revised = text.split("Revised Cluster Status:")
    assert "Starting node1 (disabled)" in current
    assert "Stopped node1 (disabled)" in revised


def test_crm_mon_shows_pending_operations() -> None:
    from crmsh_py import xmltree as ET
    from crmsh_py.render import mon_text
    from crmsh_py.render.mon_view import build_view

    view = build_view(ET.fromstring((HERE / "pending-start-stopped.xml").read_text(encoding="utf-8")))
    lines = mon_text.resources_block(view, mon_text.MonOptions(inactive=True))
    assert any(line.endswith("Starting node1 (disabled)") for line in lines), lines
