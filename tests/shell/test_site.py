"""The site level: `ticket` subcommands become crm_ticket command lines (crmsh 4.4's), `-R` shows them."""

from __future__ import annotations

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute

CASES = [
    ("site ticket grant tA", False, "crm_ticket -t 'tA' -g"),
    ("site ticket grant tA", True, "crm_ticket --force -t 'tA' -g"),
    ("site ticket revoke tA", True, "crm_ticket --force -t 'tA' -r"),
    ("site ticket standby tA", False, "crm_ticket -t 'tA' -s"),
    ("site ticket activate tA", False, "crm_ticket -t 'tA' -a"),
    ("site ticket delete tA", False, "crm_ticket -t 'tA' -D granted"),
]


@pytest.mark.parametrize("line,force,ext", CASES, ids=[f"{c[0]}{' -F' if c[1] else ''}" for c in CASES])
def test_ticket_argv(session: Session, fake: FakeBackend, line: str, force: bool, ext: str) -> None:
    session.force = force
    execute(session, line)
    assert output(session).splitlines() == [f".EXT {ext}"]


def test_show_and_time_read_the_ticket_attributes(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_ticket", "-t", "tA", "-G", "granted")] = RunResult(0, "true\n", "")
    fake.responses[("crm_ticket", "-t", "tA", "-G", "last-granted")] = RunResult(0, "0\n", "")
    execute(session, "site ticket show tA")
    execute(session, "site ticket time tA")
    lines = output(session).splitlines()
    assert lines[:2] == [".EXT crm_ticket -t 'tA' -G granted", "ticket tA is granted"]
    assert lines[2] == ".EXT crm_ticket -t 'tA' -G last-granted"
    assert lines[3].startswith("ticket tA last time granted on ")


def test_show_of_an_unknown_ticket_is_an_error(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_ticket", "-t", "nope", "-G", "granted")] = RunResult(105, "", "")
    with pytest.raises(CommandError, match="apparently nothing to show for ticket nope"):
        execute(session, "site ticket show nope")


@pytest.mark.parametrize("line", ["site ticket bogus tA", "site ticket grant", "site ticket grant 'a b'",
                                  "site ticket grant a b"])
def test_bad_usage_runs_nothing(session: Session, fake: FakeBackend, line: str) -> None:
    with pytest.raises(CommandError):
        execute(session, line)
    assert fake.calls == []
