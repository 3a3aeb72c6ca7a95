"""Completion's quick reading of a CIB section's text: the resource tree, and each resource's
operation history, found with regular expressions instead of a full XML parse.

A Tab on a 1,000-resource CIB must answer in a few tens of milliseconds, and an XML parse of the
whole file takes about that alone (most of it building ``<op>``, ``<nvpair>`` and ``<lrm_rsc_op>``
elements completion never looks at).  These scanners pick out only the start tags completion needs.
They read text of the shape Pacemaker's tools and our engine write; anything they cannot read
with certainty (CDATA, processing instructions, single-quoted attributes in the status, a tag
that is not where it should be, attributes of an operation in an unusual order) gives None, and
the caller parses the XML as before.  Comments are removed first (crmsh keeps them in the CIB).
"""

from __future__ import annotations

import re

#: one history entry as written: (operation, transition-key, call-id, rc-code, op-status, interval)
OpEntry = tuple[str, str, str, str, str, str]
#: one resource element: (tag, id, index of its parent in the list or -1, its attributes' text)
ResourceEntry = tuple[str, str, int, str]

_COMMENT = re.compile(r"<!--.*?-->", re.S)
# CDATA, a DOCTYPE, processing instructions (and comments, unless removed first): one pass, not
# one search for each (a search of 1.8 MB costs a millisecond and a half)
_UNREADABLE = re.compile(r"<[!?]")
_ATTRIBUTES = r"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*"""
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RESOURCE_TAG = re.compile(r"<(/?)(primitive|group|clone|master|bundle|template)" + _ATTRIBUTES + r"(/?)>")
_RESOURCE_TAG_START = re.compile(r"</?(?:primitive|group|clone|master|bundle|template)[\s/>]")
_SECTION_START = {name: re.compile(f"<{name}[\\s/>]") for name in ("resources", "lrm")}
# In the status only double-quoted attributes are read, a whole attribute at a time: a tag with a
# single-quoted one does not match (and is counted as unread), so a name="..." inside such a
# value is never taken for an attribute.  An operation's attributes are taken in the order every
# writer uses (Pacemaker's and ours): operation, transition-key, call-id, rc-code, op-status,
# interval; the others are skipped whole (a character at a time costs three times more).
_SKIP = r'(?:\s+[^\s="]+="[^"]*")*?\s+'
_ANY_ORDER = (r'(?:' + _SKIP + r'operation="([^"]*)"' + _SKIP + r'transition-key="([^"]*)"' + _SKIP
              + r'call-id="([^"]*)"' + _SKIP + r'rc-code="([^"]*)"' + _SKIP + r'op-status="([^"]*)"' + _SKIP
              + r'interval="([^"]*)")')
# The layouts Pacemaker 1.1 to 2.1 and our engine write, matched without skipping: three times faster
_WRITTEN = (r'(?: id="[^"]*"(?: operation_key="[^"]*")? operation="([^"]*)"(?: crm-debug-origin="[^"]*")?'
            r'(?: crm_feature_set="[^"]*")? transition-key="([^"]*)" transition-magic="[^"]*"'
            r'(?: exit-reason="[^"]*")?(?: on_node="[^"]*")? call-id="([^"]*)" rc-code="([^"]*)"'
            r' op-status="([^"]*)" interval="([^"]*)")')
_STATUS_TAG = re.compile(r'<(?:(node_state|lrm_resource)((?:\s+[^\s=/>]+="[^"]*")*)\s*/?>'
                         r'|lrm_rsc_op(?:' + _WRITTEN + "|" + _ANY_ORDER + "))")
_STATUS_TAG_START = re.compile(r"<(?:node_state|lrm_resource|lrm_rsc_op)[\s/>]")


def attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag's attribute text (entities resolved)."""
    out: dict[str, str] = {}
    for name, double, single in _ATTRIBUTE.findall(text):
        value = double or single
        if "&" in value:
            from html import unescape  # rare in a CIB: not imported for every Tab

            value = unescape(value)
        out[name] = value
    return out


def attribute(text: str, name: str) -> str | None:
    """One attribute of a start tag's attribute text (None: not there).  The usual layout (one
    space before each attribute, double quotes) is read with string searches; ``name="`` cannot
    occur inside a double-quoted value, nor in a single-quoted one then (no quote at all)."""
    if "'" in text or "\n" in text or "\t" in text or "\r" in text or "&" in text:
        return attributes(text).get(name)
    start = text.find(f' {name}="')
    if start < 0:  # not there, or written another way (name = "value")
        return attributes(text).get(name)
    start += len(name) + 3
    return text[start:text.find('"', start)]


def readable(text: str) -> str | None:
    """``text`` without its comments, or None when it holds what the scanners do not read."""
    if _UNREADABLE.search(text) is None:
        return text
    text = _COMMENT.sub("", text)
    return None if _UNREADABLE.search(text) else text


