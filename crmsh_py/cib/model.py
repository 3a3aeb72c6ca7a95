"""The configuration model: plain data classes, one per crm configuration element.

This module is the contract between the language layer (``crmsh_py.lang``: text <-> model), the XML
layer (``crmsh_py.cib.xmlio``: model <-> CIB XML) and the engine (which reads the model to schedule).
No lark or XML types appear here.

Conventions:
- Every id that the user may leave out is ``str | None``; ``None`` means "generate it the way
  crmsh does" when writing XML and "do not show it" when writing text.
- Scores are kept as the user's canonical string (``"100"``, ``"INFINITY"``, ``"-INFINITY"``);
  :func:`crmsh_py.cib.scores.score_value` turns them into integers for the scheduler.
- Order of lists is meaningful and preserved (it is how crmsh shows them).
- ``comments`` are the ``#`` lines (verbatim) above an element, stored in XML as comments inside it.
- The classes are :func:`crmsh_py.records.record` classes, not dataclasses: every one-shot imports
  this module, and creating its 35 dataclasses was most of their start-up.
"""

from __future__ import annotations

from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Literal, TypeVar

# --------------------------------------------------------------------------- building blocks


@record
class NVPair:
    """One ``name=value`` pair (an ``nvpair`` in XML).  ``value`` is None for a bare name."""

    name: str
    value: str | None
    id: str | None = None


@record
class Expression:
    """``attribute OP value`` in a rule; ``OP`` is one of lt gt lte gte eq ne, or
    ``defined``/``not_defined`` (then ``value`` is None).  ``type`` is string/number/integer/version
    when the user wrote ``string:eq`` style typed comparisons; ``value_source`` is param/meta/literal.
    """

    attribute: str
    operation: str
    value: str | None = None
    type: str | None = None
    value_source: str | None = None
    id: str | None = None


@record
class DateSpec:
    """A ``date_spec``/``duration``: fields such as hours, monthdays, weekdays, years, ..."""

    fields: list[NVPair] = field(default_factory=list)
    id: str | None = None


@record
class DateExpression:
    """``date gt|lt|in start=... end=...|duration ...|date_spec ...``.

    ``operation`` is Pacemaker's: ``gt``, ``lt``, ``in_range`` or ``date_spec``.
    """

    operation: str
    start: str | None = None
    end: str | None = None
    duration: DateSpec | None = None
    date_spec: DateSpec | None = None
    id: str | None = None


@record
class RscExpression:
    """``<rsc_expression class= provider= type=>``: matches resources by agent (rsc_defaults and
    op_defaults rules only); an absent field matches anything."""

    standard: str | None = None
    provider: str | None = None
    type: str | None = None
    id: str | None = None


@record
class OpExpression:
    """``<op_expression name= interval=>``: matches operations (op_defaults rules only)."""

    name: str = ""
    interval: str | None = None
    id: str | None = None


@record
class Rule:
    """A rule: ``rule [$id=..] [$role=..] score|score-attribute: expr [and|or expr ...]``.

    ``boolean_op`` is ``and``/``or`` (None when there is a single expression).  ``score`` is None for
    rules inside attribute sets that carry no score.
    """

    expressions: list[RuleExpression] = field(default_factory=list)
    score: str | None = None
    score_attribute: str | None = None
    role: str | None = None
    boolean_op: str | None = None
    id: str | None = None
    id_ref: str | None = None  # ``rule $id-ref=...``


# The unions are built with ``|`` (types.UnionType, no typing import); other modules import them.
RuleExpression = Expression | DateExpression | RscExpression | OpExpression | Rule


if TYPE_CHECKING:
    AttrSetKind = Literal["params", "meta", "utilization", "attributes", "op_params", "op_meta"]


@record
class AttrSet:
    """A set of nvpairs: ``params``, ``meta``, ``utilization``, node ``attributes``.

    Maps to ``instance_attributes``/``meta_attributes``/``utilization`` in XML.  A set may carry an
    id (``$id=``), an id-ref (``$id-ref=``), a score (``$score=``) and rules.
    """

    kind: str
    nvpairs: list[NVPair] = field(default_factory=list)
    id: str | None = None
    id_ref: str | None = None
    score: str | None = None
    rules: list[Rule] = field(default_factory=list)


