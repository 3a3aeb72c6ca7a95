"""crmsh's configure commands that work on existing elements: ``filter``, ``monitor``, ``set``, and the
element selectors of ``show``/``save``/``filter`` (``type:``, ``tag:``, ``related:``, ``changed``,
globs, joined by ``and``/``or``).
"""

from __future__ import annotations

import copy

from crmsh_py.cib.model import Node, Op, Primitive, Tag
from crmsh_py.errors import CommandError
from crmsh_py.shell.levels.configure_state import effective_id, working
from crmsh_py.shell.registry import Call

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session

FILTER_TIMEOUT_S = 300  # a filter is a user's sed/awk; bounded so a batch never hangs for ever


# ---------------------------------------------------------------------- selectors


def _by_id(elements: list["Element"], pattern: str) -> list["Element"]:
    import fnmatch  # here: `show` without patterns (the common one-shot) never matches one

    # a node also answers to its XML id (crmsh knows a node by that id, ours by its name)
    return [e for e in elements if fnmatch.fnmatchcase(effective_id(e), pattern)
            or (isinstance(e, Node) and e.node_id is not None and fnmatch.fnmatchcase(e.node_id, pattern))]


def _related(elements: list["Element"], name: str) -> list["Element"]:
    """crmsh's ``related:NAME``: the element, what refers to it, and primitives of agent type NAME."""
    out = _by_id(elements, name)
    from crmsh_py.shell.levels.configure_moves import refers_to  # here: configure_refs comes along

    out += [e for e in elements if e not in out and refers_to(e, name)]
    out += [e for e in elements if e not in out and isinstance(e, Primitive) and e.agent is not None
            and e.agent.ra_type == name]
    return out


def _tagged(elements: list["Element"], tag: str) -> list["Element"]:
    members: list[str] = []
    for e in elements:
        if isinstance(e, Tag) and e.id == tag:
            members += e.refs
    return [e for e in elements if effective_id(e) in members]


def select(session: "Session", words: list[str]) -> list["Element"]:
    """Elements chosen by selectors, in configuration order; ``or`` (the default) unites, ``and``
    intersects with what came before; an id (or glob) that matches nothing is an error."""
    from crmsh_py.lang.writer import keyword

    wc = working(session)
    elements = list(wc.elements)
    if not words:
        return elements
    chosen: list["Element"] = []
    left: list["Element"] | None = None
    for word in words:
        if word == "or":
            continue
        if word == "and":
            left, chosen = chosen, []
            continue
        if word == "changed":
            changed = set(wc.changed_ids())
            picked = [e for e in elements if effective_id(e) in changed]
        elif word.startswith("type:"):
            picked = [e for e in elements if keyword(e) == word[5:]]
        elif word.startswith("tag:"):
            picked = _tagged(elements, word[4:])
        elif word.startswith("related:"):
            picked = _related(elements, word[8:])
        else:
            picked = _by_id(elements, word)
            if not picked:
                raise CommandError(f"object {word} does not exist")
        chosen += [e for e in picked if e not in chosen]
        if left is not None:
            chosen, left = [e for e in chosen if e in left], None
    return [e for e in elements if e in chosen]


# ---------------------------------------------------------------------- filter


def _filter_text(elements: list["Element"]) -> str:
    """The elements' text for a filter: one line an element (continuations joined, so line-wise
    filters see whole elements), rule ids shown so that they survive the round trip; no comments."""
    from crmsh_py.lang.writer import _all_rules, context_for, sort_key, write
    from crmsh_py.records import replace

    ctx = context_for(elements)
    ids = {r.id for e in elements for r in _all_rules(e) if getattr(r, "id", None)}
    ctx = replace(ctx, referenced_rule_ids=ctx.referenced_rule_ids | frozenset(ids))
    text = "".join(write(e, ctx) + "\n" for e in sorted(elements, key=sort_key))
    lines = text.replace("\\\n\t", "").replace(" \\\n", " ").splitlines()
    # crmsh gives a filter its elements without their comments (so a filter that changes anything
    # drops them) and without a newline after the last one
    return "\n".join(line for line in lines if not line.startswith("#"))


