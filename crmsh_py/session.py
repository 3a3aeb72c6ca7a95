"""The shell's session: everything one crm invocation carries from command to command.

Passed explicitly to every handler (no globals): the level path, the backend, options, the
configure working copy, the shadow CIB in use, and the output streams.  ``Session.run`` is the only
way a handler reaches the cluster: it prints the ``-R`` line and calls the backend.
"""

from __future__ import annotations

import os

from crmsh_py import paths
from crmsh_py.backends.argv import Cmd
from crmsh_py.backends.base import Backend, RunResult
from crmsh_py.cluster_yaml import KnownFiles
from crmsh_py.errors import CommandError
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, Protocol, TextIO

    from crmsh_py.cib.xml_handoff import XmlInput
else:  # at run time a protocol is only documentation: a plain base class, and no typing import
    Protocol = object

# crmsh 4.4.1's defaults (crmsh_py.shell.levels.options_table describes each option)
DEFAULT_OPTIONS: dict[str, str] = {
    "editor": "",
    "pager": "",
    "user": "",
    "skill-level": "expert",
    "sort-elements": "yes",
    "check-frequency": "always",
    "check-mode": "strict",
    "wait": "no",
    "add-quotes": "yes",
    "manage-children": "ask",
    "force": "no",
    "debug": "no",
    "output": "color",
    "colorscheme": "auto",
}


def make_backend(kind: str, env: Mapping[str, str], options: Mapping[str, str] | None = None,
                 known: KnownFiles | None = None) -> Backend:
    """A backend of ``kind`` (``bundled`` or ``pacemaker``) seeing ``env``.

    The Pacemaker backend runs on ``env["CRM_HOST"]`` over SSH when set (``crm -H HOST``).  The
    bundled one hands ``known`` (the session's reading of ``cluster.yaml``) to its tools.
    """
    if kind == "pacemaker":
        from crmsh_py.backends.pacemaker import make_pacemaker_backend  # only for real clusters

        return make_pacemaker_backend(env, env.get("CRM_HOST"), options)
    if kind != "bundled":
        raise CommandError(f"unknown backend: {kind} (bundled or pacemaker)")
    from crmsh_py.backends.bundled import BundledBackend

    return BundledBackend(env=dict(env), known=known)


def tool_message(stderr: str) -> str:
    """A tool's complaint as the text of our ``ERROR:`` line.  Pacemaker's tools begin theirs with
    ``error:``; kept, it would read ``ERROR: error: Could not connect ...``."""
    lines = stderr.strip().splitlines()
    return "\n".join(line.removeprefix("error: ") for line in lines)


def signal_name(number: int) -> str:
    """A signal as a shell names the death of a program (``Segmentation fault``)."""
    import signal

    try:
        return signal.strsignal(number) or f"signal {number}"
    except ValueError:
        return f"killed by signal {number}"


def failed_text(tool: str, rc: int) -> str:
    """Why a tool failed when it said nothing: its exit code, or the signal that killed it."""
    if rc < 0:
        return f"{tool}: {signal_name(-rc)}"
    return f"{tool} failed with exit code {rc}"