@record
class Op:
    """``op NAME interval=.. timeout=.. [attr=..] [op_params ...] [op_meta ...]``.

    ``attributes`` holds the XML attributes of ``<op>`` other than id, name, interval
    (timeout, on-fail, role, start-delay, requires, ...), in the order the user gave them.
    ``interval_index``: how many attributes were written before ``interval`` (crmsh keeps that
    order; ``op start timeout=30 interval=0`` has 1).  Unused when ``interval`` is None.
    """

    name: str
    interval: str | None = None
    attributes: list[NVPair] = field(default_factory=list)
    attr_sets: list[AttrSet] = field(default_factory=list)
    id: str | None = None
    interval_index: int = 0


@record
class ElementBase:
    """Fields every top-level element has."""

    id: str
    comments: list[str] = field(default_factory=list, kw_only=True)


# --------------------------------------------------------------------------- nodes and resources


@record
class Node(ElementBase):
    """``node [$id=UUID] NAME[:type] [description=..] [attributes ..] [utilization ..]``.

    ``id`` is the node's uname; ``node_id`` the XML id (uuid or number); ``type`` member/remote/ping.
    """

    node_id: str | None = None
    type: str | None = None
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)


@record
class Agent:
    """A resource agent name: ``ocf:heartbeat:Dummy``, ``stonith:external/ssh``, ``lsb:apache``."""

    ra_class: str
    ra_type: str
    provider: str | None = None

    def __str__(self) -> str:
        if self.provider:
            return f"{self.ra_class}:{self.provider}:{self.ra_type}"
        return f"{self.ra_class}:{self.ra_type}"


@record
class Primitive(ElementBase):
    """``primitive ID AGENT|@TEMPLATE [description=..] [params ..] [meta ..] [utilization ..] [op ..]``.

    Exactly one of ``agent`` and ``template`` is set (a primitive from a template may also have
    none of its own agent).  ``operations_id`` is the ``operations $id=`` of the op list.
    ``ops_index``: how many ``attr_sets`` come before the op block (crmsh keeps the written/XML
    order); None means after all the sets.
    """

    agent: Agent | None = None
    template: str | None = None
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    operations_id: str | None = None
    operations_id_ref: str | None = None
    ops_index: int | None = None

    def sets_around_ops(self) -> tuple[list[AttrSet], list[AttrSet]]:
        """The attribute sets shown before and after the op block."""
        if self.ops_index is None:
            return self.attr_sets, []
        cut = min(max(self.ops_index, 0), len(self.attr_sets))
        return self.attr_sets[:cut], self.attr_sets[cut:]


@record
class RscTemplate(Primitive):
    """``rsc_template ID AGENT ...``: same shape as a primitive, always with an agent."""


@record
class Group(ElementBase):
    """``group ID RSC [RSC ...] [description=..] [params ..] [meta ..]``."""

    children: list[str] = field(default_factory=list)
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)


@record
class Clone(ElementBase):
    """``clone ID RSC [meta ..]`` or legacy ``ms``/``master ID RSC`` (``legacy_ms=True``).

    A promotable clone is a clone with ``meta promotable=true``.
    """

    child: str = ""
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)
    legacy_ms: bool = False


@record
class BundlePart:
    """One bundle sub-element: ``docker|podman|rkt|network|port-mapping|storage|storage-mapping``
    with its XML attributes in order.  Port mappings and storage mappings may repeat.
    """

    kind: str
    attributes: list[NVPair] = field(default_factory=list)


@record
class Bundle(ElementBase):
    """``bundle ID docker|podman|rkt k=v.. [network ..] [port-mapping ..] [storage ..]
    [primitive RSC] [meta ..]``."""

    parts: list[BundlePart] = field(default_factory=list)
    primitive: str | None = None
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)
    # the primitive came before the attribute sets (in the line or the XML): crmsh keeps that
    # order in the XML it writes and in what it shows
    primitive_first: bool = True


