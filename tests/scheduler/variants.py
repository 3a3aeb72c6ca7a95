"""Seeded, bounded variants of the shared scheduler inputs, for differential testing against Pacemaker.

Each variant is one of Pacemaker's regression CIBs (``../shared/pacemaker-cts/scheduler/xml``) with
one mutation that Pacemaker's rules care about: a node goes offline, unclean, into standby or
maintenance; a resource fails (rc 1/7/8, with an ``on-fail``); stickiness, migration-threshold,
failure-timeout, clone counts, target-role, is-managed, requires change; a constraint's score flips
or becomes INFINITY; an order's kind or symmetry changes; quorum is lost under a policy; a placement
strategy is set.  The same seed gives the same variants (``random.Random(seed)``, cases and elements
taken in document order), so a difference found once can be found again by its id.

``differential.py`` runs them through both ``crm_simulate -S -x`` and compares.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

# A mutation edits the CIB in place and returns what it did, or None when the CIB has nothing it applies to.
Mutation = Callable[[ET.Element, random.Random], "str | None"]
RESOURCE_TAGS = ("primitive", "group", "clone", "master", "bundle")
ATTEMPTS = 8  # mutations tried per variant before the generator moves on to another case


class Variant(NamedTuple):
    """One mutated CIB: ``ident`` names it uniquely within a seed (``SEED-I-CASE-MUTATION``)."""

    ident: str
    case: str
    mutation: str
    description: str
    xml: str


def _uid(root: ET.Element, stem: str) -> str:
    """An id not yet used in the CIB (Pacemaker rejects duplicates)."""
    used = {el.get("id") for el in root.iter() if el.get("id")}
    n = 0
    while f"fz-{stem}-{n}" in used:
        n += 1
    return f"fz-{stem}-{n}"


def _set_nvpair(root: ET.Element, owner: ET.Element, block_tag: str, name: str, value: str) -> None:
    """Set NAME=VALUE in OWNER's first BLOCK_TAG set (made when missing), replacing an existing pair."""
    block = owner.find(block_tag)
    if block is None:
        block = ET.SubElement(owner, block_tag, id=_uid(root, block_tag))
    for pair in block.findall("nvpair"):
        if pair.get("name") == name:
            pair.set("value", value)
            return
    ET.SubElement(block, "nvpair", id=_uid(root, name), name=name, value=value)


def _resources(root: ET.Element, tags: tuple[str, ...] = RESOURCE_TAGS) -> list[ET.Element]:
    section = root.find("configuration/resources")
    return [] if section is None else [el for el in section.iter() if el.tag in tags]


def _top_resources(root: ET.Element) -> list[ET.Element]:
    section = root.find("configuration/resources")
    return [] if section is None else [el for el in section if el.tag in RESOURCE_TAGS]


def _online_states(root: ET.Element) -> list[ET.Element]:
    return [ns for ns in root.iterfind("status/node_state")
            if ns.get("in_ccm") == "true" and ns.get("crmd") == "online"]


def _crm_config(root: ET.Element) -> ET.Element:
    config = root.find("configuration/crm_config")
    if config is None:
        configuration = root.find("configuration")
        config = ET.SubElement(root if configuration is None else configuration, "crm_config")
    props = config.find("cluster_property_set")
    if props is None:
        props = ET.SubElement(config, "cluster_property_set", id=_uid(root, "options"))
    return props


def _set_property(root: ET.Element, name: str, value: str) -> None:
    props = _crm_config(root)
    for pair in props.findall("nvpair"):
        if pair.get("name") == name:
            pair.set("value", value)
            return
    ET.SubElement(props, "nvpair", id=_uid(root, name), name=name, value=value)


def _node_element(root: ET.Element, uname: str) -> ET.Element | None:
    return next((n for n in root.iterfind("configuration/nodes/node") if n.get("uname") == uname), None)


def node_down(root: ET.Element, rng: random.Random, expected: str) -> str | None:
    states = _online_states(root)
    if len(states) < 2:  # keep one node up: a cluster of none tells nothing
        return None
    state = rng.choice(states)
    state.set("in_ccm", "false")
    state.set("crmd", "offline")
    state.set("join", "down")
    state.set("expected", expected)
    return f"node {state.get('uname')} {'offline' if expected == 'down' else 'unclean'}"


