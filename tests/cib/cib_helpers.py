"""Test helpers for the CIB XML tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crmsh_py.cib.model import ElementBase, ResourceRef
from crmsh_py.records import fields, is_record


def strip_generated_ids(obj: object) -> None:
    """Set every optional sub-element id to None, as a parsed crm text would leave them.

    Top-level ids (``ElementBase.id``) and references stay.
    """
    if isinstance(obj, list):
        for item in obj:
            strip_generated_ids(item)
        return
    if not is_record(obj) or isinstance(obj, ResourceRef):
        return
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name == "id" and not isinstance(obj, ElementBase):
            setattr(obj, f.name, None)
        else:
            strip_generated_ids(value)


def canonical(el: ET.Element) -> str:
    """Text of an element with attributes sorted and whitespace dropped (order-insensitive
    attributes, order-sensitive children)."""
    parts: list[str] = []

    def walk(node: ET.Element, depth: int) -> None:
        if node.tag is ET.Comment:
            parts.append("  " * depth + f"<!--{node.text}-->")
            return
        attrs = " ".join(f'{k}="{v}"' for k, v in sorted(node.attrib.items()))
        parts.append("  " * depth + f"<{node.tag} {attrs}>".replace(" >", ">"))
        for child in node:
            walk(child, depth + 1)

    walk(el, 0)
    return "\n".join(parts)
