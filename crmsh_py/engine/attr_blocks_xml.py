"""Attribute blocks read straight from CIB XML (status displays, node attributes).

The common case, at most one block and no rules, is read here directly; several blocks or rules
go through the full resolver (``crmsh_py.cib.attr_sets``: scores, rules, ``#default``),
imported only then so that showing the status does not load the rule evaluator.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib.vocabulary import AgentKey as AgentKey  # re-exported for the displays


def resolve_xml(parent: ET.Element | None, tag: str, now: int, rsc: AgentKey | None = None,
                first: str | None = None) -> dict[str, str]:
    """The name/value pairs the ``tag`` blocks of ``parent`` give at ``now``."""
    if parent is None:
        return {}
    blocks = parent.findall(tag)
    if len(blocks) <= 1 and all(el.find("rule") is None for el in blocks):
        out: dict[str, str] = {}
        for el in blocks:
            for nv in el.findall("nvpair"):
                name, value = nv.get("name"), nv.get("value", "")
                if not name:
                    continue
                if value.lower() == "#default":
                    out.pop(name, None)  # "#default" unsets the name
                else:
                    out.setdefault(name, value)
        return out
    from crmsh_py.cib.xml_rules import attr_set_from_xml
    from crmsh_py.cib import attr_sets

    return attr_sets.resolve([attr_set_from_xml(el, {}) for el in blocks], now, rsc, first)
