"""Running our own tools the way a test needs them: ``crm`` and the low-level tools, in-process
(fast, exceptions reach the test) or as a process (exactly what a user runs)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

# only a hang reaches this: a one-shot takes well under a second, a loaded CI machine a few
PROCESS_TIMEOUT_S = 120


class Outcome(NamedTuple):
    """Exit code and captured streams of one run (unpacks as ``rc, out, err``)."""

    rc: int
    out: str
    err: str


def tool(argv: list[str], env: dict[str, str] | None = None, stdin: str = "") -> Outcome:
    """A low-level tool (``argv[0]`` is its name, e.g. ``crm_resource``) in-process; any exception
    propagates to the test."""
    from crmsh_py.lowlevel.registry import run_tool
    from crmsh_py.lowlevel.toolio import ToolIO

    tool_io = ToolIO.captured(env, stdin)
    rc = run_tool(list(argv), tool_io)
    return Outcome(rc, tool_io.stdout.getvalue(), tool_io.stderr.getvalue())


def tool_on(argv: list[str], cib: Path | None = None, stdin: str = "", **env: str) -> Outcome:
    """A low-level tool in-process on a CIB file (``CIB_file``), with extra environment ``env``."""
    environ = dict(os.environ)
    if cib is not None:
        environ["CIB_file"] = str(cib)
    environ.update(env)
    return tool(argv, environ, stdin)


def crm(words: list[str], env: dict[str, str], stdin: str | None = None, log_words: bool = True) -> Outcome:
    """``crm WORDS`` in-process on the bundled backend: a one-shot, or a batch read from ``stdin``.
    The command line is logged first, as ``crm`` does, unless ``log_words`` is false."""
    from crmsh_py.cli import UsageError, parse_args
    from crmsh_py.session import build_session
    from crmsh_py.shell.failure import log_line
    from crmsh_py.shell.runner import join_words, run_batch, run_oneshot

    out, err = io.StringIO(), io.StringIO()
    try:
        opts = parse_args(["--backend", "bundled", *words])
    except UsageError as error:
        return Outcome(1, "", f"crm: {error}\n")
    session = build_session(opts, out, err, dict(env))
    if log_words:
        log_line(session, list(words))
    if stdin is not None:
        rc = run_batch(session, io.StringIO(stdin), "<stdin>")
    else:
        rc = run_oneshot(session, join_words(opts.words))
    return Outcome(rc, out.getvalue(), err.getvalue())


def crm_process(env: dict[str, str], *words: str, stdin: str | None = None, module: str = "crmsh_py.cli",
                timeout: float = PROCESS_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """``crm WORDS`` (or ``python -m MODULE WORDS``) of this checkout as its own process, whatever PATH
    says; its stdin is ``stdin`` (empty when None)."""
    return subprocess.run([sys.executable, "-m", module, *words], env=env, input=stdin if stdin is not None else "",
                          capture_output=True, text=True, timeout=timeout, check=False)


def tool_process(env: dict[str, str], name: str, *args: str,
                 timeout: float = PROCESS_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Our low-level tool ``name`` (``crmsh_py.lowlevel.NAME``'s ``main``) as its own process."""
    code = f"import sys; from crmsh_py.lowlevel.{name} import main; sys.argv[0] = {name!r}; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
