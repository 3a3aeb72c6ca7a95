"""The REPL driven through a real PromptSession with a pipe input and a dummy output."""

from __future__ import annotations

import threading
import time

from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from support.fakes import FakeBackend, output

from crmsh_py.backends.base import RunResult
from crmsh_py.session import Session
from crmsh_py.shell.repl import make_prompt_session, run_repl


def drive(session: Session, chunks: list[str], pause: float = 0.0) -> int:
    """Type ``chunks`` into the REPL (with pauses so that Tab completion can finish)."""
    with create_pipe_input() as pipe:
        prompt = make_prompt_session(session, history=InMemoryHistory(), input=pipe, output=DummyOutput())
        if pause == 0.0:
            pipe.send_text("".join(chunks))
            return run_repl(session, prompt)

        def feed() -> None:
            for chunk in chunks:
                time.sleep(pause)
                pipe.send_text(chunk)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        rc = run_repl(session, prompt)
        feeder.join(timeout=5)
        return rc


def test_levels_commands_and_errors_in_the_repl(session: Session, fake: FakeBackend) -> None:
    rc = drive(session, ["resource\r", "move dummy srv02 force\r", "bogus\r", "up\r", "quit\r"])
    assert rc == 0  # the status of the last command (quit); `bogus` failed before it
    assert ".EXT crm_resource -M -r 'dummy' --node='srv02' --force" in output(session)
    assert "bogus: no such command at level resource" in session.err.getvalue()
    assert session.level == [] and session.quit_requested


def test_ctrl_d_leaves_the_level_then_the_shell(session: Session) -> None:
    levels: list[list[str]] = []
    original = session.prompt

    def recording_prompt() -> str:
        levels.append(list(session.level))
        return original()

    session.prompt = recording_prompt  # type: ignore[method-assign]
    rc = drive(session, ["ra\r", "\x04", "\x04"])
    assert rc == 0
    assert levels == [[], ["ra"], []]
    assert output(session).endswith("bye\n")


def test_ctrl_c_cancels_the_line(session: Session, fake: FakeBackend) -> None:
    drive(session, ["resource stop dummy", "\x03", "quit\r"], pause=0.2)
    assert fake.calls == []


def test_backslash_continues_a_line(session: Session, fake: FakeBackend) -> None:
    drive(session, ["resource move dummy \\\r", "srv02\r", "quit\r"])
    assert fake.tools() == ["crm_resource -M -r dummy --node=srv02"]


def test_tab_completes_from_the_cluster(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_resource", "--list-standards")] = RunResult(0, "ocf\nstonith\n", "")
    drive(session, ["ra\r", "list sto", "\t", "\r", "quit\r"], pause=0.3)
    assert ["crm_resource", "--list-agents=stonith"] in fake.calls


def test_configure_quit_asks_to_commit(session: Session, fake: FakeBackend) -> None:
    drive(session, ["configure\r", "primitive d1 Dummy\r", "quit\r", "y\r"], pause=0.2)
    assert "cibadmin --patch --xml-pipe" in fake.tools()


def test_prompt_shows_the_shadow_name(session: Session) -> None:
    session.use_shadow("test")
    session.level = ["configure"]
    assert session.prompt() == "crm(test)configure# "


def test_ctrl_c_while_the_background_read_is_awaited_cancels_the_command_not_the_shell(
        session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Ctrl-C typed ahead while a command ran arrives as SIGINT while the next command waits for
    # completion's background read: that command is cancelled, the shell goes on
    from crmsh_py.shell.repl import ShellCompleter

    calls: list[int] = []

    def settle(self: ShellCompleter) -> None:
        calls.append(1)
        if len(calls) == 2:  # the first wait is refresh()'s at start; the second, before `resource`
            raise KeyboardInterrupt

    monkeypatch.setattr(ShellCompleter, "settle", settle)
    rc = drive(session, ["resource\r", "node\r", "\x04", "quit\r"])
    assert rc == 0 and session.quit_requested
    assert "Interrupted" in session.err.getvalue()
    assert session.level == []  # `resource` never ran; `node` did and Ctrl-D left it
