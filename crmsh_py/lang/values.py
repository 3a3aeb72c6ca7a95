"""Meaning of single words of the crm language: scores, roles, actions, agents, name=value pairs.

Each function takes a Word (for positions) and returns model values, or raises
:class:`SemanticError`, which the parser turns into a ParseError pointing at that token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from crmsh_py.cib.model import Agent, NVPair, Primitive
from crmsh_py.lang.keywords import ORDER_KINDS as ORDER_KINDS, ROLES
from crmsh_py.lang.lexing import Word


class SemanticError(Exception):
    """A word that has the right shape but a wrong meaning (bad score, unknown role, ...)."""

    def __init__(self, token: Word, text: str, expected: str = "") -> None:
        super().__init__(text)
        self.token = token
        self.text = text
        self.expected = expected


_SCORE_RE = re.compile(r"([+-]?)(inf|infinity|\d+)$", re.IGNORECASE)
# crmsh's named scores (``mandatory:``/``advisory:``).
_NAMED_SCORES = {"mandatory": "INFINITY", "advisory": "0"}
SCORE_WORDS = "a score like 100: or inf:"

ACTIONS = {a: a for a in ("start", "stop", "promote", "demote")}
BOOLEANS = {"true": "true", "yes": "true", "on": "true", "1": "true",
            "false": "false", "no": "false", "off": "false", "0": "false"}


def normalise_score(text: str) -> str | None:
    """``inf``/``INFINITY`` -> ``INFINITY``, ``+inf`` -> ``+INFINITY``, ``-inf`` -> ``-INFINITY``,
    integers as written; None when ``text`` is not a score (then it names a node attribute)."""
    named = _NAMED_SCORES.get(text.lower())
    if named is not None:
        return named
    m = _SCORE_RE.match(text)
    if m is None:
        return None
    sign, body = m.groups()
    return text if body.isdigit() else f"{sign}INFINITY"


def label_text(tok: Word) -> str:
    """The word of a ``WORD:`` label without its colon."""
    return str(tok)[:-1]


def score_or_attribute(tok: Word) -> tuple[str | None, str | None]:
    """A rule's ``SCORE:`` label: (score, None) or (None, score-attribute name)."""
    text = label_text(tok)
    score = normalise_score(text)
    return (score, None) if score is not None else (None, text)


def score_of(tok: Word) -> str:
    """A constraint's ``SCORE:`` label; anything but a score is an error."""
    score = normalise_score(label_text(tok))
    if score is None:
        raise SemanticError(tok, f'invalid score "{tok}"', SCORE_WORDS)
    return score


def role_of(tok: Word, text: str) -> str:
    """A role name in crmsh's canonical spelling (``master`` -> ``Master``)."""
    role = ROLES.get(text.lower())
    if role is None:
        raise SemanticError(tok, f'invalid role "{text}"', "a role: " + ", ".join(ROLES.values()))
    return role


def action_of(tok: Word, text: str) -> str:
    """An order action (start, stop, promote, demote), lower-cased."""
    action = ACTIONS.get(text.lower())
    if action is None:
        raise SemanticError(tok, f'invalid action "{text}"', "an action: start, stop, promote or demote")
    return action


def boolean_of(tok: Word, text: str) -> str:
    """``yes``/``on``/``1``/``true`` -> ``true`` and the opposite -> ``false`` (crmsh's canonical form)."""
    value = BOOLEANS.get(text.lower())
    if value is None:
        raise SemanticError(tok, f'not a boolean: "{text}"', "true or false")
    return value


def split_pair(tok: Word) -> tuple[str, str]:
    """``name=value`` -> (name, value); the value may be empty and may contain ``=``."""
    name, _, value = str(tok).partition("=")
    return name, value


def nvpair_of(tok: Word) -> NVPair:
    """An nvpair from ``name=value``, a bare ``name`` (value None) or crmsh's ``$ID:name=value``."""
    if tok.type == "WORD":
        return NVPair(str(tok), None)
    name, _, value = tok.partition("=")
    if name[0] == "$" and ":" in name:
        nv_id, _, real = name[1:].partition(":")
        return NVPair(real, value, nv_id)
    return NVPair(name, value)


def agent_of(tok: Word) -> Agent:
    """``class:provider:type``, ``class:type`` or a bare ``type`` (an OCF agent).

    An OCF agent named without its provider keeps ``provider=None`` here: the parser's caller
    chooses it (:func:`resolve_providers`), as only the caller knows which agents are installed.
    """
    parts = str(tok).split(":")
    if len(parts) == 3 and all(parts):
        return Agent(ra_class=parts[0], provider=parts[1], ra_type=parts[2])
    if len(parts) == 2 and all(parts):
        ra_class, ra_type = parts
    elif len(parts) == 1 and parts[0]:
        ra_class, ra_type = "ocf", parts[0]
    else:
        raise SemanticError(tok, f'bad resource agent "{tok}"',
                            "an agent like ocf:heartbeat:Dummy, stonith:external/ssh or lsb:apache")
    return Agent(ra_class=ra_class, provider=None, ra_type=ra_type)


ProviderResolver = Callable[[str], str]
"""An OCF type → the provider a bare mention of it means (the agent catalogue has one)."""


def heartbeat(ra_type: str) -> str:
    """crmsh's provider for a bare OCF type when nothing is known about the installed agents."""
    return "heartbeat"


def resolve_providers(elements: Iterable[object], providers: ProviderResolver | None) -> None:
    """Give every OCF agent named without a provider the one ``providers`` chooses (``heartbeat``
    when None).  Only primitives and templates name agents, and only at the top level."""
    choose = providers or heartbeat
    for element in elements:
        if not isinstance(element, Primitive):  # a template is a Primitive too
            continue
        agent = element.agent
        if agent is not None and agent.ra_class == "ocf" and agent.provider is None:
            agent.provider = choose(agent.ra_type)


def ref_parts(tok: Word) -> tuple[str, str | None]:
    """``rsc[:suffix]`` -> (rsc, suffix)."""
    text = str(tok)
    rsc, sep, suffix = text.partition(":")
    if not rsc or ":" in suffix or (sep and not suffix):
        raise SemanticError(tok, f'bad resource reference "{text}"', "rsc or rsc:role/action")
    return rsc, (suffix or None)
