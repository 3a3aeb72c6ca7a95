"""Issue 13 item 3: `commit replace` never reverts a change another writer made (and was told was
done) after the commit checked the CIB version: the version is checked again under the lock."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import rel_common as rc
import rel_probes
from crmsh_py.cli import parse_args
from crmsh_py.session import build_session
from crmsh_py.errors import CommandError
from crmsh_py.shell.dispatch import execute


def test_commit_replace_never_reverts_an_acknowledged_change(cluster_dir: Path) -> None:
    assert rel_probes.probe_commit_replace_race(cluster_dir, commits=3) == []


def test_commit_replace_on_an_unchanged_cib_still_works(cluster_dir: Path, env: dict[str, str]) -> None:
    session = build_session(parse_args(["--backend", "bundled"]), io.StringIO(), io.StringIO(), dict(env))
    session.mode = "batch"
    execute(session, "configure")
    execute(session, "primitive mine Dummy meta target-role=Stopped")
    execute(session, "commit replace")
    root = rc.read_root(rc.cib_path(cluster_dir))
    assert "mine" in {p.get("id") for p in root.iter("primitive")}
    assert root.find("status/node_state") is not None  # the cluster's state is kept


def test_a_refused_commit_replace_says_why(cluster_dir: Path, env: dict[str, str]) -> None:
    session = build_session(parse_args(["--backend", "bundled"]), io.StringIO(), io.StringIO(), dict(env))
    session.mode = "batch"
    execute(session, "configure")
    execute(session, "primitive mine Dummy meta target-role=Stopped")
    assert rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"], env).rc == 0
    with pytest.raises(CommandError) as refused:
        execute(session, "commit replace")
    assert "the CIB changed since this working copy was taken" in str(refused.value)
