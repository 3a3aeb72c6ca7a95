"""Bad input: random configuration text, random tool argv, random crm command lines.

Generated from each surface's own vocabulary (the language's keywords, each tool's option table,
the shell's level and command names) mixed with junk (quotes, backslashes, ``=``, ``:``, control
characters, long words, non-ASCII).  Everything runs in-process; the findings are:

- ``crash``: an exception other than the documented one escaped (``lang.parse`` may raise only
  ``ParseError``; ``registry.run_tool`` must return an int; the crm shell must not print
  ``internal error``/``Traceback``);
- ``silent``: a non-zero exit with nothing on stderr (every error message must name the problem);
- ``changed``: the CIB file's bytes changed although the command failed;
- ``hang``: an input took longer than the per-input alarm.

The generators are seeded ``random.Random`` (reproducible, fast enough for 100,000 inputs);
tests/reliability/test_fuzz.py adds a hypothesis strategy over the same vocabularies.
"""

from __future__ import annotations

import functools
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import rel_common as rc

LANG_WORDS = (
    "node", "primitive", "rsc_template", "group", "clone", "ms", "master", "bundle", "location", "colocation",
    "collocation", "order", "rsc_ticket", "property", "rsc_defaults", "op_defaults", "fencing_topology", "tag",
    "role", "acl_target", "acl_group", "user", "alert", "params", "meta", "utilization", "op", "attributes",
    "rule", "and", "or", "not", "defined", "not_defined", "lt", "gt", "lte", "gte", "eq", "ne", "date",
    "in_range", "date_spec", "start", "end", "duration", "years=1", "hours=9-17", "inf:", "-inf:", "+inf:",
    "100:", "-100:", "Mandatory:", "Optional:", "Serialize:", "symmetrical=false", "kind=Mandatory",
    "role=Master", "Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave", "score-attribute=x",
    "string:", "integer:", "version:", "number:", "$id=x", "$id-ref=y", "$role=Started", "@tpl", "#uname",
    "monitor", "interval=10s", "timeout=20s", "on-fail=restart", "ocf:heartbeat:Dummy", "Dummy",
    "stonith:null", "lsb:ssh", "ocf:pacemaker:Stateful", "d1", "d2", "srv01", "srv02", "target-role=Stopped",
    "(", ")", "[", "]", "{", "}", "d1:start", "d2:Master", "image=x", "replicas=2", "network", "storage",
    "port-mapping", "primitive", "read", "write", "deny", "xpath:/cib", "ref:d1", "to", "select", "loss-policy=stop",
    "requires=nothing", "sequential=false", "description=x", "cib-bootstrap-options:", "stonith-enabled=false",
)
JUNK = (
    '"', "'", "\\", "\\\n", "=", ":", "::", "==", "\t", "\n", "\r", "\x00", "\x1b[2J", "é", "日本", "💥",
    '"unterminated', "'single", 'a="b', "\\\"", "x" * 300, "-", "--", "0", "-1", "99999999999999999999",
    "1e999", "nan", "<xml>", "&amp;", "</a>", "#", "# comment", ";", "|", "$", "${HOME}", "%s", "{0}",
    "../../etc/passwd", "/dev/null", "", " ",
)
VALUES = (
    "dummy", "base", "srv01", "srv02", "nosuchnode", "x", "1", "0", "-5", "INFINITY", "-INFINITY", "10s",
    "bogus", "target-role", "Started", "Stopped", "crm_config", "resources", "status", "configuration",
    "nodes", "constraints", "reboot", "off", "on", "forever", "PT1H", "text", "xml", "ocf", "heartbeat",
    "Dummy", "-", '<primitive id="z" class="ocf" provider="heartbeat" type="Dummy"/>', "<broken", "<cib/>",
    '<nvpair id="n" name="a" value="b"/>', "//primitive", "/cib/configuration", "/nonexistent/file",
)
SHELL_WORDS = (
    "configure", "resource", "node", "ra", "cib", "cluster", "options", "status", "help", "up", "cd",
    "ls", "end", "back", "quit", "show", "commit", "verify", "refresh", "delete", "rename", "modgroup",
    "load", "update", "replace", "erase", "simulate", "move", "unmove", "migrate", "unmigrate", "start",
    "stop", "cleanup", "param", "meta", "set", "get", "show", "list", "locate", "standby", "online",
    "maintenance", "ready", "attribute", "utilization", "info", "classes", "providers", "meta", "new",
    "use", "diff", "delete", "commit", "reset", "force", "xml", "changed", "type:primitive", "obscure:passw*",
    "skill-level", "colorscheme", "sort-elements", "wait", "yes", "no", "-f", "--force", *LANG_WORDS[:40],
)
ENGINE_WORDS = ("status", "stop", "inject", "node-up", "node-down", "node-fail", "op", "srv01", "srv02",
                "dummy_start_0@srv01=1", "x_monitor_10000@srv02=7", "bogus")
