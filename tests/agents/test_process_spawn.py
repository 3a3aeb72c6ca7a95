"""Both ways an agent process starts (crmsh_py.agents.process): ``os.posix_spawn`` in a
single-threaded process (a one-shot) and ``subprocess`` in one that runs threads.  Each case runs
through both and checks what the agent sees and what the caller gets back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.waiting import wait_for

from crmsh_py.agents import process

SPAWNERS = {"posix_spawn": process._spawn_alone, "subprocess": process._spawn_threaded}
SH = "/bin/sh"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=sorted(SPAWNERS))
def spawner(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(process, "_spawn", SPAWNERS[request.param])
    return str(request.param)


def _run(script: str, env: dict[str, str] | None = None, cwd: str | None = None,
         timeout_s: float = 10.0, **kw: object) -> process.ProcessOutcome:
    return process.run_process([SH, "-c", script], env or {"PATH": "/usr/bin:/bin"}, timeout_s, cwd, **kw)  # type: ignore[arg-type]


def test_exit_code_output_environment_and_directory(spawner: str, tmp_path: Path) -> None:
    here = os.getcwd()
    seen: list[int] = []
    outcome = _run('echo "out $FOO"; echo err >&2; pwd; env | sort; read line || echo stdin-empty; exit 3',
                   env={"PATH": "/usr/bin:/bin", "FOO": "bar"}, cwd=str(tmp_path), on_start=seen.append)
    assert outcome.returncode == 3 and not outcome.timed_out and outcome.error == ""
    lines = outcome.output.splitlines()
    assert lines[:3] == ["out bar", "err", str(tmp_path)]
    # exactly the environment given (the shell adds PWD, SHLVL and _ of its own)
    assert [line.split("=")[0] for line in lines[3:-1] if line.split("=")[0] not in ("PWD", "SHLVL", "_", "OLDPWD")] \
        == ["FOO", "PATH"]
    assert lines[-1] == "stdin-empty"
    assert seen == [outcome.pgid]
    assert os.getcwd() == here  # the caller's directory is where it was


def test_own_session_and_default_sigpipe(spawner: str) -> None:
    outcome = _run("cat /proc/self/stat; grep SigIgn /proc/self/status")
    stat, ignored = outcome.output.splitlines()
    session = int(stat.rsplit(")", 1)[1].split()[3])
    assert session == outcome.pgid  # `cat` runs in the session the agent (the shell) leads
    # SIGPIPE (13) is not ignored in the child, though Python ignores it here
    assert not int(ignored.split()[1], 16) & (1 << 12)


def test_no_descriptor_is_inherited(spawner: str) -> None:
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    try:
        outcome = _run("ls /proc/self/fd")
    finally:
        os.close(read_end)
        os.close(write_end)
    assert sorted(int(fd) for fd in outcome.output.split()) in ([0, 1, 2], [0, 1, 2, 3])  # 3: ls's own listing


def test_the_deadline_kills_the_whole_session(spawner: str) -> None:
    started = time.monotonic()
    outcome = _run("sleep 30 & sleep 30", timeout_s=0.3)
    assert outcome.timed_out and outcome.returncode == -9
    assert time.monotonic() - started < 5
    pgid = outcome.pgid
    assert pgid is not None
    assert wait_for(lambda: process.session_members(pgid) == [], timeout=5)  # SIGKILL takes a moment


def test_killed_by_a_signal(spawner: str) -> None:
    assert _run("kill -TERM $$").returncode == -15


@pytest.mark.parametrize("what", ["program", "directory"])
def test_what_cannot_start_is_an_error_not_an_exception(spawner: str, tmp_path: Path, what: str) -> None:
    if what == "program":
        outcome = process.run_process([str(tmp_path / "no-such-agent")], {"PATH": "/bin"}, 5.0)
    else:
        outcome = process.run_process([SH, "-c", "true"], {"PATH": "/bin"}, 5.0, cwd=str(tmp_path / "gone"))
    assert (outcome.returncode, outcome.error) == (None, "No such file or directory")


def test_a_program_without_a_slash_is_found_on_the_given_path(spawner: str) -> None:
    outcome = process.run_process(["echo", "found"], {"PATH": "/nonexistent:/bin"}, 5.0)
    assert (outcome.returncode, outcome.output) == (0, "found\n")


def test_a_one_shot_starts_agents_without_subprocess() -> None:
    # a fresh single-threaded interpreter: run_process takes posix_spawn and imports neither
    # subprocess nor threading (nor signal, whose enums cost a one-shot milliseconds)
    probe = ("import sys\nsys.path.insert(0, %r)\nfrom crmsh_py.agents.process import run_process\n"
             "o = run_process(['/bin/sh', '-c', 'echo hi'], {'PATH': '/bin'}, 5.0, cwd='/')\n"
             "print(o.returncode, o.output.strip(), sorted(m for m in ('subprocess', 'threading', 'signal') "
             "if m in sys.modules))\n") % str(ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout == "0 hi []\n", done.stderr


def test_without_pidfds_the_child_is_polled(spawner: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pidfd(*_args: object) -> int:
        raise OSError("pidfd_open is not there")

    monkeypatch.setattr(os, "pidfd_open", no_pidfd)
    done = _run("echo done; exit 4")
    assert (done.returncode, done.output, done.timed_out) == (4, "done\n", False)
    late = _run("sleep 30", timeout_s=0.2)
    assert late.timed_out and late.returncode == -9
