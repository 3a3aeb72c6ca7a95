"""Pacemaker v2 patchsets (``<diff format="2">``): building one from two ``<configuration>`` trees,
and applying one to a CIB tree.  One module, so that what the shell sends and what our
``cibadmin --patch`` applies cannot drift apart.

**Building.** Pacemaker v2 patchsets (``<diff format="2">``) computed from two ``<configuration>`` trees.

This is what ``crm_diff`` would print for the two CIBs and what ``cibadmin --patch`` applies; our
bundled engine has no ``crm_diff``, so the shell computes the patchset itself.  The changes are
written so that Pacemaker's applier gets them right: it first applies deletes and modifies in
document order (moving "moved" elements to the end of their parent for the moment), then creates
and moves sorted by their final ``position`` (an index among all children, comments included).

Elements are matched by (tag, id).  Where that cannot address a child (two id-less siblings with
the same tag, a comment that appears, disappears or moves) the parent is replaced whole: one
delete and one create, which any applier gets right.

**Applying.** Applying Pacemaker's v2 patchsets (``<diff format="2">``, what ``crm_diff`` makes and
``cibadmin --patch`` takes) to a CIB tree.

Supported changes: ``create`` (``path`` of the parent, ``position``, the new element as child),
``delete`` (``path`` of the element), ``modify`` (``change-list`` of ``change-attr`` set/unset),
``move`` (``path`` of the element, new ``position``).  Version attributes of ``<cib>``
(``admin_epoch``/``epoch``/``num_updates``) are left to the store, which bumps them itself.

As in Pacemaker, a patchset with a ``<version>`` applies only to a CIB at exactly its source
version (and must lead to a newer one); deletes and modifies go first, in order, then creates and
moves sorted by position (moved elements wait at the end of their parent meanwhile).
"""

from __future__ import annotations

import copy
from crmsh_py import xmltree as ET

from crmsh_py.cib.patch_paths import Finder
from crmsh_py.cib.patch_paths import find_path as find_path
from crmsh_py.cib.versions import Version as Version
from crmsh_py.cib.versions import next_version as next_version
from crmsh_py.cib.versions import version_of as version_of
from crmsh_py.records import field, record

# --------------------------------------------------------------------------- building

ROOT_PATH = "/cib/configuration"
_Key = tuple[str, str, int]  # (tag or "#comment", id or comment text, occurrence)


@record
class _Changes:
    """Changes collected while walking the trees, in the order they are written."""

    first: list[ET.Element] = field(default_factory=list)  # delete and modify
    placed: list[tuple[int, ET.Element]] = field(default_factory=list)  # (position, create|move)


class _Replace(Exception):
    """Raised by a child diff that cannot be expressed in place: the parent replaces it whole."""


def build_patchset(old: ET.Element, new: ET.Element, source: Version,
                   target: Version | None = None) -> ET.Element | None:
    """A ``<diff format="2">`` turning configuration ``old`` into ``new``, for a CIB at version
    ``source`` (applied elsewhere it is refused); None when the two trees are the same."""
    changes = _Changes()
    try:
        _diff(old, new, ROOT_PATH, changes)
    except _Replace:
        changes = _Changes([_change("delete", ROOT_PATH)], [(0, _create_change("/cib", 0, new))])
    if not changes.first and not changes.placed:
        return None
    diff = ET.Element("diff", {"format": "2"})
    version = ET.SubElement(diff, "version")
    for tag, numbers in (("source", source), ("target", target or next_version(source))):
        ET.SubElement(version, tag, dict(zip(("admin_epoch", "epoch", "num_updates"), map(str, numbers))))
    diff.extend(changes.first)
    # Pacemaker sorts these by position (stably) before applying them: write them that way.
    diff.extend(change for _, change in sorted(changes.placed, key=lambda item: item[0]))
    return diff


def _change(operation: str, path: str, **attrs: str) -> ET.Element:
    return ET.Element("change", {"operation": operation, "path": path, **attrs})


def _create_change(parent_path: str, position: int, element: ET.Element) -> ET.Element:
    change = _change("create", parent_path, position=str(position))
    change.append(copy.deepcopy(element))
    return change


def _step(element: ET.Element) -> str:
    ident = element.get("id")
    return f"{element.tag}[@id='{ident}']" if ident is not None else str(element.tag)


def _keys(parent: ET.Element) -> list[_Key]:
    """One key per child; raises _Replace when an id-less tag repeats (no path could tell them apart)."""
    seen: dict[tuple[str, str], int] = {}
    keys: list[_Key] = []
    for child in parent:
        if ET.is_comment(child.tag):
            base = ("#comment", child.text or "")
        elif isinstance(child.tag, str):
            base = (child.tag, child.get("id") or "")
            if not base[1] and base in seen:
                raise _Replace()
        else:
            base = ("#other", str(child.tag))
        seen[base] = seen.get(base, 0) + 1
        keys.append((*base, seen[base] - 1))
    return keys


