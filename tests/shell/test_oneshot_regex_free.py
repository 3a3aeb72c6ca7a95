"""The common one-shots and ``crm_simulate`` on most CIBs load neither ``re`` nor
``xml.etree.ElementTree`` (issue 16): with the ``enum`` behind ``re`` they cost a one-shot about
7 ms of CPU on a 10 ms interpreter, as much as its own work.  XML goes through crmsh_py.xmltree;
the few expressions these paths had are read by hand (tests/test_re_free_readers.py).  Nor do they
load ``collections``, ``functools`` or ``contextlib`` (2 ms more): the ``collections.abc`` names
are for annotations only, and crmsh_py.sorting and crmsh_py.generator_context stand in for
``cmp_to_key`` and ``contextmanager``.  Nor ``copy`` (with ``weakref``, ``copyreg`` and
``types`` behind it), the ``xml`` package or ``operator``: see NO_EXTRAS.  (A move
that runs agents loads more: the agent catalog and the process machinery.)

Each command runs in a fresh interpreter without ``site`` (``-S``: nothing of an editable install
or of ``.pth`` files is loaded first), with crmsh_py from this tree.
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
NO_REGEX = {"re", "enum", "sre_compile", "xml.etree.ElementTree"}
NO_HELPERS = {"collections", "functools", "contextlib", "typing"}
# what the XML accelerator would bring (copy: weakref, copyreg, types; the xml package), and
# operator (a record's key, only once records are compared or hashed)
NO_EXTRAS = {"copy", "weakref", "copyreg", "types", "xml", "operator"}

_PROBE = """\
import sys
sys.path.insert(0, {root!r})
{call}
open({listing!r}, "w").write("\\n".join(sorted(sys.modules)))
raise SystemExit(rc)
"""


def _loaded(call: str, env: dict[str, str]) -> set[str]:
    listing = Path(env["CRM_CLUSTER_DIR"]).parent / "modules.txt"
    probe = _PROBE.format(root=str(ROOT), call=call, listing=str(listing))
    done = subprocess.run([sys.executable, "-S", "-c", probe], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(listing.read_text().split())


def _crm(words: list[str], env: dict[str, str]) -> set[str]:
    return _loaded(f"from crmsh_py.cli import main\nsys.argv = ['crm', *{words!r}]\nrc = main()", env)


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("oneshot-regex-free")
    env = dict(os.environ, CRM_CLUSTER_DIR=str(work / "cluster"), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), NO_COLOR="1")
    for name in ("CIB_file", "CRM_BACKEND", "CRM_HOST", "CRM_DETECT"):
        env.pop(name, None)
    # dummy moved to srv02 and back under no constraint: it stays there (stickiness), so the move
    # and unmove below change the constraints and settle without an agent to run
    for words in (["configure", "load", "update", str(DEMO)], ["resource", "move", "dummy", "srv02", "force"],
                  ["resource", "unmove", "dummy"]):
        subprocess.run([sys.executable, "-m", "crmsh_py.cli", *words], env=env, check=True, capture_output=True,
                       timeout=120)
    return env


@pytest.mark.parametrize("words", [["--version"], ["status"], ["configure", "show"],
                                   ["-R", "resource", "move", "dummy", "srv02", "force"],
                                   ["-R", "resource", "unmove", "dummy"]],
                         ids=["version", "status", "show", "move", "unmove"])
def test_a_oneshot_loads_neither_re_nor_elementtree(cluster_env: dict[str, str], words: list[str]) -> None:
    loaded = _crm(words, cluster_env)
    assert not loaded & (NO_REGEX | NO_HELPERS | NO_EXTRAS), words
    if words != ["--version"]:
        assert "_elementtree" in loaded  # it did read the CIB (through xmltree)


@pytest.mark.skipif(not SCENARIOS.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SCENARIOS}")
@pytest.mark.parametrize("case", ["simple2", "bug-lf-2493", "11-a-then-bm-b-move-a-clone-starting",
                                  "failcount", "colocation_constraint_stops_promoted", "cloned-group"])
def test_crm_simulate_loads_neither_re_nor_elementtree(cluster_env: dict[str, str], case: str) -> None:
    path = str(SCENARIOS / f"{case}.xml")
    loaded = _loaded("from crmsh_py.lowlevel.launch import crm_simulate\n"
                     f"sys.argv = ['crm_simulate', '-S', '-x', {path!r}]\nrc = crm_simulate()",
                     dict(cluster_env, CRM_BACKEND="bundled"))
    assert "crmsh_py.engine.scheduler.plan" in loaded
    assert not loaded & (NO_REGEX | NO_HELPERS | NO_EXTRAS)
