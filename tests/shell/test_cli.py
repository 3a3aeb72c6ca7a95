"""The crm command line: options, one-shot/batch exit codes, version, import cost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.ours import crm_process as crm

from crmsh_py.cli import UsageError, parse_args
from crmsh_py.shell.runner import join_words


def test_options_stop_at_the_first_word() -> None:
    opts = parse_args(["-R", "-c", "test", "-o", "editor=vi", "--cluster=/x", "resource", "move", "-x"])
    assert opts.regression and opts.shadow == "test" and opts.overrides == {"editor": "vi"}
    assert opts.cluster == "/x" and opts.words == ["resource", "move", "-x"]
    assert parse_args(["-RF", "status"]).force


@pytest.mark.parametrize("argv", [["--bogus"], ["-f"], ["-o", "novalue"], ["--backend", "x"]])
def test_bad_options(argv: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_args(argv)


def test_join_words_requotes_values() -> None:
    assert join_words(["primitive", "p", "Dummy", "params", "state=/tmp/a b"]) == \
        'primitive p Dummy params state="/tmp/a b"'


def test_join_words_passes_paired_quotes_through_as_crmsh() -> None:
    # words split on blanks, quotes and all (crmsh's harness does that): the line parser sees them
    assert join_words(["node", "attribute", "n1", "set", "a", '"1', "2", '3"']) == 'node attribute n1 set a "1 2 3"'
    # a lone quote too: the line then cannot be split, as crmsh's cannot ("No closing quotation")
    assert join_words(["configure", "show", "it's"]) == "configure show it's"


def test_version_and_help(tmp_path: Path) -> None:
    env = dict(os.environ)
    done = crm(env, "--version")
    assert done.returncode == 0 and done.stdout == "crmsh_py 0.1.0\n"
    assert "usage: crm" in crm(env, "--help").stdout
    bad = crm(env, "--bogus")
    assert bad.returncode == 1 and "unknown option --bogus" in bad.stderr


def test_unknown_command_exits_1_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c")}
    done = crm(env, "frobnicate")
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR: frobnicate: no such command") and "Traceback" not in done.stderr


def test_batch_from_stdin_reports_line(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c")}
    done = crm(env, stdin="help\n\nnosuch thing\nhelp\n")
    assert done.returncode == 1
    assert "<stdin>:3: nosuch: no such command" in done.stderr


def test_missing_batch_file(tmp_path: Path) -> None:
    done = crm(dict(os.environ), "-f", str(tmp_path / "none.crm"))
    assert done.returncode == 1 and "No such file" in done.stderr


def test_one_shot_does_not_import_the_repl_stack(tmp_path: Path) -> None:
    code = ("import sys; from crmsh_py.cli import main; main(['help', 'resource']); "
            "main(['configure', 'load', 'update', 'examples/demo.crm']); "
            "main(['-R', 'resource', 'move', 'dummy', 'srv02', 'force']); main(['status']); "
            "bad = [m for m in ('prompt_toolkit', 'paramiko', 'rich') if m in sys.modules]; "
            "print('LOADED', bad)")
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert ".EXT crm_resource -M" in done.stdout and "Started srv02" in done.stdout
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


def test_compgen_for_bash(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c")}
    line = "crm -R resource mo"
    done = crm(env, "--compgen", str(len(line)), line)
    assert done.returncode == 0 and done.stdout.split() == ["move"]
