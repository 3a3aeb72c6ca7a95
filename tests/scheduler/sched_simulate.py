"""Transition Summaries of one CIB file from our crm_simulate (in this process) and from Pacemaker's.

Shared by the scheduler tests that pin a scenario to fixed lines and to Pacemaker 2.1.5's own
``crm_simulate -S -x``; whitespace is normalised as the suite harness does.
"""

from __future__ import annotations

import os
from pathlib import Path

from support import reference
from support.ours import tool

PACEMAKER_CRM_SIMULATE = reference.path("crm_simulate")


def summary(output: str) -> list[str]:
    """The Transition Summary lines of a ``crm_simulate -S`` output, whitespace-normalised."""
    lines = output.split("Transition Summary:\n", 1)[1].split("\nExecuting", 1)[0].splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def ours(path: Path) -> list[str]:
    """Our ``crm_simulate -S -x PATH`` summary (the tool must succeed)."""
    done = tool(["crm_simulate", "-S", "-x", str(path)], {})
    assert done.rc == 0, done.err
    return summary(done.out)


def pacemaker(path: Path) -> list[str]:
    """Pacemaker's ``crm_simulate -S -x PATH`` summary."""
    return summary(reference.run(["crm_simulate", "-S", "-x", str(path)], env=dict(os.environ)).stdout)
