"""Creating the default bundled cluster on a machine that has none (the interactive shell's start).

Its own module, importing only the store, so that the bundled backend can reach it without
pulling in the tools (and their imports of the backends).
"""

from __future__ import annotations

from typing import TextIO

from crmsh_py.engine import facade

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping


def ensure_default_cluster(env: Mapping[str, str], notice: TextIO) -> None:
    """Create the default bundled cluster when none exists at all (see ``facade.ensure_cluster``);
    an existing cluster, even a damaged one, is left alone (CibFileError for a damaged one)."""
    facade.ensure_cluster(env, notice=notice)
