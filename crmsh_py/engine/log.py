"""Logging: one syslog line per tool invocation, and the cluster log (``ha-log``) of engine events.

Syslog lines are RFC 3164 datagrams sent to ``/dev/log`` (``CRM_SYSLOG_SOCKET`` overrides it), e.g.
``<30>Nov 26 13:00:00 crm_resource[4242]: Invoked: crm_resource -M -r dummy --node=srv02 --force``
(facility daemon, level info → priority 30).  No socket → nothing is sent and nothing fails:
logging never breaks a command.

Secrets: values of parameters whose name contains ``passwd`` or ``password`` are replaced by
``*****`` in everything logged, found from the meaning of the command line (see
:mod:`crmsh_py.engine.masking`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from crmsh_py.engine.masking import MASK, is_secret_name, mask_secrets  # noqa: F401 - the logging API

FACILITY_DAEMON = 3
LEVELS: dict[str, int] = {"crit": 2, "err": 3, "error": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}
HA_LOG = "ha-log"



def syslog_socket_path(env: Mapping[str, str]) -> str:
    """Where syslog datagrams go: ``CRM_SYSLOG_SOCKET`` or ``/dev/log``."""
    return env.get("CRM_SYSLOG_SOCKET") or "/dev/log"


def format_syslog(ident: str, message: str, level: str = "info", pid: int | None = None,
                  when: float | None = None) -> str:
    """The RFC 3164 datagram text: ``<PRI>Mmm dd hh:mm:ss ident[pid]: message``."""
    priority = FACILITY_DAEMON * 8 + LEVELS.get(level, 6)
    stamp = _rfc3164_time(time.time() if when is None else when)
    return f"<{priority}>{stamp} {ident}[{os.getpid() if pid is None else pid}]: {message}"


def send_syslog(ident: str, message: str, env: Mapping[str, str], level: str = "info") -> None:
    """Send one syslog line; any failure (no socket, permission) is silently ignored."""
    data = format_syslog(ident, message, level).encode("utf-8", "replace")
    # The C module, not ``socket``: socket.py builds its enums at import, a few ms of every one-shot
    # for one datagram.
    import _socket

    try:
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_DGRAM)
    except OSError:
        return
    try:
        sock.settimeout(1.0)
        sock.sendto(data, syslog_socket_path(env))
    except OSError:
        pass
    finally:
        sock.close()


def log_invocation(tool: str, argv: Sequence[str], env: Mapping[str, str],
                   cluster_dir: str | os.PathLike[str] | None = None, audit: bool = False) -> None:
    """Log ``Invoked: <argv>`` to syslog (ident ``tool``) and, when it exists, to the cluster's ha-log.

    ``argv`` is the full command line including the program name, e.g.
    ``["crm_resource", "-M", "-r", "dummy"]``.  ``cluster_dir`` defaults to the cluster the
    environment selects (none when ``CIB_file`` is set); a missing directory is not created.
    ``audit`` (the shell's own command lines) adds an ``Origin: user=U tty=T`` line to the ha-log
    after it, so ``crm history commands`` can say who typed it where.
    """
    message = "Invoked: " + " ".join(mask_secrets(argv))
    send_syslog(tool, message, env)
    origin = f"Origin: user={origin_user(env)} tty={origin_tty()}" if audit else ""
    if origin:
        send_syslog(tool, origin, env)  # on a real cluster syslog is where history finds it
    directory = cluster_dir if cluster_dir is not None else _env_cluster_dir(env)
    if directory is not None and Path(directory).is_dir():
        node = _local_node(Path(directory))
        cluster_log(directory, tool, message, node=node)
        if origin:
            cluster_log(directory, tool, origin, node=node)


def origin_user(env: Mapping[str, str]) -> str:
    """The user running this process (the effective user's name; ``SUDO_USER`` is not trusted)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return env.get("USER") or str(os.geteuid())


def origin_tty() -> str:
    """The terminal of this process (``pts/1``), ``-`` when none of stdin/stdout/stderr is one."""
    for fd in (0, 1, 2):
        try:
            return os.ttyname(fd).removeprefix("/dev/")
        except OSError:
            continue
    return "-"


def cluster_log(cluster_dir: str | os.PathLike[str], ident: str, message: str, level: str = "info",
                node: str | None = None, when: float | None = None) -> None:
    """Append one line to ``<cluster_dir>/ha-log`` in a Pacemaker-like detail-log format::

        Nov 26 13:00:00 srv01 pacemaker-controld[4242] info: Result of start operation for dummy on srv01: ok

    ``node`` defaults to the host name.  Failures to write are ignored (logging never breaks a command).
    """
    stamp = _rfc3164_time(time.time() if when is None else when)
    host = node or os.uname().nodename.split(".")[0]  # gethostname() without importing socket
    line = f"{stamp} {host} {ident}[{os.getpid()}] {level}: {message}\n"
    try:
        # O_NOFOLLOW: a link planted as ha-log must not make us append to another file
        fd = os.open(Path(cluster_dir) / HA_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
    except OSError:
        return
    try:
        os.write(fd, line.encode("utf-8", "backslashreplace"))
    except OSError:
        pass
    finally:
        os.close(fd)


def _local_node(directory: Path) -> str | None:
    """The first node named in ``cluster.yaml`` (where the tools run), without a YAML parser."""
    try:
        text = (directory / "cluster.yaml").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^\s*-\s*name:\s*['\"]?([\w.-]+)", text, re.MULTILINE)
    return match.group(1) if match else None


def _rfc3164_time(when: float) -> str:
    """``Nov  6 13:00:00`` (day space-padded, English month names regardless of locale)."""
    t = time.localtime(when)
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[t.tm_mon - 1]
    return f"{month} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def _env_cluster_dir(env: Mapping[str, str]) -> str | None:
    """The bundled cluster directory selected by ``env`` without importing the store (cheap)."""
    if env.get("CIB_file"):
        return None
    if env.get("CRM_CLUSTER_DIR"):
        return env["CRM_CLUSTER_DIR"]
    base = env.get("XDG_STATE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"),
                                                     ".local", "state")
    return os.path.join(base, "crmsh_py", "cluster")
