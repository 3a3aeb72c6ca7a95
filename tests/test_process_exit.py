"""How a console script ends (crmsh_py.process_exit.finish): from outside, as the normal exit.

Each case runs a small program in a fresh interpreter: everything it wrote arrives, its exit code is
kept, ``atexit`` handlers run, a non-daemon thread is still waited for, a reader that went away is
not an error; and ``crm`` itself, run as a process, ends that way with its whole output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(body: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    program = f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom crmsh_py.process_exit import finish\n{body}"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usually run
    return subprocess.run([sys.executable, "-c", program], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=60, check=False, env=env)


def test_buffered_output_and_the_exit_code_survive() -> None:
    # 2 MB through a pipe: far more than any buffer, all of it still unwritten when finish runs
    done = _run("sys.stdout.write('x' * 2_000_000)\nsys.stderr.write('why\\n')\nfinish(3)")
    assert done.returncode == 3
    assert len(done.stdout) == 2_000_000 and done.stderr == "why\n"


def test_none_is_success_and_atexit_handlers_run() -> None:
    done = _run("import atexit\natexit.register(lambda: print('handler ran'))\nfinish(None)")
    assert (done.returncode, done.stdout) == (0, "handler ran\n")


def test_a_running_thread_is_waited_for() -> None:
    body = ("import threading, time\n"
            "def late():\n    time.sleep(0.3)\n    print('thread done', flush=True)\n"
            "threading.Thread(target=late).start()\nfinish(4)")
    done = _run(body)
    assert (done.returncode, done.stdout) == (4, "thread done\n")


def test_a_reader_that_went_away_is_not_an_error() -> None:
    # like `crm configure show | head -1`: the pipe is closed when the buffered rest is flushed
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = _run("sys.stdout.write('line\\n' * 200)\nfinish(0)", stdout=writer)
    finally:
        os.close(writer)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_crm_ends_with_its_whole_output(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               CRM_SYSLOG_SOCKET=str(tmp_path / "no-syslog"), NO_COLOR="1")
    env.pop("CIB_file", None)
    lines = "".join(f"primitive p{n} ocf:heartbeat:Dummy meta target-role=Stopped\n" for n in range(300))
    (tmp_path / "many.crm").write_text("property stonith-enabled=false\n" + lines)
    crm = [sys.executable, "-m", "crmsh_py.cli"]
    loaded = subprocess.run([*crm, "configure", "load", "update", str(tmp_path / "many.crm")], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert loaded.returncode == 0, loaded.stderr
    shown = subprocess.run([*crm, "configure", "show"], env=env, capture_output=True, text=True, timeout=120,
                           check=False)
    assert shown.returncode == 0
    assert sum(line.startswith("primitive p") for line in shown.stdout.splitlines()) == 300
    assert shown.stdout.endswith("\n")
    missing = subprocess.run([*crm, "resource", "stop", "nosuch"], env=env, capture_output=True, text=True,
                             timeout=120, check=False)
    assert missing.returncode != 0 and "nosuch" in missing.stderr
