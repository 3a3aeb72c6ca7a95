"""The I/O a low-level tool works with, passed explicitly (no globals) so a tool can run
in-process (the bundled backend, tests) or as a console script.

Every tool module has ``run(args: list[str], io: ToolIO) -> int`` where ``args`` excludes the
program name (like ``sys.argv[1:]``), and ``main() -> int`` built with :func:`console_main`.
"""

from __future__ import annotations

import os
import sys

from crmsh_py.errors import CibFileError, CommandError, CrmError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.gc_pace import SlowCollector
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import TextIO

    from crmsh_py.cluster_yaml import KnownFiles


@record
class ToolIO:
    """Streams and environment of one tool invocation.

    ``env`` is read-only by convention (``CIB_file``, ``CRM_CLUSTER_DIR``, ``CRM_SYSLOG_SOCKET``...).
    ``known``: ``cluster.yaml`` as the shell that runs the tool in-process has read it (None: the
    tool reads it itself), for the tool's log line and the cluster it opens.
    """

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    env: Mapping[str, str] = field(default_factory=dict)
    known: KnownFiles | None = None

    @classmethod
    def from_process(cls) -> "ToolIO":
        """The real process streams and ``os.environ`` (a snapshot copy)."""
        return cls(sys.stdin, sys.stdout, sys.stderr, dict(os.environ))

    @classmethod
    def captured(cls, env: Mapping[str, str] | None = None, stdin: str = "") -> "ToolIO":
        """In-memory streams (``io.stdout.getvalue()`` afterwards); ``env`` defaults to ``os.environ``."""
        import io as _io

        return cls(_io.StringIO(stdin), _io.StringIO(), _io.StringIO(),
                   dict(os.environ) if env is None else dict(env))

    def out(self, text: str = "") -> None:
        """Write one line (a newline is added) to stdout."""
        self.stdout.write(text + "\n")

    def err(self, text: str = "") -> None:
        """Write one line (a newline is added) to stderr."""
        self.stderr.write(text + "\n")


def report_error(io: ToolIO, tool: str, error: CrmError) -> int:
    """Print a library error the way Pacemaker tools do (``tool: message``) and return an exit code.

    ``CommandError.exit_code`` is used when set; a broken CIB file is ``CRM_EX_CONFIG``.
    """
    if isinstance(error, CibFileError):
        io.err(f"{tool}: {error.message()}")
        return exitcodes.CRM_EX_CONFIG
    io.err(f"{tool}: {error.message()}")
    if isinstance(error, CommandError):
        return error.exit_code
    return exitcodes.CRM_EX_ERROR


def non_utf8_argument(args: list[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8 (Python keeps them as lone surrogates),
    shown with those bytes escaped; None when all are text.  Such bytes cannot go into a CIB."""
    for arg in args:
        if any("\ud800" <= char <= "\udfff" for char in arg):
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def refuse_non_utf8(io: ToolIO, tool: str, args: list[str]) -> int | None:
    """Print the one-line refusal of a non-UTF-8 argument and return the exit code, or None."""
    bad = non_utf8_argument(args)
    if bad is None:
        return None
    io.err(f"{tool}: argument '{bad}' is not valid UTF-8 text")
    return exitcodes.CRM_EX_USAGE


def report_os_error(io: ToolIO, tool: str, error: OSError) -> int:
    """An operating-system failure (full disk, permission, I/O error) as one line, never a
    traceback: ``tool: PATH: No space left on device``.  Permission problems are said to be
    such (``CRM_EX_INSUFFICIENT_PRIV``), a full disk or other write failure is ``CRM_EX_CANTCREAT``."""
    where = f"{error.filename}: " if getattr(error, "filename", None) else ""
    io.err(f"{tool}: {where}{error.strerror or error}")
    if isinstance(error, PermissionError):
        return exitcodes.CRM_EX_INSUFFICIENT_PRIV
    return exitcodes.CRM_EX_CANTCREAT


def console_main(tool: str, run: Callable[[list[str], ToolIO], int], *, backend_chosen: bool = False) -> int:
    """Run ``run(sys.argv[1:], ToolIO.from_process())`` as a console script: library errors become
    messages and exit codes, Ctrl-C exits 130, a closed stdout pipe is not an error.

    First the backend is chosen as ``crm`` chooses it; for Pacemaker the process becomes
    Pacemaker's own tool (``crmsh_py.lowlevel.handover``) and this function never returns.
    ``backend_chosen``: the caller (``crmsh_py.lowlevel.launch``) chose already and told the user
    why; choosing again would print that notice a second time.
    """
    if not backend_chosen:
        from crmsh_py.lowlevel.handover import hand_over

        handed = hand_over(tool, sys.argv[1:])
        if handed is not None:
            return handed
    io = ToolIO.from_process()
    refused = refuse_non_utf8(io, tool, sys.argv[1:])
    if refused is not None:
        return refused
    try:
        with SlowCollector():  # a one-shot process: the collector would only slow it down
            return run(sys.argv[1:], io)
    except CrmError as error:
        return report_error(io, tool, error)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Like `crm_mon -1 | head`: the reader went away; not our failure.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush
        except OSError:
            pass
        return exitcodes.CRM_EX_OK
    except OSError as error:
        return report_os_error(io, tool, error)
