"""``resource trace`` / ``untrace``: OCF agent tracing as crmsh and Pacemaker do it.

Tracing is switched on per operation with the op attribute ``trace_ra=1`` (stored as an
``instance_attributes`` nvpair of the ``<op>``; ``trace_dir=/DIR`` chooses the directory).  The
agent's ocf-shellfuncs then write a shell trace of each traced operation to
``$HA_VARLIB/trace_ra/TYPE/RSC.OP.DATE`` (``/var/lib/heartbeat/trace_ra`` on Debian).  Operations
that do not exist yet (``start``, ``stop``) are added with interval 0 just to carry the attribute,
and ``untrace`` removes them again when nothing else is left in them.

Like crmsh, a changed op is rebuilt: it moves to the end of ``<operations>``, gets the id
``RSC-NAME-INTERVAL`` and its nvpairs ids ``OPID-instance_attributes-NAME``.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.cib.vocabulary import OP_ATTRIBUTES  # <op> attributes; the rest are instance attributes
from crmsh_py.shell.cibedit import edit_configuration, find_by_id, unique_id
from crmsh_py.shell.registry import Call

if TYPE_CHECKING:
    from crmsh_py.session import Session

TRACE_RA = "trace_ra"
TRACE_DIR = "trace_dir"
TRACE_ROOT = "/var/lib/heartbeat"  # crmsh's path.heartbeat_dir: where ocf-shellfuncs writes traces


def interval_ms(text: str) -> int | None:
    """The validator's reading of an interval, imported when a trace command runs: the resource
    level's other commands (move, start, ...) need nothing of ``cib.validate``."""
    from crmsh_py.cib.validate import interval_ms as to_ms

    return to_ms(text)


def _same_interval(a: str | None, b: str) -> bool:
    return interval_ms(a or "0") == interval_ms(b)


def _ops(primitive: ET.Element, name: str | None = None) -> list[ET.Element]:
    return [op for ops in primitive.findall("operations") for op in ops.findall("op")
            if name is None or op.get("name") == name]


def find_op(primitive: ET.Element, name: str, interval: str | None) -> ET.Element | None:
    """crmsh's find_operation: the only op called ``name`` when no interval is given, else the one
    with that interval (0 when unset)."""
    matching = _ops(primitive, name)
    if interval is None and len(matching) == 1:
        return matching[0]
    return next((op for op in matching if _same_interval(op.get("interval"), interval or "0")), None)


def _operations(primitive: ET.Element) -> ET.Element:
    ops = primitive.find("operations")
    return ops if ops is not None else ET.SubElement(primitive, "operations")


def _build_op(root: ET.Element, rsc: str, attrs: dict[str, str], keep: list[ET.Element]) -> ET.Element:
    """A new ``<op>`` from ``attrs`` (op attributes and op parameters mixed, crmsh's Op.mkxml)."""
    op = ET.Element("op")
    params = {}
    for key, value in attrs.items():
        if key in OP_ATTRIBUTES:
            op.set(key, value)
        else:
            params[key] = value
    wanted = f"{rsc}-{attrs['name']}-{attrs['interval']}" if attrs.get("interval") else f"{rsc}-{attrs['name']}"
    op.set("id", unique_id(root, wanted))
    if params:
        inst = ET.SubElement(op, "instance_attributes", {"id": f"{op.get('id')}-instance_attributes"})
        for key, value in params.items():
            ET.SubElement(inst, "nvpair", {"name": key, "value": value, "id": f"{inst.get('id')}-{key}"})
    op.extend(keep)  # anything else the op held (meta_attributes): kept, unlike crmsh, which drops it
    return op


def _op_attrs(op: ET.Element) -> tuple[dict[str, str], list[ET.Element]]:
    attrs = {"name": op.get("name") or ""}
    attrs.update({k: v for k, v in op.attrib.items() if k != "id"})
    keep = []
    for child in op:
        if child.tag == "instance_attributes":
            attrs.update({p.get("name") or "": p.get("value") or "" for p in child.findall("nvpair")
                          if p.get("name") is not None and p.get("value") is not None})
        else:
            keep.append(child)
    return attrs, keep


def _rebuild(root: ET.Element, primitive: ET.Element, op: ET.Element, set_: dict[str, str],
             unset: tuple[str, ...] = ()) -> ET.Element:
    """Rebuild ``op`` with attributes changed, at the end of ``<operations>`` (crmsh's set_op_attr)."""
    attrs, keep = _op_attrs(op)
    attrs.update(set_)
    for key in unset:
        attrs.pop(key, None)
    ops = _operations(primitive)
    if op in list(ops):
        ops.remove(op)
    new = _build_op(root, primitive.get("id") or "", attrs, keep)
    ops.append(new)
    return new


def _add_op(root: ET.Element, primitive: ET.Element, name: str, interval: str, trace_dir: str | None) -> None:
    attrs = {"name": name, "interval": interval, TRACE_RA: "1"}
    if trace_dir is not None:
        attrs[TRACE_DIR] = trace_dir
    _operations(primitive).append(_build_op(root, primitive.get("id") or "", attrs, []))


def _trace_attrs(trace_dir: str | None) -> dict[str, str]:
    return {TRACE_RA: "1", **({TRACE_DIR: trace_dir} if trace_dir is not None else {})}


