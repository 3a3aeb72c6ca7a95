"""Transition records of the bundled engine: pe-input/pe-warn files, series limits, log lines."""

from __future__ import annotations

import bz2
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hist_helpers import STONITH, cluster_env, crm, log_messages
from support.ours import tool

from crmsh_py.engine import transitions


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in (directory / "pengine").glob("pe-*.bz2"))


def test_move_saves_inputs_and_logs_which_transition_used_which(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["resource", "move", "dummy", "srv02", "force"], env).rc == 0
    pe = d / "pengine"
    assert _files(d) == ["pe-input-0.bz2", "pe-input-1.bz2", "pe-input-2.bz2", "pe-input-3.bz2"]
    assert (pe / "pe-input.last").read_text() == "4"
    lines = log_messages(d, r"^(Calculated transition|Transition \d|Initiating)")
    assert lines[-7:] == [
        f"pacemaker-schedulerd: Calculated transition 2, saving inputs in {pe}/pe-input-2.bz2",
        "pacemaker-controld: Initiating stop operation dummy_stop_0 on srv01",
        "pacemaker-controld: Initiating start operation dummy_start_0 on srv02",
        "pacemaker-controld: Initiating monitor operation dummy_monitor_10000 on srv02",
        "pacemaker-controld: Transition 2 (Complete=3, Pending=0, Fired=0, Skipped=0, Incomplete=0, "
        f"Source={pe}/pe-input-2.bz2): Complete",
        f"pacemaker-schedulerd: Calculated transition 3, saving inputs in {pe}/pe-input-3.bz2",
        "pacemaker-controld: Transition 3 (Complete=0, Pending=0, Fired=0, Skipped=0, Incomplete=0, "
        f"Source={pe}/pe-input-3.bz2): Complete",
    ]
    # the saved input is the CIB the move was planned from: dummy still on srv01, the constraint set
    root = ET.fromstring(bz2.decompress((pe / "pe-input-2.bz2").read_bytes()))
    assert root.tag == "cib" and root.get("execution-date", "").isdigit()
    assert root.find(".//rsc_location[@rsc='dummy'][@node='srv02']") is not None
    ops = root.findall(".//node_state[@uname='srv01']//lrm_rsc_op")
    assert any(op.get("operation") == "start" for op in ops)


