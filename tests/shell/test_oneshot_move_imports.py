"""What ``crm -R resource move`` and ``unmove`` load (issue 16): the change, the settle that follows
it (plan, transition record, CIB write) and nothing a transition without actions does not need.

Each command runs in a fresh interpreter without ``site`` (``-S``) and with crmsh_py from this tree,
so what an editable install's finder loads at start-up (pathlib) is not hidden among the
interpreter's own modules; the test then lists the modules the command itself loaded.  Timings
are ``benchmarks/bench_oneshot.py``'s business: these checks are about imports only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo.crm"

MOVE = ["-R", "resource", "move", "dummy", "srv02", "force"]
UNMOVE = ["-R", "resource", "unmove", "dummy"]
# File names go through os.path on this path: pathlib (and urllib.parse and ipaddress, which it
# imports) would cost every one-shot milliseconds.  Annotations are strings and TYPE_CHECKING a
# local constant everywhere on it: typing is not needed at run time either.
NO_PATHLIB = {"pathlib", "urllib.parse", "ipaddress", "typing"}
# A transition with no action runs no agent and fences nothing: no executor, no process machinery,
# no fencer (nor the json it keeps its history in).
NO_ACTION_TO_RUN = {"crmsh_py.engine.executor", "crmsh_py.agents.process", "subprocess", "threading",
                    "selectors", "crmsh_py.engine.fencing", "json", "crmsh_py.agents.catalog"}
# What running an agent does without (crmsh_py.agents.process, crmsh_py.agents.catalog).
NO_PROCESS_HELPERS = {"subprocess", "threading", "selectors", "signal", "locale", "pathlib", "re", "enum",
                      "fnmatch", "urllib.parse", "functools", "collections", "crmsh_py.agents.stonith"}
# Never on a one-shot's path: the REPL, SSH, YAML, the configure parser, the heavy standard modules.
NEVER = {"prompt_toolkit", "rich", "paramiko", "yaml", "lark", "crmsh_py.lang.parser", "dataclasses",
         "inspect", "ast", "tempfile", "shutil", "hashlib", "socket", "traceback", "random"}
# A settle saves its input with the C compressor alone and orders actions with the C heap functions:
# their Python modules (and what those load) are not needed.
NO_PYTHON_WRAPPERS = {"bz2", "_compression", "heapq"}
# no remote node, guest, bundle or container resource, no ticket and nothing that provides unfencing
# in the cluster: those plan stages have nothing to act on and their modules are not loaded
# (engine/scheduler/no_remotes.py, optional_stages.py)
NO_UNUSED_STAGES = {"crmsh_py.engine.scheduler.remote", "crmsh_py.engine.scheduler.remote_state",
                    "crmsh_py.engine.scheduler.bundles", "crmsh_py.engine.scheduler.bundle_params",
                    "crmsh_py.engine.scheduler.container_failures", "crmsh_py.engine.scheduler.tickets",
                    "crmsh_py.engine.scheduler.unfencing"}
# no rule in the configuration and no version asked for: neither module is loaded
NO_UNUSED_HELPERS = {"crmsh_py.cib.rules", "crmsh_py.cib.versions"}
# where dummy runs is read straight from its plain history (engine.running), not from a status view
NO_STATUS_VIEW = {"crmsh_py.engine.status_view", "crmsh_py.engine.status_view_records", "crmsh_py.engine.status_clone", "crmsh_py.engine.status_remote"}


def _crm_loads(words: list[str], env: dict[str, str]) -> set[str]:
    """The modules ``crm WORDS`` loads in a bare interpreter (asserting it succeeded)."""
    listing = Path(env["CRM_CLUSTER_DIR"]).parent / "modules.txt"
    probe = (f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n_before = set(sys.modules)\n"
             f"from crmsh_py.cli import main\nsys.argv = ['crm', *{words!r}]\nrc = main()\n"
             f"open({str(listing)!r}, 'w').write('\\n'.join(sorted(set(sys.modules) - _before)))\n"
             "raise SystemExit(rc)")
    done = subprocess.run([sys.executable, "-S", "-c", probe], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(listing.read_text().split())


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A bundled cluster with the demo configuration, dummy already moved to srv02."""
    work = tmp_path_factory.mktemp("oneshot-move-imports")
    env = dict(os.environ, CRM_CLUSTER_DIR=str(work / "cluster"), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), CRM_DETECT="off", NO_COLOR="1")
    for name in ("CIB_file", "CRM_BACKEND", "CRM_HOST"):
        env.pop(name, None)
    for words in (["configure", "load", "update", str(DEMO)], MOVE[1:], UNMOVE[1:]):
        subprocess.run([sys.executable, "-m", "crmsh_py.cli", *words], env=env, check=True, capture_output=True,
                       timeout=120)
    return env


def _ha_log(env: dict[str, str]) -> str:
    return (Path(env["CRM_CLUSTER_DIR"]) / "ha-log").read_text(encoding="utf-8")


def test_a_move_to_where_it_runs_settles_without_pathlib_typing_the_executor_or_the_status_view(
        cluster_env: dict[str, str]) -> None:
    # dummy runs on srv02 (stickiness INFINITY kept it there after the unmove): the move writes the
    # constraint and plans, and the plan has nothing to run
    loaded = _crm_loads(MOVE, cluster_env)
    assert "crmsh_py.engine.scheduler.plan" in loaded  # the cluster was planned after the change
    assert "_bz2" in loaded  # and its input saved
    assert not loaded & (NO_PATHLIB | NO_ACTION_TO_RUN | NEVER | {"glob", "fnmatch"} | NO_PYTHON_WRAPPERS
                         | NO_STATUS_VIEW | NO_UNUSED_STAGES | NO_UNUSED_HELPERS)


def test_an_unmove_settles_without_pathlib_typing_the_executor_or_the_status_view(
        cluster_env: dict[str, str]) -> None:
    loaded = _crm_loads(UNMOVE, cluster_env)
    assert "crmsh_py.engine.scheduler.plan" in loaded
    assert not loaded & (NO_PATHLIB | NO_ACTION_TO_RUN | NEVER | {"glob", "fnmatch"} | NO_PYTHON_WRAPPERS
                         | NO_STATUS_VIEW | NO_UNUSED_STAGES | NO_UNUSED_HELPERS)
    # the transition is recorded as before: its input saved, its number logged
    last = _ha_log(cluster_env).splitlines()[-2:]
    assert any("Calculated transition" in line and "saving inputs in" in line for line in last), last


def test_a_move_that_runs_agents_loads_the_process_machinery_it_needs(cluster_env: dict[str, str]) -> None:
    # the counterpart: moving dummy back to srv01 stops and starts it, so the executor is there;
    # the agents start with os.posix_spawn and their files go through os.path: neither subprocess
    # (threading, selectors, signal's enums) nor pathlib (re, fnmatch, urllib.parse), nor
    # functools for the meta-data memo (crmsh_py.memo)
    loaded = _crm_loads(["-R", "resource", "move", "dummy", "srv01", "force"], cluster_env)
    assert {"crmsh_py.engine.executor", "crmsh_py.agents.process", "crmsh_py.agents.catalog"} <= loaded
    assert not loaded & (NEVER | {"crmsh_py.engine.fencing", "json"} | NO_PROCESS_HELPERS)
