"""``commit``: write the working copy to the CIB as a patch against the version it was read at.

Like crmsh, the default is a Pacemaker v2 patchset (``cibadmin --patch --xml-pipe``) holding only
what changed between the configuration the working copy was taken from and the working copy;
elements the user did not touch keep the XML they were read with, so the patch says nothing about
them.  ``commit replace`` sends the whole configuration section instead, inside a ``<cib>`` that
carries the version read (``cibadmin --replace --xml-pipe``: the version is checked again at write
time, under the lock); ``commit replace force`` sends it unversioned
(``cibadmin --replace --scope configuration --xml-pipe``), as crmsh does.

Before either, the live CIB is read again: when its ``admin_epoch``/``epoch`` moved since the copy
was taken, someone else changed the configuration and the commit is refused (naming what they
changed) unless forced.  The patch's source version is the one just read, so Pacemaker (and our
bundled ``cibadmin``) also refuse it if the CIB changes between that read and the patch.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.collector import without_gc
from crmsh_py.errors import CommandError, ValidationError, ValidationErrors
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.levels.configure_state import (
    WorkingCopy,
    as_crmsh_lists,
    effective_id,
    read_live,
    report_unreadable,
    take,
    validation_errors,
    show_warnings,
    verify_cib,
    working,
)

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session

CRM_EX_OLD = 103  # cibadmin: "Update was older than existing configuration"
CONFLICT = "commit-conflict"  # CommandError.code of a refusal because the CIB moved on
PATCH_ATTEMPTS = 3  # status updates (num_updates) may slip in between our read and the patch


def xml_id(element: "Element") -> str | None:
    """The ``id`` attribute an element gets in the CIB (None for the id-less fencing topology)."""
    from crmsh_py.cib.model import FencingTopology, Node

    if isinstance(element, Node):
        from crmsh_py.cib import ids

        return element.node_id or ids.node_id(element.id)
    if isinstance(element, FencingTopology):
        return None
    return effective_id(element)


def configuration_to_commit(wc: WorkingCopy, changed: list[bool] | None = None) -> ET.Element:
    """The working copy as ``<configuration>``: regenerated XML for what changed, the XML read
    from the CIB for everything else (so a commit does not rewrite what nobody touched).
    ``changed``: ``wc.changed_flags()`` when the caller has them already."""
    new = wc.configuration_xml()
    base = wc.root.find("configuration")
    if base is None:
        return new
    model_ids = {i for i in map(xml_id, wc.elements) if i is not None}
    changed = wc.changed_flags() if changed is None else changed
    unchanged = {xml_id(e) for e, different in zip(wc.elements, changed) if not different}
    originals = {x.get("id"): x for x in base.iter() if isinstance(x.tag, str) and x.get("id") in model_ids}
    for section in new:
        _graft(section, originals, unchanged, model_ids)
    _freed_last(new, wc.freed)
    return _arrange_sections(new, base)


def _freed_last(configuration: ET.Element, freed: list[tuple[str, frozenset[str]]]) -> None:
    """Resources taken out of their container in this session where crmsh's CIB has them: each
    appended to ``<resources>`` when freed, so after every resource there was then and before
    those made since."""
    resources = configuration.find("resources")
    if resources is None or not freed:
        return
    wanted = {ident for ident, _ in freed}
    pulled = {c.get("id"): c for c in resources if c.get("id") in wanted}  # (top-level now, not regrouped)
    for taken in pulled.values():
        resources.remove(taken)
    for ident, then in freed:
        element = pulled.get(ident)
        if element is None:
            continue
        children = list(resources)
        newer = next((i for i, c in enumerate(children) if c.get("id") not in then), len(children))
        resources.insert(newer, element)


def _graft(parent: ET.Element, originals: dict[str | None, ET.Element], unchanged: set[str | None],
           model_ids: set[str]) -> None:
    """Swap unchanged model elements under ``parent`` for their original XML (depth first, so a
    group keeps its original XML around members that may have changed)."""
    for position, child in enumerate(list(parent)):
        ident = child.get("id") if isinstance(child.tag, str) else None
        if ident not in model_ids:
            continue
        _graft(child, originals, unchanged, model_ids)
        original = originals.get(ident)
        if ident in unchanged and original is not None and original.tag == child.tag:
            parent[position] = _with_members(original, child, model_ids)


def _with_members(original: ET.Element, new: ET.Element, model_ids: set[str]) -> ET.Element:
    """A copy of ``original`` whose member resources are the ones of ``new`` (same ids, in order)."""
    import copy  # here: `configure show` reaches this module and needs no copies

    kept = copy.deepcopy(original)
    slots = [i for i, c in enumerate(kept) if isinstance(c.tag, str) and c.get("id") in model_ids]
    members = [c for c in new if isinstance(c.tag, str) and c.get("id") in model_ids]
    if [kept[i].get("id") for i in slots] != [m.get("id") for m in members]:
        return new  # not really unchanged after all: use what the model says
    for slot, member in zip(slots, members):
        kept[slot] = member
    return kept


def _arrange_sections(new: ET.Element, base: ET.Element) -> ET.Element:
    """Sections in the order the CIB had them; empty sections and comments it had stay, and so do
    sections whose elements were all deleted (empty)."""
    fresh = {s.tag: s for s in new if isinstance(s.tag, str)}
    result = ET.Element(new.tag, dict(base.attrib))
    for child in base:
        if child.tag in fresh:
            result.append(fresh.pop(child.tag))
        elif ET.is_comment(child.tag) or (isinstance(child.tag, str) and len(child) == 0):
            import copy

            result.append(copy.deepcopy(child))
        elif isinstance(child.tag, str) and child.tag != "fencing-topology":
            # emptied: crmsh takes its elements out and the section stays (the fencing topology
            # is one element, the section itself: it goes)
            result.append(ET.Element(child.tag, dict(child.attrib)))
    result.extend(fresh.values())
    return result


def conflict_message(base: ET.Element, live: ET.Element) -> str:
    """Why a commit is refused: the CIB moved on since the working copy was taken, and how."""
    from crmsh_py.cib.diff import diff
    from crmsh_py.cib.patch import version_of

    old_conf, new_conf = base.find("configuration"), live.find("configuration")
    detail = ""
    if old_conf is not None and new_conf is not None:
        ids = diff(old_conf, new_conf).ids()
        said = [f"{how} {', '.join(found)}" for how, found in ids.items() if found]
        if said:
            detail = f"; meanwhile: {'; '.join(said)}"
    epochs = (".".join(map(str, version_of(base)[:2])), ".".join(map(str, version_of(live)[:2])))
    return (f"the CIB changed since this working copy was taken (epoch {epochs[0]} → {epochs[1]}"
            f"{detail}); `commit force` applies the changes anyway, `refresh` starts over")


def _prospective(live: ET.Element, configuration: ET.Element, patch: ET.Element | None,
                 as_read: bool) -> ET.Element:
    """The CIB the commit would produce, for crm_verify (which only reads it): ``live`` with
    ``configuration`` in place of its own, sharing their parts, for a replace or when ``live``'s
    configuration is the one the working copy was read from (``as_read``: the patch made from it
    gives ``configuration`` itself); otherwise the patch applied to a copy of ``live``."""
    if patch is None or as_read:
        result = ET.Element(live.tag, dict(live.attrib))
        result.extend(configuration if child.tag == "configuration" else child for child in live)
        if live.find("configuration") is None:
            result.insert(0, configuration)
        return result
    import copy

    from crmsh_py.cib.patch import PatchError, apply_patch

    result = copy.deepcopy(live)
    try:
        apply_patch(result, copy.deepcopy(patch))
    except PatchError as error:
        raise CommandError(f"the changes do not apply to the current CIB ({error}); "
                           "`refresh` and make them again, or `commit replace force`") from None
    return result


# <cib> attributes the cluster maintains: never sent back with a replace (they may have moved on)
_LIVE_ONLY = frozenset({"dc-uuid", "have-quorum", "cib-last-written", "update-origin", "update-client",
                        "update-user"})


def versioned_configuration(live: ET.Element, configuration: ET.Element) -> ET.Element:
    """``<cib admin_epoch= epoch= num_updates= ...>`` of the version read, holding ``configuration``
    only (no status: the cluster's state is not ours to send back)."""
    attrs = {k: v for k, v in live.attrib.items() if k not in _LIVE_ONLY}
    cib = ET.Element("cib", attrs)
    import copy

    cib.append(copy.deepcopy(configuration))
    return cib


@without_gc  # a large commit makes a great many acyclic objects: see crmsh_py.collector
def commit(session: "Session", force: bool = False, replace: bool = False, keep_working: bool = True,
           checked: list[ValidationError] | None = None) -> None:
    """Write the working copy to the CIB (a patchset, or the whole configuration with ``replace``).

    ``keep_working=False`` (leaving the level) skips taking a fresh working copy afterwards;
    ``checked``: the working copy's validation errors, when the caller knows them already.
    """
    from crmsh_py.cib import dump
    from crmsh_py.cib.patch import build_patchset, version_of  # here: a read-only one-shot commits nothing
    from crmsh_py.cib.xml_handoff import XmlInput

    wc = working(session)
    if not wc.dirty:
        session.info("apparently there is nothing to commit")
        session.info("try changing something first")
        return
    forced = force or session.force
    errors = validation_errors(wc.elements) if checked is None else checked
    if errors:
        raise ValidationErrors(errors)
    changed = wc.changed_flags()
    configuration = configuration_to_commit(wc, changed)
    base = wc.root.find("configuration")
    for attempt in range(PATCH_ATTEMPTS):
        live = read_live(session)
        as_read = version_of(live)[:2] == version_of(wc.root)[:2]
        if not as_read and not forced:
            raise CommandError(conflict_message(wc.root, live), code=CONFLICT)
        patch = None if replace or base is None else build_patchset(base, configuration, version_of(live))
        if patch is None and not replace:
            break  # the working copy differs only in ways the CIB does not show
        if attempt == 0 and configuration.find(".//primitive") is not None:
            # crmsh checks nothing for a configuration without primitives (nothing to run):
            # otherwise crm_verify on the whole, then its own checks of the changed elements
            from crmsh_py.shell.levels.configure_sanity import warn
            from crmsh_py.shell.levels.verify_report import refuse_or_force, report

            prospective = _prospective(live, configuration, patch, as_read)
            ok, said = verify_cib(session, as_crmsh_lists(wc, prospective))
            if ok:
                show_warnings(session, said)
            else:
                report(session, said)
            if not warn(session, wc.changed_ids(changed)) or not ok:
                refuse_or_force(session, forced, "" if ok else said)  # a forced (or confirmed) one goes on
                forced = True
        if patch is not None:
            cmd, payload = Cmd("cibadmin").flag("--patch"), patch
        elif forced:
            cmd, payload = Cmd("cibadmin").flag("--replace", "--scope", "configuration"), configuration
        else:
            # a whole <cib> carrying the version just checked: cibadmin compares it again under
            # the CIB's lock, so a change made after our check is never silently reverted
            cmd, payload = Cmd("cibadmin").flag("--replace"), versioned_configuration(live, configuration)
        cmd.flag("--xml-pipe")
        if forced:
            cmd.flag("--force")
        # a patch or a versioned <cib> is made afresh for each attempt, so the tool may have it
        # (handed over as a tree when the tool runs in-process); ``configuration`` is kept as text
        result = session.run(cmd, stdin=dump(payload) if payload is configuration else XmlInput(payload))
        if result.rc == 0:
            break
        if result.rc != CRM_EX_OLD or attempt == PATCH_ATTEMPTS - 1:
            refused(session, result.rc, result.stdout, result.stderr)
        # only num_updates moved (a status update): read again and retry; an epoch change is
        # caught by the check above on the next round
    if keep_working:
        session.working = take(session)
    else:  # crmsh reads the CIB again after a commit, whatever comes next
        report_unreadable(session, wc.elements)
        session.working = None


def refused(session: "Session", rc: int, stdout: str, stderr: str) -> None:
    """The CIB refused the commit: cibadmin's own words as it wrote them, then stop.

    crmsh 4.4.1 lets cibadmin write to the terminal and ends there (its report of the failure
    raises an error of its own): the exit code is 1, the rest of a batch is not read and what was
    pending is not committed again on the way out.  An interactive session carries on."""
    text = stderr or stdout or f"cibadmin failed with exit code {rc}\n"
    session.err.write(text if text.endswith("\n") else text + "\n")
    if session.mode == "batch":
        session.working = None
        session.quit_requested = True
    raise CommandError(text.strip(), shown=True)


# --------------------------------------------------------------------------- the level's hooks


def on_enter(session: "Session") -> None:
    """Entering configure takes a working copy (unless one is already held)."""
    working(session)


def on_leave(session: "Session", how: str) -> None:
    """Leaving: one-shots and batches commit (as crmsh does); interactive asks; abort drops."""
    wc = session.working
    if wc is None or how == "abort" or not wc.dirty:
        session.working = None
        return
    if how == "oneshot":
        # the line's one command ran on this working copy just now: a load's own validation
        # (recorded with the very elements it left) holds, as nothing could change them since
        commit(session, keep_working=False, checked=wc.checked_errors())
    elif how == "batch":
        commit(session, keep_working=False)
    elif how == "interactive" and session.ask is not None:
        if session.ask("There are changes pending. Do you want to commit them (y/n)?"):
            commit(session, keep_working=False)
    else:
        raise CommandError("there are uncommitted changes in configure: `commit` them or "
                           "`refresh` to drop them")
    session.working = None
