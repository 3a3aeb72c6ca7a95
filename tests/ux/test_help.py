"""Issue 17 item 6: help topics, a command reference, and ``help CMD`` from the command's spec."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ux_terminal import crm, crm_env, spawn

from crmsh_py.errors import CommandError
from crmsh_py.session import Session
from crmsh_py.shell.common import describe
from crmsh_py.shell.dispatch import execute
from crmsh_py.shell.help_topics import TOPICS, find_topic, reference, syntax
from crmsh_py.shell.registry import LEVEL_MODULES, get_level


def _help(line: str) -> str:
    session = Session(env={}, out=io.StringIO(), err=io.StringIO())
    execute(session, line)
    return session.out.getvalue()  # type: ignore[attr-defined]


def _commands() -> list[tuple[str, str]]:
    return [(name, spec.name) for name in LEVEL_MODULES for spec in get_level(name).commands
            if not spec.hidden and spec.level is None]


@pytest.mark.parametrize("line,text", [
    ("help Introduction", "Commands are grouped in levels"),
    ("help introduction", "Commands are grouped in levels"),
    ("help Intro", "Commands are grouped in levels"),
    ("help Syntax", "primitive ID CLASS:[PROVIDER:]TYPE"),
    ("help RuleExpressions", "not_defined pingd"),
    ("help Topics", "Reference"),
    ("help", "Topics (help TOPIC):"),
    ("help status", "Usage:\n    status"),  # a command wins over a topic of the same letters
])
def test_topics(line: str, text: str) -> None:
    assert text in _help(line)


def test_an_unknown_topic_gets_a_suggestion() -> None:
    with pytest.raises(CommandError, match='Sytnax: no help for that topic \\(did you mean "Syntax"\\?\\)'):
        _help("help Sytnax")
    assert find_topic("R") is None  # ambiguous: RuleExpressions, Resourcesets, Reference


def test_syntax_lists_every_element_command_from_its_spec() -> None:
    text = syntax()
    for spec in get_level("configure").commands:
        if spec.raw and not spec.hidden:
            assert spec.usage in text


def test_reference_has_every_command_of_every_level() -> None:
    text = reference()
    for level, name in _commands():
        assert f"--- {level} {name}" in text
    assert "Examples:" in text and "move dummy srv02" in text


@pytest.mark.parametrize("level,name", _commands(), ids=[f"{lv}:{n}" for lv, n in _commands()])
def test_help_cmd_shows_the_specs_usage_and_every_choice(level: str, name: str) -> None:
    spec = get_level(level).lookup(name)
    assert spec is not None
    text = describe(spec)
    assert spec.usage and spec.usage.split("\n")[0] in text
    for arg in spec.args:
        assert arg.name.upper() in text
        for choice in arg.choices:
            assert choice in text
    for example in spec.examples:
        assert example in text


def test_every_topic_renders() -> None:
    for name in TOPICS:
        assert len(_help(f"help {name}").splitlines()) >= 2, name


def test_the_reference_goes_through_the_pager_on_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = crm_env(tmp_path, PAGER="sed s/^/PAGED:/", NO_COLOR="1")
    child = spawn(env, "help", "Reference", rows=20)
    child.expect_exact("PAGED:--- resource move")
    child.expect(pexpect.EOF)
    child.close()
    piped = crm(env, "help Reference")
    assert "--- resource move" in piped.stdout and "PAGED:" not in piped.stdout
