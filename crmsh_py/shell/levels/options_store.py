"""Where user options live: ``$XDG_CONFIG_HOME/crmsh_py/options.yaml``.

yaml is imported only when the file exists (one-shots without saved options skip it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from crmsh_py.errors import CommandError


def options_path(env: Mapping[str, str]) -> str:
    """The options file for this user."""
    base = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return os.path.join(base, "crmsh_py", "options.yaml")


def load_options(env: Mapping[str, str]) -> dict[str, str]:
    """Saved options (empty when there is no file); a broken file is an error, not a crash."""
    path = options_path(env)
    if not os.path.exists(path):
        return {}
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: cannot read options: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path}: options must be a mapping")
    return {str(k): str(v) for k, v in data.items()}


def save_options(env: Mapping[str, str], options: Mapping[str, str]) -> str:
    """Write ``options`` to the options file (atomically); returns its path."""
    import yaml

    path = options_path(env)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        yaml.safe_dump(dict(options), handle, default_flow_style=False, sort_keys=True)
    os.replace(tmp, path)
    return path
