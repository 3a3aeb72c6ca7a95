"""The compiled parse tables kept on disk (issue 16): a parse after the first one reads them back
instead of importing lark, gets the same elements, and never uses rows built from another grammar or
another builder."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmsh_py.lang import tables

TEXT = ("primitive a Dummy params state=/run/a op monitor interval=10s\n"
        "primitive b Dummy\n"
        "group g a b meta target-role=Stopped\n"
        "colocation c inf: a b\n"
        "order o Mandatory: a b\n"
        "location l g rule 100: #uname eq srv01 and pingd gt 0\n"
        "property cib-bootstrap-options: stonith-enabled=false\n")
PROBE = ("import sys\nfrom crmsh_py.lang import parse\n"
         f"elements = parse({TEXT!r})\n"
         "print(repr(elements))\nprint('lark' in sys.modules)\n")


def _parse_in_fresh_process(cache: Path) -> tuple[str, bool]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    shown, lark_loaded = done.stdout.rstrip("\n").rsplit("\n", 1)
    return shown, lark_loaded == "True"


def test_second_parse_reads_the_stored_tables_without_lark(tmp_path: Path) -> None:
    first, built_with_lark = _parse_in_fresh_process(tmp_path)
    assert built_with_lark  # nothing stored yet: lark built the tables
    assert (tmp_path / "crmsh_py" / "crm-grammar.tables").is_file()
    second, lark_again = _parse_in_fresh_process(tmp_path)
    assert not lark_again
    assert second == first


@pytest.mark.parametrize("stored", [
    marshal.dumps(("built from another grammar", [], 0, 0)),
    b"\x00not marshal data",
    b"",
])
def test_tables_from_other_sources_or_damaged_are_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          stored: bytes) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "crmsh_py" / "crm-grammar.tables"
    path.parent.mkdir(parents=True)
    path.write_bytes(stored)
    tables.tables.cache_clear()
    try:
        rebuilt = tables.tables()
    finally:
        tables.tables.cache_clear()
    assert len(rebuilt.rows) > 100  # real tables, not the stored stand-in
    sources, *_rest = marshal.loads(path.read_bytes())
    assert sources == tables._sources()  # and the good ones were stored in its place


def test_stored_and_freshly_built_tables_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def shape(parse_tables: tables.ParseTables) -> list[dict[str, object]]:
        return [{symbol: action if isinstance(action, int) else (*action[:3], type(action[3]).__name__)
                 for symbol, action in row.items()} for row in parse_tables.rows]

    tables.tables.cache_clear()
    try:
        built = tables.tables()  # nothing stored: built (and stored)
        tables.tables.cache_clear()
        loaded = tables.tables()  # read back
    finally:
        tables.tables.cache_clear()
    assert (loaded.start_state, loaded.end_state) == (built.start_state, built.end_state)
    assert shape(loaded) == shape(built)


def test_an_unwritable_cache_still_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # crmsh_py/ cannot be made under a file
    tables.tables.cache_clear()
    try:
        assert len(tables.tables().rows) > 100
    finally:
        tables.tables.cache_clear()
