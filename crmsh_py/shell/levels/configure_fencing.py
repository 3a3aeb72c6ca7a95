"""``fencing_topology`` as crmsh 4.4.1 handles it in a configure session.

Levels written without a target (``fencing_topology st1 st2``) are applied, when the line is read,
to every node the configuration has at that moment, in name order: a node added later is not
covered, as with crmsh.  When the first level has no target, crmsh applies every level of the
line that way (the targets written further on are ignored).
"""

from __future__ import annotations

from crmsh_py.cib.model import FencingLevel, FencingTopology, Node

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element


def _untargeted(level: FencingLevel) -> bool:
    return not (level.target or level.target_attribute or level.target_pattern)


def expand_untargeted(existing: list["Element"], new: list["Element"]) -> list[str] | None:
    """Give each new topology whose first level has no target one level per node and device list.
    Returns the nodes' names when ``new`` has a topology (for ``WorkingCopy.fencing_nodes``)."""
    nodes = sorted(e.id for e in existing if isinstance(e, Node))
    found = False
    for element in new:
        if not isinstance(element, FencingTopology):
            continue
        found = True
        if element.levels and _untargeted(element.levels[0]):
            element.levels = [FencingLevel(target=node, index=index, devices=list(level.devices))
                              for node in nodes for index, level in enumerate(element.levels, 1)]
    return nodes if found else None
