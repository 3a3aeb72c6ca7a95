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
    first = cache.sections
    assert first is not None

    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha"]
    assert cache.sections is first  # nothing changed: the next line reuses the read (and its scans)

    assert crm(env, "configure", "primitive", "another", "Dummy", "meta", "target-role=Stopped").returncode == 0
    assert suggest(SessionSource(session, cache), [], "resource start a") == ["alpha", "another"]
    assert cache.sections is not first


def test_without_a_cib_file_completion_asks_the_backend(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "none"))
    session = build_session(parse_args([]), io.StringIO(), io.StringIO(), dict(env))
    assert suggest(SessionSource(session, CibCache()), [], "resource start a") == []
    assert not (tmp_path / "none").exists()  # looking never creates a cluster


_CIB = ('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes>'
        '<node id="1" uname="srv01"/></nodes><resources>{}</resources><constraints/></configuration>'
        '<status/></cib>')


def _pacemaker_session(cib: Path, calls: list[list[str]]):  # type: ignore[no-untyped-def]
    session = build_session(parse_args(["--backend", "pacemaker"]), io.StringIO(), io.StringIO(),
                            dict(os.environ, CIB_file=str(cib)))
    real = session.backend.run

    def run(argv: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
        calls.append(argv)
        return real(argv, stdin)

    session.backend.run = run  # type: ignore[method-assign]
    return session


def test_pacemaker_tools_on_a_cib_file_completion_reads_the_file_itself(tmp_path: Path) -> None:
    cib = tmp_path / "cib.xml"
    cib.write_text(_CIB.format('<primitive id="alpha" class="ocf" provider="heartbeat" type="Dummy"/>'))
    calls: list[list[str]] = []
    session = _pacemaker_session(cib, calls)
    cache = CibCache()
    assert suggest(SessionSource(session, cache), ["configure"], "delete a") == ["alpha"]
    assert calls == []  # no cibadmin -Q: the file is what it would print
    # rewritten in place, same size, same modification time: still seen at the next Tab
    stat = cib.stat()
    cib.write_text(_CIB.format('<primitive id="omega" class="ocf" provider="heartbeat" type="Dummy"/>'))
    os.utime(cib, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert suggest(SessionSource(session, cache), ["configure"], "delete ") == ["1", "omega"]  # node 1, no alpha


def test_a_compressed_cib_file_is_left_to_cibadmin(tmp_path: Path) -> None:
    calls: list[list[str]] = []
    session = _pacemaker_session(tmp_path / "cib.xml.bz2", calls)
    suggest(SessionSource(session, CibCache()), ["configure"], "delete ")
    assert calls and calls[0][0] == "cibadmin"
