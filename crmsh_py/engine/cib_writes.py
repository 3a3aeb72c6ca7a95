"""What the store checks and stamps on every change of a CIB: the changes it refuses (attribute
names no agent could be given, ids used twice), which ``<cib>`` attributes are configuration,
and who wrote it when.

(Split from :mod:`crmsh_py.engine.store`.)
"""

from __future__ import annotations

import os
import time

from crmsh_py import xmltree as ET
from crmsh_py.cib.attr_names import describe as describe_name
from crmsh_py.cib.attr_names import invalid_nvpair_names
from crmsh_py.errors import CommandError


def refuse_new_bad_names(root: ET.Element, before: set[str]) -> None:
    """Refuse a change that brings in an attribute name no agent could be given (``a=b``):
    CRM_EX_CONFIG like Pacemaker's schema check; names already stored stay (they can be deleted)."""
    new = sorted(invalid_nvpair_names(root.find("configuration")) - before)
    if new:
        raise CommandError(f"{describe_name(new[0])}; nothing was changed", exit_code=78)


def duplicate_ids(configuration: ET.Element | None) -> set[str]:
    """Ids used more than once in the configuration section (XML ids must be unique)."""
    seen: set[str] = set()
    dups: set[str] = set()
    for elem in configuration.iter() if configuration is not None else ():
        value = elem.get("id")
        if value is None or elem.get("id-ref") is not None:
            continue
        if value in seen:
            dups.add(value)
        seen.add(value)
    return dups


def refuse_new_duplicate_ids(root: ET.Element, before: set[str]) -> None:
    """Never write a CIB whose configuration uses an id twice (Pacemaker's schema check refuses it
    with CRM_EX_CONFIG); duplicates already stored stay (so that they can be repaired)."""
    new = sorted(duplicate_ids(root.find("configuration")) - before)
    if new:
        raise CommandError(f"id {new[0]!r} would be used twice in the configuration; nothing was changed",
                           exit_code=78)


# <cib> attributes that the store or the cluster maintain: not a user's configuration change
_RUNTIME_ATTRS = frozenset({"epoch", "num_updates", "cib-last-written", "update-origin", "update-client",
                            "update-user", "dc-uuid", "have-quorum"})


def config_attributes(root: ET.Element) -> dict[str, str]:
    """The ``<cib>`` attributes a user's change can touch (the runtime ones left out)."""
    return {k: v for k, v in root.attrib.items() if k not in _RUNTIME_ATTRS}


def ctime() -> str:
    """``Thu Nov 26 13:00:00 2026``: the format Pacemaker writes in ``cib-last-written``."""
    return time.ctime()


def user() -> str:
    """The user a write is stamped with (``update-user``)."""
    # getpass.getuser()'s answer, without importing getpass (and termios behind it) on every write
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return str(os.getuid())
