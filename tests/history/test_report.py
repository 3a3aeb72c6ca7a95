"""``crm report``: the tarball's contents, masking, the analysis, and reading it back with history."""

from __future__ import annotations

import bz2
import tarfile
from pathlib import Path

from hist_helpers import STONITH, cluster_env, crm, crm_batch, sh


def _members(tarball: Path) -> dict[str, bytes]:
    with tarfile.open(tarball) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}  # type: ignore[union-attr]


def test_report_contents_masking_and_read_back(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d, STONITH)
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], env).rc == 0
    assert sh(["crm_engine", "inject", "node-fail", "srv02"], env).rc == 0
    dest = tmp_path / "incident"
    result = crm(["report", "--dest", str(dest)], env)
    assert result.rc == 0, result.err
    tarball = tmp_path / "incident.tar.bz2"
    assert result.out == f"Report saved in '{tarball}'\n"
    files = _members(tarball)
    for node in ("srv01", "srv02"):
        for name in ("ha-log.txt", "cib.xml", "cluster.yaml", "crm_mon.txt", "crm_verify.txt", "agents.txt",
                     "sysinfo.txt"):
            assert f"incident/{node}/{name}" in files, name
    inputs = sorted(n for n in files if "/pengine/pe-" in n and n.endswith(".bz2"))
    assert any(n.endswith("pe-warn-0.bz2") for n in inputs) and any(n.endswith("pe-input-2.bz2") for n in inputs)
    # passwords masked everywhere, including inside the compressed transition inputs
    for name, data in files.items():
        text = bz2.decompress(data) if name.endswith(".bz2") else data
        assert b"secret123" not in text, name
    assert b'name="passwd" value="*****"' in files["incident/srv01/cib.xml"]
    assert b"stonith:external/ssh" in files["incident/srv01/agents.txt"]
    assert b"ocf:heartbeat:Dummy 1.0" in files["incident/srv01/agents.txt"]
    assert b"dummy\t(ocf:heartbeat:Dummy):" in files["incident/srv01/crm_mon.txt"]
    analysis = files["incident/analysis.txt"].decode().splitlines()
    assert "Fencing: 1" in analysis
    assert any("Operation 'reboot' targeting srv02" in line for line in analysis)
    assert any(line.startswith("Transitions with warnings or errors: 1") for line in analysis)
    description = files["incident/description.txt"].decode()
    assert "Nodes: srv01 srv02" in description and f"Command: crm_report --dest={dest}" in description
    # read back: the same transitions and events as the live cluster
    live = crm(["history", "events"], env).out.splitlines()
    back = crm_batch(f"history\nsource {tarball}\nevents\ninfo\ntransition pe-warn-0 nograph\n", env)
    assert back.rc == 0, back.err
    lines = back.out.splitlines()
    assert sorted(lines[:len(live)]) == sorted(live)
    assert f"Source: {tarball}" in lines and "Nodes: srv01 srv02" in lines
    assert any(line.startswith("Transition srv01:pe-warn-0 ") for line in lines)
    assert "\tnode srv02 fenced" in lines


def test_report_refuses_to_overwrite_and_checks_times(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["report", str(tmp_path / "r")], env).rc == 0
    again = crm(["report", str(tmp_path / "r")], env)
    assert again.rc == 1 and f"{tmp_path}/r.tar.bz2 exists: remove it or use -Z to replace it" in again.err
    assert crm(["report", "-Z", str(tmp_path / "r")], env).rc == 0
    bad = crm(["report", "-f", "2026-11-29 04:00", "-t", "2026-11-29 03:00", str(tmp_path / "x")], env)
    assert bad.rc == 1 and "before its start" in bad.err
    assert not (tmp_path / "x.tar.bz2").exists()


def test_report_period_limits_the_log(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["report", "-f", "2099-01-01", str(tmp_path / "future")], env).rc == 0
    files = _members(tmp_path / "future.tar.bz2")
    assert files["future/srv01/ha-log.txt"] == b"" and files["future/srv02/ha-log.txt"] == b""
    assert not [n for n in files if "/pengine/pe-" in n and n.endswith(".bz2")]


def test_truncated_report_is_named(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert crm(["report", str(tmp_path / "r")], env).rc == 0
    tarball = tmp_path / "r.tar.bz2"
    cut = tmp_path / "cut.tar.bz2"
    cut.write_bytes(tarball.read_bytes()[: tarball.stat().st_size // 2])
    result = crm_batch(f"history\nsource {cut}\n", env)
    assert result.rc == 1
    assert f"cannot read report {cut}: truncated or corrupt archive" in result.err
    assert "Traceback" not in result.err


def test_unpacked_report_directory_is_a_source(tmp_path: Path) -> None:
    d = tmp_path / "c"
    env = cluster_env(d)
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], env).rc == 0
    assert crm(["report", str(tmp_path / "r")], env).rc == 0
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    with tarfile.open(tmp_path / "r.tar.bz2") as archive:
        archive.extractall(unpacked)  # noqa: S202 - our own fresh tarball
    result = crm_batch(f"history\nsource {unpacked / 'r'}\ntransition 2 nograph\n", env)
    assert result.rc == 0, result.err
    assert result.out.splitlines()[:3] == [result.out.splitlines()[0], "\ttotal 3 actions: 3 Complete",
                                          "\tdummy moved srv01 -> srv02"]
    assert result.out.startswith("Transition srv01:pe-input-2 ")
