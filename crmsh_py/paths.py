"""Where crmsh_py keeps a user's files (the XDG base directories) and which bundled cluster the
environment selects.  Below every layer: any part may import it, and it imports nothing of ours.

Everything takes the environment it should read (a tool's ``env``, never a global), so a test or a
``CIB_file`` run sees only what it was given.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "crmsh_py"
# XDG base directory variables and their defaults below $HOME
_BASES = {
    "state": ("XDG_STATE_HOME", (".local", "state")),
    "config": ("XDG_CONFIG_HOME", (".config",)),
    "cache": ("XDG_CACHE_HOME", (".cache",)),
}


def user_dir(env: Mapping[str, str], kind: str) -> str:
    """``$XDG_<KIND>_HOME/crmsh_py`` (``state``, ``config`` or ``cache``), with the XDG default
    under ``$HOME`` when the variable is unset or empty."""
    variable, default = _BASES[kind]
    base = env.get(variable) or os.path.join(env.get("HOME") or os.path.expanduser("~"), *default)
    return os.path.join(base, APP)


def cluster_dir(env: Mapping[str, str]) -> str:
    """The bundled cluster's directory: ``CRM_CLUSTER_DIR``, else ``$XDG_STATE_HOME/crmsh_py/cluster``."""
    return env.get("CRM_CLUSTER_DIR") or os.path.join(user_dir(env, "state"), "cluster")
