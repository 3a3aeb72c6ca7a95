"""Fetching every node's Pacemaker log and transition inputs over SSH (real clusters).

Each node (the CIB's node names, used as SSH host names) runs one shell script that picks its log
(``CRM_PACEMAKER_LOG``, else the first readable of Pacemaker's usual places) and lists its pengine
directory's inputs (those changed since the start of the period when one is given), and sends them
back as a bz2 tar stream in base64.  They are unpacked into a local folder per node; a node that
cannot be reached is reported, not fatal: the others are still collected.

The tools run OpenSSH's ``ssh`` client (``BatchMode``: no password prompts; host keys checked
strictly unless ``ssh-accept-new-host-key``), as crmsh's report does; the shell's paramiko
connection belongs to its backend layer.  SSH settings come from the environment, which the shell
fills from its ``ssh-*`` options (same names upper-cased: ``CRM_SSH_PORT``, ``CRM_SSH_USER``,
``CRM_SSH_KEY``, ``CRM_SSH_KNOWN_HOSTS``, ``CRM_SSH_ACCEPT_NEW_HOST_KEY``,
``CRM_SSH_CONNECT_TIMEOUT``, ``CRM_SSH_COMMAND_TIMEOUT``).
"""

from __future__ import annotations

import base64
import binascii
import os
import io
import shlex
import socket
import subprocess
import tarfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from crmsh_py.records import record
from pathlib import Path

from crmsh_py.errors import CommandError

MAX_PARALLEL = 16

SSH_ENV = {f"CRM_SSH_{key[4:].upper().replace('-', '_')}": key for key in (
    "ssh-port", "ssh-user", "ssh-key", "ssh-known-hosts", "ssh-accept-new-host-key", "ssh-connect-timeout",
    "ssh-command-timeout")}
_MARK = "CRMSH_PY_LOG="


@record(frozen=True)
class Answer:
    """A node's answer: exit code and output of the script, or why it could not run."""

    rc: int
    stdout: str
    stderr: str


Runner = Callable[[str, str], Answer]  # (node, script) -> answer


@record
class NodeFiles:
    """What was fetched from one node: its log and pengine directory here, or why not."""

    node: str
    log: Path | None = None
    pengine: Path | None = None
    error: str = ""


def ssh_options(env: Mapping[str, str]) -> dict[str, str]:
    """The ``ssh-*`` options passed in the environment (``CRM_SSH_PORT=2222`` -> ``ssh-port``)."""
    return {option: env[name] for name, option in SSH_ENV.items() if env.get(name)}


def env_for(options: Mapping[str, str]) -> dict[str, str]:
    """The inverse of :func:`ssh_options`: the environment that carries the shell's ``ssh-*`` options."""
    return {name: options[option] for name, option in SSH_ENV.items() if options.get(option)}


def is_local(node: str) -> bool:
    """Whether ``node`` names this machine (its host name, short or long)."""
    host = socket.gethostname()
    return node in (host, host.split(".")[0], socket.getfqdn())


def script(logs: list[str], pengine: str, since: float | None) -> str:
    """The shell script a node runs: names its log after a marker line, then the tar stream in base64."""
    candidates = " ".join(shlex.quote(p) for p in logs)
    newer = f" -newermt @{int(since)}" if since is not None else ""
    return (
        "LOG=; for f in " + candidates + "; do if [ -r \"$f\" ]; then LOG=$f; break; fi; done; "
        f"echo {_MARK}$LOG; "
        f"PE={shlex.quote(pengine)}; "
        "{ [ -n \"$LOG\" ] && echo \"${LOG#/}\"; "
        f"[ -d \"$PE\" ] && find \"$PE\" -maxdepth 1 -name 'pe-*'{newer} | sed 's|^/||'; }} "
        "| tar -C / -cjf - -T - 2>/dev/null | base64"
    )


