"""The interactive shell on prompt_toolkit (imported only when a REPL starts).

Prompt ``crm(live)configure# ``; history in ``$XDG_STATE_HOME/crmsh_py/history``; Ctrl-C cancels
the line; Ctrl-D leaves the current level (at the top: the shell); a trailing ``\\`` continues the
line; completion comes from :func:`crmsh_py.shell.completion.suggest`.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from crmsh_py import paths
from crmsh_py.errors import CrmError
from crmsh_py.shell.completion import split_line, suggest
from crmsh_py.shell.dispatch import execute, leave, leave_all

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from crmsh_py.session import Session


class ShellCompleter(Completer):
    """prompt_toolkit adapter around the pure ``suggest``; the data source is refreshed per line."""

    def __init__(self, session: "Session", prefetch: bool = False) -> None:
        from crmsh_py.shell.completion_source import AgentCache, CibCache

        self.session = session
        self.source: Any = None
        self.prefetch = prefetch
        self._warming: threading.Thread | None = None
        self.cib_cache = CibCache()  # the parsed CIB, reused while its file is unchanged
        self.agents = AgentCache()
        self.refresh()

    def refresh(self) -> None:
        """Forget cached cluster data (called after every command); with ``prefetch``, read it
        again in the background while the user types, so that Tab answers at once."""
        from crmsh_py.shell.completion_source import SessionSource

        _settled(self)  # the previous read (still going if a Ctrl-C cut its wait short) first
        self.source = SessionSource(self.session, self.cib_cache, self.agents)
        if self.prefetch:
            self._warming = threading.Thread(target=_quietly, args=(self.source.warm,), daemon=True,
                                             name="completion-prefetch")
            self._warming.start()

    def settle(self) -> None:
        """Wait (bounded) for the background read: a command never runs beside it.  A Ctrl-C
        while waiting raises KeyboardInterrupt and leaves the read to be waited for next time."""
        if self._warming is not None:
            self._warming.join(PREFETCH_WAIT_S)
            self._warming = None

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        _, partial = split_line(text)
        for word in suggest(self.source, list(self.session.level), text):
            # a note beside it: "(required)", a parameter's default, a meta attribute's values
            yield Completion(word, start_position=-len(partial), display_meta=getattr(word, "meta", "") or None)


PREFETCH_WAIT_S = 10.0  # longest a command waits for the completion read still under way


def _settled(completer: object) -> bool:
    """Wait for the completer's background read; False when a Ctrl-C cut the wait short (the
    user's Ctrl-C, typed ahead while a command ran, must never end the shell with a traceback)."""
    if not isinstance(completer, ShellCompleter):
        return True
    try:
        completer.settle()
    except KeyboardInterrupt:
        return False
    return True


def _quietly(work: Callable[[], None]) -> None:
    """Run ``work``; a failure only means no candidates later (the REPL never hears of it)."""
    try:
        work()
    except Exception:  # noqa: BLE001 - completion data is best effort
        pass


def history_path(env: dict[str, str]) -> str:
    """Where the REPL keeps its history."""
    return os.path.join(paths.user_dir(env, "state"), "history")


def make_prompt_session(session: "Session", history: History | None = None, **kwargs: Any) -> PromptSession[str]:
    """A PromptSession wired to the shell (tests pass ``input=``/``output=``)."""
    if history is None:
        path = history_path(session.env)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            history = FileHistory(path)
        except OSError:
            history = InMemoryHistory()
    # prefetch on a real terminal; tests that drive the prompt through a pipe keep their backend quiet
    completer = ShellCompleter(session, prefetch="input" not in kwargs)
    return PromptSession(history=history, completer=completer, complete_while_typing=False, **kwargs)


def read_command(prompt: PromptSession[str], session: "Session") -> str:
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


def _ask(prompt: PromptSession[str]) -> Any:
    def ask(question: str) -> bool:
        while True:
            answer = prompt.prompt(f"{question} ").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False

    return ask


def run_repl(session: "Session", prompt: PromptSession[str] | None = None,
             early: Callable[[], None] | None = None) -> int:
    """Read-eval-print until quit or Ctrl-D at the top.  Errors are shown; the shell goes on.
    ``early``: gives the terminal back from the prompt drawn before the editor loaded
    (:mod:`crmsh_py.shell.repl_early`), called once the editor is ready to draw its own."""
    from crmsh_py.shell.failure import fail, log_line

    session.mode = "interactive"
    try:
        prompt = prompt or make_prompt_session(session)
    finally:
        if early is not None:
            early()
    session.ask = _ask(prompt)
    completer = prompt.completer
    status = 0
    while not session.quit_requested:
        try:
            line = read_command(prompt, session)
        except KeyboardInterrupt:
            continue  # Ctrl-C: drop the line
        except EOFError:  # Ctrl-D: leave the level, or the shell at the top
            if not _settled(completer):
                continue  # Ctrl-C while waiting: the Ctrl-D is dropped too
            if not session.level:
                session.out.write("bye\n")
                break
            try:
                leave(session, "interactive")
            except CrmError as error:
                fail(session, error)
            continue
        if not line.strip():
            continue
        log_line(session, [*session.level, line.strip()])
        try:
            if isinstance(completer, ShellCompleter):
                completer.settle()  # a Ctrl-C while waiting cancels the command
            execute(session, line)
            status = 0
        except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - report and carry on
            status = fail(session, error)
        if isinstance(completer, ShellCompleter):
            completer.refresh()
    _settled(completer)
    if session.level:
        try:
            leave_all(session, "interactive")
        except CrmError as error:
            status = fail(session, error)
    return status
