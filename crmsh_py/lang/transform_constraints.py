"""Parse callbacks for location, colocation, order and rsc_ticket constraints."""

from __future__ import annotations

from typing import Any, Callable

from crmsh_py.cib import model as m
from crmsh_py.lang import constraints as c
from crmsh_py.lang import values as v
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.transform_parts import Children, _statement
from crmsh_py.lang.values import SemanticError


class ConstraintCallbacks:
    """Builds constraint elements and resource sets."""

    @_statement
    def location(self, children: Children) -> m.Location:
        elem = m.Location(str(children[1]))
        rsc = children[2]
        if isinstance(rsc, c.Bracketed):
            elem.resource_sets = c.bracket_sets(rsc, v.role_of, "role")
        elif len(str(rsc)) > 2 and str(rsc).startswith("/") and str(rsc).endswith("/"):
            elem.rsc_pattern = str(rsc)[1:-1]
        else:
            elem.resource = m.ResourceRef(str(rsc))
        rest = children[3:]
        for i, child in enumerate(rest):
            if isinstance(child, m.Rule):
                if child.score is None and child.score_attribute is None and child.id_ref is None:
                    child.score = "INFINITY"  # crmsh writes score="INFINITY" for a rule without one
                elem.rules.append(child)
            elif child.type == "LABEL":
                if v.normalise_score(v.label_text(child)) is None and v.label_text(child)[:1].isalpha():
                    elem.score_attribute = v.label_text(child)  # crmsh's reading of `foo: node1`
                else:
                    elem.score = v.score_of(child)
                elem.node = str(rest[i + 1])
            elif child.type in ("NVPAIR", "ROLESPEC"):
                name, value = v.split_pair(child)
                name = name.lstrip("$").lower()
                if name == "role":
                    elem.role = v.role_of(child, value)
                elif name == "resource-discovery":
                    elem.resource_discovery = value
                else:
                    raise SemanticError(child, f'unknown location option "{name}"', "role= or resource-discovery=")
        return elem

    def brace_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("{", children[1:-1], children[-1])

    def paren_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("(", children[1:-1], children[-1])

    def square_set(self, children: Children) -> c.Bracketed:
        return c.Bracketed("[", children[1:-1], children[-1])

    @staticmethod
    def _split_options(children: Children, allowed: dict[str, Callable[[Word, str], str]]) -> tuple[list[Any], dict[str, str]]:
        items = [ch for ch in children if not (isinstance(ch, Word) and ch.type == "NVPAIR")]
        options: dict[str, str] = {}
        for ch in children:
            if isinstance(ch, Word) and ch.type == "NVPAIR":
                name, value = v.split_pair(ch)
                check = allowed.get(name.lower())
                if check is None:
                    raise SemanticError(ch, f'unknown option "{name}"', " or ".join(f"{k}=" for k in allowed))
                options[name.lower()] = check(ch, value)
        return items, options

    @_statement
    def colocation(self, children: Children) -> m.Colocation:
        items, options = self._split_options(children[3:], {"node-attribute": lambda t, s: s})
        return m.Colocation(str(children[1]), score=v.score_of(children[2]),
                            items=c.constraint_items(items, 2, v.role_of, "role"),
                            node_attribute=options.get("node-attribute"))

    @_statement
    def order(self, children: Children) -> m.Order:
        elem = m.Order(str(children[1]))
        rest = children[2:]
        if isinstance(rest[0], Word) and rest[0].type == "LABEL":
            label, rest = rest[0], rest[1:]
            text = v.label_text(label)
            kind = v.ORDER_KINDS.get(text.lower())
            if kind is None:
                score = v.normalise_score(text)
                if score is None:
                    raise SemanticError(label, f'invalid order kind "{text}"',
                                        "Mandatory:, Optional:, Serialize: or a score like inf:")
                kind = "Optional" if score == "0" else "Mandatory"  # crmsh turns scores into kinds
            elem.kind = kind
        items, options = self._split_options(rest, {"symmetrical": v.boolean_of})
        elem.items = c.constraint_items(items, 2, v.action_of, "action")
        elem.symmetrical = options.get("symmetrical")
        return elem

    @_statement
    def rsc_ticket(self, children: Children) -> m.RscTicket:
        policies = ("stop", "demote", "fence", "freeze")

        def policy(tok: Word, text: str) -> str:
            if text not in policies:
                raise SemanticError(tok, f'invalid loss-policy "{text}"', "stop, demote, fence or freeze")
            return text

        items, options = self._split_options(children[3:], {"loss-policy": policy})
        return m.RscTicket(str(children[1]), ticket=v.label_text(children[2]),
                           items=c.constraint_items(items, 1, v.role_of, "role"),
                           loss_policy=options.get("loss-policy"))
