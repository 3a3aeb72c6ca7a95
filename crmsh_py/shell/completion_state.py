"""What completion reads from a CIB without parsing all of it: resource ids and which of them run
(``resource stop <Tab>`` offers the running ones, ``start`` the stopped ones), node names and the
ids of configuration elements.

The status view (:func:`crmsh_py.render.mon_view.build_view`) resolves everything a display
shows; on a 1,000-resource CIB it and the XML parse it needs take about 100 ms, twice what a Tab
may cost.  Here the resource tree and the operation histories come from the text scans of
:mod:`crmsh_py.shell.completion_scan`, and whether a resource runs on a node from the view's own
reading of its history, in the case where that reading needs nothing but the history: every
operation completed (op-status 0) with rc 0, 7 or 8, each what its transition expected or a
probe's finding.  Then the last operation (by call id) alone decides: a stop, a migrate_to or "not
running" (7) leaves the resource stopped there, anything else running; on-fail, failure-timeout and
fail counts play no part.  A history with anything else (a failure, a pending operation, two
entries with one call id), remote and guest nodes, bundles, or text the scans cannot read: None,
and the caller builds the whole view as before.  Node states come from the view itself, built on
the CIB without its resources and histories (a few elements).

Everything is derived from the text just read; results are kept only with the section text they
came from (:meth:`crmsh_py.shell.completion_cib.CibSections.derived`), so a change always shows.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import load
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.errors import CibFileError
from crmsh_py.shell.completion_cib import CibSections
from crmsh_py.shell.completion_scan import (
    OpEntry,
    ResourceEntry,
    StatusScan,
    attribute,
    cut_element,
    node_parts,
    node_states,
    readable,
    resource_tree,
    scan_status,
    without,
)

_RESOURCE_TAGS = frozenset(("primitive", "group", "clone", "master", "bundle"))
_SKIPPED_TASKS = frozenset(("notify", "meta-data"))  # the view's replay passes over them
_STOPPING_TASKS = frozenset(("stop", "migrate_to"))
_REMOTE_AGENT = ("ocf", "pacemaker", "remote")


class ConfigScan:
    """A configuration section read for completion: its resource tree (scanned) and the rest
    (parsed: the nodes, properties and constraints are a few elements)."""

    def __init__(self, tree: list[ResourceEntry], rest: ET.Element, rest_text: str, remote: bool) -> None:
        self.tree = tree
        self.rest = rest  # the configuration with an empty <resources/>
        self.rest_text = rest_text
        self.remote = remote  # remote or guest nodes, or bundles: the view's work


def _read_configuration(text: str) -> ConfigScan | None:
    plain = readable(text)
    if plain is None:
        return None
    span = cut_element(plain, "resources")
    section = plain[span[0]:span[1]] if span is not None else ""
    tree = resource_tree(section)
    if tree is None:
        return None
    rest_text = plain[:span[0]] + "<resources/>" + plain[span[1]:] if span is not None else plain
    try:
        rest = load(rest_text, root_tag="configuration")
    except CibFileError:
        return None
    # remote and guest nodes, bundles: the view's work (the attributes are read only when "remote"
    # or "bundle" occurs at all)
    remote = "remote-node" in section or (("remote" in section or "bundle" in section) and any(
        tag == "bundle" or tuple(attribute(attrs, name) for name in ("class", "provider", "type")) == _REMOTE_AGENT
        for tag, _, _, attrs in tree))
    return ConfigScan(tree, rest, rest_text, remote)


def _read_node(text: str) -> tuple[StatusScan, str] | None:
    """One node's part of the status (or what comes before the first node)."""
    scan = scan_status(text)
    if scan is None or any("remote_node" in state for state in scan.node_states):
        return None
    return scan, without(text, "lrm")


def _read_status(sections: CibSections, text: str) -> tuple[StatusScan, str] | None:
    """The status read node by node: after a change to one node's histories (a monitor's
    result), the other nodes' parts are taken from the previous read."""
    read: list[tuple[StatusScan, str] | None] = [sections.piece(part, _read_node) for part in node_parts(text)]
    if len(read) == 1 or any(r is None for r in read):
        return read[0] if len(read) == 1 else None
    merged = StatusScan()
    lean: list[str] = []
    for scan, lean_part in read:  # type: ignore[misc]  # None excluded above
        merged.node_states += scan.node_states
        merged.resources += scan.resources
        for key, entries in scan.histories.items():
            # a copy when two parts name one node: the parts' own lists stay as read
            merged.histories[key] = merged.histories[key] + entries if key in merged.histories else entries
        lean.append(lean_part)
    return merged, "".join(lean)


def configuration(sections: CibSections) -> ConfigScan | None:
    """The configuration, read for completion (kept while its text is unchanged)."""
    return sections.derived("configuration", "scan", _read_configuration)


def status(sections: CibSections) -> tuple[StatusScan, str] | None:
    """The status section's histories and its text without them (kept while unchanged)."""
    return sections.derived("status", "scan", lambda text: _read_status(sections, text))


