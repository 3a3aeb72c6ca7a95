"""Our tools share Pacemaker's names; this keeps them out of Pacemaker's way.

A console script (``crm_mon``, ``crmadmin``, ...) first chooses its backend exactly as ``crm``
does (``crmsh_py.lowlevel.detect``).  When the answer is Pacemaker (a cluster runs here, or
``CIB_file`` is set and Pacemaker's tools are installed) it replaces itself with Pacemaker's tool
of the same name from ``/usr/sbin`` (``exec``: same argv, same streams, same exit code), so crmsh,
pcs or a script that finds ours first on ``PATH`` gets Pacemaker's answer.  Only the bundled
backend runs our implementation.
"""

from __future__ import annotations

import os
import sys

from crmsh_py.lowlevel import exitcodes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

# Our tools that have no Pacemaker counterpart: always ours.
OURS_ONLY = frozenset({"crm_engine"})


def pacemaker_target(tool: str, env: Mapping[str, str], self_path: str) -> tuple[str | None, str]:
    """Where to hand ``tool`` over to: (path of Pacemaker's tool or None, why).

    ``(None, "")`` means "run ours"; ``(None, message)`` means Pacemaker is chosen but its tool
    cannot be run (not installed, or the only one found is ourselves).
    """
    from crmsh_py.lowlevel.detect import choose_backend

    if tool in OURS_ONLY:
        return None, ""
    choice = choose_backend(env)
    if choice.kind != "pacemaker":
        if choice.notice:
            sys.stderr.write(f"{tool}: info: {choice.message()}\n")
        return None, ""
    from crmsh_py.lowlevel.detect import bindirs, find_tool

    path = find_tool(tool, env)
    if path is None:
        return None, (f"{tool}: {choice.reason}, but Pacemaker's {tool} is not installed in "
                      f"{':'.join(bindirs(env))} (CRM_BACKEND=bundled runs crmsh_py's own)")
    if os.path.realpath(path) == os.path.realpath(self_path):
        return None, f"{tool}: {path} is crmsh_py's own tool; set CRM_PACEMAKER_BINDIR to Pacemaker's"
    return path, choice.reason


def hand_over(tool: str, args: list[str]) -> int | None:
    """Exec Pacemaker's ``tool`` with ``args`` when the backend is Pacemaker; returns only when it
    is not (None: run ours) or when Pacemaker's tool cannot be run (an exit code)."""
    path, why = pacemaker_target(tool, os.environ, sys.argv[0] if sys.argv else "")
    if path is None:
        if why:
            sys.stderr.write(why + "\n")
            return exitcodes.CRM_EX_NOT_INSTALLED
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(path, [tool, *args])
    except OSError as error:
        sys.stderr.write(f"{tool}: cannot run {path}: {error.strerror}\n")
        return exitcodes.CRM_EX_NOT_INSTALLED
    return None  # pragma: no cover - execv does not return
