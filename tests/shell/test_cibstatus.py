"""The cibstatus level on the bundled cluster, as a user types it: a copy of the status section
changed by crm_simulate's injections, what the cluster would do about it, and saving it."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.ours import crm_process as crm


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A bundled cluster running d1 (with a 10s monitor) on one of two nodes."""
    home = tmp_path_factory.mktemp("cibstatus")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIB_", "CRM_"))}
    env.update(CRM_CLUSTER_DIR=str(home / "cluster"), HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               CRM_SYSLOG_SOCKET=str(home / "no-syslog"))
    for words in (("cluster", "init"), ("configure", "property", "stonith-enabled=false"),
                  ("configure", "primitive", "d1", "Dummy", "op", "monitor", "interval=10s")):
        done = crm(env, *words)
        assert done.returncode == 0, done.stderr
    return env


def _cib(env: dict[str, str]) -> str:
    return (Path(env["CRM_CLUSTER_DIR"]) / "cib.xml").read_text(encoding="utf-8")


def test_injections_change_the_copy_and_run_shows_the_reaction(env: dict[str, str]) -> None:
    before = _cib(env)
    script = "cibstatus\norigin\nnode srv01 unclean\nop monitor d1 not_running\nticket tA grant\n" \
             "quorum false\nshow changed\norigin\nsimulate\n"
    done = crm(env, stdin=script)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:1] == ["live"]
    assert lines[1] == "srv01 unclean" and lines[2] in ("srv01:d1:monitor rc=7", "srv02:d1:monitor rc=7")
    assert lines[3:6] == ["tA grant", "quorum: false", "live (modified)"]
    assert "Transition Summary:" in done.stdout
    assert _cib(env) == before  # the cluster never sees the copy


def test_save_writes_the_status_into_a_file_and_load_reads_it_back(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "status.xml"
    done = crm(env, stdin=f"cibstatus\nop start d1 unknown timeout\nsave {target}\nload {target}\nshow\n")
    assert done.returncode == 0, done.stderr
    saved = ET.parse(target).getroot()
    starts = [op for op in saved.iter("lrm_rsc_op") if op.get("operation") == "start"]
    assert any(op.get("rc-code") == "1" and op.get("op-status") == "2" for op in starts)
    assert "<status>" in done.stdout and 'rc-code="1"' in done.stdout


@pytest.mark.parametrize(("line", "message"), [
    ("node nosuch online", "nosuch: no such node in the status section"),
    ("node srv01 asleep", "unknown state asleep"),
    ("op monitor d1 bogus", "Invalid exit code 'bogus'"),
    ("op stop nosuch success", "operation stop of nosuch not found"),
    ("quorum maybe", "maybe: bad boolean option"),
    ("save", "apparently you didn't modify status"),
    ("load /nonexistent/cib.xml", "/nonexistent/cib.xml: No such file or directory"),
    ("show everything", "Expected 'changed'"),
])
def test_bad_input_is_refused_with_a_reason(env: dict[str, str], line: str, message: str) -> None:
    done = crm(env, "cibstatus", *line.split())
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_save_never_writes_to_the_live_cluster(env: dict[str, str]) -> None:
    done = crm(env, stdin="cibstatus\nnode srv02 offline\nsave\n")
    assert done.returncode == 1 and "cannot save status to the cluster" in done.stderr


def test_the_level_is_reachable_from_configure_and_cib(env: dict[str, str]) -> None:
    for path in (("configure", "cibstatus", "origin"), ("cib", "cibstatus", "origin")):
        done = crm(env, *path)
        assert done.returncode == 0 and done.stdout == "live\n", done.stderr
