"""What every tool and the shell log about being invoked, with the secrets in it masked.

This module sits below every layer (any part may import it): the shell, the low-level tools and the
bundled engine log through it, and ``-R`` shows command lines masked by it.

**Logging.** One syslog line per tool invocation, and the cluster log (``ha-log``) of engine
events.  Syslog lines are RFC 3164 datagrams sent to ``/dev/log`` (``CRM_SYSLOG_SOCKET`` overrides
it), e.g. ``<30>Nov 26 13:00:00 crm_resource[4242]: Invoked: crm_resource -M -r dummy --node=srv02
--force`` (facility daemon, level info → priority 30).  No socket → nothing is sent and nothing
fails: logging never breaks a command.

**Masking** secret values in what is logged and shown: from meaning, not from text patterns.

A value is secret when the *name* it belongs to contains ``passwd`` or ``password``.  Which word is
a name and which a value is decided by parsing, never by searching the text:

- a low-level tool's argv is read with that tool's option roles (:data:`TOOL_ROLES`): the value of
  a *name* option (``crm_resource -p``, ``crm_attribute -n``) decides whether the values of the
  *value* options (``-v``, ``--update``...) are secret, in whichever order and form they come
  (``-p passwd``, ``-ppasswd``, ``--parameter=passwd``); *assignment* options carry
  ``name=value`` (``stonith_admin -o``); *XML* options (``--xml-text``) are parsed and the value of
  every ``<nvpair>`` with a secret name is masked, whatever the attribute order;
- ``crm`` words (and any other word) are read as the configure language reads them: a
  ``name=value`` word (the whole value, spaces included: the shell already split the line), and
  ``set NAME VALUE`` / ``set NAME=VALUE`` as in ``resource param RSC set passwd VALUE``.

Everything is one pass over the words: linear in the length of the command line.
"""

from __future__ import annotations

import os
import stat
import time
from crmsh_py import xmltree as ET

from crmsh_py import paths

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from crmsh_py.cluster_yaml import KnownFiles

MASK = "*****"
_SECRET_WORDS = ("passwd", "password")  # in any case, anywhere in a name


def _mentions_secret(text: str) -> bool:
    """Whether ``text`` holds ``passwd`` or ``password`` in any case.  A string test, not the
    expression ``pass(?:wd|word)`` searched case-blind: every tool logs its command line, and
    compiling that cost each one-shot more than its logging (casefold folds at least what the
    expression did: ``ſ`` as ``s``, and ``ß`` as ``ss``, masking more, never less)."""
    folded = text.casefold()
    return any(word in folded for word in _SECRET_WORDS)

NAME, VALUE, ASSIGN, XML = "name", "value", "assign", "xml"
#: per tool: option → what its argument is (options not listed do not matter for masking)
TOOL_ROLES: dict[str, dict[str, str]] = {
    "crm_resource": {"-p": NAME, "--parameter": NAME, "--set-parameter": NAME, "-g": NAME,
                     "--get-parameter": NAME, "-d": NAME, "--delete-parameter": NAME,
                     "-v": VALUE, "--parameter-value": VALUE},
    "crm_attribute": {"-n": NAME, "--name": NAME, "--attr-name": NAME,
                      "-v": VALUE, "--update": VALUE, "--attr-value": VALUE, "--value": VALUE},
    "attrd_updater": {"-n": NAME, "--name": NAME, "-U": VALUE, "--update": VALUE, "-B": VALUE,
                      "--update-both": VALUE},
    "cibadmin": {"-X": XML, "--xml-text": XML},
    "crm_verify": {"-X": XML, "--xml-text": XML},
    "crm_simulate": {"-X": XML, "--xml-text": XML},
    "stonith_admin": {"-o": ASSIGN, "--option": ASSIGN, "-e": ASSIGN, "--env-option": ASSIGN},
}
#: crm words after which a name (and then its value) follows
_SETTERS = frozenset({"set"})