def do_filter(session: "Session", call: Call) -> None:
    """``filter CMD [SELECTOR ...]``: pipe the chosen elements' text through the shell command CMD
    and put its output in their place (elements it drops are deleted, new ones added)."""
    from crmsh_py.shell.levels.configure_ops import apply_edit

    command, selectors = call.args[0], call.args[1:]
    chosen = select(session, selectors)
    text = _filter_text(chosen)
    import subprocess  # only filter runs a command

    try:
        done = subprocess.run(["/bin/sh", "-c", command], input=text, capture_output=True, text=True,
                              timeout=FILTER_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CommandError(f"filter {command!r} failed: {error}") from None
    if done.returncode != 0:
        raise CommandError(f"filter {command!r} exited {done.returncode}: {done.stderr.strip()}")
    apply_edit(session, [effective_id(e) for e in chosen], done.stdout)


# ---------------------------------------------------------------------- monitor and set


def _primitive(session: "Session", rsc: str) -> Primitive:
    wc = working(session)
    element = wc.elements[wc.index(rsc)]
    if not isinstance(element, Primitive):
        raise CommandError(f"{rsc}: not a primitive")
    return element


def do_monitor(session: "Session", call: Call) -> None:
    """``monitor RSC[:ROLE] INTERVAL[:TIMEOUT]``: add a monitor operation to a primitive."""
    from crmsh_py.cib.model import NVPair

    rsc, _, role = call.args[0].partition(":")
    interval, _, timeout = call.args[1].partition(":")
    if not interval:
        raise CommandError("monitor: an interval is required")
    wc = working(session)
    before = copy.deepcopy(wc.elements)
    prim = _primitive(session, rsc)
    attributes = ([NVPair("role", role)] if role else []) + ([NVPair("timeout", timeout)] if timeout else [])
    # crmsh names it after the resource, even when the resource's op list has an id of its own
    prim.ops.append(Op("monitor", interval, attributes, id=f"{rsc}-monitor-{interval}",
                       interval_index=1 if role else 0))
    _validate(session, before)


def _validate(session: "Session", before: list["Element"]) -> None:
    from crmsh_py.shell.levels.configure_state import check_no_new_errors

    wc = working(session)
    try:
        check_no_new_errors(before, wc.elements)
    except Exception:
        wc.elements = before
        raise


def do_set(session: "Session", call: Call) -> None:
    """``set ID.NAME VALUE`` (the one attribute NAME of ID), ``set ID.OP.NAME VALUE`` (an attribute
    of ID's only OP operation), ``set ID.OP.INTERVAL.NAME VALUE``."""
    path, value = call.args
    parts = path.split(".")
    if not 2 <= len(parts) <= 4:
        raise CommandError(f'Invalid path: "{path}"; Valid path: "id.[op_type.][interval.]name"')
    wc = working(session)
    before = copy.deepcopy(wc.elements)
    element = wc.elements[wc.index(parts[0])]
    if len(parts) == 2:
        pairs = [nv for s in getattr(element, "attr_sets", []) for nv in s.nvpairs if nv.name == parts[1]]
        pairs += [nv for op in getattr(element, "ops", []) for s in op.attr_sets for nv in s.nvpairs
                  if nv.name == parts[1]]
        if len(pairs) != 1:
            raise CommandError(f"Attribute not found: {path}" if not pairs else
                               f"Expected 1 attribute named {parts[1]}, found {len(pairs)}")
        pairs[0].value = value
    else:
        ops = [op for op in getattr(element, "ops", []) if op.name == parts[1]]
        if len(parts) == 4:
            ops = [op for op in ops if op.interval == parts[2]]
        if not ops:
            raise CommandError(f'Operation "{parts[1]}" not found for resource {parts[0]}')
        if len(ops) > 1:
            raise CommandError(f"Should specify interval of {parts[1]}")
        _set_op_attribute(ops[0], parts[-1], value)
    _validate(session, before)


def _set_op_attribute(op: Op, name: str, value: str) -> None:
    from crmsh_py.cib.model import NVPair

    if name == "interval":
        op.interval = value
        return
    for nv in op.attributes:
        if nv.name == name:
            nv.value = value
            return
    op.attributes.append(NVPair(name, value))