@record
class Session:
    """State of one shell invocation.

    ``env`` is the environment the low-level tools see (a copy); ``mode`` is ``oneshot``,
    ``batch`` or ``interactive``; ``ask`` answers yes/no questions (None: no one to ask).
    """

    env: dict[str, str]
    out: TextIO
    err: TextIO
    backend_kind: str = "bundled"
    terminal: bool = True  # someone at a terminal can answer (False: crmsh's "batch mode")
    backend_choice: Any = None  # crmsh_py.backends.detect.Choice: why this backend (None: given)
    regression: bool = False
    force: bool = False
    wait: bool = False
    debug: bool = False
    mode: str = "oneshot"
    level: list[str] = field(default_factory=list)
    shadow: str | None = None
    options: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    working: Any = None  # configure level's WorkingCopy (crmsh_py.shell.levels.configure_state)
    history: Any = None  # history level's HistoryState (crmsh_py.shell.levels.history)
    cibstatus: Any = None  # cibstatus level's StatusCopy (crmsh_py.shell.levels.cibstatus)
    template_config: str = ""  # the template level's loaded configuration (crmsh_py.shell.levels.template)
    ask: Callable[[str], bool] | None = None
    stdin: TextIO | None = None  # where `load update -` reads from
    quit_requested: bool = False
    configured_options: set[str] | None = None  # options `options show` lists (None: not yet known)
    where: str = ""  # batch: ``FILE:LINE`` of the command running, shown in its messages
    stop_on_error: bool = False  # batch: stop at the first failing command (crmsh carries on)
    last_command: str | None = None  # the last command dispatched (crmsh names it when a line cannot be split)
    # cluster.yaml as this session read it: its log lines, its tools and the store share one
    # reading (crmsh_py.cluster_yaml.KnownFiles checks the file at each use)
    known_files: KnownFiles = field(default_factory=KnownFiles)
    # agents' meta-data this session got (crmsh asks crm_resource once per agent and process:
    # a load's agent check and its sanity checks after crm_verify share one answer, one .EXT line)
    agent_metadata: dict[str, RunResult] = field(default_factory=dict)
    _backend: Backend | None = None

    def __post_init__(self) -> None:
        # crmsh's main() records its command-line flags as options; so do we
        for name, flag in (("force", self.force), ("debug", self.debug), ("wait", self.wait)):
            if flag:
                self.options[name] = "true"

    # ------------------------------------------------------------------ cluster access

    @property
    def backend(self) -> Backend:
        """The backend for the current CIB (live or the shadow in use), built on first use."""
        if self._backend is None:
            self._backend = make_backend(self.backend_kind, self.tool_env(), self.options, self.known_files)
        return self._backend

    def set_backend(self, backend: Backend) -> None:
        """Use ``backend`` from now on (tests inject fakes this way)."""
        self._backend = backend

    def tool_env(self) -> dict[str, str]:
        """The environment the tools see: a shadow CIB is selected with ``CIB_file``."""
        env = dict(self.env)
        if self.shadow:
            env["CIB_file"] = self.shadow_path(self.shadow)
        return env

    @property
    def cluster_dir(self) -> str:
        """The bundled cluster's state directory."""
        return paths.cluster_dir(self.env)

    def shadow_path(self, name: str) -> str:
        """Where the shadow CIB ``name`` lives (``shadow.NAME`` in the cluster dir, like Pacemaker)."""
        return os.path.join(self.cluster_dir, f"shadow.{name}")

    def use_shadow(self, name: str | None) -> None:
        """Switch the session to a shadow CIB (None: the live one)."""
        self.shadow = name
        self._backend = None

    def run(self, cmd: Cmd, stdin: "str | XmlInput | None" = None) -> RunResult:
        """Run a low-level command through the backend; with ``-R`` print it first as ``.EXT ...``.

        ``stdin`` may be an :class:`~crmsh_py.cib.xml_handoff.XmlInput`: a backend that runs the
        tools in-process takes the tree as it is, any other gets its text.
        """
        if self.regression:
            self.out.write(f".EXT {cmd.display()}\n")
            self.out.flush()
        if stdin is not None and not isinstance(stdin, str):
            run_tree = getattr(self.backend, "run_tree", None)
            if run_tree is not None:
                result: RunResult = run_tree(cmd.argv(), stdin.tree)
                return result
            stdin = stdin.text()
        return self.backend.run(cmd.argv(), stdin)

    def metadata(self, agent: str) -> RunResult:
        """``crm_resource --show-metadata AGENT`` through :meth:`run`, asked once per session and
        agent; a failure is not kept, so an agent installed meanwhile is found at the next ask."""
        known = self.agent_metadata.get(agent)
        if known is not None:
            return known
        result = self.run(Cmd("crm_resource").opt("--show-metadata", agent))
        if result.rc == 0:
            self.agent_metadata[agent] = result
        return result

    def check(self, cmd: Cmd, stdin: "str | XmlInput | None" = None) -> RunResult:
        """Like :meth:`run` but a non-zero exit becomes a ``CommandError`` carrying the tool's message."""
        result = self.run(cmd, stdin)
        if result.rc != 0:
            message = (tool_message(result.stderr) or result.stdout.strip()
                       or failed_text(cmd.tool, result.rc))
            raise CommandError(message)
        return result

    def passthrough(self, cmd: Cmd, stdin: str | None = None, raw_errors: bool = False) -> RunResult:
        """Run a command and show its stdout/stderr to the user; non-zero exit is an error.
        ``raw_errors``: a failing tool's stderr is shown as it is, with nothing added (where crmsh
        lets the tool write to the terminal itself: ``resource param``, ``node attribute``)."""
        result = self.run(cmd, stdin)
        if raw_errors and result.rc > 0 and result.stderr.strip():
            self.write(result.stdout)
            self.err.write(result.stderr if result.stderr.endswith("\n") else result.stderr + "\n")
            raise CommandError(tool_message(result.stderr), shown=True)
        self.write(result.stdout)
        if result.rc < 0:  # it crashed: its own words, then the signal as a shell names it (as crmsh shows it)
            self.err.write(result.stderr)
            self.err.write(f"{signal_name(-result.rc)}\n")
            raise CommandError(failed_text(cmd.tool, result.rc), shown=True)
        if result.rc != 0:
            raise CommandError(tool_message(result.stderr) or failed_text(cmd.tool, result.rc))
        if result.stderr:
            self.err.write(result.stderr)
        return result

    def quiet(self, cmd: Cmd, stdin: str | None = None) -> RunResult:
        """Run a command whose success needs no words (move, stop, ...): only its warnings
        (stderr) are shown, like crmsh running the tools with ``--quiet``."""
        result = self.check(cmd, stdin)
        if result.stderr:
            self.err.write(result.stderr)
        return result

    # ------------------------------------------------------------------ user interaction

    def write(self, text: str) -> None:
        """Print ``text`` to the user (a newline is added when missing)."""
        if not text:
            return
        self.out.write(text if text.endswith("\n") else text + "\n")

    def info(self, text: str) -> None:
        """An informational message on stderr (``INFO: ...``; ``INFO: FILE:LINE: ...`` in a batch)."""
        self.err.write(f"INFO: {self._at()}{text}\n")

    def warning(self, text: str) -> None:
        """A warning on stderr (``WARNING: ...``; ``WARNING: FILE:LINE: ...`` in a batch)."""
        self.err.write(f"WARNING: {self._at()}{text}\n")

    def _at(self) -> str:
        return f"{self.where}: " if self.where else ""

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question; ``-F`` answers yes; with no one to ask it is an error."""
        if self.force:
            return True
        if self.ask is None:
            raise CommandError(f"{question} (not interactive: use -F to force)")
        return self.ask(question)

    @property
    def cib_name(self) -> str:
        """``live`` or the shadow's name (shown in the prompt)."""
        return self.shadow or "live"

    def prompt(self) -> str:
        """``crm(live)# ``, ``crm(live)configure# ``, ``crm(test)resource# ``; on Pacemaker's own
        tools the node they run on is added as crmsh does: ``crm(live/vm)# `` (this machine),
        ``crm(live/root@srv01)# `` (``-H``)."""
        level = "/".join(self.level)
        node = ""
        if self.backend_kind == "pacemaker":
            where = str(getattr(self.backend, "where", "local"))
            node = "/" + (os.uname().nodename if where == "local" else where)
        return f"crm({self.cib_name}{node}){level}# "

    def backend_suffix(self) -> str:
        """Empty for the bundled engine; ``@local`` or ``@HOST`` for the Pacemaker backend."""
        if self.backend_kind != "pacemaker":
            return ""
        return "@" + str(getattr(self.backend, "where", "pacemaker"))


