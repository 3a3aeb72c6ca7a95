"""Issue 17 item 2: crmsh's colours on a terminal (checked as ANSI sequences), plain text otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ux_terminal import crm, crm_env, make_cluster, spawn

from crmsh_py.render.colorize import color_config, color_status, valid_scheme

pexpect = pytest.importorskip("pexpect")

Y, C, R, G, M, END = "\x1b[33m", "\x1b[36m", "\x1b[31m", "\x1b[32m", "\x1b[35m", "\x1b[0m"
ESC = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def test_configuration_colours_follow_crmshs_scheme() -> None:
    text = ("primitive d1 Dummy \\\n\top monitor interval=10s \\\n\tmeta target-role=Started\n"
            "location l1 d1 100: srv01\norder o1 Mandatory: d1 d2\n")
    assert color_config(text).splitlines() == [
        f"{Y}primitive{END} d1 Dummy \\",
        f"\t{Y}op{END} monitor {C}interval{END}={R}10s{END} \\",
        f"\t{Y}meta{END} {C}target-role{END}={R}Started{END}",
        f"{Y}location{END} l1 {G}d1{END} {M}100{END}: srv01",
        f"{Y}order{END} o1 {M}Mandatory{END}: {G}d1{END} {G}d2{END}",
    ]


def test_colorscheme_changes_the_six_colours() -> None:
    shown = color_config("location l1 d1 100: srv01", "blue,normal,cyan,red,white,yellow")
    assert shown == f"\x1b[34mlocation{END} l1 \x1b[37md1{END} {Y}100{END}: srv01"
    assert valid_scheme("yellow,normal,cyan,red,green,magenta") and not valid_scheme("pink,red")


def test_status_states() -> None:
    text = "  * d1\t(ocf:heartbeat:Dummy):\t Started srv01\n  * d2\t(ocf:heartbeat:Dummy):\t Stopped (disabled)\n" \
           "  * Node srv02: standby\n  * d3 FAILED srv01"
    lines = color_status(text).splitlines()
    assert f"{G}Started{END} srv01" in lines[0]
    assert f"{R}Stopped{END} ({Y}disabled{END})" in lines[1]
    assert f"{Y}standby{END}" in lines[2] and f"{R}FAILED{END}" in lines[3]


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = crm_env(tmp_path_factory.mktemp("colour"))
    make_cluster(env)
    return env


def _screen(env: dict[str, str], commands: list[tuple[str, str]]) -> str:
    child = spawn(env)
    try:
        child.expect_exact("crm(live)")
        seen = ""
        for command, marker in commands:
            child.send(command + "\r")
            child.expect_exact(marker)  # past the prompt redrawn with the line: the output
            seen += child.before + child.after
            child.expect_exact("crm(live)")
            seen += child.before
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return seen


def test_repl_colours_prompt_show_and_status(cluster_env: dict[str, str]) -> None:
    child = spawn(cluster_env)
    try:
        child.expect_exact("crm(live)#")
        last_style = re.findall(r"\x1b\[([0-9;]*)m", child.before)[-1]
        assert {"1", "32"} <= set(last_style.split(";"))  # the prompt is bold green
        child.send("configure show\r")
        child.expect_exact("d1 Dummy")
        shown = child.before + child.after
        child.expect_exact("crm(live)#")
        shown += child.before
        child.send("status\r")
        child.expect_exact("Cluster Summary")
        child.expect_exact("crm(live)#")
        status = child.before
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert f"{Y}primitive{END} d1 Dummy" in shown
    assert f"{C}interval{END}={R}10s{END}" in shown
    assert f"{Y}location{END} l1 {G}d1{END} {M}100{END}: srv01" in shown
    assert f"{G}Started{END} srv01" in status and f"{R}Stopped{END}" in status


def test_no_color_and_options_output_plain_turn_colour_off(cluster_env: dict[str, str], tmp_path: Path) -> None:
    shown = _screen({**cluster_env, "NO_COLOR": "1"}, [("configure show", "d1")])
    assert "primitive d1 Dummy" in shown and f"{Y}primitive" not in shown
    plain = {**cluster_env, "XDG_CONFIG_HOME": str(tmp_path / "plain-cfg")}  # the others keep colour
    assert crm(plain, "options output plain").returncode == 0
    shown = _screen(plain, [("configure show", "d1")])
    assert "primitive d1 Dummy" in shown and f"{Y}primitive" not in shown


def test_piped_output_is_plain(cluster_env: dict[str, str]) -> None:
    for line in ("configure show", "status", "ra list ocf heartbeat", "help"):
        done = crm(cluster_env, line)
        assert done.returncode == 0 and done.stdout and "\x1b" not in done.stdout, line


def test_ra_list_in_columns_on_a_terminal(cluster_env: dict[str, str]) -> None:
    child = spawn(cluster_env, "ra", "list", "ocf", "heartbeat", cols=100)
    child.expect(pexpect.EOF)
    child.close()
    lines = [ESC.sub("", line) for line in child.before.splitlines() if line.strip()]
    assert len(lines) > 5 and all(len(line) <= 100 for line in lines)
    starts = {m.start() for line in lines for m in re.finditer(r"(?<=  )\S", line)}
    per_line = max(len(line.split()) for line in lines)
    assert per_line >= 3 and len(starts) == per_line - 1  # every row aligned on the same columns