# --------------------------------------------------------------------------- constraints


@record
class ResourceRef:
    """A resource in a constraint, optionally with a role (``db:Promoted``) or action
    (``db:start``) after the colon.
    """

    id: str
    role_or_action: str | None = None


@record
class ResourceSet:
    """A resource set: ``( a b )`` (sequential=false), ``[ a b ]`` (require-all=false) or, in
    location constraints, ``{ a b }``.  ``attributes`` are extra set options such as
    ``sequential=true``, ``require-all=false``, ``action=start``, ``role=Promoted`` written inside
    the brackets (crmsh syntax).  ``resources`` are plain ids; a role/action on the set as a whole
    is given by a suffix on its members in crm text and kept in ``role``/``action``.
    """

    resources: list[str] = field(default_factory=list)
    bracket: Literal["(", "[", "{", ""] = ""
    role: str | None = None
    action: str | None = None
    attributes: list[NVPair] = field(default_factory=list)
    id: str | None = None


ConstraintItem = ResourceRef | ResourceSet


@record
class Location(ElementBase):
    """``location ID RSC|/REGEX/|{ set } [role=..] [resource-discovery=..] SCORE: NODE | rule ...``.

    ``resources`` is a single ResourceRef, a ResourceSet, or None with ``rsc_pattern`` set.
    """

    resource: ResourceRef | None = None
    rsc_pattern: str | None = None
    resource_sets: list[ResourceSet] = field(default_factory=list)
    score: str | None = None
    node: str | None = None
    role: str | None = None
    resource_discovery: str | None = None
    rules: list[Rule] = field(default_factory=list)
    # `location ID RSC WORD: NODE` with a WORD that is no score: crmsh takes it as the name of a
    # node attribute holding the score (which Pacemaker's schema allows only on rules)
    score_attribute: str | None = None


@record
class Colocation(ElementBase):
    """``colocation ID SCORE: RSC[:role] RSC[:role] ...|sets [node-attribute=..]``."""

    score: str = "INFINITY"
    items: list[ConstraintItem] = field(default_factory=list)
    node_attribute: str | None = None
    influence: str | None = None  # XML only: whether the dependent may move the primary


@record
class Order(ElementBase):
    """``order ID [KIND|SCORE:] RSC[:action] RSC[:action] ...|sets [symmetrical=..]``.

    ``kind`` is Mandatory/Optional/Serialize; ``score`` is the legacy score form; at most one
    of them is set.
    """

    kind: str | None = None
    score: str | None = None
    items: list[ConstraintItem] = field(default_factory=list)
    symmetrical: str | None = None
    require_all: str | None = None  # ``require-all`` of a plain order (first a clone: any instance will do)


@record
class RscTicket(ElementBase):
    """``rsc_ticket ID TICKET: RSC[:role] ... [loss-policy=..]``."""

    ticket: str = ""
    items: list[ConstraintItem] = field(default_factory=list)
    loss_policy: str | None = None


# --------------------------------------------------------------------------- cluster-wide sets


@record
class ClusterSet(ElementBase):
    """``property|rsc_defaults|op_defaults [NAME:|$id=ID] [rule ..] k=v ...``.

    ``kind`` is ``property``, ``rsc_defaults`` or ``op_defaults``; ``id`` is the set id
    (``cib-bootstrap-options``, ``rsc-options``, ``op-options`` by default).
    """

    kind: Literal["property", "rsc_defaults", "op_defaults"] = "property"
    nvpairs: list[NVPair] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    score: str | None = None


@record
class FencingLevel:
    """One fencing level: target (node name, ``attr=value`` or ``regexp%...``), index, devices."""

    target: str | None = None
    target_attribute: str | None = None
    target_value: str | None = None
    target_pattern: str | None = None
    index: int = 1
    devices: list[str] = field(default_factory=list)
    id: str | None = None


