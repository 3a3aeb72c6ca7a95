"""Every low-level tool answers --help and --version, like Pacemaker's, and says why on bad options."""

from __future__ import annotations

import pytest

from crmsh_py.lowlevel.options import VERSION_LINE
from crmsh_py.lowlevel.registry import TOOLS, run_tool
from crmsh_py.lowlevel.toolio import ToolIO

PACEMAKER_TOOLS = sorted(t for t in TOOLS if t != "crm_engine")


@pytest.mark.parametrize("tool", PACEMAKER_TOOLS)
def test_version(tool: str) -> None:
    io = ToolIO.captured()
    assert run_tool([tool, "--version"], io) == 0
    assert io.stdout.getvalue() == VERSION_LINE + "\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize("tool", PACEMAKER_TOOLS)
def test_help_names_the_tool_and_its_options(tool: str) -> None:
    io = ToolIO.captured()
    assert run_tool([tool, "--help"], io) == 0
    text = io.stdout.getvalue()  # type: ignore[attr-defined]
    assert tool in text and "--help" not in io.stderr.getvalue()  # type: ignore[attr-defined]
    assert "-" in text.split("sage", 1)[-1]  # some option listed after "Usage"


# Pacemaker's crm_standby is a shell wrapper around crm_attribute: it exits 1 on a bad option.
USAGE_EXIT = {"crm_standby": 1}


@pytest.mark.parametrize("tool", PACEMAKER_TOOLS)
def test_unknown_option_is_a_usage_error(tool: str) -> None:
    io = ToolIO.captured()
    assert run_tool([tool, "--no-such-option"], io) == USAGE_EXIT.get(tool, 64)
    assert "--no-such-option" in io.stderr.getvalue()  # type: ignore[attr-defined]