def _primitive(root: ET.Element, rsc: str) -> ET.Element:
    element = find_by_id(root, rsc)
    if element is None:
        raise CommandError(f"resource {rsc} does not exist")
    if element.tag != "primitive":
        raise CommandError(f"element {rsc} is not a primitive resource")
    return element


def _is_promotable(root: ET.Element, primitive: ET.Element) -> bool:
    conf = root.find("configuration")
    assert conf is not None
    for clone in [*conf.iter("clone"), *conf.iter("master")]:
        if primitive in list(clone.iter("primitive")):
            return clone.tag == "master" or any(
                p.get("name") == "promotable" and (p.get("value") or "").lower() in ("true", "yes", "1", "on")
                for s in clone.findall("meta_attributes") for p in s.findall("nvpair"))
    return False


def trace(root: ET.Element, rsc: str, op: str | None, interval: str | None, trace_dir: str | None) -> str:
    """Switch tracing on in ``root``; returns the agent type (for the message)."""
    primitive = _primitive(root, rsc)
    attrs = _trace_attrs(trace_dir)
    if op is None:
        existing = _ops(primitive)
        names = ["start", "stop"] + (["promote", "demote"] if _is_promotable(root, primitive) else [])
        for name in names:
            if not _ops(primitive, name):
                _add_op(root, primitive, name, "0", trace_dir)
        for node in existing:
            _rebuild(root, primitive, node, attrs)
    elif interval is None:
        found = _ops(primitive, op)
        if not found:
            if op == "monitor":
                raise CommandError(f"No monitor operation configured for {rsc}")
            _add_op(root, primitive, op, "0", trace_dir)
        for node in found:
            _rebuild(root, primitive, node, attrs)
    else:
        exact = find_op(primitive, op, interval)
        if exact is None:
            if interval_ms(interval) != 0:
                raise CommandError(f"Operation {op} with interval {interval} not found in {rsc}")
            _add_op(root, primitive, op, interval, trace_dir)
        else:
            _rebuild(root, primitive, exact, attrs)
    return primitive.get("type") or ""


def _is_placeholder(op: ET.Element) -> bool:
    """An op that only carried the trace attribute: no children, interval 0, only id/name/interval."""
    return len(op) == 0 and interval_ms(op.get("interval") or "0") == 0 \
        and set(op.attrib) == {"id", "name", "interval"}


def _untrace_op(root: ET.Element, primitive: ET.Element, op: ET.Element) -> None:
    # crmsh rebuilds the op once per attribute it drops; the second rebuild lands in the same place
    op = _rebuild(root, primitive, op, {}, (TRACE_RA,))
    op = _rebuild(root, primitive, op, {}, (TRACE_DIR,))
    if _is_placeholder(op):
        ops = _operations(primitive)
        ops.remove(op)
        if len(ops) == 0:
            primitive.remove(ops)


def untrace(root: ET.Element, rsc: str, op: str | None, interval: str | None) -> None:
    """Switch tracing off in ``root``."""
    primitive = _primitive(root, rsc)
    if op is None:
        targets = [o for o in _ops(primitive)
                   if any(p.get("name") == TRACE_RA for s in o.findall("instance_attributes")
                          for p in s.findall("nvpair"))]
    elif interval is None:
        targets = _ops(primitive, op)
        if not targets:
            raise CommandError(f"Operation {op} not found in {rsc}")
    else:
        found = find_op(primitive, op, interval)
        if found is None:
            raise CommandError(f"Operation {op} with interval {interval} not found in {rsc}")
        targets = [found]
    for node in targets:
        _untrace_op(root, primitive, node)


def trace_root(session: "Session") -> str:
    """Where agents write traces by default: ``/var/lib/heartbeat/trace_ra`` (crmsh names it even
    when a directory was given); on the bundled cluster each simulated node's state directory
    stands for ``/var/lib/heartbeat``."""
    if session.backend_kind == "bundled" and not session.tool_env().get("CIB_file"):
        return f"{session.cluster_dir}/nodes/NODE/trace_ra"
    return f"{TRACE_ROOT}/trace_ra"


def do_trace(session: "Session", call: Call) -> None:
    """``trace RSC [OP] [INTERVAL] [DIR]``: set ``trace_ra=1`` on the ops and say where traces go."""
    rsc = call.value("resource") or ""
    op, interval, trace_dir = call.value("op"), call.value("interval"), call.value("dir")
    if op == "probe":
        op, interval = "monitor", interval or "0"
    agent_type: list[str] = []
    edit_configuration(session, lambda root: agent_type.append(trace(root, rsc, op, interval, trace_dir)))
    session.info(f"Trace for {rsc}{':' + op if op else ''} is written to {trace_root(session)}/"
                 f"{agent_type[0] if agent_type else ''}")
    if op is not None and op != "monitor":
        session.info(f"Trace set, restart {rsc} to trace the {op} operation")
    else:
        session.info(f"Trace set, restart {rsc} to trace non-monitor operations")


def do_untrace(session: "Session", call: Call) -> None:
    """``untrace RSC [OP] [INTERVAL]``: drop ``trace_ra`` (and the ops that only carried it)."""
    rsc, op, interval = call.value("resource") or "", call.value("op"), call.value("interval")
    if op == "probe":
        op, interval = "monitor", interval or "0"
    edit_configuration(session, lambda root: untrace(root, rsc, op, interval))
    session.info(f"Stop tracing {rsc}{' for operation ' + op if op else ''}")
