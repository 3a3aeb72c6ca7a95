"""CIB documents on disk for the store: read, version bumps, atomic writes, node entries.

Parsing and serialising go through ``crmsh_py.cib.load``/``dump`` (comments survive); this module
adds what only the store needs: the version counters, the crash-safe write, the skeleton of a new
cluster's CIB.
"""

from __future__ import annotations

import os
import sys

from crmsh_py import xmltree as ET

from crmsh_py.cib import dump, load
from crmsh_py.cib.serialize import to_bytes
from crmsh_py.engine.definition import ClusterDefinition, NodeDef
from crmsh_py.engine.definition import definition_from_cib as definition_from_cib
from crmsh_py.errors import CibFileError
from crmsh_py.records import record
from crmsh_py.tempfiles import make_temp_file

#: a file name as the store passes it (a str; callers may pass a ``pathlib.Path``): paths are
#: handled with ``os.path`` here, since ``pathlib`` (with ``urllib.parse`` and ``ipaddress``
#: behind it) costs every one-shot that writes the CIB some milliseconds
PathName = str | os.PathLike[str]

CRM_FEATURE_SET = "3.16.1"
VALIDATE_WITH = "pacemaker-3.9"
PERMISSION_DENIED = "Permission denied"
PERMISSION_HINT = "check the permissions of the file and its directory, or run as their owner"
_CONFIG_SECTIONS = ("crm_config", "nodes", "resources", "constraints")
_TMP_PREFIX = "."
_TMP_SUFFIX = ".tmp"
_HINT = ("repair it by hand (it is XML), restore a backup, or move it away and let "
         "'crm cluster init' create a new one")


def is_permission_problem(error: CibFileError) -> bool:
    """True when ``error`` says the file could not be read for lack of permission: not damage, so
    no repair must be advised (a repair would discard a perfectly good file)."""
    return error.text == PERMISSION_DENIED


def parse_cib(text: str, path: str) -> ET.Element:
    """Parse CIB text into ``<cib>``; CibFileError names the file, line/column and a hint."""
    try:
        root = load(text, path)
    except CibFileError as exc:
        raise CibFileError(path, exc.text, exc.hint or _HINT) from None
    for attr in ("epoch", "num_updates", "admin_epoch"):
        value = root.get(attr, "0")
        if not value.lstrip("-").isdigit():
            raise CibFileError(path, f"<cib {attr}=\"{value}\"> is not a number", _HINT)
    return root


