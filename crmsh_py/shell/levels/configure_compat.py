"""crmsh compatibility at the configure level: its regression-test commands and its notices.

``_test``, ``_regtest``, ``_objects`` and ``_keywords`` are commands crmsh's own test cases use; they
are accepted (hidden from help and completion) so that those scripts run unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.shell.registry import Call, CommandSpec

if TYPE_CHECKING:
    from crmsh_py.session import Session


def do_check_structure(session: "Session", call: Call) -> None:
    """``_test``: crmsh checks its in-memory structure; ours is checked on every change already."""
    from crmsh_py.shell.levels.configure_state import working

    working(session)


def do_nothing(session: "Session", call: Call) -> None:
    """``_regtest on|off``, ``_objects``, ``_keywords``: crmsh test-harness switches with no effect here."""


def ms_notice(session: "Session", text: str) -> None:
    """crmsh's deprecation warning for ``ms ID RSC ...`` (the clone line that replaces it)."""
    words = text.split()
    if len(words) >= 3 and words[0] in ("ms", "master"):
        rest = " ".join(words[1:])
        session.warning(f'"ms" is deprecated. Please use "clone {rest} meta promotable=true"')


HIDDEN: tuple[CommandSpec, ...] = (
    CommandSpec("_test", "Check the working copy's structure (crmsh regression tests)",
                handler=do_check_structure, hidden=True),
    CommandSpec("_regtest", "Regression-test mode switch (crmsh regression tests)", handler=do_nothing,
                hidden=True),
    CommandSpec("_objects", "List objects (crmsh regression tests)", handler=do_nothing, hidden=True),
    CommandSpec("_keywords", "List keywords (crmsh regression tests)", handler=do_nothing, hidden=True),
)