def _diff(old: ET.Element, new: ET.Element, path: str, changes: _Changes) -> None:
    """Append to ``changes`` what turns ``old`` into ``new`` (same tag and id) at ``path``."""
    mine = _Changes()
    _modify_changes(old, new, path, mine)
    old_keys, new_keys = _keys(old), _keys(new)
    old_at = {key: i for i, key in enumerate(old_keys)}
    new_children = list(new)
    kept: list[tuple[int, int]] = []  # (new index, old index) of children matched in place
    created: list[int] = []
    for n, key in enumerate(new_keys):
        if key not in old_at:
            created.append(n)
            continue
        o = old_at[key]
        if key[0].startswith("#"):
            kept.append((n, o))
            continue
        try:
            _diff(old[o], new_children[n], f"{path}/{_step(new_children[n])}", mine)
            kept.append((n, o))
        except _Replace:
            mine.first.append(_change("delete", f"{path}/{_step(old[o])}"))
            created.append(n)
    matched = set(new_keys) & set(old_keys)
    deleted = [o for o, key in enumerate(old_keys) if key not in matched]
    in_place = _longest_increasing(kept)
    moved = [n for n, _ in kept if n not in in_place]
    if any(old_keys[o][0].startswith("#") for o in deleted) \
            or any(new_keys[n][0].startswith("#") for n in created + moved):
        raise _Replace()  # a comment cannot be addressed by a path
    for o in deleted:
        mine.first.append(_change("delete", f"{path}/{_step(old[o])}"))
    for n in created:
        mine.placed.append((n, _create_change(path, n, new_children[n])))
    for n in moved:
        mine.placed.append((n, _change("move", f"{path}/{_step(new_children[n])}", position=str(n))))
    changes.first.extend(mine.first)
    changes.placed.extend(mine.placed)


def _modify_changes(old: ET.Element, new: ET.Element, path: str, changes: _Changes) -> None:
    """A ``modify`` change for the attributes that differ (set or unset), if any."""
    if old.attrib == new.attrib:
        return
    change = _change("modify", path)
    listing = ET.SubElement(change, "change-list")
    for name, value in new.attrib.items():
        if old.get(name) != value:
            ET.SubElement(listing, "change-attr", {"name": name, "operation": "set", "value": value})
    for name in old.attrib:
        if name not in new.attrib:
            ET.SubElement(listing, "change-attr", {"name": name, "operation": "unset"})
    result = ET.SubElement(change, "change-result")
    ET.SubElement(result, str(new.tag), dict(new.attrib))
    changes.first.append(change)


def _longest_increasing(pairs: list[tuple[int, int]]) -> set[int]:
    """New indices of the largest set of ``(new, old)`` pairs whose old order is already right:
    those stay where they are, the others are moved.

    Of several such sets, the one a plain quadratic search finds (each pair continues the longest
    chain before it, the earliest on ties; the chain ending first among the longest wins), so the
    patch does not depend on how it is computed; a prefix-maximum tree over the old positions
    finds it in n log n (<resources> may well have 10,000 children)."""
    if not pairs:
        return set()
    olds = [old for _, old in pairs]
    if all(a < b for a, b in zip(olds, olds[1:])):
        return {new for new, _ in pairs}  # nothing moved: the usual case
    rank = {old: r for r, old in enumerate(sorted(olds), start=1)}
    size = len(olds)
    none = (0, 1)  # below every (length, -index) of a real chain
    tree = [none] * (size + 1)  # Fenwick tree: prefix maximum of (chain length, -index) by old rank
    best = [1] * size
    back = [-1] * size
    for i, old in enumerate(olds):
        top, r = none, rank[old] - 1
        while r > 0:
            if tree[r] > top:
                top = tree[r]
            r -= r & -r
        if top[0]:
            best[i], back[i] = top[0] + 1, -top[1]
        item, r = (best[i], -i), rank[old]
        while r <= size:
            if item > tree[r]:
                tree[r] = item
            r += r & -r
    i = max(range(size), key=best.__getitem__)
    chosen: set[int] = set()
    for _step in range(size):
        if i == -1:
            break
        chosen.add(pairs[i][0])
        i = back[i]
    return chosen


# --------------------------------------------------------------------------- applying

_VERSION_ATTRS = ("admin_epoch", "epoch", "num_updates")