def read_cib(path: PathName) -> ET.Element:
    """Read and parse the CIB at ``path`` (CibFileError when missing, unreadable or malformed)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise CibFileError(str(path), "No such file or directory",
                           "create one with 'cibadmin --empty > FILE' or 'crm cluster init'") from None
    except PermissionError:
        raise CibFileError(str(path), PERMISSION_DENIED, PERMISSION_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CibFileError(str(path), str(getattr(exc, "strerror", None) or exc), _HINT) from None
    if not text.strip():
        raise CibFileError(str(path), "the file is empty", _HINT)
    return parse_cib(text, str(path))


def dump_cib(root: ET.Element) -> str:
    """Serialise ``<cib>`` (two-space indented, no XML declaration, trailing newline)."""
    text = dump(root)
    return text if text.endswith("\n") else text + "\n"


def bump_epoch(root: ET.Element) -> None:
    """A configuration change: ``epoch`` + 1, ``num_updates`` back to 0."""
    root.set("epoch", str(int(root.get("epoch", "0")) + 1))
    root.set("num_updates", "0")


def bump_updates(root: ET.Element, count: int = 1) -> None:
    """A status change: ``num_updates`` + ``count``."""
    root.set("num_updates", str(int(root.get("num_updates", "0")) + count))


def section(root: ET.Element, name: str) -> ET.Element:
    """``configuration``/``status`` under ``<cib>``, or a child of ``<configuration>``; created if missing."""
    if name in ("configuration", "status"):
        found = root.find(name)
        if found is None:
            found = ET.SubElement(root, name)
        return found
    configuration = section(root, "configuration")
    found = configuration.find(name)
    if found is None:
        found = ET.SubElement(configuration, name)
    return found


def canonical(element: ET.Element) -> bytes:
    """A comparable serialisation (whitespace-insensitive) to detect changes."""
    return _canonical_of(to_bytes(element))


@record
class Snapshot:
    """What :func:`unchanged_since` keeps of an element: its plain serialisation and how many
    elements (comments aside) it holds."""

    serialised: bytes
    elements: int


def snapshot(element: ET.Element) -> Snapshot:
    """What :func:`unchanged_since` needs to tell later whether ``element`` changed: its plain
    serialisation (one pass; the whitespace-insensitive form is made only when it differs)."""
    return Snapshot(to_bytes(element), _element_count(element))


def _element_count(element: ET.Element) -> int:
    # elements proper: comments and processing instructions are not part of the canonical form
    return sum(1 for e in element.iter() if type(e.tag) is str)


def unchanged_since(before: Snapshot, element: ET.Element) -> bool:
    """Whether ``element`` is, whitespace aside, what it was when ``before`` was taken.

    A different number of elements is a change (the canonical form keeps every element), found
    without writing a large configuration out.  Otherwise decided on the serialisations where that
    is exact: equal bytes, or equal once the white space between tags is dropped, mean unchanged; a
    difference that remains is a change unless comments or white-space-only leaf text are involved
    (the canonical form drops those), and then the canonical forms are compared.  Re-parsing a
    large configuration twice is the slow way.
    """
    if _element_count(element) != before.elements:
        return False
    now = to_bytes(element)
    if now == before.serialised:
        return True
    now_tight, before_tight = without_layout(now), without_layout(before.serialised)
    if now_tight == before_tight:
        return True
    import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)

    if not any(b"<!--" in text or re.search(_EMPTY_PAIR, text) for text in (now_tight, before_tight)):
        return False
    return _canonical_of(now) == _canonical_of(before.serialised)


# an element written open and closed with nothing between: compiled by ``re`` when first searched
# (only a difference that layout alone does not explain needs it)
_EMPTY_PAIR = rb"<([^\s/<>!?]+)[^<>]*></\1>"


def without_layout(serialised: bytes) -> bytes:
    """``serialised`` without the white space between tags (indentation, line breaks): what
    ``re.sub(rb">\\s+<", b"><", serialised)`` gives.  That expression is used when ``re`` is
    loaded already or the text is large; a one-shot's small CIB is squeezed by hand instead, for
    ``re`` and the ``enum`` it loads would cost it more than its own work (issue 16)."""
    if "re" in sys.modules or len(serialised) > _BY_HAND_UP_TO:
        import re

        return re.sub(rb">\s+<", b"><", serialised)
    return without_layout_by_hand(serialised)


def without_layout_by_hand(serialised: bytes) -> bytes:
    """:func:`without_layout` without ``re``: each run of white space that follows a ``>`` and
    ends at a ``<`` is dropped."""
    pieces = serialised.split(b">")
    for index in range(1, len(pieces)):
        piece = pieces[index]
        squeezed = piece.lstrip(_SPACE)
        if squeezed[:1] == b"<" and len(squeezed) != len(piece):
            pieces[index] = squeezed
    return b">".join(pieces)


# what ``\s`` matches in a bytes pattern
_SPACE = b" \t\n\r\x0b\x0c"
# above this size, compiling the expression (and importing re) pays for itself
_BY_HAND_UP_TO = 256 * 1024


def _canonical_of(serialised: bytes) -> bytes:
    copy = ET.fromstring(serialised)
    for e in copy.iter():
        if e.text is not None and not e.text.strip():
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None
    return to_bytes(copy)


def write_text_atomic(path: PathName, text: str, previous: PathName | None = None, private: bool = False) -> None:
    """Write ``text`` to ``path`` crash-safely: temp file in the same dir, fsync, rename, fsync dir.

    ``previous``: keep the version being replaced under that name (a hard link made before the
    rename, so no data is copied; the link is itself renamed into place, never half-written).
    A new file is 0600; an existing one keeps its mode, at most 0640 when ``private`` (the
    bundled cluster's files: a CIB holds secrets, as Pacemaker's 0640 ``hacluster:haclient``).
    """
    directory, name = os.path.split(os.fspath(path))
    directory = directory or os.curdir
    fd, tmp = make_temp_file(directory, f"{_TMP_PREFIX}{name}.", _TMP_SUFFIX)
    keep = _link_previous(path) if previous is not None else None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o600
        if private:
            mode &= 0o640
            if keep is not None:
                os.chmod(keep, mode)  # the kept version holds the same secrets
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        if keep is not None and previous is not None:
            os.replace(keep, previous)
    except BaseException:
        for leftover in (tmp, keep):
            try:
                if leftover is not None:
                    os.unlink(leftover)
            except OSError:
                pass
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _link_previous(path: PathName) -> str | None:
    """A temp-named hard link to the current ``path`` (None when there is none or links fail).

    Named like the writer's temp files so that a crash leaves nothing the next writer does not remove.
    """
    if not os.path.exists(path):
        return None
    directory, base = os.path.split(os.fspath(path))
    fd, name = make_temp_file(directory or os.curdir, f"{_TMP_PREFIX}{base}.", _TMP_SUFFIX)
    os.close(fd)
    try:
        os.unlink(name)
        os.link(path, name)
    except OSError:
        return None
    return name


def write_cib_atomic(path: PathName, root: ET.Element, previous: PathName | None = None,
                     private: bool = False) -> None:
    """Serialise and write the CIB atomically (``previous``: keep the replaced version there)."""
    write_text_atomic(path, dump_cib(root), previous, private)


def remove_stray_temp_files(path: PathName) -> None:
    """Remove temp files a crashed writer of ``path`` left behind (call with the lock held)."""
    # a listing, not glob: this runs on every write, and glob is an import a one-shot need not pay
    directory, base = os.path.split(os.fspath(path))
    directory = directory or os.curdir
    prefix = f"{_TMP_PREFIX}{base}."
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(_TMP_SUFFIX) and len(name) >= len(prefix) + len(_TMP_SUFFIX):
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


def new_cluster_cib(definition: ClusterDefinition) -> ET.Element:
    """The CIB of a new bundled cluster: empty configuration plus the DC-written bootstrap options
    and the node entries (status is filled in by membership)."""
    root = ET.Element("cib", {
        "crm_feature_set": CRM_FEATURE_SET, "validate-with": VALIDATE_WITH,
        "epoch": "1", "num_updates": "0", "admin_epoch": "0",
    })
    configuration = ET.SubElement(root, "configuration")
    for name in _CONFIG_SECTIONS:
        ET.SubElement(configuration, name)
    ET.SubElement(root, "status")
    props = ET.SubElement(section(root, "crm_config"), "cluster_property_set", {"id": "cib-bootstrap-options"})
    # What a Pacemaker DC writes on its first election.
    for name, value in (("have-watchdog", "false"), ("dc-version", definition.version),
                        ("cluster-infrastructure", definition.stack), ("cluster-name", definition.name)):
        ET.SubElement(props, "nvpair", {"id": f"cib-bootstrap-options-{name}", "name": name, "value": value})
    for node in definition.nodes:
        add_node_entry(root, node)
    return root


def add_node_entry(root: ET.Element, node: NodeDef) -> None:
    """``<node id=UUID uname=NAME/>`` in the configuration (kept if present)."""
    nodes = section(root, "nodes")
    if any(n.get("uname") == node.name for n in nodes.findall("node")):
        return
    ET.SubElement(nodes, "node", {"id": node.uuid, "uname": node.name})


def remove_node_entry(root: ET.Element, node: NodeDef) -> None:
    """Remove the node's configuration entry and its ``node_state`` from the status."""
    nodes = section(root, "nodes")
    for n in list(nodes.findall("node")):
        if n.get("uname") == node.name or n.get("id") == node.uuid:
            nodes.remove(n)
    status = section(root, "status")
    for s in list(status.findall("node_state")):
        if s.get("uname") == node.name or s.get("id") == node.uuid:
            status.remove(s)
