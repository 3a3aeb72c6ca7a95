"""The date/time texts Pacemaker's scheduler cannot read, as ``crm_verify -V`` reports them.

Pacemaker reads a rule's ``date_expression`` start and end each time it evaluates the rule: once
for the cluster properties, once per resource for the resource defaults, once per node for a
location constraint.  Each text it cannot read at all draws ``(parse_date) error: 'TEXT' is not a valid ISO
8601 date/time specification``; the check still passes (crmsh prints the line as an error and
commits).  Texts that look like a date but name no real day draw a longer message, not built here.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

_MAX_EXPRESSIONS = 100_000  # bounds the walk: a CIB holds far fewer
# which of start/end an operation reads (Pacemaker's pe__eval_date_expr)
_READ: dict[str, tuple[str, ...]] = {"in_range": ("start", "end"), "gt": ("start",), "lt": ("end",)}


def _unreadable(text: str) -> bool:
    """Whether ``text`` has no date at all at its head (``bogus``), not a wrong day (``2021-13-45``)."""
    from crmsh_py.cib.dates import parse_iso8601

    head = text.strip()[:4]
    return parse_iso8601(text) is None and not (len(head) == 4 and head.isdigit())


def _said(expressions: list[ET.Element], times: int) -> list[str]:
    out: list[str] = []
    for expression in expressions[:_MAX_EXPRESSIONS]:
        for name in _READ.get(expression.get("operation", "in_range"), ()):
            value = expression.get(name)
            if value is not None and _unreadable(value):
                out += [f"(parse_date) \terror: '{value}' is not a valid ISO 8601 date/time specification"] * times
    return out


_RESOURCES = ("primitive", "group", "clone", "master", "bundle")


def date_errors(configuration: ET.Element) -> list[str]:
    """crm_verify's ``parse_date`` lines for ``configuration``, in its order of evaluation: the
    cluster properties once, resource defaults once per resource, locations once per node
    (operation defaults, read per operation, are left out)."""
    nodes = len(configuration.findall("nodes/node"))
    resources = sum(1 for tag in _RESOURCES for section in configuration.findall("resources")
                    for _ in section.iter(tag))
    out: list[str] = []
    for tag, times in (("crm_config", 1), ("rsc_defaults", resources)):
        for section in configuration.findall(tag):
            out += _said(list(section.iter("date_expression")), times)
    for location in configuration.findall("constraints/rsc_location"):
        out += _said(list(location.iter("date_expression")), nodes)
    return out
