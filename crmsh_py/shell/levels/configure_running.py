"""``configure delete`` of a running resource: refused unless forced, as crmsh does.

Deleting a running resource from the configuration leaves it running as an orphan until the
cluster stops it; crmsh refuses ("resource X is running, can't delete it") on the live CIB.
With ``-f``/``--force`` (or ``crm -F``) it first stops the running ones (target-role=Stopped),
waits for the cluster to settle, then deletes.  Groups are exempt (deleting a group keeps its
members), and so are unmanaged resources and anything on a shadow CIB or ``CIB_file``.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd

if TYPE_CHECKING:
    from crmsh_py.session import Session

FORCE_WORDS = ("-f", "--force")
_CHECKED_TAGS = ("primitive", "clone", "master", "bundle")


def split_force(args: list[str]) -> tuple[list[str], bool]:
    """The ids of ``delete``'s arguments, and whether ``-f``/``--force`` was among them."""
    return [a for a in args if a not in FORCE_WORDS], any(a in FORCE_WORDS for a in args)


def _live(session: Session) -> bool:
    return session.shadow is None and not session.env.get("CIB_file")


def _managed_resource(root: ET.Element, ident: str) -> bool:
    """True when ``ident`` is a primitive/clone/bundle in the CIB's resources that is managed."""
    resources = root.find("configuration/resources")
    if resources is None:
        return False
    for element in resources.iter():
        if element.get("id") != ident:
            continue
        if element.tag not in _CHECKED_TAGS:
            return False
        for meta in element.findall("meta_attributes/nvpair"):
            if meta.get("name") == "is-managed" and meta.get("value", "").lower() in ("false", "no", "off", "0"):
                return False
        return True
    return False


def running(session: Session, root: ET.Element, ids: list[str]) -> list[str]:
    """Those of ``ids`` that are managed resources running now (``crm_resource --locate``)."""
    found = []
    for ident in ids:
        if not _managed_resource(root, ident):
            continue
        result = session.run(Cmd("crm_resource").flag("--locate").opt("-r", ident))
        said = result.stdout + result.stderr
        if result.rc == 0 and "is running" in said and "NOT" not in said:
            found.append(ident)
    return found


def guard_delete(session: Session, args: list[str]) -> list[str]:
    """The ids to delete; refuses running ones unless forced, in which case they are stopped first."""
    from crmsh_py.shell.levels.configure_state import take, working

    ids, force = split_force(args)
    if not _live(session):
        return ids
    wc = working(session)
    busy = running(session, wc.root, ids)
    if not busy:
        return ids
    if not (force or session.force):
        raise CommandError(f"resource {busy[0]} is running, can't delete it "
                           "(`delete --force` stops it first)")
    _stop(session, busy)
    session.working = take(session)
    return ids


def _stop(session: Session, names: list[str]) -> None:
    """Commit pending changes (as crmsh does), stop ``names``, wait for the cluster to settle."""
    from crmsh_py.shell.levels.configure_commit import commit
    from crmsh_py.shell.settle_wait import wait_for_settle

    if session.working is not None and session.working.dirty:
        commit(session)
    for name in names:
        session.quiet(Cmd("crm_resource").flag("--meta").opt("-r", name).flag("-p", "target-role", "-v", "Stopped"))
    wait_for_settle(session, f"Stopping {', '.join(names)}")
