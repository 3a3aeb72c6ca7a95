"""Applying Pacemaker's v2 patchsets (``<diff format="2">``, what ``crm_diff`` makes and
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

import re
import xml.etree.ElementTree as ET

from crmsh_py.records import record

_SEGMENT = re.compile(r"^(?P<tag>[\w:.-]+)(?P<preds>(\[[^\]]*\])*)$")
_PRED = re.compile(r"\[@(?P<attr>[\w:.-]+)=(?P<q>['\"])(?P<value>.*?)(?P=q)\]")
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


def find_path(root: ET.Element, path: str) -> tuple[ET.Element | None, ET.Element | None]:
    """``(element, parent)`` addressed by an absolute path like
    ``/cib/configuration/resources/primitive[@id='dummy']`` (None when there is no such element)."""
    segments = [s for s in _split(path) if s]
    if not segments:
        return None, None
    current: ET.Element | None = root if _matches(root, segments[0]) else None
    parent: ET.Element | None = None
    for segment in segments[1:]:
        if current is None:
            return None, None
        parent = current
        current = next((child for child in current if isinstance(child.tag, str) and _matches(child, segment)), None)
    return current, parent


def _split(path: str) -> list[str]:
    """Split on ``/`` outside of ``[...]`` predicates (ids may contain slashes)."""
    out, depth, buf = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "/" and depth == 0:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out


def _matches(element: ET.Element, segment: str) -> bool:
    match = _SEGMENT.match(segment)
    if match is None or element.tag != match.group("tag"):
        return False
    return all(element.get(p.group("attr")) == p.group("value") for p in _PRED.finditer(match.group("preds")))


def apply_patch(root: ET.Element, diff: ET.Element) -> None:
    """Apply a v2 patchset to ``root`` in place; raises PatchError (nothing is guaranteed about a
    partially applied tree then: callers work on a copy inside a store mutation)."""
    if diff.tag != "diff" or diff.get("format", "1") != "2":
        raise PatchError("only v2 patchsets (<diff format=\"2\">) are supported")
    check_version(root, diff)
    placed: list[tuple[int, ET.Element]] = []
    for change in diff.findall("change"):
        operation = change.get("operation", "")
        if operation in ("create", "move"):
            _prepare_placement(root, change)
            placed.append((_position(change), change))
            continue
        handler = _HANDLERS.get(operation)
        if handler is None:
            raise PatchError(f"unknown patch operation {operation!r}")
        handler(root, change)
    for _, change in sorted(placed, key=lambda item: item[0]):
        _HANDLERS[change.get("operation", "")](root, change)


def _position(change: ET.Element) -> int:
    try:
        return int(change.get("position", "0"))
    except ValueError:
        raise PatchError(f"bad position in {change.get('operation')} {change.get('path')}") from None


def _prepare_placement(root: ET.Element, change: ET.Element) -> None:
    """First pass of a create or move: the target must exist; a moved element waits at the end."""
    element, parent = find_path(root, change.get("path", ""))
    if element is None:
        raise PatchError(f"{change.get('operation')}: no such element {change.get('path')}")
    if change.get("operation") == "move" and parent is not None:
        parent.remove(element)
        parent.append(element)


def _create(root: ET.Element, change: ET.Element) -> None:
    parent, _ = find_path(root, change.get("path", ""))
    if parent is None:
        raise PatchError(f"create: no such parent {change.get('path')}")
    children = [c for c in change if isinstance(c.tag, str)]
    position = _position(change) if change.get("position") is not None else len(parent)
    for offset, child in enumerate(children):
        parent.insert(min(position + offset, len(parent)), child)


def _delete(root: ET.Element, change: ET.Element) -> None:
    element, parent = find_path(root, change.get("path", ""))
    if element is None or parent is None:
        return  # already gone: deleting is idempotent, as in Pacemaker
    parent.remove(element)


def _modify(root: ET.Element, change: ET.Element) -> None:
    element, _ = find_path(root, change.get("path", ""))
    if element is None:
        raise PatchError(f"modify: no such element {change.get('path')}")
    for attr in change.findall("change-list/change-attr"):
        name = attr.get("name", "")
        if element is root and name in _VERSION_ATTRS:
            continue
        if attr.get("operation") == "unset":
            element.attrib.pop(name, None)
        else:
            element.set(name, attr.get("value", ""))


def _move(root: ET.Element, change: ET.Element) -> None:
    element, parent = find_path(root, change.get("path", ""))
    if element is None or parent is None:
        raise PatchError(f"move: no such element {change.get('path')}")
    parent.remove(element)
    parent.insert(min(_position(change), len(parent)), element)


_HANDLERS = {"create": _create, "delete": _delete, "modify": _modify, "move": _move}