def is_secret_name(name: str) -> bool:
    """True for names whose values must not be logged (``passwd``, ``password``, ``db_passwd``...)."""
    return _mentions_secret(name)


def _unquote(word: str) -> str:
    """The word as the shell would read it (``'passwd'`` → ``passwd``, ``'it'\\''s'`` → ``it's``);
    unchanged when it is not one quoted word.  String methods only: linear, even for huge words."""
    if len(word) >= 2 and word[0] == word[-1] == "'":
        inner = word[1:-1].replace("'\\''", "\0")
        return word if "'" in inner else inner.replace("\0", "'")
    if len(word) >= 2 and word[0] == word[-1] == '"':
        return word[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return word


def mask_secrets(argv: Sequence[str]) -> list[str]:
    """A copy of ``argv`` (program name first) with secret values replaced by ``*****``."""
    if not argv:
        return []
    tool = argv[0].rsplit("/", 1)[-1]
    roles = TOOL_ROLES.get(tool)
    rest = _mask_tool(list(argv[1:]), roles) if roles is not None else _mask_words(list(argv[1:]))
    return [argv[0], *rest]


# -- low-level tools ---------------------------------------------------------------------------------
def _split_option(word: str, roles: dict[str, str]) -> tuple[str, str | None] | None:
    """``(option, attached value or None)`` when ``word`` is one of the role options, else None."""
    if word.startswith("--"):
        option, eq, value = word.partition("=")
        return (option, value if eq else None) if option in roles else None
    if word.startswith("-") and len(word) >= 2:
        option = word[:2]
        if option in roles:
            return option, (word[2:] if len(word) > 2 else None)
    return None


def _mask_tool(words: list[str], roles: dict[str, str]) -> list[str]:
    # first pass: where each role option's argument is, and whether a secret name was given
    found: list[tuple[int, str, bool, str]] = []  # (index of the word holding the value, role, attached, option)
    secret_name = False
    i = 0
    while i < len(words):
        split = _split_option(words[i], roles)
        if split is None:
            i += 1
            continue
        option, attached = split
        if attached is None and i + 1 < len(words):
            index, value, joined = i + 1, words[i + 1], False
            i += 2
        elif attached is not None:
            index, value, joined = i, attached, True
            i += 1
        else:
            i += 1
            continue
        role = roles[option]
        if role == NAME and is_secret_name(_unquote(value)):
            secret_name = True
        found.append((index, role, joined, option))
    out = _mask_words(words)  # names=values among the plain words, e.g. positional arguments
    for index, role, joined, option in found:
        word = words[index]
        value = word[len(option):].lstrip("=") if joined else word
        if role == VALUE and secret_name:
            masked = MASK
        elif role == ASSIGN:
            masked = _mask_assignment(value)
        elif role == XML:
            masked = mask_xml(_unquote(value))
        else:
            continue
        if joined:
            out[index] = word[:len(word) - len(value)] + masked
        else:
            out[index] = masked
    return out


# -- words (crm and anything else) -----------------------------------------------------------------
def _mask_assignment(word: str) -> str:
    """``passwd=x`` (or ``'passwd=x y'``) → ``passwd=*****``; other words unchanged."""
    plain = _unquote(word)
    name, eq, _ = plain.partition("=")
    if eq and is_secret_name(name):
        quote = word[0] if word[:1] in ("'", '"') and plain != word else ""
        return f"{quote}{name}={MASK}{quote}"
    return word


def _mask_words(words: list[str]) -> list[str]:
    out: list[str] = []
    mask_next = False
    after_setter = False
    for word in words:
        if mask_next:
            out.append(MASK)
            mask_next = after_setter = False
            continue
        plain = _unquote(word)
        if plain.startswith("<"):
            out.append(mask_xml(plain) if plain != word else mask_xml(word))
            after_setter = False
            continue
        masked = _mask_assignment(word)
        if after_setter and masked == word and "=" not in plain and is_secret_name(plain):
            mask_next = True  # `set passwd VALUE`
        after_setter = plain in _SETTERS
        out.append(masked)
    return out


# -- XML ---------------------------------------------------------------------------------------------
def mask_xml(text: str) -> str:
    """XML with the value of every ``<nvpair>`` whose name is secret masked (any attribute order),
    and any attribute whose own name is secret.  Unparsable text that mentions a password is
    masked whole (it cannot be told apart)."""
    if not _mentions_secret(text):
        return text
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return MASK
    changed = False
    for element in root.iter():
        if element.tag == "nvpair" and is_secret_name(element.get("name", "")) and "value" in element.attrib:
            element.set("value", MASK)
            changed = True
        for attr in list(element.attrib):
            if is_secret_name(attr):
                element.set(attr, MASK)
                changed = True
    return ET.tostring(root, encoding="unicode") if changed else text


# --------------------------------------------------------------------------- logging

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
    path = syslog_socket_path(env)
    try:
        if not stat.S_ISSOCK(os.stat(path).st_mode):
            return
    except OSError:  # no syslog here (a container, a test's socket path): loading _socket is dear
        return
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
        sock.sendto(data, path)
    except OSError:
        pass
    finally:
        sock.close()


def log_invocation(tool: str, argv: Sequence[str], env: Mapping[str, str],
                   cluster_dir: str | os.PathLike[str] | None = None, audit: bool = False,
                   known: KnownFiles | None = None) -> None:
    """Log ``Invoked: <argv>`` to syslog (ident ``tool``) and, when it exists, to the cluster's ha-log.

    ``argv`` is the full command line including the program name, e.g.
    ``["crm_resource", "-M", "-r", "dummy"]``.  ``cluster_dir`` defaults to the cluster the
    environment selects (none when ``CIB_file`` is set); a missing directory is not created.
    ``audit`` (the shell's own command lines) adds an ``Origin: user=U tty=T`` line to the ha-log
    after it, so ``crm history commands`` can say who typed it where.  ``known``: the session's
    reading of ``cluster.yaml`` (which names the node), shared with the rest of the command.
    """
    message = "Invoked: " + " ".join(mask_secrets(argv))
    send_syslog(tool, message, env)
    origin = f"Origin: user={origin_user(env)} tty={origin_tty()}" if audit else ""
    if origin:
        send_syslog(tool, origin, env)  # on a real cluster syslog is where history finds it
    directory = cluster_dir if cluster_dir is not None else _env_cluster_dir(env)
    if directory is not None and os.path.isdir(directory):
        node = _local_node(directory, known)
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
        fd = os.open(os.path.join(cluster_dir, HA_LOG), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
    except OSError:
        return
    try:
        os.write(fd, line.encode("utf-8", "backslashreplace"))
    except OSError:
        pass
    finally:
        os.close(fd)


def _local_node(directory: str | os.PathLike[str], known: KnownFiles | None = None) -> str | None:
    """The first node named in ``cluster.yaml`` (where the tools run), read through ``known`` when
    given."""
    from crmsh_py.cluster_yaml import KnownFiles, first_node_name, first_node_of

    try:
        text, data = (known if known is not None else KnownFiles()).read(os.path.join(directory, "cluster.yaml"))
    except OSError:
        return None
    return first_node_of(data) if data is not None else first_node_name(text)


def _rfc3164_time(when: float) -> str:
    """``Nov  6 13:00:00`` (day space-padded, English month names regardless of locale)."""
    t = time.localtime(when)
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[t.tm_mon - 1]
    return f"{month} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def _env_cluster_dir(env: Mapping[str, str]) -> str | None:
    """The bundled cluster directory selected by ``env`` without importing the store (cheap)."""
    return None if env.get("CIB_file") else paths.cluster_dir(env)
