"""Transition Summaries of one CIB file from our crm_simulate (in this process) and from Pacemaker's.

Shared by the scheduler tests that pin a scenario to fixed lines and to Pacemaker 2.1.5's own
``crm_simulate -S -x``; whitespace is normalised as the suite harness does.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from crmsh_py.lowlevel.crm_simulate import run
from crmsh_py.lowlevel.toolio import ToolIO

PACEMAKER_CRM_SIMULATE = Path("/usr/sbin/crm_simulate")


def summary(output: str) -> list[str]:
    """The Transition Summary lines of a ``crm_simulate -S`` output, whitespace-normalised."""
    lines = output.split("Transition Summary:\n", 1)[1].split("\nExecuting", 1)[0].splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def ours(path: Path) -> list[str]:
    """Our ``crm_simulate -S -x PATH`` summary (the tool must succeed)."""
    out, err = io.StringIO(), io.StringIO()
    assert run(["-S", "-x", str(path)], ToolIO(io.StringIO(), out, err, {})) == 0, err.getvalue()
    return summary(out.getvalue())


def pacemaker(path: Path) -> list[str]:
    """Pacemaker's ``crm_simulate -S -x PATH`` summary."""
    real = subprocess.run([str(PACEMAKER_CRM_SIMULATE), "-S", "-x", str(path)], capture_output=True, text=True,
                          timeout=60, check=False)
    return summary(real.stdout)
