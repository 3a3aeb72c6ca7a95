"""``default-timeouts ID...``: give primitives' operations the timeouts their agent's meta-data advises.

crmsh 4.4.1's rules, kept as they are (users' scripts and its regression cases rely on them):

- among a primitive's operations (its template's too, for one made from a template), the first
  ``start`` and ``stop``, the first ``migrate_to``/``migrate_from`` when ``allow-migrate`` is
  ``true``, the first ``promote``/``demote`` when it is the primitive of a promotable clone, and
  every ``monitor`` get the advised timeout (a monitor by its role); other operations stay as they
  are; a primitive made from a template keeps its operations as they are (crmsh sets the timeouts
  on a merged copy), but still gets the missing ones;
- of those implied operations, the ones it lacks are added with the advised timeout and
  ``interval=0`` (``op stop timeout=20s interval=0``);
- the implied operations are one list for the whole command, which each primitive's operations
  take from and to which a migrating or promotable one adds its own: ``default-timeouts d1 d2``
  gives ``d2`` no start when ``d1`` had one;
- an id that names no resource is an error, one that names no primitive a warning; both make the
  command fail, the others are still done.  An agent without meta-data is reported and skipped.
"""

from __future__ import annotations

from crmsh_py.errors import CommandError
from crmsh_py.shell.levels.configure_state import working

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element, Op, Primitive
    from crmsh_py.session import Session
    from crmsh_py.shell.levels.sanity_ops import AgentAction
    from crmsh_py.shell.registry import Call


def _error(session: "Session", text: str) -> None:
    session.err.write(f"ERROR: {session._at()}{text}\n")


def _can_migrate(primitives: list["Primitive"]) -> bool:
    """crmsh's test: an ``allow-migrate`` nvpair of value ``true`` anywhere in the primitive."""
    sets = [s for p in primitives for s in p.attr_sets]
    sets += [s for p in primitives for op in p.ops for s in op.attr_sets]
    return any(nv.name == "allow-migrate" and nv.value == "true" for s in sets for nv in s.nvpairs)


def _in_promotable_clone(elements: list["Element"], rid: str) -> bool:
    from crmsh_py.cib.model import Clone
    from crmsh_py.cib.vocabulary import is_true

    for element in elements:
        if isinstance(element, Clone) and element.child == rid:
            promotable = [nv.value for s in element.attr_sets if s.kind == "meta"
                          for nv in s.nvpairs if nv.name == "promotable"]
            return element.legacy_ms or (bool(promotable) and is_true(promotable[0]))
    return False


def _set_timeout(op: "Op", timeout: str) -> None:
    from crmsh_py.cib.model import NVPair

    for nv in op.attributes:
        if nv.name == "timeout":
            nv.value = timeout
            return
    op.attributes.append(NVPair("timeout", timeout))


class _Implied:
    """The operations still to look for: one set of lists for the whole command (see above)."""

    def __init__(self) -> None:
        self.basic = ["start", "stop"]
        self.promotable = ["promote", "demote"]
        self.migrate = ["migrate_to", "migrate_from"]


def _advise(prim: "Primitive", template: "Primitive | None", actions: list["AgentAction"], implied: _Implied,
            migrates: bool, promotable: bool) -> None:
    """Set the advised timeouts of ``prim``'s implied operations and add those it lacks."""
    from crmsh_py.cib.model import NVPair, Op
    from crmsh_py.shell.levels.sanity_ops import advised

    ops = [*(template.ops if template is not None else []), *prim.ops]
    for op in ops:
        if op.name in implied.basic:
            implied.basic.remove(op.name)
        elif migrates and op.name in implied.migrate:
            implied.migrate.remove(op.name)
        elif promotable and op.name in implied.promotable:
            implied.promotable.remove(op.name)
        elif op.name != "monitor":
            continue
        attrs = {nv.name: nv.value or "" for nv in op.attributes}
        timeout = advised(actions, op.name, "timeout", attrs)
        if timeout and template is None:  # (crmsh sets them on a merged copy of a templated one: lost)
            _set_timeout(op, timeout)
    wanted = implied.basic  # the same list, extended in place as crmsh's is
    if migrates:
        wanted += implied.migrate
    if promotable:
        wanted += implied.promotable
    for name in wanted:
        timeout = advised(actions, name, "timeout", {})
        if timeout:
            prim.ops.append(Op(name, "0", [NVPair("timeout", timeout)], interval_index=1))


def do_default_timeouts(session: "Session", call: "Call") -> None:
    """``default-timeouts ID...``: the advised timeouts for the primitives' operations (see above)."""
    from crmsh_py.cib.model import Bundle, Clone, Group, Primitive, RscTemplate
    from crmsh_py.shell.levels.configure_sanity import agent_facts

    wc = working(session)
    implied = _Implied()
    failed = False
    for rid in call.args:
        element = wc.find(rid)
        if not isinstance(element, (Primitive, Group, Clone, Bundle)):
            _error(session, f"object {rid} does not exist")
            failed = True
            continue
        if not isinstance(element, Primitive) or isinstance(element, RscTemplate):
            session.warning(f"element {rid} is not a primitive")
            failed = True
            continue
        template = None
        if element.template is not None:
            found = wc.find(element.template)
            if not isinstance(found, RscTemplate):
                session.warning(f"template for {rid} not defined")
                failed = True
                continue
            template = found
        agent = (template or element).agent
        if agent is None:
            continue
        facts = agent_facts(session, str(agent))
        if facts is None or not facts.exists:
            _error(session, f"{agent}: got no meta-data, does this RA exist?")
            _error(session, f"{agent}: no resource agent found for {rid}")
            continue
        primitives = [element] if template is None else [template, element]
        _advise(element, template, facts.actions, implied, _can_migrate(primitives),
                _in_promotable_clone(wc.elements, rid))
    if failed:
        raise CommandError("default-timeouts: not every id could be done", shown=True)
