"""``--output json|yaml``: the structured forms of status, configure show, resource
status/locate/scores, node show and ra info (history's come from ``crm_history`` itself).

The output format is the ``output`` option (``crm --output json``, ``crm -o output=json``, or
``options output json``); crmsh's values of that option (``plain``, ``color``, ...) and ``text``
(the default) leave every command as it is.  Each function
here fetches through the same low-level commands as the text form and prints data whose shape
``docs/json-output.md`` documents (JSON Schemas under ``docs/schemas/``).
"""

from __future__ import annotations

from crmsh_py.errors import CommandError
from crmsh_py.records import asdict, is_record
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.output import structured_asked

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any
    from types import ModuleType

    from crmsh_py.session import Session
    from crmsh_py.shell.registry import Call


def _data() -> "ModuleType":
    """``crmsh_py.render.data``, imported when structured output is wanted: the text forms (every
    one-shot's default) need neither it nor ``json`` behind it."""
    from crmsh_py.render import data

    return data


def wanted(session: "Session") -> str | None:
    """``json`` or ``yaml`` when structured output is asked for, else None (crmsh's text styles,
    ``plain``, ``color``, ``uppercase``, also mean text); anything else is an error."""
    if not structured_asked(session):
        return None
    fmt = (session.options.get("output") or "text").lower()
    if fmt not in _data().FORMATS:
        raise CommandError(f"output must be text, json or yaml, not '{fmt}'")
    return fmt


def emit(session: "Session", value: Any) -> None:
    """Print ``value`` in the session's structured format."""
    session.out.write(_data().dump(value, wanted(session) or "json"))


def status(session: "Session", call: "Call") -> None:
    """``status``: the cluster summary, nodes, resources and failed actions."""
    emit(session, _data().mon_data(session.check(Cmd("crm_mon").long("--output-as", "xml")).stdout))


def resource_status(session: "Session", call: "Call") -> None:
    """``resource status [RSC ...]``: the resources (those named), as in ``status``."""
    mon = _data().mon_data(session.check(Cmd("crm_mon").flag("-r").long("--output-as", "xml")).stdout)
    wanted_ids = set(call.args)
    found = [r for r in mon["resources"] if not wanted_ids or r["id"] in wanted_ids or r["parent"] in wanted_ids
             or (r["id"] or "").split(":")[0] in wanted_ids]
    missing = wanted_ids - {r["id"] for r in found} - {r["parent"] for r in found} - \
        {(r["id"] or "").split(":")[0] for r in found}
    if missing:
        raise CommandError(f"no such resource: {', '.join(sorted(missing))}")
    emit(session, found)


def locate(session: "Session", call: "Call") -> None:
    """``resource locate RSC ...``: where each runs (at least one: the spec's arguments say so)."""
    out = []
    for rsc in call.args:
        result = session.check(Cmd("crm_resource").opt("--resource", rsc).flag("--locate"))
        out.append(_data().locate_data(rsc, result.stdout + result.stderr))
    emit(session, out)


def scores(session: "Session", call: "Call") -> None:
    """``resource scores``: allocation scores of the live cluster."""
    emit(session, _data().scores_data(session.check(Cmd("crm_simulate").flag("-sL")).stdout))


def node_show(session: "Session", call: "Call") -> None:
    """``node show [NODE ...]``: the configured nodes with attributes and utilization."""
    nodes = _data().nodes_data(session.check(Cmd("cibadmin").flag("-Ql")).stdout)
    if call.args:
        known = {n["name"] for n in nodes}
        missing = [n for n in call.args if n not in known]
        if missing:
            raise CommandError(f"no such node: {', '.join(missing)}")
        nodes = [n for n in nodes if n["name"] in call.args]
    emit(session, nodes)


def ra_info(session: "Session", agent: str, info: Any) -> None:
    """``ra info AGENT``: the agent's meta-data (parameters, actions)."""
    value = asdict(info) if is_record(info) else dict(info)
    emit(session, {"agent": agent, **value})


def configure_show(session: "Session", elements: list[Any], hide: Callable[[str], str]) -> None:
    """``configure show [...]``: each element with its type, id and crm text (``hide`` masks
    passwords as the text form does)."""
    from crmsh_py.lang import write_all
    from crmsh_py.shell.levels.configure_state import effective_id

    out = []
    for element in elements:
        text = hide(write_all([element])).rstrip("\n")
        out.append({"type": _kind(element), "id": effective_id(element), "text": text})
    emit(session, out)


def _kind(element: Any) -> str:
    """The crm keyword of an element (``primitive``, ``location``, ``property``...)."""
    from crmsh_py.lang import write_all

    text = write_all([element]).lstrip()
    while text.startswith("#"):  # a comment line above the element
        text = text.split("\n", 1)[1].lstrip() if "\n" in text else ""
    return text.split(None, 1)[0] if text else type(element).__name__.lower()
