"""The history level's settings (source, limit, setnodes, exclude, detail, session) and bad input."""

from __future__ import annotations

import bz2
from pathlib import Path

import pytest
from hist_helpers import cluster_env, crm, crm_batch, sh


@pytest.fixture
def moved(tmp_path: Path):  # type: ignore[no-untyped-def]
    d = tmp_path / "c"
    env = cluster_env(d)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], env).rc == 0
    return d, env


def test_exclude_and_setnodes_filter_events(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    result = crm_batch("history\nexclude Initiating\nevents\nexclude\nexclude clear\nsetnodes srv02\nevents\n", env)
    assert result.rc == 0, result.err
    lines = result.out.splitlines()
    assert [line.split("]", 1)[1] for line in lines[:3]] == [
        " info: Result of start operation for dummy on srv01: ok",
        " info: Result of stop operation for dummy on srv01: ok",
        " info: Result of start operation for dummy on srv02: ok",
    ]
    assert lines[3] == "Initiating"  # `exclude` alone lists the patterns
    assert [line.split("]", 1)[1] for line in lines[4:]] == [" info: Result of start operation for dummy on srv02: ok"]


def test_detail_adds_probes_and_monitors(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    plain = crm_batch("history events\n", env).out.splitlines()
    detailed = crm_batch("history\ndetail 1\nevents\n", env).out.splitlines()
    assert len(detailed) > len(plain)
    assert any("Result of probe operation for dummy on srv02: not running" in line for line in detailed)
    assert not any("probe" in line for line in plain)
    bad = crm_batch("history\ndetail 7\n", env)
    assert bad.rc == 1 and "usage: detail 0|1" in bad.err


def test_limit_in_the_future_shows_nothing_and_bad_times_are_refused(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    result = crm_batch("history\nlimit 2099-01-01\nevents\nlimit show\n", env)
    assert result.rc == 0, result.err
    assert result.out.splitlines() == ["Current limit: 2099-01-01 - --"]
    # `limit` alone clears the period, as crmsh's does; `timeframe` is its deprecated name
    cleared = crm_batch("history\nlimit 2099-01-01\ntimeframe\nlimit show\n", env)
    assert cleared.out.splitlines() == ["Current limit: -- - --"]
    assert "This command 'timeframe' is deprecated, please use 'limit'" in cleared.err
    bad = crm_batch("history\nlimit yesterday-ish\n", env)
    assert bad.rc == 1 and "bad time 'yesterday-ish'" in bad.err


def test_session_save_list_load(moved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    assert crm_batch("history\nexclude Result\nsetnodes srv01\nsession save incident\n", env).rc == 0
    result = crm_batch("history\nsession list\nsession load incident\nexclude\nsession\n", env)
    assert result.rc == 0, result.err
    assert result.out.splitlines() == ["incident", "Result", "current session: incident"]
    assert crm_batch("history\nsession load nothing-here\n", env).err.strip().endswith(
        "session nothing-here: no such session (session list shows them)")


def test_corrupt_pe_input_is_named(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    pe = d / "pengine" / "pe-input-2.bz2"
    pe.write_bytes(pe.read_bytes()[:40])  # truncated
    result = crm(["history", "show", "2"], env)
    assert result.rc == 1
    assert f"cannot read transition input {pe}: truncated or corrupt bz2 data" in result.err
    assert "Traceback" not in result.err
    (d / "pengine" / "pe-input-1.bz2").write_bytes(bz2.compress(b"<cib><configuration>"))
    result = crm(["history", "diff", "1", "3"], env)
    assert result.rc == 1 and f"{d}/pengine/pe-input-1.bz2: not well-formed XML" in result.err


def test_bad_sources(moved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    missing = crm_batch(f"history\nsource {tmp_path}/none.tar.bz2\n", env)
    assert missing.rc == 1 and f"source {tmp_path}/none.tar.bz2 doesn't exist" in missing.err
    junk = tmp_path / "junk.tar.bz2"
    junk.write_bytes(b"BZh91AY&SY" + b"\0" * 50)
    result = crm_batch(f"history\nsource {junk}\n", env)
    assert result.rc == 1 and f"cannot read report {junk}" in result.err and "Traceback" not in result.err
    empty = tmp_path / "empty"
    empty.mkdir()
    result = crm_batch(f"history\nsource {empty}\ninfo\n", env)
    assert result.rc == 1 and "no node folders with logs found" in result.err


def test_transition_selection(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    assert crm(["history", "transition", "-2", "nograph"], env).out.startswith("Transition srv01:pe-input-2 ")
    assert crm(["history", "transition", "srv01:pe-input-0"], env).out.startswith("Transition srv01:pe-input-0 ")
    assert "t99" in crm(["history", "transition", "t99"], env).err
    assert crm(["history", "transition", "-99"], env).err.strip().endswith("there are only 4 transitions")
    dot = crm(["history", "transition", "2", "showdot"], env).out
    assert dot.startswith('digraph "g" {') and '"dummy_stop_0 srv01" -> "dummy_start_0 srv02"' in dot


def test_peinputs_refresh_tags_and_save_on_the_bundled_cluster(moved) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    result = crm_batch("history\npeinputs\ntransition tags pe-input-2\nrefresh\n", env)
    assert result.rc == 0, result.err
    lines = result.out.splitlines()
    assert lines[:4] == [f"{d}/pengine/pe-input-{n}.bz2" for n in range(4)]
    assert lines[4] == "dummy"  # the move's transition acted on dummy
    assert lines[5] == "Refreshing log data..." and lines[6].endswith(" events.")
    saved = crm_batch("history\ntransition save pe-input-2 before-move\n", env)
    assert saved.rc == 0, saved.err
    assert f"transition {d}/pengine/pe-input-2.bz2 saved to shadow before-move" in saved.err
    shadow = d / "shadow.before-move"
    assert "<cib" in shadow.read_text() and 'rsc_location' in shadow.read_text()
    assert crm_batch("history\npeinputs 77:88\n", env).err.strip().endswith("no transitions found in the source")


def test_session_pack_makes_a_tarball_in_home(moved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, env = moved
    env["HOME"] = str(tmp_path / "home")
    (tmp_path / "home").mkdir()
    assert crm_batch("history\nsession pack\n", env).err.strip().endswith(
        "need to load a history session before update/pack")
    result = crm_batch("history\nsession save packed\nsession pack\n", env)
    assert result.rc == 0, result.err
    assert result.out.strip() == f"Report saved in '{tmp_path / 'home' / 'packed.tar.bz2'}'"
    import tarfile

    with tarfile.open(tmp_path / "home" / "packed.tar.bz2") as archive:
        assert "packed/packed.json" in archive.getnames()
