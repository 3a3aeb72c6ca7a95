"""Running a session: one-shot words, a batch of lines, or the REPL; errors become messages and exit 1."""

from __future__ import annotations

import os
import sys

from crmsh_py.errors import CrmError
from crmsh_py.shell.dispatch import execute, leave_all
from crmsh_py.shell.failure import fail, log_line

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TextIO
    from crmsh_py.session import Session, StartOptions


def join_words(words: Iterable[str]) -> str:
    """Rebuild a command line from shell words, double-quoting values that need it.

    ``crm configure primitive p Dummy params state="/tmp/a b"`` reaches us without the quotes; the
    configure parser must see them again.
    """
    words = list(words)
    out = []
    # Quotes that reach us inside words without blanks were meant for crm's own line parser
    # (`crm node attribute n1 set a "1 2 3"` from a harness that splits on blanks, as crmsh's
    # does): crmsh passes such words through, so do we; when they do not pair up, the line
    # cannot be split, and crmsh says so ("No closing quotation") and changes nothing.
    for word in words:
        special = "#\\"
        if word and not any(c.isspace() or c in special for c in word):
            out.append(word)
            continue
        name, eq, value = word.partition("=")
        escaped = (value if eq else word).replace("\\", "\\\\").replace('"', '\\"')
        if eq and name and not any(c.isspace() for c in name):
            out.append(f'{name}="{escaped}"')
        else:
            out.append(f'"{escaped}"')
    return " ".join(out)


def run_oneshot(session: "Session", text: str) -> int:
    """Run one command line and settle every level it entered (configure commits, like crmsh)."""
    try:
        execute(session, text)
        return 0
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - every failure is reported
        try:
            leave_all(session, "abort")
        except CrmError:
            pass
        return fail(session, error)


def logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Physical lines joined on a trailing backslash; yields (first line number, text)."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, " ".join(p.strip() for p in pending) if len(pending) > 1 else pending[0]
        pending = []
    if pending:
        yield start, " ".join(p.strip() for p in pending)


MAX_LOGGED_CHARS = 1 << 20  # longer lines are refused by execute(); they are not worth logging either


def echo_inputs(session: "Session", stream: Iterable[str]) -> Iterator[str]:
    """The lines of ``stream``; in regression mode (-R) each is first shown as ``.INP: LINE`` (crmsh's)."""
    for raw in stream:
        if session.regression:
            session.out.write(f".INP: {raw.rstrip(chr(10))}\n")
            session.out.flush()
        yield raw


def run_batch(session: "Session", stream: TextIO, name: str) -> int:
    """Run a file of commands; levels persist line to line.

    As crmsh: a failing command is reported (``ERROR: FILE:LINE: ...``) and the batch carries on;
    at the end of input every level is left, so the configure level commits what is pending; the
    exit code is 1 when any command (or that commit) failed.  ``--stop-on-error`` stops at the first
    failure instead, discarding what is pending.
    """
    session.mode = "batch"
    last = 0
    failed = False
    for number, line in logical_lines(echo_inputs(session, stream)):
        last = number
        session.where = f"{name}:{number}"
        if line.strip() and not line.strip().startswith("#") and len(line) <= MAX_LOGGED_CHARS:
            log_line(session, [*session.level, line.strip()])
        try:
            execute(session, line)
        except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001
            failed = True
            fail(session, error, session.where)
            if session.stop_on_error or isinstance(error, KeyboardInterrupt):
                try:
                    leave_all(session, "abort")
                except CrmError:
                    pass
                return 1
        if session.quit_requested:
            break
    session.where = f"{name}:{last}"
    try:
        leave_all(session, "batch")
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001
        try:
            leave_all(session, "abort")
        except CrmError:
            pass
        return fail(session, error, session.where)
    finally:
        session.where = ""
    return 1 if failed else 0


def run(opts: "StartOptions", argv: list[str]) -> int:
    """Build the session from ``opts`` and run what the command line asks for."""
    from crmsh_py.session import build_session

    try:
        session = build_session(opts, sys.stdout, sys.stderr, dict(os.environ))
    except CrmError as error:  # e.g. a broken options file
        from crmsh_py.render.errors import report

        report(error, sys.stderr, os.environ)
        return 1
    if opts.compgen is not None:
        from crmsh_py.shell.completion import compgen

        point, line = opts.compgen
        for word in compgen(session, line, point):
            sys.stdout.write(word + "\n")
        return 0
    session.terminal = sys.stdin.isatty()
    choice = session.backend_choice
    if choice is not None and choice.notice:
        # Never a silent fallback: say which cluster this is and why.
        cluster_dir = session.cluster_dir if choice.kind == "bundled" else None
        session.info(choice.message(cluster_dir))
    log_line(session, argv)
    if opts.words:
        rc = run_oneshot(session, join_words(opts.words))
        if rc != 0 or not session.level or session.quit_requested:
            return rc
        # `crm configure` alone: carry on at that level, interactively or from stdin.
    if opts.file and opts.file != "-":
        try:
            with open(opts.file, encoding="utf-8") as handle:
                return run_batch(session, handle, opts.file)
        except OSError as error:
            return fail(session, error)
    if opts.file == "-" or not sys.stdin.isatty():
        return run_batch(session, sys.stdin, "<stdin>")
    if session.backend_kind == "bundled":
        _ensure_cluster(session)
    from crmsh_py.shell.repl_early import draw_early_prompt, import_repl

    hand_over = draw_early_prompt(session)  # the prompt shows while the line editor loads
    try:
        repl = import_repl()
    except BaseException:
        if hand_over is not None:
            hand_over()
        raise
    return int(repl.run_repl(session, early=hand_over))


def _ensure_cluster(session: "Session") -> None:
    """The interactive shell on a machine without any bundled cluster creates the default one
    (``pip install -e . && crm``); a damaged cluster is left for ``crm cluster repair``."""
    ensure = getattr(session.backend, "ensure_cluster", None)
    if ensure is None:
        return
    try:
        ensure(session.err)
    except CrmError as error:
        from crmsh_py.render.errors import report

        report(error, session.err, session.env)