# shell commands that would run programs, start daemons, open an editor or write files where we are
SHELL_EXCLUDED = frozenset({"run", "edit", "save", "start-daemon", "init", "add"})


@dataclass
class FuzzFigures:
    """Counts and findings of one fuzz campaign (``findings`` must stay empty)."""

    inputs: int = 0
    errors: int = 0  # inputs rejected with a message (the expected outcome for most)
    seconds: float = 0.0
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, other: "FuzzFigures") -> None:
        self.inputs += other.inputs
        self.errors += other.errors
        self.seconds += other.seconds
        self.findings.extend(other.findings)


class Hang(Exception):
    """An input ran past its alarm."""


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread after ``seconds``."""
    def _ring(signum: int, frame: object) -> None:
        raise Hang()

    previous = signal.signal(signal.SIGALRM, _ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _pick(rng: random.Random, *pools: tuple[str, ...]) -> str:
    return rng.choice(rng.choice(pools))


def lang_text(rng: random.Random) -> str:
    """Token soup: mostly language words, some junk, joined by spaces (sometimes by nothing)."""
    words = [_pick(rng, LANG_WORDS, LANG_WORDS, JUNK) for _ in range(rng.randint(1, 14))]
    glue = rng.choice((" ", " ", " ", "", " \\\n\t", "\n"))
    return glue.join(words)


def tool_argv(rng: random.Random, tool: str, spec: list) -> list[str]:  # type: ignore[type-arg]
    """Random options of ``tool`` (from its option table) with random values and junk."""
    argv = [tool]
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        if roll < 0.75 and spec:
            opt = rng.choice(spec)
            names = [n for n in (f"-{opt.short}" if opt.short else None,
                                 f"--{opt.long}" if opt.long else None) if n]
            name = rng.choice(names)
            if (opt.arg or opt.optional_arg) and rng.random() < 0.85:
                value = _pick(rng, VALUES, VALUES, JUNK)
                if name.startswith("--") and rng.random() < 0.4:
                    argv.append(f"{name}={value}")
                else:
                    argv.extend([name, value])
            else:
                argv.append(name)
        elif roll < 0.9:
            argv.append(_pick(rng, VALUES, JUNK))
        else:
            argv.append(rng.choice(("--bogus", "-Z", "--=", "-", "--help", "--version", "-?", "--xml-text")))
    return argv


def _shell_commands() -> dict[str, list[str]]:
    """Level name → its command names (from the registry: what dispatch knows)."""
    from crmsh_py.shell.registry import LEVEL_MODULES, get_level

    return {name: [c for c in get_level(name).names() if c not in SHELL_EXCLUDED]
            for name in LEVEL_MODULES if name != "root"}


def shell_words(rng: random.Random, commands: dict[str, list[str]] | None = None) -> list[str]:
    """A random crm command line, as argv words: mostly ``LEVEL COMMAND ARGS...``."""
    commands = commands or _shell_commands()
    args = [_pick(rng, SHELL_WORDS, VALUES, VALUES, LANG_WORDS, JUNK) for _ in range(rng.randint(0, 6))]
    if rng.random() < 0.9:
        level = rng.choice(sorted(commands))
        head = [level, rng.choice(commands[level])] if commands[level] else [level]
    else:
        head = [_pick(rng, SHELL_WORDS, JUNK)]
    words = head + args
    if level_cluster_run(words):
        return ["help"]
    return [w for w in words if w not in SHELL_EXCLUDED] or ["help"]


def level_cluster_run(words: list[str]) -> bool:
    """``cluster run``/``cluster start`` would run programs or start a daemon: never generated."""
    return "cluster" in words and any(w in ("run", "start", "stop") for w in words)


# ---------------------------------------------------------------------- campaigns


def fuzz_language(count: int, seed: int = 1) -> FuzzFigures:
    """``crmsh_py.lang.parse`` on ``count`` random texts: only ParseError may escape."""
    from crmsh_py.errors import ParseError
    from crmsh_py.lang import parse

    rng = random.Random(seed)
    figures = FuzzFigures()
    start = time.monotonic()
    for _ in range(count):
        text = lang_text(rng)
        figures.inputs += 1
        try:
            with alarm(10):
                parse(text)
        except ParseError as error:
            figures.errors += 1
            if not str(error).strip():
                figures.findings.append(f"silent ParseError for {text!r}")
        except Hang:
            figures.findings.append(f"hang: parse({text!r})")
        except Exception as error:  # noqa: BLE001 - the finding
            figures.findings.append(f"crash: parse({text!r}) raised {type(error).__name__}: {error}")
    figures.seconds = time.monotonic() - start
    return figures


def _tool_specs() -> dict[str, list]:  # type: ignore[type-arg]
    import importlib

    from crmsh_py.lowlevel.registry import TOOLS

    return {name: list(getattr(importlib.import_module(f"crmsh_py.lowlevel.{mod}"), "SPEC", []))
            for name, mod in TOOLS.items()}


def _check_run(figures: FuzzFigures, label: str, run: Callable[[], rc.Outcome], cib: Path,
               internal_marks: tuple[str, ...]) -> None:
    before = cib.read_bytes()
    figures.inputs += 1
    try:
        with alarm(20):
            outcome = run()
    except Hang:
        figures.findings.append(f"hang: {label}")
        return
    except BaseException as error:  # noqa: BLE001 - SystemExit included: a tool must return
        figures.findings.append(f"crash: {label} raised {type(error).__name__}: {error}")
        return
    if not isinstance(outcome.rc, int):
        figures.findings.append(f"crash: {label} returned {outcome.rc!r}")
        return
    text = outcome.err + outcome.out
    if any(mark in text for mark in internal_marks):
        figures.findings.append(f"crash: {label} printed: {text.strip()[-300:]}")
    if outcome.rc != 0:
        figures.errors += 1
        asked_quiet = any(w in ("-q", "--quiet", "-Q") for w in label.split("'"))
        # `crm_engine status` answers "not running" with exit 7 on stdout, like a service status
        answer = "'crm_engine', 'status'" in label and outcome.rc == 7 and outcome.out.strip()
        if not outcome.err.strip() and not asked_quiet and not answer:
            figures.findings.append(f"silent: {label} exited {outcome.rc} with nothing on stderr")
        if cib.exists() and cib.read_bytes() != before:
            figures.findings.append(f"changed: {label} exited {outcome.rc} but the CIB changed")


def in_workdir(fuzzer: Callable[..., FuzzFigures]) -> Callable[..., FuzzFigures]:
    """Run ``fuzzer(workdir, ...)`` with ``workdir`` as the current directory: fuzzed argv name
    output files (``crm_simulate -O x``, ``configure save x``) that must not land in the checkout."""

    @functools.wraps(fuzzer)
    def wrapped(workdir: Path, *args: object, **kwargs: object) -> FuzzFigures:
        workdir.mkdir(parents=True, exist_ok=True)
        before = os.getcwd()
        os.chdir(workdir)
        try:
            return fuzzer(workdir, *args, **kwargs)
        finally:
            os.chdir(before)

    return wrapped


@in_workdir
def fuzz_tools(workdir: Path, count: int, seed: int = 2) -> FuzzFigures:
    """``count`` random argv spread over every low-level tool, on a ``CIB_file`` copy of a small
    configuration (reset every 200 inputs so that a successful erase does not dull the rest)."""
    rng = random.Random(seed)
    specs = _tool_specs()
    tools = sorted(t for t in specs if t != "crm_engine")  # crm_engine start would spawn a daemon
    workdir.mkdir(parents=True, exist_ok=True)
    cib = workdir / "cib.xml"
    env = {**rc.base_env(workdir / "none"), "CIB_file": str(cib), "EDITOR": "false"}
    env.pop("CRM_CLUSTER_DIR", None)
    figures = FuzzFigures()
    start = time.monotonic()
    for i in range(count):
        if i % 200 == 0:
            _small_cib(cib)
        tool = rng.choice(tools)
        argv = tool_argv(rng, tool, specs[tool])
        _check_run(figures, f"{argv!r}", lambda: rc.run_tool(argv, env), cib, ("Traceback",))
    figures.seconds = time.monotonic() - start
    return figures


@in_workdir
def fuzz_crm_engine(workdir: Path, count: int, seed: int = 4) -> FuzzFigures:
    """``crm_engine`` argv without its daemon-starting commands, on a bundled cluster."""
    rng = random.Random(seed)
    spec = _tool_specs()["crm_engine"]
    cluster_dir = rc.new_cluster(workdir / "cluster")
    env = rc.base_env(cluster_dir)
    figures = FuzzFigures()
    start = time.monotonic()
    for _ in range(count):
        words = tool_argv(rng, "crm_engine", spec)[1:]
        if rng.random() < 0.8:
            words.insert(0, rng.choice(ENGINE_WORDS))
            words[1:1] = [rng.choice(ENGINE_WORDS) for _ in range(rng.randint(0, 2))]
        argv = ["crm_engine", *(w for w in words if w not in ("start", "run-daemon", "restart"))]
        _check_run(figures, f"{argv!r}", lambda: rc.run_tool(argv, env), rc.cib_path(cluster_dir),
                   ("Traceback",))
    figures.seconds = time.monotonic() - start
    return figures


@in_workdir
def fuzz_shell(workdir: Path, count: int, seed: int = 3) -> FuzzFigures:
    """``count`` random crm one-shots in-process on a ``CIB_file`` copy of a small configuration."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    cib = workdir / "cib.xml"
    env = {**rc.base_env(workdir / "cluster"), "CIB_file": str(cib), "EDITOR": "false",
           "XDG_CONFIG_HOME": str(workdir / "config"), "XDG_STATE_HOME": str(workdir / "state")}
    figures = FuzzFigures()
    commands = _shell_commands()
    start = time.monotonic()
    for i in range(count):
        if i % 100 == 0:
            _small_cib(cib)
        words = shell_words(rng, commands)
        _check_run(figures, f"crm {words!r}", lambda: rc.run_crm(words, env), cib,
                   ("Traceback", "internal error"))
    figures.seconds = time.monotonic() - start
    return figures


def _small_cib(path: Path) -> None:
    """A CIB file with two primitives, a group-less location and the demo's properties."""
    path.write_text(SMALL_CIB, encoding="utf-8")


SMALL_CIB = """<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="5" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="srv01"/>
      <node id="2" uname="srv02"/>
    </nodes>
    <resources>
      <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
        <instance_attributes id="dummy-instance_attributes">
          <nvpair id="dummy-instance_attributes-passwd" name="passwd" value="s3cret"/>
        </instance_attributes>
      </primitive>
      <primitive id="base" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_location id="l1" rsc="dummy" node="srv01" score="100"/>
    </constraints>
  </configuration>
  <status/>
</cib>
"""