@record
class FencingTopology(ElementBase):
    """``fencing_topology [TARGET: ]DEV[,DEV] ...``.  Its ``id`` is always ``fencing_topology``."""

    levels: list[FencingLevel] = field(default_factory=list)


@record
class Tag(ElementBase):
    """``tag ID: RSC ...`` (also accepted without the colon)."""

    refs: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- ACLs and alerts


@record
class AclRule:
    """One ACL permission: ``read|write|deny`` with ``xpath:``, ``ref:``, ``tag:``/``attr:`` or a
    crmsh shortcut such as ``meta:rsc:attr`` (kept as ``spec`` text)."""

    right: str
    xpath: str | None = None
    reference: str | None = None
    object_type: str | None = None
    attribute: str | None = None
    id: str | None = None


@record
class Role(ElementBase):
    """``role ID RULE ...``."""

    rules: list[AclRule] = field(default_factory=list)


@record
class AclTarget(ElementBase):
    """``acl_target ID ROLE ...`` (Pacemaker 2 ACLs)."""

    roles: list[str] = field(default_factory=list)


@record
class AclGroup(ElementBase):
    """``acl_group ID ROLE ...``."""

    roles: list[str] = field(default_factory=list)


@record
class User(ElementBase):
    """Legacy ``user ID role:ROLE ...|RULE ...``."""

    roles: list[str] = field(default_factory=list)
    rules: list[AclRule] = field(default_factory=list)


@record
class AlertRecipient:
    """``to [{] VALUE [attributes ..] [meta ..] [}]`` in an alert."""

    value: str
    attr_sets: list[AttrSet] = field(default_factory=list)
    id: str | None = None


@record
class Alert(ElementBase):
    """``alert ID PATH [attributes ..] [meta ..] [select ..] [to ...]``."""

    path: str = ""
    description: str | None = None
    attr_sets: list[AttrSet] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    select_attributes: list[str] = field(default_factory=list)
    recipients: list[AlertRecipient] = field(default_factory=list)
    # crmsh keeps the written/XML order of the parts: one entry per part, "set" (an entry of
    # attr_sets), "select" or "to" (a recipient).  Empty: sets, select, then recipients.
    part_order: list[str] = field(default_factory=list)

    def parts_in_order(self) -> list[str]:
        """``part_order`` when it matches the parts, else the default order."""
        default = ["set"] * len(self.attr_sets)
        if self.select or self.select_attributes:
            default.append("select")
        default += ["to"] * len(self.recipients)
        if sorted(self.part_order) == sorted(default):
            return self.part_order
        return default

    def record_part_order(self, order: list[str]) -> None:
        """Keep ``order`` as ``part_order``, or nothing when it is the default order."""
        self.part_order = []
        self.part_order = [] if self.parts_in_order() == order else list(order)


@record
class RawXml(ElementBase):
    """``xml <...>``: an element given as raw XML.  ``tag`` is the XML tag, ``xml`` the text."""

    tag: str = ""
    xml: str = ""


Element = (
    Node
    | Primitive
    | RscTemplate
    | Group
    | Clone
    | Bundle
    | Location
    | Colocation
    | Order
    | RscTicket
    | ClusterSet
    | FencingTopology
    | Tag
    | Role
    | AclTarget
    | AclGroup
    | User
    | Alert
    | RawXml
)

ResourceElement = Primitive | Group | Clone | Bundle

if TYPE_CHECKING:
    _E = TypeVar("_E")  # an element class asked of Configuration.of_type


@record
class Configuration:
    """A whole ``<configuration>``: elements in CIB order.  Status is not part of the model."""

    elements: list[Element] = field(default_factory=list)

    def find(self, element_id: str) -> Element | None:
        """The element with this id, or None (linear; callers that loop should index themselves)."""
        for element in self.elements:
            if element.id == element_id:
                return element
        return None

    def of_type(self, cls: type[_E]) -> list[_E]:
        """All elements that are instances of ``cls``, in order."""
        return [e for e in self.elements if isinstance(e, cls)]