def test_unchanged_input_is_not_saved_again(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    before = _files(d)
    assert tool(["crm_mon", "-1"], env).rc == 0  # read-only: no scheduler run
    from crmsh_py.engine.controller import bundled_cluster

    bundled_cluster(d, env).settle()  # re-planning the same input: a repoke, nothing saved
    assert _files(d) == before


def test_series_max_wraps_around(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["configure", "property", "pe-input-series-max=3"], env).rc == 0
    for node in ("srv02", "srv01", "srv02"):
        assert crm(["resource", "move", "dummy", node, "force"], env).rc == 0
    # numbers 0, 1, 2 are reused in turn; the .last file never reaches the maximum
    assert _files(d) == ["pe-input-0.bz2", "pe-input-1.bz2", "pe-input-2.bz2"]
    last = int((d / "pengine" / "pe-input.last").read_text())
    assert 0 <= last < 3
    newest = log_messages(d, "Calculated transition")[-1]
    assert newest.endswith(f"pe-input-{(last - 1) % 3}.bz2")


def test_series_max_zero_saves_nothing(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["configure", "property", "pe-input-series-max=0"], env).rc == 0
    shutil.rmtree(d / "pengine")
    assert crm(["resource", "move", "dummy", "srv02", "force"], env).rc == 0
    assert not list((d / "pengine").glob("pe-input-*"))
    assert not (d / "pengine" / "pe-input.last").exists()
    calculated = log_messages(d, "Calculated transition")[-1]
    assert calculated.endswith(tuple("0123456789")) and "saving" not in calculated
    assert log_messages(d, r"^Transition \d")[-1].endswith("Source=(null)): Complete")


def test_fencing_is_saved_as_pe_warn(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d, STONITH)
    assert tool(["crm_engine", "inject", "node-fail", "srv01"], env).rc == 0
    names = _files(d)
    assert "pe-warn-0.bz2" in names
    warn = log_messages(d, r"\(with warnings\)")
    assert warn and warn[0].startswith("pacemaker-schedulerd: Calculated transition ")
    assert warn[0].endswith(f"(with warnings), saving inputs in {d}/pengine/pe-warn-0.bz2")
    # read back: listed by the history, its input shown and its tags are the fenced node's
    info = crm(["history", "info"], env)
    assert info.rc == 0 and "pe-warn-0" in info.out.split("Transitions:")[1].split()
    shown = crm(["history", "show", "pe-warn-0", "status"], env)
    assert shown.rc == 0 and "srv01" in shown.out
    assert "srv01" in crm(["history", "transition", "tags", "pe-warn-0"], env).out.split()


@pytest.mark.parametrize("value, expected", [(None, 4000), ("10", 10), ("0", 0), ("-1", -1), ("-7", -1),
                                             ("many", 4000), (" 12 ", 12)])
def test_series_max_option(value: str | None, expected: int) -> None:
    nv = "" if value is None else f'<nvpair id="x" name="pe-input-series-max" value="{value}"/>'
    root = ET.fromstring(f"<cib><configuration><crm_config><cluster_property_set id='o'>{nv}"
                         "</cluster_property_set></crm_config></configuration></cib>")
    assert transitions.series_max(root, "pe-input") == expected
    assert transitions.series_max(ET.fromstring("<cib/>"), "pe-warn") == 5000
    assert transitions.series_max(ET.fromstring("<cib/>"), "pe-error") == -1


def test_sequence_file(tmp_path: Path) -> None:
    assert transitions.read_sequence(tmp_path, "pe-input") == 0
    (tmp_path / "pe-input.last").write_text("garbage")
    assert transitions.read_sequence(tmp_path, "pe-input") == 0
    transitions.write_sequence(tmp_path, "pe-input", 5, 5)
    assert (tmp_path / "pe-input.last").read_text() == "0"
    transitions.write_sequence(tmp_path, "pe-input", 7, -1)
    assert transitions.read_sequence(tmp_path, "pe-input") == 7


@pytest.mark.skipif(not Path("/usr/sbin/crm_simulate").exists(), reason="Pacemaker's crm_simulate not installed")
def test_pacemaker_reads_our_inputs(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["resource", "move", "dummy", "srv02", "force"], env).rc == 0
    done = subprocess.run(["/usr/sbin/crm_simulate", "-x", str(d / "pengine" / "pe-input-2.bz2"), "-S"],
                          capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "Move       dummy   ( srv01 -> srv02 )" in done.stdout


def test_replanning_the_same_input_names_the_earlier_file(tmp_path: Path) -> None:
    class FakeCluster:
        directory = tmp_path
        lines: list[str] = []

        def log(self, ident: str, message: str, level: str = "info", node: str | None = None) -> None:
            self.lines.append(message)

    class Snap:
        root = ET.fromstring('<cib epoch="1" num_updates="2" admin_epoch="0"><configuration/><status/></cib>')

    class Plan:
        actions = ["start dummy"]
        fencing: list[str] = []
        blocked: list[str] = []
        errors: list[str] = []

    cluster = FakeCluster()
    first = transitions.begin(cluster, Snap(), Plan())
    second = transitions.begin(cluster, Snap(), Plan())  # e.g. after an aborted action
    assert first is not None and second is not None
    assert (first.number, second.number) == (0, 1)
    assert first.path == second.path == str(tmp_path / "pengine" / "pe-input-0.bz2")
    assert _files(tmp_path) == ["pe-input-0.bz2"]
    assert cluster.lines == [f"Calculated transition 0, saving inputs in {first.path}",
                             f"Calculated transition 1, saving inputs in {first.path}"]
    Plan.actions = []
    assert transitions.begin(cluster, Snap(), Plan()) is None  # nothing to do, nothing new


def test_configuration_errors_are_saved_as_pe_error_and_read_back(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    # two error inputs with pe-error-series-max=2: the numbers wrap 0, 1, 0
    assert tool(["crm_attribute", "-t", "crm_config", "-n", "pe-error-series-max", "-v", "2"], env).rc == 0
    assert tool(["crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "true"], env).rc == 0
    assert "pe-error-0.bz2" in _files(d)
    assert log_messages(d, "start-up disabled") == [
        "pacemaker-schedulerd: Resource start-up disabled since no STONITH resources have been defined"]
    error = log_messages(d, r"\(with errors\)")
    assert error == [f"pacemaker-schedulerd: Calculated transition {error[0].split()[3]} (with errors), "
                     f"saving inputs in {d}/pengine/pe-error-0.bz2"]
    for value in ("d1", "d2"):
        assert tool(["crm_attribute", "-t", "crm_config", "-n", "x-note", "-v", value], env).rc == 0
    assert [n for n in _files(d) if n.startswith("pe-error")] == ["pe-error-0.bz2", "pe-error-1.bz2"]
    assert (d / "pengine" / "pe-error.last").read_text() == "1"
    # read back: the history lists it, and shows what it planned from
    info = crm(["history", "info"], env)
    assert info.rc == 0 and "pe-error-0" in info.out.split("Transitions:")[1]
    shown = crm(["history", "show", "pe-error-0"], env)
    assert shown.rc == 0 and "stonith-enabled=true" in shown.out and "x-note=d2" in shown.out
    events = crm(["history", "events"], env).out
    assert "error: Resource start-up disabled since no STONITH resources have been defined" in events
