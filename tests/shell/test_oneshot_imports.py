"""Each one-shot imports only what it needs (issue 16): what a command loads is what it costs at
start-up, so these tests name the modules a command must not pull in.  Timings are measured by
``benchmarks/bench_oneshot.py``; these checks are about imports only, so they cannot flake.

Each command runs in a fresh interpreter on a bundled cluster holding the demo configuration, and
prints the modules it loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo.crm"
SCENARIOS = ROOT.parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"

# Never needed by a one-shot: the REPL, colour rendering, SSH, the parser generator, YAML (our
# cluster.yaml has its own reader), and the heavy parts of the standard library that @dataclass,
# tempfile and OpenSSL bring along.
NEVER = {"prompt_toolkit", "rich", "paramiko", "yaml", "dataclasses", "inspect", "ast", "tokenize",
         "tempfile", "shutil", "hashlib", "_hashlib", "socket", "traceback", "random", "calendar"}
NO_PARSER = {"lark", "crmsh_py.lang.parser", "crmsh_py.lang.lexing"}
NO_ENGINE_RUN = {"crmsh_py.engine.scheduler.plan", "crmsh_py.engine.executor", "subprocess"}
# Only for --output json|yaml: the text forms (every command's default) need neither.
NO_STRUCTURED = {"json", "crmsh_py.render.data"}
# Only on a colour terminal (these tests run with NO_COLOR and a pipe): the colour patterns.
NO_COLOUR = {"crmsh_py.render.colorize"}
# An agent runs in a process of its own: subprocess and the threading and selectors behind it load
# only when a transition has an action to run.
NO_AGENT_RUN = {"crmsh_py.agents.process", "subprocess", "threading", "selectors"}
# Needed by a few commands only: the validator (configure's checks), the status view (crm_mon,
# move), the patch applier (commit), getpass and glob (replaced by a few lines each).
# Annotations are strings (``from __future__ import annotations``) and ``TYPE_CHECKING`` is a local
# constant mypy knows by name: nothing on the show and status paths needs typing at run time.
NO_TYPING = {"typing"}
# Loaded only when needed: the error renderer (a failure to report), the structured forms' module
# (--output json|yaml), the language's line limit (a line over 4 KiB).
ONLY_WHEN_NEEDED = {"crmsh_py.render.errors", "crmsh_py.shell.structured", "crmsh_py.lang.limits"}
NOT_FOR_A_MOVE = {"crmsh_py.cib.validate", "getpass", "glob", "crmsh_py.shell.cibedit",
                  "crmsh_py.shell.levels.resource_trace", "crmsh_py.shell.levels.resource_meta", "datetime"}


def _loaded(code: str, env: dict[str, str], bare: bool = False) -> set[str]:
    """The modules ``code`` loads beyond what the interpreter itself loaded before it (site hooks and
    ``.pth`` files of the environment are not the command's doing).  ``bare``: without ``site``
    (``-S``), crmsh_py from this tree, so modules an editable install's finder loads at start-up
    (pathlib) are not hidden among the interpreter's own; only for commands that need no third-party
    package."""
    listing = Path(env["CRM_CLUSTER_DIR"]).parent / "modules.txt"
    probe = (f"import sys\n_before = set(sys.modules)\n{code}\nimport sys\n"
             f"open({str(listing)!r}, 'w').write('\\n'.join(sorted(set(sys.modules) - _before)))")
    argv = [sys.executable, "-c", probe]
    if bare:
        argv = [sys.executable, "-S", "-c", f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n{probe}"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(listing.read_text().split())


def _crm(words: list[str], env: dict[str, str], bare: bool = False) -> set[str]:
    return _loaded(f"import sys\nfrom crmsh_py.cli import main\nsys.argv = ['crm', *{words!r}]\n"
                   "rc = main()\nassert rc == 0, rc", env, bare)


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("oneshot-imports")
    env = dict(os.environ, CRM_CLUSTER_DIR=str(work / "cluster"), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), CRM_DETECT="off", NO_COLOR="1")
    for name in ("CIB_file", "CRM_BACKEND", "CRM_HOST"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "crmsh_py.cli", "configure", "load", "update", str(DEMO)], env=env,
                   check=True, capture_output=True, timeout=120)
    return env


def test_version_loads_nothing_of_the_shell(cluster_env: dict[str, str]) -> None:
    loaded = _crm(["--version"], cluster_env)
    assert not loaded & (NEVER | NO_PARSER | NO_ENGINE_RUN | NO_TYPING | {"crmsh_py.shell.runner", "crmsh_py.cib.model"})


def test_configure_show_needs_neither_the_parser_nor_the_scheduler(cluster_env: dict[str, str]) -> None:
    loaded = _crm(["configure", "show"], cluster_env)
    assert "crmsh_py.lang.writer" in loaded  # it did show the configuration
    assert not loaded & (NEVER | NO_PARSER | NO_ENGINE_RUN | NO_STRUCTURED | NO_COLOUR | NO_TYPING
                         | ONLY_WHEN_NEEDED | {"crmsh_py.cib.patch"})


# Only for the configure commands that reshape elements or select them: crmsh's test-harness
# commands and notices, moving elements in and out of containers, renaming references, selectors
# and globs (``show ID``, ``show type:T``).
CONFIGURE_EDITS_ONLY = {"crmsh_py.shell.levels.configure_compat", "crmsh_py.shell.levels.configure_moves",
                        "crmsh_py.shell.levels.configure_refs", "crmsh_py.shell.levels.configure_ops",
                        "crmsh_py.shell.levels.configure_more", "fnmatch"}
# Not for a line that names a level and a command without declared arguments (configure show): the
# root level's table (help, completion) and the argument binder.
NOT_FOR_A_LEVEL_WORD = {"crmsh_py.shell.levels.root", "crmsh_py.shell.arguments"}


def test_configure_show_loads_no_editing_command(cluster_env: dict[str, str]) -> None:
    loaded = _crm(["configure", "show"], cluster_env)
    assert "crmsh_py.lang.writer" in loaded  # it did show the configuration
    assert not loaded & (CONFIGURE_EDITS_ONLY | NOT_FOR_A_LEVEL_WORD)
    selected = _crm(["configure", "show", "dummy"], cluster_env)
    assert "crmsh_py.shell.levels.configure_more" in selected  # a selector loads the selection
    # CRM_SYSLOG_SOCKET names no socket here: nothing to send, so the socket module is not loaded
    assert "_socket" not in loaded


def test_oneshots_import_levels_and_tools_without_importlib(cluster_env: dict[str, str]) -> None:
    # the levels, the in-process tools and crm_resource's actions are imported by name; importlib's
    # package (and what it imports) is not needed for that.  Without site: an editable install's
    # finder loads importlib.
    for words in (["configure", "show"], ["status"], ["resource", "move", "dummy", "srv02", "force"],
                  ["resource", "unmove", "dummy"]):
        loaded = _crm(words, cluster_env, bare=True)
        assert "crmsh_py.lowlevel.registry" in loaded, words  # a tool did run in-process
        assert "importlib" not in loaded, words


_COUNT_CLUSTER_YAML_OPENS = """\
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open"
                 and str(args[0]).endswith("cluster.yaml") else None)
