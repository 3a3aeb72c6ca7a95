"""Which instance of an anonymous clone a history entry belongs to (Pacemaker 2.1's rule).

An anonymous clone's instances are interchangeable, so the number in a history entry's id
(``rsc1:1``, or none at all: ``rsc1``) means nothing.  Pacemaker gives each entry, node by node in
status order and entry by entry in document order, to:

1. the instance already active on this node, if any (a cloned group's members share one); when
   that instance's member already runs there, the entry is a second, orphaned copy;
2. otherwise the first instance (by number) not yet active anywhere.

An entry that finds no instance is an orphan (it is stopped).  So history that says "stopped"
(a probe) leaves its instance free for the next entry: ``rsc1:0`` probed stopped and ``rsc1:1``
running on node1 both go to instance 0, which then runs on node1.
"""

from __future__ import annotations

import re

from collections.abc import Callable
from dataclasses import replace

from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, is_true
from crmsh_py.engine.scheduler.transition import Action

_SUFFIX = re.compile(r"^(?P<base>.+):(?P<n>\d+)$")


class AnonymousClones:
    """Assignment of history entries to anonymous clone instances, for one read of the status."""

    def __init__(self, tree: ResourceTree) -> None:
        anonymous = {t.id for t in tree.tops if t.kind == "clone" and not is_true(t.meta.get("globally-unique"))}
        self.tree = tree
        self.members: dict[str, list[Leaf]] = {}
        for leaf in tree.leaves:
            if leaf.clone in anonymous:
                self.members.setdefault(leaf.base, []).append(leaf)
        for leaves in self.members.values():
            leaves.sort(key=lambda l: l.instance or 0)
        self.unit_node: dict[tuple[str, int], str] = {}  # (clone, instance) -> node it is active on
        self.next_orphan = {t.id: len(t.units) for t in tree.tops if t.id in anonymous}

    def base_of(self, rsc_id: str) -> str | None:
        """The clone's primitive id when ``rsc_id`` is history of an anonymous clone, else None."""
        if rsc_id in self.members:
            return rsc_id
        match = _SUFFIX.match(rsc_id)
        if match and match["base"] in self.members:
            return match["base"]
        return None

    def any_leaf(self, base: str) -> Leaf:
        """A leaf of ``base`` (for op definitions while replaying)."""
        return self.members[base][0]

    def choose(self, base: str, node: str, running: Callable[[str], bool]) -> str | None:
        """The instance (leaf id) for an entry of ``base`` on ``node``; None makes it an orphan.
        ``running(leaf_id)``: already active somewhere (from the entries read so far)."""
        inactive: str | None = None
        skip_inactive = False
        for leaf in self.members[base]:
            key = (leaf.clone or "", leaf.instance or 0)
            where = self.unit_node.get(key)
            if where is None:
                if not skip_inactive and inactive is None:
                    inactive = leaf.id
                continue
            if where != node:
                continue
            if running(leaf.id):
                skip_inactive = True  # a second copy of an instance running here: orphan
                continue
            return leaf.id
        return None if skip_inactive else inactive

    def placed(self, leaf_id: str, node: str, active: bool) -> None:
        """Record that ``leaf_id``'s entry on ``node`` says it is (or is not) active."""
        if active:
            leaf = self.tree.leaf_by_id[leaf_id]
            self.unit_node.setdefault((leaf.clone or "", leaf.instance or 0), node)

    def orphan_name(self, base: str) -> str:
        """A name for an entry no instance takes: the next instance number after the configured
        ones (Pacemaker creates an orphan instance), e.g. ``apache2:2`` with clone-max 2."""
        clone = self.members[base][0].clone or ""
        number = self.next_orphan.get(clone, 0)
        self.next_orphan[clone] = number + 1
        return f"{base}:{number}"


def tag_history(actions: list[Action], states: dict, orphans: dict) -> list[Action]:
    """Actions on clone instances whose history was read under another id carry that id, so a
    result is recorded where Pacemaker records it (``states``/``orphans`` from ``read_state``)."""
    ids: dict[tuple[str, str], str] = {}
    for table in (states, orphans):
        for rsc_id, per_node in table.items():
            nodes = per_node.on if hasattr(per_node, "on") else per_node
            for node, state in nodes.items():
                if getattr(state, "history_id", ""):
                    ids[(rsc_id, node)] = state.history_id
    if not ids:
        return actions
    return [replace(a, history_id=ids[(a.rsc_id, a.node)]) if (a.rsc_id, a.node) in ids else a
            for a in actions]

