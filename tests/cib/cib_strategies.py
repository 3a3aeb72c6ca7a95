"""Hypothesis strategies for configuration models as the language layer builds them (no ids)."""

from __future__ import annotations

from hypothesis import strategies as st

from crmsh_py.cib.model import (
    Agent,
    AttrSet,
    Clone,
    ClusterSet,
    Colocation,
    Configuration,
    Expression,
    Group,
    Location,
    NVPair,
    Op,
    Order,
    Primitive,
    ResourceRef,
    ResourceSet,
    Rule,
)
from crmsh_py.records import replace

NAMES = st.text("abcdefghij", min_size=1, max_size=6)
VALUES = st.text("abcdefghijklmnopqrstuvwxyz0123456789 /._-", min_size=0, max_size=10)
SCORES = st.sampled_from(["INFINITY", "-INFINITY", "100", "-5", "0"])
AGENTS = st.sampled_from([Agent("ocf", "Dummy", "heartbeat"), Agent("ocf", "Stateful", "pacemaker"),
                          Agent("lsb", "apache"), Agent("systemd", "sshd")])


def _nvpairs() -> st.SearchStrategy[list[NVPair]]:
    return st.lists(st.builds(NVPair, NAMES, VALUES), max_size=3,
                    unique_by=lambda p: p.name)


def _attr_sets(kinds: list[str]) -> st.SearchStrategy[list[AttrSet]]:
    return st.lists(st.builds(AttrSet, st.sampled_from(kinds), _nvpairs()), max_size=2)


# only recurring monitors may have a non-zero interval (Pacemaker rejects the others)
_MONITORS = st.builds(Op, st.just("monitor"), st.sampled_from(["10s", "20", "1min"]))
OPS = st.lists(
    st.builds(Op, st.sampled_from(["start", "stop", "monitor", "promote"]),
              st.sampled_from(["0s", "0"]),
              st.lists(st.sampled_from([NVPair("timeout", "20s"), NVPair("on-fail", "restart"),
                                        NVPair("enabled", "true")]),
                       max_size=2, unique_by=lambda p: p.name),
              _attr_sets(["op_params", "op_meta"]))
    # interval anywhere among the op's attributes (crmsh keeps the written order)
    .flatmap(lambda op: st.integers(0, len(op.attributes)).map(
        lambda i: replace(op, interval_index=i))),
    max_size=3, unique_by=lambda o: (o.name, o.interval.rstrip("s")),
).flatmap(lambda ops: st.lists(_MONITORS, max_size=2, unique_by=lambda o: o.interval)
          .map(lambda mons: ops + mons)
)


@st.composite
def configurations(draw: st.DrawFn) -> Configuration:
    """A valid configuration: primitives, a group, a clone, constraints, property sets."""
    ids = draw(st.lists(NAMES.map(lambda n: "r" + n), min_size=5, max_size=7, unique=True))
    elements: list = [
        Primitive(rid, agent=draw(AGENTS), attr_sets=draw(_attr_sets(["params", "meta",
                                                                      "utilization"])),
                  ops=draw(OPS), comments=draw(st.lists(st.just("# note"), max_size=1)))
        for rid in ids
    ]
    free = list(ids)
    if draw(st.booleans()):
        members, free = free[:2], free[2:]
        elements.append(Group("grp", members, attr_sets=draw(_attr_sets(["meta"]))))
        free.append("grp")
    if draw(st.booleans()):
        legacy_ms = draw(st.booleans())
        if legacy_ms:  # only OCF agents can be promoted
            child = next(e for e in elements if e.id == free[0])
            child.agent = Agent("ocf", "Stateful", "pacemaker")
        elements.append(Clone("cln", child=free[0], legacy_ms=legacy_ms,
                              attr_sets=draw(_attr_sets(["meta"]))))
        free[0] = "cln"
    roles = st.sampled_from([None, "Started", "Promoted"])
    actions = st.sampled_from([None, "start", "promote"])

    def items(qualifiers: st.SearchStrategy) -> list:
        # every resource at most once per constraint: Pacemaker rejects a resource ordered
        # or colocated with itself
        pool = list(draw(st.permutations(free)))
        out: list = []
        while pool and len(out) < 4:
            if draw(st.booleans()) or len(pool) == 1:
                out.append(ResourceRef(pool.pop(), draw(qualifiers)))
            else:
                out.append(ResourceSet([pool.pop(), pool.pop()],
                                       draw(st.sampled_from(["(", "["]))))
        return out

    elements.append(Colocation("col", draw(SCORES), items(roles)))
    elements.append(Order("ord", kind=draw(st.sampled_from(["Mandatory", "Optional"])),
                          items=items(actions)))
    rule = Rule([Expression("#uname", "eq", "node1")], score=draw(SCORES))
    elements.append(Location("loc", resource=ResourceRef(free[-1]),
                             **draw(st.sampled_from([{"score": "50", "node": "node1"},
                                                     {"rules": [rule]}]))))
    elements.append(ClusterSet("cib-bootstrap-options", kind="property",
                               nvpairs=[NVPair("stonith-enabled", "false")] + draw(_nvpairs())))
    elements.append(ClusterSet("rsc-options", kind="rsc_defaults", nvpairs=draw(_nvpairs())))
    return Configuration(elements)
