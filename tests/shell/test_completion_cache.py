"""The REPL's completion keeps the parsed CIB between lines only while the file is unchanged: a
change made by any command (or any other process) shows at the next Tab."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from crmsh_py.cli import Options
from crmsh_py.session import build_session
from crmsh_py.shell.completion import suggest
from crmsh_py.shell.completion_source import CibCache, SessionSource


def _crm(env: dict[str, str], *words: str) -> None:
    subprocess.run([sys.executable, "-m", "crmsh_py.cli", *words], env=env, check=True, capture_output=True,
                   timeout=120)


def test_a_changed_cib_shows_at_the_next_tab_and_an_unchanged_one_is_not_parsed_again(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))
    _crm(env, "configure", "property", "stonith-enabled=false")
    _crm(env, "configure", "primitive", "alpha", "Dummy", "meta", "target-role=Stopped")
    session = build_session(Options(), io.StringIO(), io.StringIO(), dict(env))
    cache = CibCache()
    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha"]
    first = cache.root

    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha"]
    assert cache.root is first  # nothing changed: the next line reuses the parse

    _crm(env, "configure", "primitive", "another", "Dummy", "meta", "target-role=Stopped")
    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha", "another"]
    assert cache.root is not first


def test_without_a_cib_file_completion_asks_the_backend(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "none"))
    session = build_session(Options(), io.StringIO(), io.StringIO(), dict(env))
    assert suggest(SessionSource(session, CibCache()), [], "resource start a") == []
    assert not (tmp_path / "none").exists()  # looking never creates a cluster
