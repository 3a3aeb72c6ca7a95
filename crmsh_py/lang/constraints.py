"""Builders for the less regular parts of the language: resource sets, fencing levels, ACL specs."""

from __future__ import annotations

from typing import Any, Callable

from crmsh_py.cib.model import AclRule, ConstraintItem, FencingLevel, NVPair, ResourceRef, ResourceSet
from crmsh_py.lang import acl
from crmsh_py.lang.keywords import SET_OPTIONS as SET_OPTIONS
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.values import SemanticError, ref_parts, split_pair
from crmsh_py.records import field, record


@record
class Bracketed:
    """A bracketed group in a constraint, as parsed: ``( a b:Promoted sequential=true )``."""

    bracket: str
    items: list[Word] = field(default_factory=list)
    close: Word | None = None


Suffix = Callable[[Word, str], str]
RSC_SET_MARKER = "_rsc_set_"


def constraint_items(items: list[Any], simple_count: int, suffix: Suffix, suffix_field: str) -> list[ConstraintItem]:
    """Turn constraint members into ResourceRefs (the simple form) or ResourceSets.

    As in crmsh: exactly ``simple_count`` plain resources are the simple form; otherwise each run of
    members with the same role/action suffix, and each bracketed group, becomes one set.  A leading
    ``_rsc_set_`` word (what crmsh shows for a set that would otherwise read back as the simple
    form) forces sets.
    """
    forced = bool(items) and isinstance(items[0], Word) and str(items[0]) == RSC_SET_MARKER
    if forced:
        if len(items) == 1:
            raise SemanticError(items[0], f"{RSC_SET_MARKER} without resources", "resource names after it")
        items = items[1:]
    if not forced and len(items) == simple_count and all(isinstance(i, Word) for i in items):
        refs: list[ConstraintItem] = []
        for tok in items:
            rsc, sfx = ref_parts(tok)
            refs.append(ResourceRef(rsc, suffix(tok, sfx) if sfx else None))
        return refs
    sets: list[ResourceSet] = []
    loose: list[Word] = []
    for item in items:
        if isinstance(item, Word):
            loose.append(item)
            continue
        sets.extend(_runs(loose, "", suffix, suffix_field))
        loose = []
        sets.extend(bracket_sets(item, suffix, suffix_field))
    sets.extend(_runs(loose, "", suffix, suffix_field))
    return list(sets)


def bracket_sets(group: Bracketed, suffix: Suffix, suffix_field: str) -> list[ResourceSet]:
    """The sets of one bracketed group; ``name=value`` options inside go to its last set."""
    members = [t for t in group.items if t.type != "NVPAIR"]
    options = [t for t in group.items if t.type == "NVPAIR"]
    if not members:
        raise SemanticError(group.close or group.items[0], "empty resource set", "resource names")
    sets = _runs(members, group.bracket, suffix, suffix_field)
    for tok in options:
        name, value = split_pair(tok)
        if name not in SET_OPTIONS:
            raise SemanticError(tok, f'unknown resource set option "{name}"', "one of " + ", ".join(SET_OPTIONS))
        sets[-1].attributes.append(NVPair(name, value))
    return sets


def _runs(tokens: list[Word], bracket: str, suffix: Suffix, suffix_field: str) -> list[ResourceSet]:
    out: list[ResourceSet] = []
    current: ResourceSet | None = None
    current_sfx: str | None = None
    for tok in tokens:
        rsc, sfx = ref_parts(tok)
        sfx = suffix(tok, sfx) if sfx else None
        if current is None or sfx != current_sfx:
            current = ResourceSet(bracket=bracket)  # type: ignore[arg-type]
            setattr(current, suffix_field, sfx)
            current_sfx = sfx
            out.append(current)
        current.resources.append(rsc)
    return out


def fencing_levels(items: list[Word]) -> list[FencingLevel]:
    """``[TARGET:] DEV[,DEV] ...`` with targets ``node:``, ``attr:NAME=VALUE`` or ``pattern:REGEX``.

    Levels before any target have target None: crmsh repeats them for every node of the CIB, which
    only the XML layer knows.  Indexes count from 1 per target.
    """
    levels: list[FencingLevel] = []
    counters: dict[tuple[str | None, ...], int] = {}
    target: tuple[str | None, ...] = (None, None, None, None)  # node, attribute, value, pattern
    for tok in items:
        text = str(tok)
        low = text.lower()
        if tok.type == "LABEL":
            target = (text[:-1], None, None, None)
        elif tok.type == "NVPAIR" and low.startswith("attr:"):
            name, value = split_pair(tok)
            target = (None, name[5:], value, None)
        elif tok.type == "WORD" and low.startswith("pattern:"):
            target = (None, None, None, text[8:])
        elif tok.type == "WORD":
            index = counters.get(target, 0) + 1
            counters[target] = index
            node, attr, attr_value, pattern = target
            levels.append(FencingLevel(target=node, target_attribute=attr, target_value=attr_value,
                                       target_pattern=pattern, index=index, devices=text.split(",")))
        else:
            raise SemanticError(tok, f'unexpected "{text}" in fencing_topology',
                                "a target (node:, attr:NAME=VALUE, pattern:REGEX) or devices")
    return levels


ACL_SPECS = {"xpath": "xpath", "ref": "reference", "reference": "reference", "tag": "object_type",
             "type": "object_type", "attr": "attribute", "attribute": "attribute"}


def _expand_shortcut(tok: Word, parts: tuple[str, ...], arg: str | None) -> str:
    if arg is None:
        if "@@" in parts[0]:
            raise SemanticError(tok, f'ACL shortcut "{tok}" needs an argument', "shortcut:NAME")
        return parts[0]
    xpath, i = "", 0
    for piece in arg.split(":"):
        if i < len(parts) and "@@" not in parts[i]:
            xpath += parts[i]
            i += 1
        if i >= len(parts):
            raise SemanticError(tok, f'too many arguments in ACL shortcut "{tok}"')
        xpath += parts[i].replace("@@", piece)
        i += 1
    return xpath


def acl_rules(right: Word, rule_id: str | None, specs: list[Word]) -> list[AclRule]:
    """One permission (``read|write|deny [ID:] SPEC ...``) as AclRules, split like crmsh does:
    one for an xpath, one for a reference, one for an object type (with its attribute).  A right
    with no specification at all gives none (crmsh drops it)."""
    if not specs:
        return []
    found: dict[str, str] = {}
    for tok in specs:
        kind, sep, arg = str(tok).partition(":")
        if kind in acl.SHORTCUTS:
            found["xpath"] = _expand_shortcut(tok, acl.SHORTCUTS[kind], arg if sep else None)
        elif kind in ACL_SPECS and sep:
            found[ACL_SPECS[kind]] = arg
        else:
            raise SemanticError(tok, f'bad ACL specification "{tok}"',
                                "xpath:XPATH, ref:ID, tag:TYPE, attr:NAME or a shortcut like meta:RSC:ATTR")
    if "attribute" in found and "object_type" not in found:
        raise SemanticError(right, "attr: is only valid together with tag:", "tag:TYPE attr:NAME")
    kind = str(right).lower()
    out: list[AclRule] = []
    if "xpath" in found:
        out.append(AclRule(kind, xpath=found["xpath"], id=rule_id))
    if "reference" in found:
        out.append(AclRule(kind, reference=found["reference"], id=rule_id))
    if "object_type" in found:
        out.append(AclRule(kind, object_type=found["object_type"], attribute=found.get("attribute"), id=rule_id))
    return out