def node_attribute(root: ET.Element, rng: random.Random, name: str) -> str | None:
    nodes = [n for n in root.iterfind("configuration/nodes/node") if n.get("type", "member") == "member"]
    if len(nodes) < 2:
        return None
    node = rng.choice(nodes)
    _set_nvpair(root, node, "instance_attributes", name, "on")
    return f"node {node.get('uname')} {name}=on"


def _last_call_id(lrm_resource: ET.Element) -> int:
    return max((int(op.get("call-id", "0")) for op in lrm_resource.iter("lrm_rsc_op")
                if op.get("call-id", "0").lstrip("-").isdigit()), default=0)


def _add_failed_monitor(lrm_resource: ET.Element, rid: str, interval_ms: int, rc: str) -> None:
    """A recurring monitor of ``rid`` that returned ``rc`` (expected 0), recorded after every
    operation already in ``lrm_resource``, as Pacemaker records a monitor failure."""
    ET.SubElement(lrm_resource, "lrm_rsc_op", {
        "id": f"{rid}_last_failure_0", "operation_key": f"{rid}_monitor_{interval_ms}", "operation": "monitor",
        "crm-debug-origin": "fz", "crm_feature_set": "3.0.1",
        "transition-key": "9:9:0:fz000000-0000-0000-0000-000000000000",
        "transition-magic": f"0:{rc};9:9:0:fz000000-0000-0000-0000-000000000000",
        "call-id": str(_last_call_id(lrm_resource) + 1), "rc-code": rc, "op-status": "0",
        "interval": str(interval_ms), "last-rc-change": "1700000000", "exec-time": "0", "queue-time": "0"})


