"""crm_simulate: status display, injections, saved output; the live/file CIB is never changed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from support.cib_files import write_cib
from support.ours import tool_on as ours
from support.reference import have, run_on as real

HAVE_SCHEDULER = importlib.util.find_spec("crmsh_py.engine.scheduler") is not None


def test_current_status_and_injection(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    before = cib.read_text()
    saved = tmp_path / "out.xml"
    rc, out, _ = ours(["crm_simulate", "-x", str(cib), "-i", "dummy_monitor_10000@srv01=7", "-O", str(saved)])
    assert rc == 0
    assert out == ("Current cluster status:\n  * Node List:\n    * Online: [ srv01 srv02 ]\n\n"
                   "  * Full List of Resources:\n    * dummy\t(ocf:heartbeat:Dummy):\t Started srv01\n\n"
                   "Performing Requested Modifications:\n"
                   "  * Injecting dummy_monitor_10000@srv01=7 into the configuration\n"
                   "  * Injecting attribute fail-count-dummy#monitor_10000=value++ into /node_state 'srv01'\n")
    assert cib.read_text() == before
    mon = ours(["crm_mon", "-1"], saved)[1]
    assert "FAILED srv01" in mon and "dummy 10s-interval monitor on srv01 returned 'not running'" in mon


def test_node_injections(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    saved = tmp_path / "out.xml"
    rc, out, _ = ours(["crm_simulate", "-x", str(cib), "-d", "srv02", "-O", str(saved)])
    assert rc == 0 and "  * Taking node srv02 offline\n" in out
    assert "OFFLINE: [ srv02 ]" in ours(["crm_mon", "-1"], saved)[1]


def test_save_input_keeps_the_requested_modifications_with_quorum(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    saved = tmp_path / "in.xml"
    rc, out, _ = ours(["crm_simulate", "-x", str(cib), "-q", "false", "-u", "srv02", "-g", "tA", "-I", str(saved)])
    assert rc == 0
    assert out.split("Performing Requested Modifications:\n")[1] == (
        "  * Setting quorum: false\n  * Bringing node srv02 online\n  * Granting ticket tA\n")
    text = saved.read_text()
    assert 'have-quorum="false"' in text and '<ticket_state id="tA" granted="true"' in text


@pytest.mark.skipif(not HAVE_SCHEDULER, reason="the bundled scheduler is not installed")
def test_show_utilization_frames_the_scores_with_node_capacities(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    lines = ours(["crm_simulate", "-x", str(cib), "-sU"])[1].splitlines()
    first = lines.index("Original: srv01 capacity:")
    assert lines[first + 1] == "Original: srv02 capacity:" and lines[first + 2].startswith("pcmk__")
    last = lines.index("Remaining: srv01 capacity:")
    assert lines[last - 1].startswith(("pcmk__", "dummy")) and lines[last + 1] == "Remaining: srv02 capacity:"


def test_bad_arguments(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    assert ours(["crm_simulate", "--bogus"]) == (64, "", "crm_simulate: Unknown option --bogus\n")
    assert ours(["crm_simulate", "-S"])[0] == 64
    assert ours(["crm_simulate", "-x", str(cib), "-i", "garbage"])[0] == 64


@pytest.mark.skipif(not have("crm_simulate"), reason="Pacemaker's crm_simulate is not installed")
def test_status_block_same_as_pacemaker(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    assert ours(["crm_simulate", "-x", str(cib)])[1] == real(["crm_simulate", "-x", str(cib)])[1]


@pytest.mark.skipif(not (HAVE_SCHEDULER and have("crm_simulate")), reason="scheduler or crm_simulate missing")
def test_simulated_recovery_same_as_pacemaker(tmp_path: Path) -> None:
    cib = write_cib(tmp_path)
    argv = ["crm_simulate", "-x", str(cib), "-S", "-i", "dummy_monitor_10000@srv01=7"]
    ours_out = ours(argv)[1]
    real_out = real(argv)[1]
    section = lambda t: t.split("Transition Summary:")[1].split("Executing")[0]  # noqa: E731
    assert section(ours_out) == section(real_out)
    assert ours_out.split("Revised Cluster Status:")[1] == real_out.split("Revised Cluster Status:")[1]


def test_stray_argument_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """Pacemaker's crm_simulate ignores a stray word (``-t 2014-05-07 00:28:00`` unquoted); ours
    too, and says so on stderr."""
    cib = write_cib(tmp_path)
    rc, out, err = ours(["crm_simulate", "-x", str(cib), "00:28:00"])
    assert rc == 0
    assert out == ours(["crm_simulate", "-x", str(cib)])[1]
    assert err == "crm_simulate: warning: ignoring unexpected argument '00:28:00'\n"
