"""Words → level → handler.

``execute(session, line)`` runs one command line at the session's current level.  A level name
followed by more words (``resource move dummy srv02``) descends into that level for this line only
and leaves it afterwards (the configure level then commits, like crmsh one-shots); a level name
alone enters it, and the level persists (REPL and batch).
"""

from __future__ import annotations

import time

from crmsh_py.errors import CommandError
from crmsh_py.shell.registry import DEPRECATED_ALIASES, Call, fuzzy_resolve, get_level, resolve_for_dispatch

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session

ONESHOT_ATTEMPTS = 50  # tries of a one-shot configure line whose commit raced another writer
ONESHOT_BACKOFF_S = 0.02  # grows with each attempt: random sleep in [0, attempt × this]


_SHLEX_BLANKS = str.maketrans("\t\r\n", "   ")  # what shlex splits on, as spaces; other white space stays
_SHLEX_SPECIAL = frozenset("\"'\\")


def tokenize(line: str) -> list[str]:
    """Split a command line into words the shell way (quotes group, backslashes escape)."""
    if _SHLEX_SPECIAL.isdisjoint(line):  # nothing to group or escape (most lines): shlex not needed
        return [word for word in line.translate(_SHLEX_BLANKS).split(" ") if word]
    import shlex

    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError as error:  # unbalanced quotes
        raise CommandError(f"cannot split the command line: {error}", code=UNSPLIT) from None


UNSPLIT = "unsplit"  # CommandError.code of a line whose quotes do not pair up


def unsplit_error(session: "Session", error: CommandError) -> CommandError:
    """crmsh's words for a line it cannot split: the level it was typed at and the last command
    dispatched before (``configure.primitive``, ``configure.configure`` right after entering it,
    ``status`` at the top, ``None`` before any)."""
    last = session.last_command
    where = f"{session.level[-1]}.{last}" if session.level and last is not None else str(last)
    return CommandError(f"{where}: {str(error).rpartition(': ')[2]}", code=UNSPLIT)


def strip_words(text: str, count: int) -> str:
    """``text`` without its first ``count`` words (level names never contain quotes or spaces)."""
    for _ in range(count):
        parts = text.split(None, 1)  # white space as the regex \s sees it (str.isspace)
        text = parts[1] if len(parts) > 1 else ""
    return text.strip()


def execute(session: "Session", line: str) -> None:
    """Run one command line; raises ``CrmError`` on failure (the caller reports it)."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return
    if len(stripped) > SHORT_LINE_CHARS:  # only a line this long can be over the limit: look it up
        check_line_length(stripped)
    try:
        words = tokenize(stripped)
    except CommandError as error:
        raise unsplit_error(session, error) if error.code == UNSPLIT else error from None
    run_words(session, words, stripped)


#: far below the configuration language's line limit (crmsh_py.lang.limits), which is imported
#: only for a line longer than this: no typed or scripted command is
SHORT_LINE_CHARS = 1 << 12


def check_line_length(stripped: str) -> None:
    """Refuse a line over the language's limit before splitting it: shlex would grind through it."""
    from crmsh_py.lang.limits import MAX_LINE_CHARS

    if len(stripped) > MAX_LINE_CHARS:
        raise CommandError(f"the command line has {len(stripped):,} characters; the limit is "
                           f"{MAX_LINE_CHARS:,}")


def run_words(session: "Session", words: list[str], text: str) -> None:
    """Run ``words`` (whose raw form is ``text``) at the current level."""
    spec = resolve_for_dispatch(session.level, words[0])
    level = session.level[-1] if session.level else "root"
    if spec is None and len(words[0]) > 1 and words[0].isidentifier():
        spec = fuzzy_resolve(session.level, words[0])
        if spec is not None:  # crmsh accepts typos and prefixes, and says so
            session.info(f'"{words[0]}" is accepted as "{spec.name}"')
            text = spec.name + " " + strip_words(text, 1)
            words = [spec.name, *words[1:]]
    elif spec is not None and (level, words[0]) in DEPRECATED_ALIASES:
        session.warning(f"This command '{words[0]}' is deprecated, please use '{spec.name}'")
        session.info(f'"{words[0]}" is accepted as "{spec.name}"')
    if spec is None:
        session.last_command = words[0]  # (crmsh names even a command it does not know)
        where = "/".join(session.level) or "root"
        from crmsh_py.shell.didyoumean import hint
        from crmsh_py.shell.registry import all_names

        near = "" if session.regression else hint(words[0], all_names(session.level))
        raise CommandError(f"{words[0]}: no such command at level {where}{near or ' (try help)'}")
    session.last_command = spec.name
    if spec.level is not None:
        if len(words) == 1:
            enter(session, spec.level)
            return
        _descend(session, spec.level, words[1:], strip_words(text, 1))
        return
    assert spec.handler is not None
    if level == "configure":  # crmsh checks the number of arguments first, in its own words
        from crmsh_py.shell.levels.configure_arity import arity_error

        wrong = arity_error(spec.name, len(words) - 1)
        if wrong is not None:
            raise wrong
    values = {}
    if spec.parse_args:  # the argument binder loads for the commands that declare their arguments
        from crmsh_py.shell.arguments import bind

        values = bind(spec, words[1:])
    spec.handler(session, Call(words[1:], text, words[0], values, spec.usage))


def _descend(session: "Session", name: str, words: list[str], text: str) -> None:
    """Run one line inside level ``name`` and come back (committing or discarding on the way out).

    A one-shot's working copy lives only for this line, so when its commit is refused because
    another writer changed the CIB in between, the line is simply run again on a fresh copy
    (bounded, with a short random back-off): the user never saw the older state.
    """
    for attempt in range(ONESHOT_ATTEMPTS):
        try:
            _descend_once(session, name, words, text)
            return
        except CommandError as error:
            if error.code != "commit-conflict" or attempt == ONESHOT_ATTEMPTS - 1:
                raise
        import random  # only after a commit race

        time.sleep(random.uniform(0.0, ONESHOT_BACKOFF_S * (attempt + 1)))


def _descend_once(session: "Session", name: str, words: list[str], text: str) -> None:
    depth = len(session.level)
    enter(session, name)
    try:
        run_words(session, words, text)
        while len(session.level) > depth:
            leave(session, "oneshot")
    except BaseException:
        # The line failed: nothing it staged may survive.
        while len(session.level) > depth:
            leave(session, "abort")
        raise


def enter(session: "Session", name: str) -> None:
    """Enter level ``name`` (running its enter hook, e.g. configure takes a working copy)."""
    level = get_level(name)
    if level.on_enter is not None:
        level.on_enter(session)
    session.level.append(name)


def leave(session: "Session", how: str) -> None:
    """Leave the current level; ``how`` is ``interactive``, ``batch``, ``oneshot`` or ``abort``.

    The leave hook may refuse (raise); then the level is not left.
    """
    if not session.level:
        return
    level = get_level(session.level[-1])
    if level.on_leave is not None:
        level.on_leave(session, how)
    session.level.pop()


def leave_all(session: "Session", how: str) -> None:
    """Leave every level down to the root."""
    while session.level:
        leave(session, how)