# --------------------------------------------------------------------------- starting a session


class StartOptions(Protocol):
    """What a session is built from: the command line's options (``crmsh_py.cli.Options``)."""

    cluster: str | None
    host: str | None
    backend: str
    regression: bool
    force: bool
    wait: bool
    debug: bool
    overrides: dict[str, str]
    stop_on_error: bool
    shadow: str | None
    compgen: tuple[int, str] | None
    words: list[str]
    file: str | None


def build_session(opts: StartOptions, out: TextIO, err: TextIO, env: dict[str, str]) -> Session:
    """A session configured from the command line and the saved options."""
    if opts.cluster:
        env["CRM_CLUSTER_DIR"] = os.path.abspath(opts.cluster)
    if opts.host:
        env["CRM_HOST"] = opts.host
    from crmsh_py.backends.detect import choose_backend

    choice = choose_backend(env, opts.backend)
    session = Session(env=env, out=out, err=err, backend_kind=choice.kind, backend_choice=choice,
                      regression=opts.regression,
                      force=opts.force, wait=opts.wait, debug=opts.debug)
    session.options.update(load_options(env))
    session.options.update(opts.overrides)
    session.stop_on_error = opts.stop_on_error
    if opts.shadow:
        session.use_shadow(opts.shadow)
    return session


# --------------------------------------------------------------------------- saved options
# Where user options live: ``$XDG_CONFIG_HOME/crmsh_py/options.yaml``; yaml is imported only when
# the file exists (one-shots without saved options skip it).


def options_path(env: Mapping[str, str]) -> str:
    """The options file for this user."""
    return os.path.join(paths.user_dir(env, "config"), "options.yaml")


def load_options(env: Mapping[str, str]) -> dict[str, str]:
    """Saved options (empty when there is no file); a broken file is an error, not a crash."""
    path = options_path(env)
    if not os.path.exists(path):
        return {}
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: cannot read options: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path}: options must be a mapping")
    return {str(k): str(v) for k, v in data.items()}


def save_options(env: Mapping[str, str], options: Mapping[str, str]) -> str:
    """Write ``options`` to the options file (atomically); returns its path."""
    import yaml

    path = options_path(env)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        yaml.safe_dump(dict(options), handle, default_flow_style=False, sort_keys=True)
    os.replace(tmp, path)
    return path
