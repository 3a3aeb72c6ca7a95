"""How crmsh 4.4 derives XML ids for the parts of an element the user did not name.

Facts (checked against crmsh 4.4.1 with ``CIB_file``):

- An id is built from the id of the nearest ancestor that has one (the *prefix*) plus a suffix
  that depends on the XML tag: ``instance_attributes``, ``meta_attributes``, ``utilization``,
  ``rule``, ``expression`` (also for ``date_expression``), ``duration``, ``date_spec``.
  Tags without such a suffix (``resource_set``, ``acl_permission``, ``port-mapping``,
  ``storage-mapping``, alert ``attribute``, ``fencing-level``) use the bare prefix, which is
  always taken already, so they end up ``PREFIX-0``, ``PREFIX-1``, ... (see :func:`unique`).
- ``nvpair``: ``SETID-NAME``; ``op``: ``RSC-NAME-INTERVAL`` (interval text as written, so
  ``interval=0`` gives ``dummy-start-0`` and ``interval=10s`` gives ``dummy-monitor-10s``), or
  ``RSC-NAME`` when the op has no interval.
- A prefix made of digits only becomes ``num-DIGITS`` (nodes excepted).
- A taken candidate gets ``-0``, ``-1``, ... appended (first free; crmsh gives up after 99 tries
  and then keeps the candidate, we do the same).
- Cluster-wide sets default to ``cib-bootstrap-options``, ``rsc-options``, ``op-options``;
  a node's id defaults to its uname; fencing levels use the prefix ``fencing``; alert
  recipients are ``ALERT-recipient-N`` counting from 1.

Nothing here mutates its arguments except :func:`claim`, which records the id it returns.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Collection, MutableSet


# Model attribute-set kinds and XML tags -> the XML tag crmsh stores them under.
_SET_TAG: dict[str, str] = {
    "params": "instance_attributes",
    "attributes": "instance_attributes",
    "op_params": "instance_attributes",
    "instance_attributes": "instance_attributes",
    "meta": "meta_attributes",
    "op_meta": "meta_attributes",
    "meta_attributes": "meta_attributes",
    "utilization": "utilization",
}

# Id suffix per XML tag (crmsh's "sub-prefix"); tags absent from this table use the bare prefix.
SUFFIX_BY_TAG: dict[str, str] = {
    "instance_attributes": "instance_attributes",
    "meta_attributes": "meta_attributes",
    "utilization": "utilization",
    "operations": "ops",
    "rule": "rule",
    "expression": "expression",
    "date_expression": "expression",
    "duration": "duration",
    "date_spec": "date_spec",
}

# Default ids of the cluster-wide sets, by crm element kind.
DEFAULT_SET_IDS: dict[str, str] = {
    "property": "cib-bootstrap-options",
    "rsc_defaults": "rsc-options",
    "op_defaults": "op-options",
}

FENCING_PREFIX = "fencing"
FENCING_TOPOLOGY_ID = "fencing_topology"

_MAX_TRIES = 99


def prefix(parent_id: str) -> str:
    """The prefix crmsh uses for ids derived from ``parent_id``: ``num-`` before all-digit ids."""
    digits = parent_id[:-1] if parent_id.endswith("\n") else parent_id  # (as ``^\d+$`` read it)
    if digits.isdecimal():
        return f"num-{parent_id}"
    return parent_id


def set_tag(kind: str) -> str:
    """XML tag of an attribute set given its model kind (``params`` -> ``instance_attributes``)."""
    try:
        return _SET_TAG[kind]
    except KeyError:
        raise ValueError(f"unknown attribute set kind: {kind}") from None


def child_id(parent_id: str, tag: str) -> str:
    """Generated id (before uniqueness) of a child with XML ``tag`` under ``parent_id``."""
    suffix = SUFFIX_BY_TAG.get(tag, "")
    base = prefix(parent_id)
    return f"{base}-{suffix}" if suffix else base


def attr_set_id(parent_id: str, kind: str) -> str:
    """``dummy-instance_attributes``, ``dummy-meta_attributes``, ``node1-utilization``, ...

    ``kind`` is a model kind (params/meta/utilization/attributes/op_params/op_meta) or XML tag.
    For op sets the parent is the op id (``dummy-start-0-instance_attributes``).
    """
    return child_id(parent_id, set_tag(kind))


def nvpair_id(set_id: str, name: str) -> str:
    """``SETID-NAME``, e.g. ``cib-bootstrap-options-stonith-enabled``."""
    return f"{prefix(set_id)}-{name}"


def op_id(rsc_id: str, op_name: str, interval: str | None) -> str:
    """``dummy-monitor-10s``; ``dummy-start-0`` for ``interval=0``; ``dummy-stop`` without one."""
    base = prefix(rsc_id)
    if interval:
        return f"{base}-{op_name}-{interval}"
    return f"{base}-{op_name}"


def rule_id(parent_id: str) -> str:
    """``l1-rule`` for a rule in location ``l1``; ``d2-instance_attributes-rule`` in a set."""
    return child_id(parent_id, "rule")


def expression_id(rule_id_: str) -> str:
    """``l1-rule-expression`` (for both ``expression`` and ``date_expression``)."""
    return child_id(rule_id_, "expression")


def default_set_id(kind: str) -> str:
    """``cib-bootstrap-options`` (property), ``rsc-options``, ``op-options``."""
    try:
        return DEFAULT_SET_IDS[kind]
    except KeyError:
        raise ValueError(f"no default set id for {kind}") from None


def node_id(uname: str) -> str:
    """A node's XML id when none is given: its uname."""
    return uname


def recipient_id(alert_id: str, index: int) -> str:
    """``a1-recipient-1`` for the first recipient (``index`` counts from 1)."""
    return f"{prefix(alert_id)}-recipient-{index}"


def unique(candidate: str, taken: Collection[str]) -> str:
    """``candidate`` if free, else the first free of ``candidate-0`` .. ``candidate-98``.

    Sub-elements without a suffix (resource sets, ACL permissions, port mappings) are generated
    from their parent's id, which is taken, so the first is ``PARENT-0``.
    """
    if candidate not in taken:
        return candidate
    for count in range(_MAX_TRIES):
        attempt = f"{candidate}-{count}"
        if attempt not in taken:
            return attempt
    return candidate


def claim(candidate: str, taken: MutableSet[str]) -> str:
    """Like :func:`unique`, and add the chosen id to ``taken``."""
    chosen = unique(candidate, taken)
    taken.add(chosen)
    return chosen
