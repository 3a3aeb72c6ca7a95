"""Which file holds the CIB that the bundled tools read, for readers that only look (completion)."""

from __future__ import annotations

from pathlib import Path

from crmsh_py.errors import CrmError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping


def cib_file(env: Mapping[str, str]) -> Path | None:
    """The CIB file ``cibadmin -Q`` would read in ``env`` (``CIB_file`` or the bundled cluster's
    ``cib.xml``), or None when there is none (no cluster yet, a damaged one)."""
    from crmsh_py.engine.facade import open_cluster

    try:
        return open_cluster(env, create=False).path
    except CrmError:
        return None