def cut_element(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Where the first ``<name>`` element from ``start`` (one that never nests in itself) starts
    and ends, or None when there is none."""
    found = _SECTION_START[name].search(text, start)
    if found is None:
        return None
    tag_end = text.find(">", found.start())
    if tag_end < 0:
        return None
    if text[tag_end - 1] == "/":
        return found.start(), tag_end + 1
    close = text.find(f"</{name}>", tag_end)
    return (found.start(), close + len(name) + 3) if close >= 0 else None


def resource_tree(section: str) -> list[ResourceEntry] | None:
    """The resource elements of a ``<resources>`` section's text in document order, each with its
    parent; None when the text is not one the scan reads with certainty."""
    out: list[ResourceEntry] = []
    open_ones: list[int] = []
    tags = 0
    for found in _RESOURCE_TAG.finditer(section):
        tags += 1
        closing, tag, attrs, empty = found.groups()
        if closing:
            if attrs or empty or not open_ones or out[open_ones[-1]][0] != tag:
                return None
            open_ones.pop()
            continue
        out.append((tag, attribute(attrs, "id") or "", open_ones[-1] if open_ones else -1, attrs))
        if not empty:
            open_ones.append(len(out) - 1)
    if open_ones or tags != len(_RESOURCE_TAG_START.findall(section)):
        return None  # a tag the scan could not read: parse it
    return out


class StatusScan:
    """A status section's node states and operation histories, read from its text."""

    def __init__(self) -> None:
        self.node_states: list[dict[str, str]] = []
        #: (resource id without its clone instance, node) -> its entries there as written, those
        #: of every instance together (as the status view folds them)
        self.histories: dict[tuple[str, str], list[OpEntry]] = {}
        self.resources: list[tuple[str, str]] = []  # (id without instance, attributes' text) of each lrm_resource
        self._classed: set[str] | None = None

    def with_class(self, base: str) -> bool:
        """Whether some ``lrm_resource`` of this resource names an agent class (the view's test
        for an orphan: only asked about resources the configuration does not have)."""
        if self._classed is None:
            self._classed = {rsc for rsc, attrs in self.resources if attribute(attrs, "class")}
        return base in self._classed


def scan_status(section: str) -> StatusScan | None:
    """Every ``node_state``, ``lrm_resource`` and ``lrm_rsc_op`` of a status section's text; None
    when the text is not one the scan reads with certainty."""
    if _UNREADABLE.search(section):
        return None
    scan = StatusScan()
    node = ""
    history: list[OpEntry] | None = None
    tags = 0
    for found in _STATUS_TAG.findall(section):
        tags += 1
        tag = found[0]
        if not tag:  # the common case first: an operation, kept as written
            if history is None:
                return None  # an operation outside a resource's history
            history.append(found[2:8] if found[7] or not found[13] else found[8:14])
            continue
        attrs = found[1]
        if tag == "lrm_resource":
            if attrs.startswith(' id="') and "&" not in attrs:  # the layout every writer uses
                rsc = attrs[5:attrs.find('"', 5)]
            else:
                rsc = attribute(attrs, "id") or ""
            base = rsc.split(":", 1)[0]
            scan.resources.append((base, attrs))
            history = scan.histories.setdefault((base, node), [])
        else:
            values = attributes(attrs)
            scan.node_states.append(values)
            node, history = values.get("uname") or values.get("id") or "", None
    if tags != len(_STATUS_TAG_START.findall(section)):
        return None  # a tag the scan could not read (or an operation in another order): parse it
    return scan


_NODE_STATE = re.compile(r"<node_state" + _ATTRIBUTES + r"/?>")
_NODE_STATE_START = re.compile(r"<node_state[\s/>]")


def node_states(section: str) -> list[dict[str, str]] | None:
    """The attributes of every ``node_state`` of a status section's text (without reading the
    histories); None when the text is not one the scan reads with certainty."""
    if _UNREADABLE.search(section):
        return None
    found = [attributes(attrs) for attrs in _NODE_STATE.findall(section)]
    return found if len(found) == len(_NODE_STATE_START.findall(section)) else None


def node_parts(section: str) -> list[str]:
    """A status section's text cut before each ``<node_state``: what comes before the first node,
    then one part per node (its histories with it)."""
    starts = [found.start() for found in _NODE_STATE_START.finditer(section)]
    bounds = [0, *starts, len(section)]
    return [section[a:b] for a, b in zip(bounds, bounds[1:]) if b > a or a == 0]


def without(text: str, name: str) -> str:
    """``text`` without any ``<name>`` element (the ``<lrm>`` histories of a status section)."""
    parts: list[str] = []
    pos = 0
    for _ in range(len(text)):  # bounded: every round moves past one element
        span = cut_element(text, name, pos)
        if span is None:
            break
        parts.append(text[pos:span[0]])
        pos = span[1]
    parts.append(text[pos:])
    return "".join(parts)
