"""The dispatcher's shortcut for level words at the root (``registry.ROOT_LEVELS``) says what the
root level's table says: the same words, each entering the level of its name."""

from __future__ import annotations

from crmsh_py.shell.registry import LEVEL_MODULES, ROOT_LEVELS, get_level, resolve, resolve_for_dispatch


def test_root_levels_are_the_root_tables_level_words() -> None:
    entering = {spec.name: spec for spec in get_level("root").commands if spec.level is not None}
    assert set(entering) == ROOT_LEVELS
    for name, spec in entering.items():
        assert spec.level == name and spec.aliases == () and name in LEVEL_MODULES


def test_dispatch_resolves_every_root_word_as_the_table_does() -> None:
    words = [name for spec in get_level("root").commands for name in spec.names] + ["template", "help", "nosuch"]
    for word in words:
        shortcut, table = resolve_for_dispatch([], word), resolve([], word)
        assert (shortcut is None) == (table is None), word
        if table is not None:
            assert shortcut is not None and (shortcut.level, shortcut.handler is None) == (table.level, table.handler is None), word
    assert resolve_for_dispatch(["configure"], "cibstatus") is resolve(["configure"], "cibstatus")
