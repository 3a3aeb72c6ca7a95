"""Generators of large, realistic crm configurations for the benchmarks (deterministic)."""

from __future__ import annotations


def config_text(n_primitives: int, group_size: int = 4, with_constraints: bool = True) -> str:
    """A configuration with ``n_primitives`` Dummy primitives (3 ops each), every ``group_size``
    of them in a group, plus one location and one order/colocation per group.

    Cluster options come first so that crmsh (which refuses resources with stonith enabled and no
    device) accepts the file as well.
    """
    lines = [
        "property cib-bootstrap-options: stonith-enabled=false no-quorum-policy=ignore",
        "rsc_defaults rsc-options: resource-stickiness=100 migration-threshold=3",
    ]
    for i in range(n_primitives):
        lines.append(
            f"primitive p{i} ocf:heartbeat:Dummy params state=/run/p{i}.state "
            f"op start interval=0s timeout=120s op monitor interval=10s timeout=60s "
            f"op stop interval=0s timeout=120s meta target-role=Started"
        )
    groups = []
    for g, start in enumerate(range(0, n_primitives - group_size + 1, group_size * 2)):
        members = " ".join(f"p{j}" for j in range(start, start + group_size))
        lines.append(f"group g{g} {members}")
        groups.append(f"g{g}")
    if with_constraints:
        for g, name in enumerate(groups):
            lines.append(f"location l-{name} {name} {100 + g % 50}: srv{g % 2 + 1:02d}")
        for g in range(len(groups) - 1):
            lines.append(f"order o-{g} Mandatory: {groups[g]} {groups[g + 1]}")
            if g % 3 == 0:
                lines.append(f"colocation c-{g} inf: {groups[g + 1]} {groups[g]}")
    return "\n".join(lines) + "\n"


def statement_count(text: str) -> int:
    """Number of configuration statements (one per line in generated text)."""
    return sum(1 for line in text.splitlines() if line.strip())
