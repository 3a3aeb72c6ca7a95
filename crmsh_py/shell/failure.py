"""What the one-shot, batch and interactive runners share: logging the typed line, and turning any
failure into a message and exit code 1 (never a traceback, unless ``-d``)."""

from __future__ import annotations

from crmsh_py.errors import CommandError, CrmError

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session


def log_line(session: "Session", words: list[str]) -> None:
    """Syslog ``crm[PID]: Invoked: crm ...`` so the log shows what the operator typed."""
    from crmsh_py.invocation import log_invocation

    log_invocation("crm", ["crm", *words], session.env, audit=True, known=session.known_files)


def fail(session: "Session", error: BaseException, where: str = "") -> int:
    """Report any failure without a traceback (unless -d) and return exit code 1."""
    from crmsh_py.render.errors import report  # the renderer loads when there is something to report
    from crmsh_py.render.theme import scheme_from_options

    if isinstance(error, CrmError):
        from crmsh_py.shell.error_hints import with_hint

        error = with_hint(session, error)  # "did you mean ..." when it names what does not exist
        report(error, session.err, session.env, where, scheme_from_options(session.options))
    elif isinstance(error, OSError):
        report(CommandError(str(error)), session.err, session.env, where)
    elif isinstance(error, KeyboardInterrupt):
        session.err.write("Interrupted\n")
    else:
        if session.debug:
            import traceback  # only for -d: loading it costs every one-shot a few ms

            traceback.print_exception(error, file=session.err)
        report(CommandError(f"internal error: {error!r} (run with -d for details)"), session.err,
               session.env, where)
    return 1