def unpack(node: str, text: str, target: Path, pengine: str) -> NodeFiles:
    """Unpack one node's answer into ``target`` (nothing outside it, no links or devices)."""
    first, _, payload = text.partition("\n")
    if not first.startswith(_MARK):
        return NodeFiles(node, error=f"{node}: unexpected answer: {first[:200]!r}")
    log_path = first[len(_MARK):].strip()
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:bz2") as archive:
            for member in archive:
                parts = Path(member.name).parts
                if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
                    continue
                archive.extract(member, target, set_attrs=False)
                if member.isfile():  # inputs are matched to the period by their time
                    os.utime(target / member.name, (member.mtime, member.mtime))
    except (binascii.Error, tarfile.TarError, EOFError, OSError, ValueError) as error:
        return NodeFiles(node, error=f"{node}: cannot unpack what it sent: {error}")
    log = target / log_path.lstrip("/") if log_path else None
    pe_dir = target / pengine.lstrip("/")
    return NodeFiles(node, log if log is not None and log.is_file() else None,
                     pe_dir if pe_dir.is_dir() else None,
                     "" if log_path else f"{node}: no Pacemaker log found")


def ssh_argv(node: str, options: Mapping[str, str]) -> list[str]:
    """The ``ssh`` command line for ``node`` with the ``ssh-*`` options."""
    argv = ["ssh", "-o", "BatchMode=yes", "-T"]
    accept = options.get("ssh-accept-new-host-key", "").lower() in ("yes", "true", "1", "on")
    argv += ["-o", f"StrictHostKeyChecking={'accept-new' if accept else 'yes'}"]
    argv += ["-o", f"ConnectTimeout={int(float(options.get('ssh-connect-timeout') or 10))}"]
    if options.get("ssh-port"):
        argv += ["-p", options["ssh-port"]]
    if options.get("ssh-key"):
        argv += ["-i", options["ssh-key"], "-o", "IdentitiesOnly=yes"]
    if options.get("ssh-known-hosts"):
        argv += ["-o", f"UserKnownHostsFile={options['ssh-known-hosts']}"]
    user = options.get("ssh-user")
    return [*argv, f"{user}@{node}" if user else node]


def ssh_runner(env: Mapping[str, str]) -> Runner:
    """Run the script on a node with OpenSSH's client (a missing client is an error per node)."""
    options = ssh_options(env)
    timeout = float(options.get("ssh-command-timeout") or 600)

    def run(node: str, text: str) -> Answer:
        try:
            done = subprocess.run([*ssh_argv(node, options), text], capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL, check=False)
        except FileNotFoundError:
            return Answer(127, "", "the ssh client is not installed (apt-get install openssh-client)")
        except subprocess.TimeoutExpired:
            return Answer(124, "", f"timed out after {timeout:g}s")
        return Answer(done.returncode, done.stdout, done.stderr)

    return run


def fetch(nodes: list[str], env: Mapping[str, str], logs: list[str], pengine: str, since: float | None,
          target: Path, runner: Runner | None = None) -> list[NodeFiles]:
    """Fetch ``nodes``' logs and inputs into ``target/NODE`` (in parallel); one result per node."""
    command = script(logs, pengine, since)
    run = runner or ssh_runner(env)
    if not nodes:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(nodes))) as pool:
        answers = list(pool.map(lambda node: run(node, command), nodes))
    out = []
    for node, answer in zip(nodes, answers, strict=True):
        if not answer.stdout.startswith(_MARK):
            reason = answer.stderr.strip().splitlines()[-1] if answer.stderr.strip() else f"exit code {answer.rc}"
            out.append(NodeFiles(node, error=f"{node}: {reason}"))
            continue
        folder = target / node
        folder.mkdir(parents=True, exist_ok=True)
        out.append(unpack(node, answer.stdout, folder, pengine))
    return out


def require_some(found: list[NodeFiles]) -> None:
    """CommandError when no node answered (one reason per node)."""
    if found and all(f.error and f.log is None and f.pengine is None for f in found):
        raise CommandError("could not collect from any node: " + "; ".join(f.error for f in found))