from crmsh_py.cli import main
sys.argv = ["crm", *{words!r}]
assert main() == 0
print(len(opened))
"""


def test_a_oneshot_reads_cluster_yaml_once(cluster_env: dict[str, str]) -> None:
    # its own log line, the tool it runs in-process (its log line, the cluster it opens) share the
    # session's reading of the file (crmsh_py.cluster_yaml.KnownFiles)
    for words in (["configure", "show"], ["status"], ["-R", "resource", "move", "dummy", "srv02", "force"],
                  ["-R", "resource", "unmove", "dummy"]):
        done = subprocess.run([sys.executable, "-c", _COUNT_CLUSTER_YAML_OPENS.format(words=words)], env=cluster_env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.splitlines()[-1] == "1", words


def test_configure_show_as_json_loads_the_structured_forms(cluster_env: dict[str, str]) -> None:
    loaded = _crm(["--output", "json", "configure", "show"], cluster_env)
    assert NO_STRUCTURED <= loaded  # the lazy import is there when wanted


def test_status_runs_nothing_and_needs_no_parser(cluster_env: dict[str, str]) -> None:
    loaded = _crm(["status"], cluster_env)
    assert "crmsh_py.render.mon_text" in loaded
    # the display reads attribute sets with the scheduler's own reader (its package comes along)
    assert not loaded & (NEVER | NO_PARSER | NO_STRUCTURED | NO_COLOUR | NO_TYPING | ONLY_WHEN_NEEDED
                         | {"crmsh_py.engine.executor", "subprocess"})
    # the XML and Pacemaker 1.0 layouts of crm_mon are not the one `status` shows
    assert not loaded & {"crmsh_py.render.mon_xml", "crmsh_py.render.mon_text_legacy"}
    assert "crmsh_py.shell.arguments" not in loaded  # status declares no arguments to bind


def test_move_and_unmove_run_the_engine_without_the_parser(cluster_env: dict[str, str]) -> None:
    for words in (["-R", "resource", "move", "dummy", "srv02", "force"], ["-R", "resource", "unmove", "dummy"]):
        loaded = _crm(words, cluster_env)
        assert "crmsh_py.engine.scheduler.plan" in loaded  # the cluster settled after the change
        assert not loaded & (NEVER | NO_PARSER | NOT_FOR_A_MOVE), words
        assert "crmsh_py.shell.levels.root" not in loaded, words  # `resource` is a level word


def test_unmove_that_moves_nothing_runs_no_agent_and_builds_no_status_view(cluster_env: dict[str, str]) -> None:
    # after the move, dummy stays where it is (stickiness INFINITY): the transition has no action
    _crm(["resource", "move", "dummy", "srv02", "force"], cluster_env)
    loaded = _crm(["-R", "resource", "unmove", "dummy"], cluster_env)
    assert "crmsh_py.engine.scheduler.plan" in loaded  # the cluster was planned (it had nothing to run)
    # with no action to run, neither the executor nor the fencer (and json behind it) is needed
    assert not loaded & (NO_AGENT_RUN | {"crmsh_py.render.mon_view", "crmsh_py.agents.catalog",
                                         "crmsh_py.engine.executor", "crmsh_py.engine.fencing", "json"})


@pytest.mark.skipif(not SCENARIOS.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SCENARIOS}")
def test_crm_simulate_reads_a_cib_without_the_parser(cluster_env: dict[str, str]) -> None:
    case = str(SCENARIOS / "simple2.xml")
    loaded = _loaded("import sys\nfrom crmsh_py.lowlevel.launch import crm_simulate\n"
                     f"sys.argv = ['crm_simulate', '-S', '-x', {case!r}]\nassert crm_simulate() == 0",
                     dict(cluster_env, CRM_BACKEND="bundled"))
    assert "crmsh_py.engine.scheduler.plan" in loaded
    assert not loaded & (NEVER | NO_PARSER)


def test_a_configure_command_parses_without_lark_once_the_tables_are_stored(
        cluster_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(cluster_env, XDG_CACHE_HOME=str(tmp_path))
    words = ["configure", "property", "cluster-name=imports"]
    first = _crm(words, env)  # the first parse with this cache builds the tables with lark
    assert "lark" in first
    loaded = _crm(words, env)
    assert "crmsh_py.lang.parser" in loaded  # it did parse (a property line is not a fast-path primitive)
    assert not loaded & {"lark", "crmsh_py.lang.lark_lexer"}


@pytest.mark.skipif(not SCENARIOS.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SCENARIOS}")
def test_crm_simulate_quiet_needs_no_status_renderer(cluster_env: dict[str, str]) -> None:
    case = str(SCENARIOS / "simple2.xml")
    loaded = _loaded("import sys\nfrom crmsh_py.lowlevel.launch import crm_simulate\n"
                     f"sys.argv = ['crm_simulate', '-Q', '-S', '-x', {case!r}]\nassert crm_simulate() == 0",
                     dict(cluster_env, CRM_BACKEND="bundled"))
    assert "crmsh_py.engine.scheduler.plan" in loaded  # it still plans and simulates
    assert not loaded & {"crmsh_py.render.mon_text", "crmsh_py.render.mon_view"}


PACEMAKER_TOOLS = [Path("/usr/sbin/cibadmin"), Path("/usr/sbin/crm_mon")]


@pytest.mark.skipif(not all(tool.exists() for tool in PACEMAKER_TOOLS),
                    reason="Pacemaker's cibadmin and crm_mon (pacemaker-cli-utils) are not installed")
def test_show_and_status_on_pacemakers_tools_need_neither_pathlib_nor_the_engine(
        cluster_env: dict[str, str], tmp_path: Path) -> None:
    # CIB_file hands every command to Pacemaker's own tools: our process only detects that, runs
    # them and shows what they print; backend detection and invocation logging use os.path
    cib = tmp_path / "cib.xml"
    cib.write_text(subprocess.run([str(PACEMAKER_TOOLS[0]), "--empty"], capture_output=True, text=True,
                                  check=True).stdout)
    env = dict(cluster_env, CIB_file=str(cib))
    for words in (["configure", "show"], ["status"]):
        loaded = _crm(words, env, bare=True)
        assert "crmsh_py.backends.pacemaker" in loaded, words  # it did run Pacemaker's tools
        assert not loaded & (NEVER | NO_PARSER | NO_TYPING | {"pathlib", "crmsh_py.engine.store"}), words
