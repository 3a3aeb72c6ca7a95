"""The shell's door to backend detection (``crmsh_py.lowlevel.detect``, shared with the tools)."""

from __future__ import annotations

from crmsh_py.lowlevel.detect import Choice, HostPaths, choose_backend, running_cluster

__all__ = ["Choice", "HostPaths", "choose_backend", "running_cluster"]
