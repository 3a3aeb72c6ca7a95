"""Commands that edit the CIB the way crmsh does (read it, change it, write back the difference).

crmsh implements ``resource maintenance``, ``node maintenance``, ``resource trace`` and friends by
editing its copy of the CIB and committing the difference.  We do the same through the low-level
tools only: ``cibadmin -Ql`` reads the CIB, the edit runs on a copy of ``<configuration>``, and
``cibadmin -p -P`` (``--xml-pipe --patch``) applies a v2 patchset made against the epoch that was read (so a
concurrent writer makes the patch fail instead of being overwritten).  ``-R`` shows both lines, and
the same argv works on the bundled engine and on real Pacemaker.
"""

from __future__ import annotations

import copy
from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.cib.patch import build_patchset, version_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session

CRM_EX_OLD = 103  # cibadmin: the CIB moved on between our read and the patch
ATTEMPTS = 5  # re-reads when only a status update raced us


def read_cib(session: "Session") -> ET.Element:
    """The whole CIB (``cibadmin -Ql``, as crmsh reads it) as an element; an unreadable answer is
    a CommandError."""
    out = session.check(Cmd("cibadmin").flag("-Ql")).stdout
    try:
        return ET.fromstring(out)
    except ET.ParseError as error:
        raise CommandError(f"cibadmin -Q did not return XML: {error}") from None


def edit_configuration(session: "Session", change: Callable[[ET.Element], None]) -> bool:
    """Apply ``change`` (which edits a ``<cib>`` copy in place) to the CIB; False when it changed
    nothing.  ``change`` may raise CommandError: then nothing is written."""
    from crmsh_py.cib import dump

    for attempt in range(ATTEMPTS):
        live = read_cib(session)
        new = copy.deepcopy(live)
        change(new)
        old_conf, new_conf = live.find("configuration"), new.find("configuration")
        if old_conf is None or new_conf is None:
            raise CommandError("the CIB has no configuration section")
        patch = build_patchset(old_conf, new_conf, version_of(live))
        if patch is None:
            return False
        result = session.run(Cmd("cibadmin").flag("-p", "-P"), stdin=dump(patch))  # crmsh's spelling
        if result.rc == 0:
            return True
        if result.rc != CRM_EX_OLD or attempt == ATTEMPTS - 1:
            raise CommandError(result.stderr.strip() or result.stdout.strip()
                               or f"cibadmin failed with exit code {result.rc}")
    return False  # pragma: no cover - the loop returns or raises


def ask(session: "Session", question: str) -> bool:
    """crmsh's yes/no question about an implicit change: ``-F`` answers yes and says so
    (``INFO: QUESTION [YES]``); with no one to ask the answer is no (nothing extra is removed)."""
    if session.force:
        session.info(f"{question} [YES]")
        return True
    if session.ask is None or session.mode != "interactive":
        return False
    return session.ask(question)


# ---------------------------------------------------------------------- small XML helpers


def find_by_id(root: ET.Element, ident: str) -> ET.Element | None:
    """The element with ``id`` ``ident`` under ``<configuration>``, or None."""
    conf = root.find("configuration")
    if conf is None:
        return None
    for element in conf.iter():
        if element.get("id") == ident:
            return element
    return None


def parent_map(root: ET.Element) -> dict[ET.Element, ET.Element]:
    """child → parent for every element under ``root`` (ElementTree has no parent pointers)."""
    return {child: parent for parent in root.iter() for child in parent}


def all_ids(root: ET.Element) -> set[str]:
    """Every id used in the CIB (new ids must avoid them)."""
    return {e.get("id") or "" for e in root.iter() if e.get("id")}


def unique_id(root: ET.Element, wanted: str, reserved: set[str] | frozenset[str] = frozenset()) -> str:
    """``wanted``, or ``wanted-0``, ``wanted-1``... when it is taken (crmsh's scheme).  ``reserved``:
    ids that count as taken although no longer in ``root`` (crmsh does not reuse the id of an
    element removed earlier in the same change)."""
    taken = all_ids(root) | reserved
    if wanted not in taken:
        return wanted
    for number in range(len(taken) + 1):
        candidate = f"{wanted}-{number}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: fewer ids than candidates")  # pragma: no cover


def nvpair_in(attr_set: ET.Element, name: str) -> ET.Element | None:
    """The ``<nvpair name=NAME>`` directly in an attribute set, or None."""
    for nvpair in attr_set.findall("nvpair"):
        if nvpair.get("name") == name:
            return nvpair
    return None


def set_nvpair(root: ET.Element, owner: ET.Element, set_tag: str, name: str, value: str,
               new_set_id: str | None = None, reserved: set[str] | frozenset[str] = frozenset(),
               first: bool = False) -> None:
    """Set ``name=value`` in ``owner``'s ``set_tag`` sets as crmsh does: every existing pair is
    updated; with none, every set gets one; with no set, one is made (id ``new_set_id``, by
    default ``OWNER-SET_TAG``; ``first``: as the owner's first child, where crmsh keeps a clone's)."""
    sets = owner.findall(set_tag)
    found = [p for s in sets for p in s.findall("nvpair") if p.get("name") == name]
    for nvpair in found:
        nvpair.set("value", value)
    if found:
        return
    if not sets:
        wanted = new_set_id or f"{owner.get('id')}-{set_tag}"
        new_set = ET.Element(set_tag, {"id": unique_id(root, wanted, reserved)})
        owner.insert(0 if first else len(owner), new_set)
        sets = [new_set]
    for attr_set in sets:
        ET.SubElement(attr_set, "nvpair", {"id": unique_id(root, f"{attr_set.get('id')}-{name}", reserved),
                                           "name": name, "value": value})


def drop_empty_sets(element: ET.Element, set_tag: str) -> None:
    """Remove ``set_tag`` children of ``element`` left without any nvpair (crmsh does)."""
    for attr_set in element.findall(set_tag):
        if attr_set.find("nvpair") is None and attr_set.find("rule") is None:
            element.remove(attr_set)