def _active_histories(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """(node_state, lrm_resource) pairs of online nodes whose newest op succeeded with a start/promote/monitor."""
    out = []
    for state in _online_states(root):
        for lrm_rsc in state.iterfind("lrm/lrm_resources/lrm_resource"):
            ops = sorted(lrm_rsc.iter("lrm_rsc_op"), key=lambda op: int(op.get("call-id", "0") or 0))
            if ops and ops[-1].get("rc-code") in ("0", "8") and ops[-1].get("operation") in (
                    "start", "promote", "monitor", "migrate_from"):
                out.append((state, lrm_rsc))
    return out


def _primitive_of(root: ET.Element, lrm_id: str) -> ET.Element | None:
    base = lrm_id.split(":", 1)[0]
    return next((p for p in _resources(root, ("primitive",)) if p.get("id") == base), None)


def resource_failure(root: ET.Element, rng: random.Random) -> str | None:
    pairs = _active_histories(root)
    if not pairs:
        return None
    state, lrm_rsc = rng.choice(pairs)
    rc = rng.choice(("1", "7", "8"))
    on_fail = rng.choice(("", "", "ignore", "block", "stop", "restart", "standby", "fence", "demote"))
    rid = lrm_rsc.get("id", "")
    primitive = _primitive_of(root, rid)
    if on_fail and primitive is not None:
        ops = primitive.find("operations")
        if ops is None:
            ops = ET.SubElement(primitive, "operations")
        monitor = next((op for op in ops.iterfind("op") if op.get("name") == "monitor"
                        and op.get("interval") in ("10s", "10", "10000ms")), None)
        if monitor is None:
            monitor = ET.SubElement(ops, "op", id=_uid(root, "mon"), name="monitor", interval="10s")
        monitor.set("on-fail", on_fail)
    _add_failed_monitor(lrm_rsc, rid, 10000, rc)
    where = f" on-fail={on_fail}" if on_fail and primitive is not None else ""
    return f"{rid} monitor rc={rc} on {state.get('uname')}{where}"


def fail_count(root: ET.Element, rng: random.Random) -> str | None:
    pairs = _active_histories(root)
    if not pairs:
        return None
    state, lrm_rsc = rng.choice(pairs)
    rid = lrm_rsc.get("id", "")
    count = rng.choice(("1", "3", "INFINITY"))
    transient = state.find("transient_attributes")
    if transient is None:
        transient = ET.SubElement(state, "transient_attributes", id=state.get("id", ""))
    _set_nvpair(root, transient, "instance_attributes", f"fail-count-{rid}#monitor_10000", count)
    _set_nvpair(root, transient, "instance_attributes", f"last-failure-{rid}#monitor_10000", "1700000000")
    threshold = rng.choice(("1", "2", "3", ""))
    what = f"fail-count {rid}={count} on {state.get('uname')}"
    primitive = _primitive_of(root, rid)
    if threshold and primitive is not None:
        _set_nvpair(root, primitive, "meta_attributes", "migration-threshold", threshold)
        what += f", migration-threshold={threshold}"
    if primitive is not None and rng.random() < 0.3:
        _set_nvpair(root, primitive, "meta_attributes", "failure-timeout", "60s")
        what += ", failure-timeout=60s"
    return what


def meta(root: ET.Element, rng: random.Random, name: str, values: tuple[str, ...],
         tags: tuple[str, ...] = RESOURCE_TAGS) -> str | None:
    candidates = _resources(root, tags)
    if not candidates:
        return None
    rsc = rng.choice(candidates)
    value = rng.choice(values)
    _set_nvpair(root, rsc, "meta_attributes", name, value)
    return f"{rsc.get('id')} {name}={value}"


def defaults_stickiness(root: ET.Element, rng: random.Random) -> str | None:
    config = root.find("configuration")
    if config is None:
        return None
    defaults = config.find("rsc_defaults")
    if defaults is None:
        defaults = ET.SubElement(config, "rsc_defaults")
    value = rng.choice(("0", "100", "INFINITY"))
    _set_nvpair(root, defaults, "meta_attributes", "resource-stickiness", value)
    return f"rsc_defaults resource-stickiness={value}"


def _is_promotable(clone: ET.Element) -> bool:
    """A master element, or a clone with the promotable meta attribute true."""
    return clone.tag == "master" or any(
        p.get("name") == "promotable" and p.get("value", "").lower() in ("true", "1", "yes")
        for p in clone.iter("nvpair"))


def clone_count(root: ET.Element, rng: random.Random) -> str | None:
    clones = _resources(root, ("clone", "master"))
    if not clones:
        return None
    clone = rng.choice(clones)
    promotable = _is_promotable(clone)
    names = ["clone-max", "clone-node-max"] + (["promoted-max", "promoted-node-max"] if promotable else [])
    name = rng.choice(names)
    value = rng.choice(("0", "1", "2", "3")) if name != "clone-node-max" else rng.choice(("1", "2"))
    _set_nvpair(root, clone, "meta_attributes", name, value)
    return f"{clone.get('id')} {name}={value}"


def constraint_score(root: ET.Element, rng: random.Random) -> str | None:
    scored = [c for c in root.iterfind("configuration/constraints/*")
              if c.tag in ("rsc_location", "rsc_colocation", "rsc_order") and c.get("score")]
    if not scored:
        return None
    con = rng.choice(scored)
    old = con.get("score", "0")
    flipped = old[1:] if old.startswith("-") else ("-" + old.lstrip("+"))
    value = rng.choice((flipped, "INFINITY", "-INFINITY", "0"))
    con.set("score", value)
    return f"{con.tag} {con.get('id')} score {old} -> {value}"


def order_kind(root: ET.Element, rng: random.Random) -> str | None:
    orders = list(root.iterfind("configuration/constraints/rsc_order"))
    if not orders:
        return None
    order = rng.choice(orders)
    if rng.random() < 0.35:
        order.set("symmetrical", "false")
        return f"rsc_order {order.get('id')} symmetrical=false"
    kind = rng.choice(("Optional", "Serialize", "Mandatory"))
    order.attrib.pop("score", None)
    order.set("kind", kind)
    return f"rsc_order {order.get('id')} kind={kind}"


def no_quorum(root: ET.Element, rng: random.Random) -> str | None:
    policy = rng.choice(("stop", "freeze", "ignore", "demote"))
    root.set("have-quorum", "0")
    _set_property(root, "no-quorum-policy", policy)
    return f"no quorum, no-quorum-policy={policy}"


def placement_strategy(root: ET.Element, rng: random.Random) -> str | None:
    value = rng.choice(("utilization", "minimal", "balanced"))
    _set_property(root, "placement-strategy", value)
    return f"placement-strategy={value}"


def allow_migrate(root: ET.Element, rng: random.Random) -> str | None:
    """A primitive outside clones that runs somewhere may migrate live, and is banned from its node."""
    pairs = [(state, lrm) for state, lrm in _active_histories(root) if ":" not in lrm.get("id", "")]
    prims = {p.get("id"): p for p in _resources(root, ("primitive",))}
    pairs = [(st, lrm) for st, lrm in pairs if lrm.get("id") in prims
             and prims[lrm.get("id")].get("class") == "ocf"]
    constraints = root.find("configuration/constraints")
    if not pairs or constraints is None:
        return None
    state, lrm = rng.choice(pairs)
    rid, node = lrm.get("id", ""), state.get("uname", "")
    _set_nvpair(root, prims[rid], "meta_attributes", "allow-migrate", "true")
    ET.SubElement(constraints, "rsc_location", id=_uid(root, "ban"), rsc=rid, node=node, score="-INFINITY")
    return f"{rid} allow-migrate=true, banned from {node}"


def interleave(root: ET.Element, rng: random.Random) -> str | None:
    clones = _resources(root, ("clone", "master"))
    if not clones:
        return None
    clone = rng.choice(clones)
    value = rng.choice(("true", "false"))
    _set_nvpair(root, clone, "meta_attributes", "interleave", value)
    return f"{clone.get('id')} interleave={value}"


def _promotable_clones(root: ET.Element) -> list[ET.Element]:
    return [c for c in _resources(root, ("clone", "master")) if _is_promotable(c)]


def colocation_promoted(root: ET.Element, rng: random.Random) -> str | None:
    """A top-level primitive colocated with (or away from) a promotable clone's promoted role."""
    clones = _promotable_clones(root)
    tops = [r for r in _top_resources(root) if r.tag == "primitive"]
    constraints = root.find("configuration/constraints")
    if not clones or not tops or constraints is None:
        return None
    clone, rsc = rng.choice(clones), rng.choice(tops)
    score = rng.choice(("INFINITY", "100", "-INFINITY"))
    ET.SubElement(constraints, "rsc_colocation", {"id": _uid(root, "coloc"), "rsc": rsc.get("id", ""),
                                                  "with-rsc": clone.get("id", ""), "with-rsc-role": "Promoted",
                                                  "score": score})
    return f"{rsc.get('id')} with {clone.get('id')}:Promoted score {score}"


def resource_discovery(root: ET.Element, rng: random.Random) -> str | None:
    """A location with resource-discovery=never (or exclusive) for a top-level resource on a node."""
    tops = _top_resources(root)
    nodes = [n.get("uname", "") for n in root.iterfind("configuration/nodes/node")
             if n.get("type", "member") == "member"]
    constraints = root.find("configuration/constraints")
    if not tops or not nodes or constraints is None:
        return None
    rsc, node = rng.choice(tops), rng.choice(nodes)
    kind = rng.choice(("never", "never", "exclusive"))
    score = rng.choice(("0", "100", "-INFINITY"))
    ET.SubElement(constraints, "rsc_location", {"id": _uid(root, "disc"), "rsc": rsc.get("id", ""), "node": node,
                                                "score": score, "resource-discovery": kind})
    return f"{rsc.get('id')} resource-discovery={kind} on {node} score {score}"


def node_attribute_rule(root: ET.Element, rng: random.Random) -> str | None:
    """A node attribute, and a location rule on a top-level resource that reads it."""
    nodes = [n for n in root.iterfind("configuration/nodes/node") if n.get("type", "member") == "member"]
    tops = _top_resources(root)
    constraints = root.find("configuration/constraints")
    if len(nodes) < 2 or not tops or constraints is None:
        return None
    node, rsc = rng.choice(nodes), rng.choice(tops)
    value = rng.choice(("a", "b"))
    _set_nvpair(root, node, "instance_attributes", "fz-site", value)
    score = rng.choice(("100", "INFINITY", "-INFINITY"))
    op = rng.choice(("eq", "ne", "defined"))
    location = ET.SubElement(constraints, "rsc_location", id=_uid(root, "site"), rsc=rsc.get("id", ""))
    rule = ET.SubElement(location, "rule", id=_uid(root, "site-rule"), score=score)
    expr = {"id": _uid(root, "site-expr"), "attribute": "fz-site", "operation": op}
    if op != "defined":
        expr["value"] = "a"
    ET.SubElement(rule, "expression", expr)
    return f"node {node.get('uname')} fz-site={value}; {rsc.get('id')} rule fz-site {op} a: {score}"


def remote_down(root: ET.Element, rng: random.Random) -> str | None:
    """A running remote connection (ocf:pacemaker:remote) fails its monitor: the remote node goes down."""
    remotes = {p.get("id") for p in _resources(root, ("primitive",))
               if (p.get("class"), p.get("provider"), p.get("type")) == ("ocf", "pacemaker", "remote")}
    pairs = [(st, lrm) for st, lrm in _active_histories(root) if lrm.get("id") in remotes]
    if not pairs:
        return None
    state, lrm = rng.choice(pairs)
    rid = lrm.get("id", "")
    rc = rng.choice(("1", "7"))
    _add_failed_monitor(lrm, rid, 60000, rc)
    return f"remote connection {rid} monitor rc={rc} on {state.get('uname')}"


# Mutations added after the seeded sets were fixed: only with ``generate(..., extended=True)``
# (differential.py --extended), so the default sets (the test suite's, seed 100's) stay the same.
EXTENDED_MUTATIONS: dict[str, Mutation] = {
    "allow-migrate": allow_migrate,
    "interleave": interleave,
    "coloc-promoted": colocation_promoted,
    "resource-discovery": resource_discovery,
    "node-attr-rule": node_attribute_rule,
    "remote-down": remote_down,
}


MUTATIONS: dict[str, Mutation] = {
    "node-offline": lambda root, rng: node_down(root, rng, "down"),
    "node-unclean": lambda root, rng: node_down(root, rng, "member"),
    "node-standby": lambda root, rng: node_attribute(root, rng, "standby"),
    "node-maintenance": lambda root, rng: node_attribute(root, rng, "maintenance"),
    "rsc-failure": resource_failure,
    "fail-count": fail_count,
    "stickiness": lambda root, rng: meta(root, rng, "resource-stickiness", ("0", "50", "INFINITY", "-100")),
    "defaults-stickiness": defaults_stickiness,
    "clone-count": clone_count,
    "target-role": lambda root, rng: meta(root, rng, "target-role", ("Stopped", "Unpromoted", "Started",
                                                                     "Promoted")),
    "unmanaged": lambda root, rng: meta(root, rng, "is-managed", ("false",)),
    "rsc-maintenance": lambda root, rng: meta(root, rng, "maintenance", ("true",)),
    "requires": lambda root, rng: meta(root, rng, "requires", ("nothing", "quorum", "fencing"), ("primitive",)),
    "constraint-score": constraint_score,
    "order-kind": order_kind,
    "no-quorum": no_quorum,
    "placement-strategy": placement_strategy,
}


def generate(xml_dir: Path, names: list[str], seed: int, count: int,
             kinds: list[str] | None = None, extended: bool = False) -> list[Variant]:
    """COUNT variants of the cases NAMES (files ``xml_dir/NAME.xml``), reproducibly from SEED;
    ``extended``: drawn from the later mutation kinds too (``EXTENDED_MUTATIONS``)."""
    rng = random.Random(seed)
    table = {**MUTATIONS, **EXTENDED_MUTATIONS} if extended or (kinds and set(kinds) - set(MUTATIONS)) else MUTATIONS
    kinds = sorted(kinds or table)
    names = sorted(names)
    out: list[Variant] = []
    for i in range(count):
        for _ in range(ATTEMPTS):
            case = rng.choice(names)
            kind = rng.choice(kinds)
            root = ET.parse(xml_dir / f"{case}.xml").getroot()
            description = table[kind](root, rng)
            if description is not None:
                out.append(Variant(f"{seed}-{i}-{case}-{kind}", case, kind, description,
                                   ET.tostring(root, encoding="unicode")))
                break
    return out
