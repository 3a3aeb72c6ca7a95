"""The interactive shell on prompt_toolkit (imported only when a REPL starts).

Prompt ``crm(live)configure# ``; history in ``$XDG_STATE_HOME/crmsh_py/history``; Ctrl-C cancels
the line; Ctrl-D leaves the current level (at the top: the shell); a trailing ``\\`` continues the
line; completion comes from :func:`crmsh_py.shell.completion.suggest`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from crmsh_py.errors import CrmError
from crmsh_py.shell.completion import split_line, suggest
from crmsh_py.shell.dispatch import execute, leave, leave_all

if TYPE_CHECKING:
    from crmsh_py.session import Session


class ShellCompleter(Completer):
    """prompt_toolkit adapter around the pure ``suggest``; the data source is refreshed per line."""

    def __init__(self, session: "Session") -> None:
        self.session = session
        self.source: Any = None
        self.refresh()

    def refresh(self) -> None:
        """Forget cached cluster data (called after every command)."""
        from crmsh_py.shell.completion_source import SessionSource

        self.source = SessionSource(self.session)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        _, partial = split_line(text)
        for word in suggest(self.source, list(self.session.level), text):
            yield Completion(word, start_position=-len(partial))


def history_path(env: dict[str, str]) -> str:
    """Where the REPL keeps its history."""
    base = env.get("XDG_STATE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"),
                                                     ".local", "state")
    return os.path.join(base, "crmsh_py", "history")


def make_prompt_session(session: "Session", history: History | None = None, **kwargs: Any) -> PromptSession:
    """A PromptSession wired to the shell (tests pass ``input=``/``output=``)."""
    if history is None:
        path = history_path(session.env)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            history = FileHistory(path)
        except OSError:
            history = InMemoryHistory()
    return PromptSession(history=history, completer=ShellCompleter(session), complete_while_typing=False,
                         **kwargs)


def read_command(prompt: PromptSession, session: "Session") -> str:
    """One logical line: physical lines ending in ``\\`` continue on a ``> `` prompt."""
    parts: list[str] = []
    from prompt_toolkit.formatted_text import ANSI

    from crmsh_py.shell.output import prompt_text

    text = prompt.prompt(ANSI(prompt_text(session)))
    while text.endswith("\\"):
        parts.append(text[:-1])
        text = prompt.prompt("> ")
    parts.append(text)
    return " ".join(p.strip() for p in parts) if len(parts) > 1 else parts[0]


def _ask(prompt: PromptSession) -> Any:
    def ask(question: str) -> bool:
        while True:
            answer = prompt.prompt(f"{question} ").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False

    return ask


def run_repl(session: "Session", prompt: PromptSession | None = None) -> int:
    """Read-eval-print until quit or Ctrl-D at the top.  Errors are shown; the shell goes on."""
    from crmsh_py.shell.runner import _fail, log_line

    session.mode = "interactive"
    prompt = prompt or make_prompt_session(session)
    session.ask = _ask(prompt)
    completer = prompt.completer
    status = 0
    while not session.quit_requested:
        try:
            line = read_command(prompt, session)
        except KeyboardInterrupt:
            continue  # Ctrl-C: drop the line
        except EOFError:  # Ctrl-D: leave the level, or the shell at the top
            if not session.level:
                session.out.write("bye\n")
                break
            try:
                leave(session, "interactive")
            except CrmError as error:
                _fail(session, error)
            continue
        if not line.strip():
            continue
        log_line(session, [*session.level, line.strip()])
        try:
            execute(session, line)
            status = 0
        except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - report and carry on
            status = _fail(session, error)
        if isinstance(completer, ShellCompleter):
            completer.refresh()
    if session.level:
        try:
            leave_all(session, "interactive")
        except CrmError as error:
            status = _fail(session, error)
    return status
