"""Words of the CIB with one meaning everywhere: Pacemaker's booleans and the resource tags.

Kept free of imports: the status readers, the scheduler, the displays and the low-level tools all
read these, some of them on every one-shot.  (Score words and INFINITY live in
:mod:`crmsh_py.cib.scores`.)
"""

from __future__ import annotations

#: how Pacemaker spells true (``crm_is_true``); anything else is false
TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
#: the spellings of false that a writer may keep as a boolean (the rest are kept as text)
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n"})

#: the elements of the resources section that are resources
RESOURCE_TAGS = frozenset({"primitive", "group", "clone", "master", "bundle"})
#: ... and what else the resources section holds (a template is not a resource)
RESOURCE_SECTION_TAGS = RESOURCE_TAGS | {"template"}

#: the XML attributes of ``<op>`` (Pacemaker's schema); other ``name=value`` pairs of an op are its
#: instance attributes.  Those a user sets come first, in the order completion offers them.
OP_USER_ATTRIBUTES: tuple[str, ...] = ("interval", "timeout", "on-fail", "start-delay", "record-pending",
                                       "enabled", "role", "requires")
OP_ATTRIBUTES = frozenset(("id", "name", "description", "interval-origin", *OP_USER_ATTRIBUTES))


def is_true(value: str | None) -> bool:
    """Pacemaker's reading of a boolean (``on``/``true``/``yes``/``1``/``y``, any case, blanks
    around ignored); None is false."""
    return value is not None and value.strip().lower() in TRUE_WORDS

#: a primitive's class, provider (None when it has none) and type, as ``rsc_expression`` tests them
AgentKey = tuple[str, str | None, str]
