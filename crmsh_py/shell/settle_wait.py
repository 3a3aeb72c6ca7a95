"""Waiting for the cluster to settle between two changes (``resource restart``, ``delete --force``).

A real cluster acts on a change some time after it is written: the DC runs the scheduler, then
the transition.  ``crm_resource --wait`` blocks until no action is pending (Pacemaker works this
out from the CIB, so it also covers the moment before the DC has started); ``--timeout`` bounds
it.  While it runs, progress dots go to stderr the way crmsh shows them
(``waiting for stop to finish .... done``).  The bundled cluster settles each change before the
command returns, so there the call answers at once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd

if TYPE_CHECKING:
    from crmsh_py.backends.base import RunResult
    from crmsh_py.session import Session

DEFAULT_TIMEOUT_S = 120
DOT_EVERY_S = 1.0
CRM_EX_TIMEOUT = 124


def wait_timeout(session: Session) -> int:
    """Seconds to wait (``-o wait-timeout=N``; default 120)."""
    raw = session.options.get("wait-timeout", "") or str(DEFAULT_TIMEOUT_S)
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"option wait-timeout: bad value '{raw}' (seconds)") from None
    if value <= 0:
        raise CommandError(f"option wait-timeout: bad value '{raw}' (seconds, more than 0)")
    return value


def wait_for_settle(session: Session, what: str) -> None:
    """Block until the cluster has no pending action (bounded); CommandError on timeout."""
    timeout = wait_timeout(session)
    cmd = Cmd("crm_resource").flag("--wait", f"--timeout={timeout}s")
    if session.backend_kind != "pacemaker":
        result = session.run(cmd)
    else:
        result = _with_progress(session, cmd, what)
    if result.rc == CRM_EX_TIMEOUT:
        raise CommandError(f"the cluster did not settle within {timeout}s after {what} "
                           "(`-o wait-timeout=N` waits longer)")
    if result.rc != 0:
        from crmsh_py.session import tool_message

        raise CommandError(tool_message(result.stderr) or f"crm_resource --wait failed ({result.rc})")


def _with_progress(session: Session, cmd: Cmd, what: str) -> RunResult:
    """Run ``cmd`` in a worker thread, printing a dot a second until it returns."""
    box: list[RunResult] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            box.append(session.run(cmd))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            failure.append(error)

    worker = threading.Thread(target=work, name="crm-wait", daemon=True)
    worker.start()
    worker.join(DOT_EVERY_S)
    if worker.is_alive():
        session.err.write(f"waiting for {what} to finish .")
        session.err.flush()
        while worker.is_alive():
            worker.join(DOT_EVERY_S)
            if worker.is_alive():
                session.err.write(".")
                session.err.flush()
        session.err.write(" done\n")
    if failure:
        raise failure[0]
    return box[0]
