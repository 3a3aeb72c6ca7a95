"""Commit races: a configure session whose base CIB changed underneath is refused with a message
naming what changed; ``commit force`` overrides; the shadow CIB flow keeps working."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import rel_common as rc
from crmsh_py.cli import parse_args
from crmsh_py.session import build_session
from crmsh_py.errors import CommandError
from crmsh_py.shell.dispatch import execute


def _session(env: dict[str, str]):  # type: ignore[no-untyped-def]
    session = build_session(parse_args(["--backend", "bundled"]), io.StringIO(), io.StringIO(), dict(env))
    session.mode = "batch"
    return session


def _ids(cluster_dir: Path) -> set[str]:
    root = rc.read_root(rc.cib_path(cluster_dir))
    return {e.get("id") for e in root.iter("primitive")}


def test_a_commit_on_a_changed_cib_is_refused_naming_the_change(cluster_dir: Path, env: dict[str, str]) -> None:
    session = _session(env)
    execute(session, "configure")
    execute(session, "primitive mine Dummy meta target-role=Stopped")
    other = rc.run_tool(["cibadmin", "-C", "-o", "resources", "-X",
                         '<primitive id="theirs" class="ocf" provider="heartbeat" type="Dummy"/>'], env)
    assert other.rc == 0
    with pytest.raises(CommandError) as refused:
        execute(session, "commit")
    message = str(refused.value)
    assert "changed" in message and "theirs" in message and "commit force" in message
    assert "mine" not in _ids(cluster_dir)
    execute(session, "commit force")
    assert {"mine", "theirs"} <= _ids(cluster_dir)


def test_an_unchanged_cib_commits_without_force(cluster_dir: Path, env: dict[str, str]) -> None:
    session = _session(env)
    execute(session, "configure")
    execute(session, "primitive mine Dummy meta target-role=Stopped")
    execute(session, "commit")
    assert "mine" in _ids(cluster_dir)


def test_the_shadow_cib_flow_keeps_working(cluster_dir: Path, env: dict[str, str]) -> None:
    script = ("cib new trial\n"
              "configure primitive shadowed Dummy meta target-role=Stopped\n"
              "cib commit trial\n")
    result = rc.run_crm([], env, stdin=script)
    assert result.rc == 0, result.err
    assert "shadowed" in _ids(cluster_dir)
    assert (cluster_dir / "shadow.trial").exists()