def resource_ids(sections: CibSections) -> list[str] | None:
    """Every resource id (primitives, groups, clones, bundles, at any depth)."""
    config = configuration(sections)
    if config is None:
        return None
    return [ident for tag, ident, _, _ in config.tree if tag in _RESOURCE_TAGS and ident]


def element_ids(sections: CibSections) -> list[str] | None:
    """The ids of the configuration's elements (the children of its sections)."""
    config = configuration(sections)
    if config is None:
        return None
    out: list[str] = []
    for part in config.rest:
        if part.tag == "resources":
            out += [ident for _, ident, parent, _ in config.tree if parent < 0 and ident]
        else:
            out += [x.get("id", "") for x in part if x.get("id")]
    return out


def node_names(sections: CibSections) -> list[str] | None:
    """Node names from the configuration, then those only the status section knows."""
    config = configuration(sections)
    states = sections.derived("status", "nodes", node_states)
    if config is None or states is None:
        return None
    names = [n.get("uname", "") for n in config.rest.iter("node")]
    names += [state.get("uname", "") for state in states]
    return [n for n in dict.fromkeys(names) if n]


def runs(history: list[OpEntry]) -> bool | None:
    """Whether a resource's history on a node leaves it running there; None when the answer
    needs more than the history (see the module's docstring)."""
    last_call = -1
    last: OpEntry | None = None
    tie = False
    for entry in history:
        task, key, call, rc, op_status, interval = entry
        if task in _SKIPPED_TASKS:
            continue
        if op_status != "0" or rc not in ("0", "7", "8") or not call.isdigit():
            return None
        parts = key.split(":", 3)
        expected = parts[2] if len(parts) >= 3 else "0"
        if rc != expected:
            # unexpected is fine only for a probe's finding: running (0, when 7 was expected),
            # promoted (8) or not running (7); any other surprise is a failure
            probe = task == "monitor" and interval.isdigit() and int(interval) == 0
            if not probe or (rc == "0" and expected != "7"):
                return None
        number = int(call)
        if number > last_call:
            last_call, last, tie = number, entry, False
        elif number == last_call and last is not None and (task, rc, interval) != (last[0], last[3], last[5]):
            tie = True  # the view orders these by their times: leave it to the view
    if tie:
        return None
    return last is not None and last[3] != "7" and last[0] not in _STOPPING_TASKS


def _surely_online(state: dict[str, str]) -> bool:
    """A member whose controller is up and joined: online with fencing or without (then the view
    counts its history whatever else it says of the node)."""
    return (is_true(state.get("in_ccm")) and state.get("crmd", "").lower() == "online"
            and state.get("join") == "member")


def _dead_nodes(sections: CibSections, config: ConfigScan, scan: StatusScan, lean_status: str) -> set[str] | None:
    """Nodes whose history does not count (down and not unclean, without fencing), by the view's
    own reading of the node states, on the CIB without its resources and histories (when every
    node is plainly up, none: the view and what it imports are not needed then)."""
    if all(_surely_online(state) for state in scan.node_states):
        return set()
    from crmsh_py.render.mon_view import build_view

    head = sections.head()
    if head is None:
        return None
    try:
        view = build_view(load(head + config.rest_text + lean_status + "</cib>"))
    except CibFileError:
        return None
    if view.stonith_enabled:
        return set()
    return {n.name for n in view.nodes if not n.online and not n.unclean}


def resource_states(sections: CibSections) -> dict[str, bool] | None:
    """Resource id -> whether it runs (a group or clone when any primitive in it does), with
    the resources only the status section still shows running (orphans); None: build the view.
    Kept with the text it was read from."""
    if "states" not in sections.memo:
        sections.memo["states"] = _resource_states(sections)
    return sections.memo["states"]  # type: ignore[return-value]  # what _resource_states gave


def _resource_states(sections: CibSections) -> dict[str, bool] | None:
    config = configuration(sections)
    read = status(sections)
    if config is None or read is None or config.remote:
        return None
    scan, lean_status = read
    dead = _dead_nodes(sections, config, scan, lean_status)
    if dead is None:
        return None
    running: set[str] = set()
    for (base, node), history in scan.histories.items():
        if node in dead:
            continue
        verdict = runs(history)
        if verdict is None:
            return None
        if verdict:
            running.add(base)
    tree = config.tree
    active = [tag == "primitive" and ident in running for tag, ident, _, _ in tree]
    for index in range(len(tree) - 1, -1, -1):  # children come after their parents
        parent = tree[index][2]
        if active[index] and parent >= 0:
            active[parent] = True
    states = {ident: active[i] for i, (tag, ident, _, _) in enumerate(tree) if tag in _RESOURCE_TAGS and ident}
    # the view's orphans: a primitive with an agent class in the status, not configured, running
    known = {ident for tag, ident, parent, _ in tree if tag == "primitive" or (parent < 0 and tag in _RESOURCE_TAGS)}
    for base in sorted(running - known):
        if base and scan.with_class(base):
            states[base] = True
    return states
