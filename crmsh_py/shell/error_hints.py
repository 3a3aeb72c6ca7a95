"""Errors that name something that does not exist get a "did you mean" from what the cluster has.

``with_hint(session, error)`` recognises the "no such thing" messages of our handlers and of
Pacemaker's tools (a resource, node, element, agent) and appends the nearest names.  It runs where
errors are reported (the runner), so the shell's dispatch stays free of cluster reads.  Hints are
for people: none in ``-R`` regression mode, nor in a batch (commands read from a file or a pipe: a
script's, whose output is read line by line like crmsh's, which has no hints).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError, CrmError, ValidationError, ValidationErrors
from crmsh_py.shell.didyoumean import hint

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session
    from crmsh_py.shell.completion_source import SessionSource


def _agents(source: "SessionSource", spec: str) -> list[str]:
    """Agents of the same class (and provider) as ``spec``, written the way ``spec`` is."""
    parts = spec.split(":")
    if len(parts) == 3:
        return [f"{parts[0]}:{parts[1]}:{a}" for a in source.agents(parts[0], parts[1])]
    if len(parts) == 2:
        return [f"{parts[0]}:{a}" for a in source.agents(parts[0])]
    return source.agents("ocf", "heartbeat") + source.agents("ocf", "pacemaker")


# message pattern (group 1: the name) -> the names of that kind the cluster has
KINDS: tuple[tuple[re.Pattern[str], Callable[["SessionSource", str], list[str]]], ...] = (
    (re.compile(r"Resource not found: (\S+)"), lambda s, w: s.resources()),
    (re.compile(r"Resource '([^']+)' not found"), lambda s, w: s.resources()),
    (re.compile(r"resource '?([^'\s]+)'? does not exist"), lambda s, w: s.resources()),
    (re.compile(r"Could not map name=(\S+) to a UUID"), lambda s, w: s.nodes()),
    (re.compile(r"[Nn]ode '?([^'\s]+)'? not found"), lambda s, w: s.nodes()),
    (re.compile(r"^(\S+): got no meta-data"), _agents),
    (re.compile(r"Metadata query for (\S+) failed"), _agents),
    (re.compile(r"object (\S+) does not exist"), lambda s, w: s.elements()),
    (re.compile(r"refers to missing object (\S+)"), lambda s, w: s.resources()),
    (re.compile(r"^(\S+): no such element"), lambda s, w: s.elements()),
)


# references inside a configuration being edited: the working copy's ids are the candidates
REFERENCE = re.compile(r"(?:resource|tagged object|template) '([^']+)' does not exist")


def _hinted(source: "SessionSource", text: str,
            kinds: tuple[tuple[re.Pattern[str], Callable[["SessionSource", str], list[str]]], ...]) -> str:
    """``text`` with a hint after its first line when it names something that does not exist."""
    for pattern, names in kinds:
        match = pattern.search(text)
        if match is None:
            continue
        extra = hint(match.group(1), names(source, match.group(1)))
        first, _, rest = text.partition("\n")
        return first + extra + ("\n" + rest if rest else "")
    return text


def with_hint(session: "Session", error: CrmError) -> CrmError:
    """``error`` with a "did you mean" added when it says a name does not exist (else itself):
    a command's error, or the validation errors of a configuration line."""
    if session.regression or session.mode == "batch" or "did you mean" in str(error) or getattr(error, "shown", False):
        return error  # (a shown error prints nothing more: no hint either)
    from crmsh_py.shell.completion_source import SessionSource

    source = SessionSource(session)
    try:
        if isinstance(error, CommandError):
            text = _hinted(source, error.text, KINDS)
            return error if text == error.text else CommandError(text, error.code, error.exit_code)
        if isinstance(error, ValidationErrors):
            kinds = ((REFERENCE, lambda s, w: s.elements()),)
            errors = [ValidationError(_hinted(source, e.text, kinds), e.element_id, e.code) for e in error.errors]
            changed = [e.text for e in errors] != [e.text for e in error.errors]
            return ValidationErrors(errors, error.code) if changed else error
    except Exception:  # noqa: BLE001 - a hint must never hide the error itself
        return error
    return error
