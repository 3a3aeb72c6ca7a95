"""Writers for bundles, ACL elements and alerts (see :mod:`crmsh_py.lang.writer` for the rest)."""

from __future__ import annotations

from crmsh_py.cib import ids
from crmsh_py.cib.model import AclGroup, AclRule, AclTarget, Alert, Bundle, Role, User
from crmsh_py.lang import acl
from crmsh_py.lang.quoting import nvpair, quote
from crmsh_py.lang.write_parts import ALERT_SETS as _ALERT_SETS
from crmsh_py.lang.write_parts import RESOURCE_SETS as _RESOURCE_SETS
from crmsh_py.lang.write_parts import WriteContext
from crmsh_py.lang.write_parts import description_lines as _description
from crmsh_py.lang.write_parts import element_sets as _sets

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any


def bundle_lines(e: Bundle, ctx: WriteContext) -> list[str]:
    """A bundle: containers, then network/storage with their mappings, then the primitive and the
    sets in their XML order."""
    lines = ["bundle " + e.id, *_description(e.description)]
    mapping_count = 0

    def part_words(kind: str, attrs: list[Any]) -> list[str]:
        nonlocal mapping_count
        words = [kind, *(nvpair(a.name, a.value) for a in attrs)]
        if kind in ("port-mapping", "storage-mapping"):
            # crmsh shows a mapping's id like any attribute; generate it when absent.
            if not any(a.name == "id" for a in attrs):
                words.append(f"id={ids.prefix(e.id)}-{mapping_count}")
            mapping_count += 1
        return words

    containers = [p for p in e.parts if p.kind not in ("network", "port-mapping", "storage", "storage-mapping")]
    for part in containers:
        lines.append(" ".join(part_words(part.kind, part.attributes)))
    for owner, child in (("network", "port-mapping"), ("storage", "storage-mapping")):
        owned = [p for p in e.parts if p.kind in (owner, child)]
        if not owned:
            continue
        words = [owner]
        for part in owned:
            if part.kind == owner:
                words.extend(nvpair(a.name, a.value) for a in part.attributes)
        for part in owned:
            if part.kind == child:
                words.extend(part_words(child, part.attributes))
        lines.append(" ".join(words))
    primitive = [f"primitive {e.primitive}"] if e.primitive else []
    sets = _sets(_RESOURCE_SETS, e.attr_sets, ctx)
    # crmsh shows the primitive and the sets in the order its XML has them
    lines += primitive + sets if e.primitive_first else sets + primitive
    return lines



def acl_rule_text(rule: AclRule) -> str:
    """``read|write|deny`` followed by ``xpath:``/shortcut, ``ref:``, ``attr:``, ``type:``."""
    words = [rule.right]
    if rule.xpath is not None:
        words.append(acl.show_xpath(rule.xpath))
    if rule.reference is not None:
        words.append(f"ref:{rule.reference}")
    if rule.attribute is not None:
        words.append(f"attr:{rule.attribute}")
    if rule.object_type is not None:
        words.append(f"type:{rule.object_type}")
    return " ".join(words)


def legacy_acl_rule_text(rule: AclRule) -> str:
    """Pre-Pacemaker-1.1.12 form used by ``user``: ``xpath:``, ``ref:``, ``tag:``, ``attribute:``."""
    words = [rule.right]
    if rule.xpath is not None:
        words.append(acl.show_xpath(rule.xpath))
    if rule.reference is not None:
        words.append(f"ref:{rule.reference}")
    if rule.object_type is not None:
        words.append(f"tag:{rule.object_type}")
    if rule.attribute is not None:
        words.append(f"attribute:{rule.attribute}")
    return " ".join(words)


def role_lines(e: Role, ctx: WriteContext) -> list[str]:
    """A role: its ACL rules."""
    return [f"role {e.id}", *(acl_rule_text(r) for r in e.rules)]


def acl_target_lines(e: AclTarget | AclGroup, ctx: WriteContext) -> list[str]:
    """An acl_target or acl_group: the roles it has."""
    return [f"{'acl_group' if isinstance(e, AclGroup) else 'acl_target'} {e.id}", *e.roles]


def user_lines(e: User, ctx: WriteContext) -> list[str]:
    """A legacy user: ``role:NAME`` words, then its own rules in the legacy form."""
    return [f"user {e.id}", *(f"role:{r}" for r in e.roles), *(legacy_acl_rule_text(r) for r in e.rules)]


def _select_text(e: Alert) -> str:
    words = ["select"]
    names = list(e.select)
    if e.select_attributes and "attributes" not in names:
        names.append("attributes")
    for name in names:
        words.append(name)
        if name == "attributes":
            words += ["{", *e.select_attributes, "}"]
    return " ".join(words)


def alert_lines(e: Alert, ctx: WriteContext) -> list[str]:
    """Parts in their written/XML order, as crmsh shows them: once an alert-level set follows a
    recipient, every recipient is braced (else the set would read as the recipient's)."""
    head = [f"alert {e.id} {quote(e.path)}", *_description(e.description)]
    order = e.parts_in_order()
    first_to = order.index("to") if "to" in order else len(order)
    braced = "set" in order[first_to:]
    sets, recipients = iter(e.attr_sets), iter(e.recipients)
    lines: list[str] = []
    for part in order:
        if part == "set":
            lines += _sets(_ALERT_SETS, [next(sets)], ctx)
        elif part == "select":
            lines.append(_select_text(e))
        else:
            recipient = next(recipients)
            words = ["to", quote(recipient.value), *_sets(_ALERT_SETS, recipient.attr_sets, ctx)]
            if braced:
                words[1:1] = ["{"]
                words.append("}")
            lines.append(" ".join(words))
    return head + lines