@record
class PatchError(Exception):
    """A patch that cannot be applied: ``text`` says which change and why."""

    text: str

    def __str__(self) -> str:
        return self.text


@record
class PatchVersionError(PatchError):
    """The patchset was made for another CIB version: ``older`` when the CIB is already newer
    than its source (Pacemaker: "Update was older than existing configuration")."""

    older: bool = True


def check_version(root: ET.Element, diff: ET.Element) -> None:
    """Refuse a versioned patchset whose source is not ``root``'s version (or that changes nothing)."""
    source, target = diff.find("version/source"), diff.find("version/target")
    if source is None or target is None:
        return
    current = [_number(root.get(name)) for name in _VERSION_ATTRS]
    wanted = [_number(source.get(name)) for name in _VERSION_ATTRS]
    for have, want in zip(current, wanted):
        if have != want:
            raise PatchVersionError(f"CIB version {_dotted(current)} is not the patch's source "
                                    f"{_dotted(wanted)}", older=have > want)
    if [_number(target.get(name)) for name in _VERSION_ATTRS] <= wanted:
        raise PatchVersionError(f"the patch does not raise the version {_dotted(wanted)}")


def _number(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


def _dotted(numbers: list[int]) -> str:
    return ".".join(map(str, numbers))


def apply_patch(root: ET.Element, diff: ET.Element) -> None:
    """Apply a v2 patchset to ``root`` in place; raises PatchError (nothing is guaranteed about a
    partially applied tree then: callers work on a copy inside a store mutation).  Linear in the
    size of the patch: paths are looked up through a :class:`~crmsh_py.cib.patch_paths.Finder`."""
    if diff.tag != "diff" or diff.get("format", "1") != "2":
        raise PatchError("only v2 patchsets (<diff format=\"2\">) are supported")
    check_version(root, diff)
    finder = Finder(root)
    placed: list[tuple[int, ET.Element]] = []
    for change in diff.findall("change"):
        operation = change.get("operation", "")
        if operation in ("create", "move"):
            _prepare_placement(finder, change)
            placed.append((_position(change), change))
            continue
        handler = _HANDLERS.get(operation)
        if handler is None:
            raise PatchError(f"unknown patch operation {operation!r}")
        handler(finder, change)
    for _, change in sorted(placed, key=lambda item: item[0]):
        _HANDLERS[change.get("operation", "")](finder, change)


def _position(change: ET.Element) -> int:
    try:
        return int(change.get("position", "0"))
    except ValueError:
        raise PatchError(f"bad position in {change.get('operation')} {change.get('path')}") from None


def _prepare_placement(finder: Finder, change: ET.Element) -> None:
    """First pass of a create or move: the target must exist; a moved element waits at the end."""
    element, parent = finder.find(change.get("path", ""))
    if element is None:
        raise PatchError(f"{change.get('operation')}: no such element {change.get('path')}")
    if change.get("operation") == "move" and parent is not None:
        parent.remove(element)
        parent.append(element)  # (the same children: the finder's index stays right)


def _create(finder: Finder, change: ET.Element) -> None:
    parent, _ = finder.find(change.get("path", ""))
    if parent is None:
        raise PatchError(f"create: no such parent {change.get('path')}")
    children = [c for c in change if isinstance(c.tag, str)]
    position = _position(change) if change.get("position") is not None else len(parent)
    for offset, child in enumerate(children):
        parent.insert(min(position + offset, len(parent)), child)
        finder.inserted(parent, child)


def _delete(finder: Finder, change: ET.Element) -> None:
    element, parent = finder.find(change.get("path", ""))
    if element is None or parent is None:
        return  # already gone: deleting is idempotent, as in Pacemaker
    parent.remove(element)
    finder.removed(parent, element)


def _modify(finder: Finder, change: ET.Element) -> None:
    element, parent = finder.find(change.get("path", ""))
    if element is None:
        raise PatchError(f"modify: no such element {change.get('path')}")
    root = finder.root
    for attr in change.findall("change-list/change-attr"):
        name = attr.get("name", "")
        if element is root and name in _VERSION_ATTRS:
            continue
        if attr.get("operation") == "unset":
            element.attrib.pop(name, None)
        else:
            element.set(name, attr.get("value", ""))
        if name == "id":
            finder.renamed(parent)


def _move(finder: Finder, change: ET.Element) -> None:
    element, parent = finder.find(change.get("path", ""))
    if element is None or parent is None:
        raise PatchError(f"move: no such element {change.get('path')}")
    parent.remove(element)
    parent.insert(min(_position(change), len(parent)), element)  # (the same children again)


_HANDLERS = {"create": _create, "delete": _delete, "modify": _modify, "move": _move}
