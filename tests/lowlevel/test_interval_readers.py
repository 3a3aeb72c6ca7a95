"""The intervals the tools read (`crm_failcount -I`, `crm_resource -I`, `cibstatus op NAME:INTERVAL`)
come from one reader, `cib/durations.py`; `crm_failcount` reads them as Pacemaker's script does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from crmsh_py.cib.durations import duration_ms, parse_ms
from crmsh_py.lowlevel.crm_failcount import interval_ms

SCRIPT = Path("/usr/sbin/crm_failcount")
WORDS = ["10", "10s", " 10 sec ", "500ms", "2m", "1hr", "10us", "2500usec", "PT10S", "P1DT2H", "P1W",
         "10S", "pt10s", "x", "", "10 minutes", "P"]


def _script_interval(text: str) -> int:
    """The interval Pacemaker's crm_failcount script computes (its own parse_interval function)."""
    body = "\n".join(_functions())
    out = subprocess.run(["bash", "-c", f"{body}\nwarn() {{ :; }}\nparse_interval \"$1\"", "-", text],
                         capture_output=True, text=True, timeout=10, check=True).stdout
    return int(out.strip())


def _functions() -> list[str]:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    keep: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(("interval_re()", "parse_interval()")):
            inside = True
        if inside:
            keep.append(line)
            if line == "}":
                inside = False
    return keep


@pytest.mark.skipif(not SCRIPT.exists() or shutil.which("bash") is None, reason="Pacemaker's crm_failcount not installed")
@pytest.mark.parametrize("word", WORDS)
def test_crm_failcount_reads_an_interval_as_pacemakers_script(word: str) -> None:
    assert interval_ms(word) == _script_interval(word)


def test_one_reader_for_tools_and_scheduler() -> None:
    assert [parse_ms(w) for w in ("10", "10sec", "PT1M", "1h", "bogus", "10us")] == [
        10_000, 10_000, 60_000, 3_600_000, None, None]
    assert parse_ms("10us", micro=True) == 0 and parse_ms("10000usec", micro=True) == 10
    assert duration_ms("10us", 7) == 7  # the scheduler's reading is unchanged: no microseconds
