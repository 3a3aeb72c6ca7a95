"""Rule evaluation for the scheduler: node-attribute expressions and date expressions.

A rule is evaluated against one node's attributes (permanent config attributes, then status
attributes, then transient attributes, later ones winning) plus the built-ins ``#uname``, ``#id``
and ``#kind``.  Date expressions compare against ``now`` (UNIX seconds, UTC) so that planning
stays a pure function of its inputs.
"""

from __future__ import annotations

from crmsh_py.cib.vocabulary import AgentKey as AgentKey  # re-exported for the rule users
from crmsh_py.cib.model import DateExpression, DateSpec, Expression, OpExpression, Rule, RscExpression

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:  # datetime and calendar load when a date rule is evaluated (few CIBs have one)
    from typing import Callable, Mapping
    from datetime import datetime


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _version(text: str) -> tuple[int, ...]:
    """The runs of digits in ``text`` as numbers (``re.findall(r"\\d+", text)``, by hand: ``re``
    costs ``crm_simulate`` a quarter of a run)."""
    numbers: list[int] = []
    run = ""
    for char in text:
        if char.isdecimal():
            run += char
        elif run:
            numbers.append(int(run))
            run = ""
    if run:
        numbers.append(int(run))
    return tuple(numbers)


def _coerce(kind: str, left: str, right: str) -> tuple[object, object] | None:
    """Both sides converted to the comparison type, or None when they cannot be."""
    if kind in ("number", "integer"):
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return None
        return (int(a), int(b)) if kind == "integer" else (a, b)
    if kind == "version":
        return _version(left), _version(right)
    return left, right


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "lt": lambda a, b: a < b,  # type: ignore[operator]
    "gt": lambda a, b: a > b,  # type: ignore[operator]
    "lte": lambda a, b: a <= b,  # type: ignore[operator]
    "gte": lambda a, b: a >= b,  # type: ignore[operator]
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}


def eval_expression(expr: Expression, attrs: Mapping[str, str]) -> bool:
    """One ``attribute OP value`` test against a node's attributes."""
    value = attrs.get(expr.attribute)
    if expr.operation == "defined":
        return value is not None
    if expr.operation == "not_defined":
        return value is None
    if value is None or expr.value is None:
        # Pacemaker: a comparison with a missing attribute is false, except ``ne``.
        return expr.operation == "ne" and value is None
    kind = expr.type
    if kind is None:
        # Untyped: numeric when both sides look numeric (Pacemaker 2.1's rule).
        both_numeric = _number(value) is not None and _number(expr.value) is not None
        kind = "number" if both_numeric else "string"
    pair = _coerce(kind, value, expr.value)
    if pair is None:
        return False
    compare = _COMPARE.get(expr.operation)
    return bool(compare and compare(*pair))


# --------------------------------------------------------------------------- dates


def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date/time (``2024-01-01``, ``2024-01-01 12:00:00 -05:00``, ``...T12:00Z``) in UTC."""
    from crmsh_py.cib.dates import parse_iso8601  # datetime behind it: only for a date rule

    return parse_iso8601(text)


def _spec_fields(spec: DateSpec | None) -> dict[str, str]:
    return {p.name: p.value or "" for p in spec.fields} if spec else {}


def _add_duration(start: datetime, spec: DateSpec | None) -> datetime:
    import calendar
    from datetime import timedelta

    fields = _spec_fields(spec)
    end = start
    years = int(fields.get("years", "0") or 0)
    months = int(fields.get("months", "0") or 0) + 12 * years
    if months:
        month_index = end.month - 1 + months
        year = end.year + month_index // 12
        month = month_index % 12 + 1
        day = min(end.day, calendar.monthrange(year, month)[1])
        end = end.replace(year=year, month=month, day=day)
    units = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
    seconds = sum(int(fields.get(k, "0") or 0) * v for k, v in units.items())
    return end + timedelta(seconds=seconds)


def _in_ranges(value: int, text: str) -> bool:
    """``9-17`` / ``1,3,5`` / ``4`` ranges of a date_spec field."""
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low, high = part.split("-", 1)
            if int(low) <= value <= int(high):
                return True
        elif int(part) == value:
            return True
    return False


def _date_spec_matches(now: datetime, spec: DateSpec | None) -> bool:
    values = {
        "seconds": now.second,
        "minutes": now.minute,
        "hours": now.hour,
        "monthdays": now.day,
        "weekdays": now.isoweekday(),
        "yeardays": now.timetuple().tm_yday,
        "months": now.month,
        "weeks": now.isocalendar()[1],
        "years": now.year,
        "weekyears": now.isocalendar()[0],
    }
    for name, text in _spec_fields(spec).items():
        if name in values and not _in_ranges(values[name], text):
            return False
    return True


def eval_date(expr: DateExpression, now: int) -> bool:
    """A date expression evaluated at ``now`` (UNIX seconds)."""
    from datetime import datetime, timezone

    moment = datetime.fromtimestamp(now, tz=timezone.utc)
    start = parse_date(expr.start) if expr.start else None
    end = parse_date(expr.end) if expr.end else None
    if expr.operation == "gt":
        return start is not None and moment > start
    if expr.operation == "lt":
        return end is not None and moment < end
    if expr.operation == "date_spec":
        return _date_spec_matches(moment, expr.date_spec)
    # in_range
    if end is None and start is not None and expr.duration is not None:
        end = _add_duration(start, expr.duration)
    if start is not None and moment < start:
        return False
    if end is not None and moment > end:
        return False
    return start is not None or end is not None


def eval_rsc(expr: RscExpression, rsc: AgentKey | None) -> bool:
    """An ``rsc_expression`` against a primitive's agent: a given class or type must be equal; the
    provider must be equal, absent on both sides included.  Without a resource it is false."""
    if rsc is None:
        return False
    standard, provider, kind = rsc
    if expr.standard is not None and expr.standard != standard:
        return False
    if expr.provider != provider:
        return False
    return expr.type is None or expr.type == kind


# --------------------------------------------------------------------------- rules


def eval_rule(
    rule: Rule,
    attrs: Mapping[str, str],
    now: int,
    rules_by_id: Mapping[str, Rule] | None = None,
    rsc: AgentKey | None = None,
) -> bool:
    """True when ``rule`` holds for a node with these attributes at ``now`` (and, for the
    ``rsc_expression`` of rsc_defaults, for a primitive with this agent)."""
    if rule.id_ref and rules_by_id is not None and not rule.expressions:
        target = rules_by_id.get(rule.id_ref)
        if target is None:
            return False
        rule = target
    results = []
    for expr in rule.expressions:
        if isinstance(expr, Expression):
            results.append(eval_expression(expr, attrs))
        elif isinstance(expr, DateExpression):
            results.append(eval_date(expr, now))
        elif isinstance(expr, RscExpression):
            results.append(eval_rsc(expr, rsc))
        elif isinstance(expr, OpExpression):
            results.append(False)  # operations are not judged here (op_defaults' timeouts only)
        else:
            results.append(eval_rule(expr, attrs, now, rules_by_id, rsc))
    if not results:
        return True
    return any(results) if rule.boolean_op == "or" else all(results)
