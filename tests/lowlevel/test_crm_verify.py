"""crm_verify: Pacemaker's verdicts, messages and exit codes on CIB files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cib_files import DEMO_RUNNING, write_cib
from support.ours import tool_on as ours
from support.reference import have, run_on as real

STONITH_ON = DEMO_RUNNING.replace('name="stonith-enabled" value="false"', 'name="stonith-enabled" value="true"')
SUMMARY = "crm_verify: Errors found during check: config not valid\n"


def test_valid_file_is_silent(tmp_path: Path) -> None:
    assert ours(["crm_verify", "-x", str(write_cib(tmp_path))]) == (0, "", "")


def test_stonith_without_devices(tmp_path: Path) -> None:
    cib = write_cib(tmp_path, STONITH_ON)
    assert ours(["crm_verify", "-x", str(cib)]) == (78, "", SUMMARY + "-V may provide more details\n")
    rc, _, err = ours(["crm_verify", "-x", str(cib), "-V"])
    assert rc == 78
    assert err == ("(unpack_resources) \terror: Resource start-up disabled since no STONITH resources have been defined\n"
                   "(unpack_resources) \terror: Either configure some or disable STONITH with the stonith-enabled option\n"
                   "(unpack_resources) \terror: NOTE: Clusters with shared data need STONITH to ensure data integrity\n"
                   + SUMMARY)


def test_pipe_and_live(tmp_path: Path) -> None:
    assert ours(["crm_verify", "-p"], stdin=STONITH_ON)[0] == 78
    assert ours(["crm_verify", "-L"], write_cib(tmp_path))[0] == 0


def test_unusable_input(tmp_path: Path) -> None:
    assert ours(["crm_verify", "-x", str(tmp_path / "none.xml")]) == (
        1, "", f"crm_verify: Couldn't parse input file: {tmp_path / 'none.xml'}\n")
    assert ours(["crm_verify", "-x", str(write_cib(tmp_path, "<cib><bad"))])[0] == 78
    assert ours(["crm_verify"])[0] == 1
    assert ours(["crm_verify", "--bogus"]) == (64, "", "crm_verify: Unknown option --bogus\n")


@pytest.mark.skipif(not have("crm_verify"), reason="Pacemaker's crm_verify is not installed")
def test_same_verdicts_as_pacemaker(tmp_path: Path) -> None:
    for text in (STONITH_ON,):
        cib = write_cib(tmp_path, text)
        assert ours(["crm_verify", "-x", str(cib)]) == real(["crm_verify", "-x", str(cib)])
    missing = str(tmp_path / "none.xml")
    assert ours(["crm_verify", "-x", missing]) == real(["crm_verify", "-x", missing])
