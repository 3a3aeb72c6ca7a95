"""The agents' ``CRM_SIM_ATTRS`` files (``nodes/*/rsctmp/.attrs-PID-*``) left by killed writers.

Every mutation of a bundled cluster clears them under its lock, before any agent runs; kept apart
from :mod:`crmsh_py.engine.executor` so that a change whose transition runs no agent (an unmove,
a constraint that moves nothing) does not import the executor to do it.  Plain ``os`` calls: no
``pathlib`` glob on every write.
"""

from __future__ import annotations

import os

#: name prefix of an attributes file; the writer's pid follows (``.attrs-PID-XXXX``)
ATTRS_PREFIX = ".attrs-"


def remove_stale_attr_files(nodes_dir: str | os.PathLike[str]) -> int:
    """Remove the attributes files of processes that no longer exist (a tool killed while an
    agent ran); files of live processes are kept.  Returns how many were removed."""
    removed = 0
    for rsctmp in _rsctmp_dirs(os.fspath(nodes_dir)):
        try:
            names = os.listdir(rsctmp)
        except OSError:
            continue
        for name in names:
            if not name.startswith(ATTRS_PREFIX):
                continue
            pid_text = name[len(ATTRS_PREFIX):].split("-", 1)[0]
            if pid_text.isdigit() and alive(int(pid_text)):
                continue
            try:
                os.unlink(os.path.join(rsctmp, name))
                removed += 1
            except OSError:
                pass
    return removed


def _rsctmp_dirs(nodes_dir: str) -> list[str]:
    """``nodes_dir/*/rsctmp``; as with the glob ``*``, names starting with a dot are skipped."""
    try:
        nodes = os.listdir(nodes_dir)
    except OSError:
        return []
    return [os.path.join(nodes_dir, node, "rsctmp") for node in nodes if not node.startswith(".")]


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
