"""Interleaved clone orders after placement: an instance with no partner stays stopped.

With ``interleave=true`` on the ``then`` clone of a mandatory start order between two clones,
Pacemaker pairs each ``then`` instance with the ``first`` instance placed on the same node.  A
``then`` instance placed where no ``first`` instance is placed has nothing to wait for, so
Pacemaker inhibits it ("Inhibiting X from being active"): it is unassigned again, which is why
the Transition Summary shows no line for it (not even a blocked start).  Pairs propagate along
chains of such orders (clone-1 -> clone-2 -> clone-3).
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.constraints import Constraints
from crmsh_py.engine.scheduler.resources import ResourceTree, Top
from crmsh_py.engine.scheduler.state import STOPPED


def _pairs(tree: ResourceTree, cons: Constraints) -> list[tuple[Top, Top]]:
    tops = {t.id: t for t in tree.tops}
    bundles = {b.id for b in tree.bundles}
    out = []
    for pair in cons.orders:
        first, then = tops.get(pair.first), tops.get(pair.then)
        if (first is None or then is None or first is then or pair.kind != "Mandatory" or pair.any_of
                or pair.first_action != "start" or pair.then_action != "start"):
            continue
        if first.kind == "clone" and then.kind == "clone" and then.interleave and not {first.id, then.id} & bundles:
            out.append((first, then))
    return out


def inhibit_unpaired(tree: ResourceTree, cons: Constraints, node: dict[str, str | None],
                     role: dict[str, str], unit_node: dict[str, str | None], fixed: set[str]) -> set[str]:
    """Unassign the ``then`` instances of interleaved clone orders that have no ``first``
    instance on their node; returns the leaf ids unassigned."""
    pairs = _pairs(tree, cons)
    inhibited: set[str] = set()
    for _ in range(len(pairs) + 1):  # a chain of n orders settles in n rounds
        changed = False
        for first, then in pairs:
            partnered = {node.get(u.leaves[0].id) for u in first.units if u.leaves} - {None}
            for unit in then.units:
                if not unit.leaves or any(leaf.id in fixed for leaf in unit.leaves):
                    continue
                where = node.get(unit.leaves[0].id)
                if where is None or where in partnered:
                    continue
                for leaf in unit.leaves:
                    node[leaf.id] = None
                    role[leaf.id] = STOPPED
                    inhibited.add(leaf.id)
                unit_node[unit.id] = None
                changed = True
        if not changed:
            break
    return inhibited
