"""One parser for every command's words: the spec's argument list says what they are, and help,
completion and the usage error all come from it."""

from __future__ import annotations

import pytest
from support.fakes import FakeBackend, FakeSource

from crmsh_py.errors import CommandError
from crmsh_py.session import Session
from crmsh_py.shell.arguments import bind
from crmsh_py.shell.completion import suggest
from crmsh_py.shell.dispatch import execute, tokenize
from crmsh_py.shell.help_topics import describe
from crmsh_py.shell.registry import LEVEL_MODULES, CommandSpec, get_level

MOVE_USAGE = "usage: move RSC [NODE] [LIFETIME] [force]"


def _spec(level: str, name: str) -> CommandSpec:
    spec = get_level(level).lookup(name)
    assert spec is not None
    return spec


@pytest.mark.parametrize("words, node, lifetime, force", [
    ("web", None, None, None),
    ("web srv02", "srv02", None, None),
    ("web srv02 PT1H force", "srv02", "PT1H", "force"),
    ("web PT1H srv02", "srv02", "PT1H", None),  # a lifetime is told from a node by its form
    ("web force srv02", "srv02", None, "force"),
    ("force srv02", "srv02", None, None),  # the first word is the resource, whatever it says
])
def test_move_words_meet_their_arguments(words: str, node: str | None, lifetime: str | None,
                                         force: str | None) -> None:
    values = bind(_spec("resource", "move"), words.split())
    assert (values["node"], values["lifetime"], values["force"]) == (node, lifetime, force)
    assert values["resource"] == words.split()[0]


@pytest.mark.parametrize("line, usage", [
    ("resource move", MOVE_USAGE),
    ("resource move web srv01 srv02", MOVE_USAGE),
    ("resource clear", "usage: clear RSC [NODE]"),
    ("resource clear web srv01 srv02", "usage: clear RSC [NODE]"),
    ("resource start", "usage: start RSC ..."),
    ("resource manage web db", "usage: manage RSC"),
    ("resource param web set fake", "usage: param RSC set|delete|show NAME [VALUE]"),  # set wants a value
    ("resource param web show fake 2", "usage: param RSC set|delete|show NAME [VALUE]"),  # show takes none
    ("resource param web frob fake", "usage: param RSC set|delete|show NAME [VALUE]"),
    ("resource secret web unstash", "usage: secret RSC set|stash|unstash|delete|show|check PARAM [VALUE]"),
    ("resource failcount web set srv01", "usage: failcount RSC set|delete|show NODE [VALUE]"),
    ("resource cleanup web srv01 srv02", "usage: cleanup [RSC] [NODE] [force]"),
    ("resource constraints", "usage: constraints RSC"),
    ("resource operations web srv01 x", "usage: operations [RSC] [NODE]"),
    ("resource trace web monitor start", "usage: trace RSC [OP] [INTERVAL] [DIR] [force]"),
    ("resource untrace", "usage: untrace RSC [OP] [INTERVAL]"),
    ("resource locate", "usage: locate RSC ..."),
    ("node fence", "usage: fence NODE"),
    ("node standby srv01 srv02", "usage: standby [NODE] [forever|reboot]"),
    ("node online srv01 srv02", "usage: online [NODE]"),
    ("node attribute srv01 set rack", "usage: attribute NODE set|delete|show NAME [VALUE]"),
])
def test_misuse_gets_the_specs_usage_and_runs_nothing(session: Session, fake: FakeBackend, line: str,
                                                       usage: str) -> None:
    with pytest.raises(CommandError) as caught:
        execute(session, line)
    assert str(caught.value) == usage
    assert fake.tools() == []


def test_the_bound_words_reach_the_tool(session: Session, fake: FakeBackend) -> None:
    execute(session, "resource move web PT1H srv02 force")
    assert fake.tools()[-1] == "crm_resource -M -r web --node=srv02 --lifetime=PT1H --force"
    execute(session, "resource cleanup force web")
    assert fake.tools()[-1] == "crm_resource --cleanup --resource web --force"


@pytest.mark.parametrize("words, op, interval, trace_dir", [
    ("web", None, None, None),
    ("web monitor 10 /tmp/t", "monitor", "10", "/tmp/t"),
    ("web /tmp/t 10 monitor force", "monitor", "10", "/tmp/t"),  # any order: told apart by their form
    ("web 10", None, "10", None),
])
def test_trace_words_are_told_apart_by_their_form(words: str, op: str | None, interval: str | None,
                                                   trace_dir: str | None) -> None:
    values = bind(_spec("resource", "trace"), words.split())
    assert (values["op"], values["interval"], values["dir"]) == (op, interval, trace_dir)


def _checked_specs() -> list[tuple[str, CommandSpec]]:
    return [(level, spec) for level in LEVEL_MODULES for spec in get_level(level).commands
            if spec.parse_args]


@pytest.mark.parametrize("level, spec", _checked_specs(), ids=lambda x: x if isinstance(x, str) else x.name)
def test_every_example_in_help_fits_the_argument_list(level: str, spec: CommandSpec) -> None:
    assert spec.usage, "a checked command needs a usage line for its error"
    for example in spec.examples:
        words = tokenize(example)
        at = next(i for i, word in enumerate(words) if word in spec.names)  # after -F, a level
        bind(spec, words[at + 1:])  # raises the usage error if help shows a misuse


def test_help_describes_the_arguments_the_parser_reads() -> None:
    text = describe(_spec("resource", "move"))
    assert "LIFETIME    an ISO 8601 duration (PT1H, P1D) (optional)" in text
    assert "FORCE       one of: force (optional)" in text


@pytest.mark.parametrize("line, offered", [
    ("move ", ["web"]),
    ("move web ", ["srv01", "srv02"]),
    ("move web srv01 ", ["force"]),  # the lifetime offers nothing: the keyword is next
    ("move web srv01 PT1H ", ["force"]),
    ("move web srv01 PT1H force ", []),
    ("cleanup db srv01 ", ["force"]),
    ("param db ", ["delete", "set", "show"]),
])
def test_completion_reads_the_same_argument_list(line: str, offered: list[str]) -> None:
    assert suggest(FakeSource(), ["resource"], line) == offered


def test_a_one_shot_misuse_says_the_usage_and_exits_1(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from support.ours import crm_process

    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c")}
    done = crm_process(env, "resource", "move")
    assert done.returncode == 1
    assert done.stderr == f"ERROR: {MOVE_USAGE}\n"
