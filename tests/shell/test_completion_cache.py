"""The REPL's completion keeps the parsed CIB between lines only while the file is unchanged: a
change made by any command (or any other process) shows at the next Tab."""

from __future__ import annotations

import io
import os
from pathlib import Path

from support.ours import crm_process as crm

from crmsh_py.cli import parse_args
from crmsh_py.session import build_session
from crmsh_py.shell.completion import suggest
from crmsh_py.shell.completion_source import CibCache, SessionSource


def test_a_changed_cib_shows_at_the_next_tab_and_an_unchanged_one_is_not_parsed_again(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))
    assert crm(env, "configure", "property", "stonith-enabled=false").returncode == 0
    assert crm(env, "configure", "primitive", "alpha", "Dummy", "meta", "target-role=Stopped").returncode == 0
    session = build_session(parse_args([]), io.StringIO(), io.StringIO(), dict(env))
    cache = CibCache()
    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha"]
    first = cache.root

    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha"]
    assert cache.root is first  # nothing changed: the next line reuses the parse

    assert crm(env, "configure", "primitive", "another", "Dummy", "meta", "target-role=Stopped").returncode == 0
    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha", "another"]
    assert cache.root is not first


def test_without_a_cib_file_completion_asks_the_backend(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "none"))
    session = build_session(parse_args([]), io.StringIO(), io.StringIO(), dict(env))
    assert suggest(SessionSource(session, CibCache()), [], "resource start a") == []
    assert not (tmp_path / "none").exists()  # looking never creates a cluster
