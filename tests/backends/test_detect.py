"""Backend detection: the order of the rules, the probes on fake host files, never a silent fallback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crmsh_py.backends.detect import Choice, HostPaths, choose_backend, running_cluster

# /proc/net/unix as Linux (and gVisor) print it: abstract names start with '@', NULs shown as '@'
UNIX_HEAD = "Num       RefCount Protocol Flags    Type St Inode Path\n"
UNIX_LIVE = UNIX_HEAD + (
    "0000000034242355: 00000003 00000000 00000000 0001 03 29379 @cib_rw@@@@@@@@@@\n"
    "00000000dac48697: 00000003 00000000 00000000 0001 03 29338 @cpg@@@@@@@\n")
UNIX_IDLE = UNIX_HEAD + "000000008dbd080a: 00000003 00000000 00000000 0001 03  1661 /run/dbus/system_bus_socket\n"


@pytest.fixture
def host(tmp_path: Path) -> HostPaths:
    """A fake host: no Pacemaker sockets, no CIB."""
    (tmp_path / "unix").write_text(UNIX_IDLE)
    return HostPaths(unix_sockets=tmp_path / "unix",
                     cib_xml=tmp_path / "cib" / "cib.xml", legacy_sockets=(tmp_path / "crm" / "cib_rw",))


@pytest.fixture
def tools(tmp_path: Path) -> dict[str, str]:
    """An environment whose Pacemaker bindir holds cibadmin and crm_mon (stand-ins)."""
    bindir = tmp_path / "sbin"
    bindir.mkdir()
    for name in ("cibadmin", "crm_mon"):
        (bindir / name).write_text("#!/bin/sh\nexit 0\n")
        (bindir / name).chmod(0o755)
    return {"CRM_PACEMAKER_BINDIR": str(bindir)}


def test_a_listening_cib_means_pacemaker(host: HostPaths, tools: dict[str, str]) -> None:
    host.unix_sockets.write_text(UNIX_LIVE)
    choice = choose_backend(tools, paths=host)
    assert choice == Choice("pacemaker", "a Pacemaker cluster runs on this machine "
                                         "(its CIB manager listens on cib_rw)")


def test_a_file_socket_of_an_older_build_counts_too(host: HostPaths) -> None:
    host.unix_sockets.write_text(UNIX_HEAD + "ffff: 00000002 00000000 00010000 0001 01 99 /var/run/crm/cib_rw\n")
    assert running_cluster(host) is not None


def test_a_socket_merely_containing_the_name_does_not(host: HostPaths) -> None:
    host.unix_sockets.write_text(UNIX_HEAD + "ffff: 00000002 00000000 00010000 0001 01 99 @cib_rw_backup\n")
    assert running_cluster(host) is None


def test_a_starting_pacemakerd_means_pacemaker(host: HostPaths, tools: dict[str, str]) -> None:
    host.unix_sockets.write_text(UNIX_HEAD + "ffff: 00000002 00000000 00010000 0001 01 99 @pacemakerd@@@@\n")
    choice = choose_backend(tools, paths=host)
    assert choice == Choice("pacemaker", "pacemakerd runs on this machine (its CIB manager is not up yet)")


def test_a_node_whose_cluster_is_down_stays_on_pacemaker_and_says_so(host: HostPaths, tools: dict[str, str]) -> None:
    host.cib_xml.parent.mkdir()
    host.cib_xml.write_text("<cib/>")
    choice = choose_backend(tools, paths=host)
    assert choice.kind == "pacemaker" and choice.notice
    assert "not running" in choice.message()


def test_pacemaker_installed_without_a_cluster_is_bundled_with_a_notice(host: HostPaths, tools: dict[str, str]) -> None:
    choice = choose_backend(tools, paths=host)
    assert choice.kind == "bundled" and choice.notice
    assert choice.message("/c") == ("using the bundled simulated cluster in /c: Pacemaker is installed but no "
                                    "cluster runs on this machine (--backend pacemaker or CRM_BACKEND=pacemaker "
                                    "for Pacemaker's tools)")


def test_no_pacemaker_at_all_is_bundled_silently(host: HostPaths, tmp_path: Path) -> None:
    choice = choose_backend({"CRM_PACEMAKER_BINDIR": str(tmp_path / "none")}, paths=host)
    assert choice == Choice("bundled", "Pacemaker is not installed")


@pytest.mark.parametrize("env,expected", [
    ({"CRM_BACKEND": "bundled"}, "bundled"),
    ({"CRM_BACKEND": "pacemaker"}, "pacemaker"),
    ({"CIB_file": "/x.xml"}, "pacemaker"),
    ({"CRM_CLUSTER_DIR": "/c"}, "bundled"),
    ({"CRM_DETECT": "off"}, "bundled"),
    ({"CRM_BACKEND": "bundled", "CIB_file": "/x.xml"}, "bundled"),
    ({"CIB_file": "/x.xml", "CRM_CLUSTER_DIR": "/c"}, "pacemaker"),
])
def test_explicit_settings_win_over_a_running_cluster(host: HostPaths, tools: dict[str, str],
                                                      env: dict[str, str], expected: str) -> None:
    host.unix_sockets.write_text(UNIX_LIVE)
    choice = choose_backend({**tools, **env}, paths=host)
    assert choice.kind == expected and not choice.notice


def test_the_command_line_flag_wins_over_everything(host: HostPaths, tools: dict[str, str]) -> None:
    host.unix_sockets.write_text(UNIX_LIVE)
    assert choose_backend({**tools, "CRM_BACKEND": "pacemaker"}, "bundled", host).kind == "bundled"


def test_a_bad_crm_backend_value_is_said(host: HostPaths, tools: dict[str, str]) -> None:
    choice = choose_backend({**tools, "CRM_BACKEND": "pcmk"}, paths=host)
    assert choice.kind == "bundled" and choice.notice and "CRM_BACKEND=pcmk" in choice.reason


def test_cib_file_without_pacemaker_tools_is_ours(tmp_path: Path, host: HostPaths) -> None:
    choice = choose_backend({"CIB_file": "/x.xml", "CRM_PACEMAKER_BINDIR": str(tmp_path / "none")}, paths=host)
    assert choice.kind == "bundled"


def test_detection_is_cheap() -> None:
    # The real host's probes (whatever runs here): about 0.1 ms on an idle machine; the bound
    # leaves room for a loaded CI runner.
    start = time.perf_counter()
    for _ in range(200):
        choose_backend({})
    assert (time.perf_counter() - start) / 200 < 0.003


def test_crm_tells_which_backend_when_it_is_not_obvious(tmp_path: Path, tools: dict[str, str]) -> None:
    # Detection on (the suite turns it off), but pointed at a host where nothing runs: crm says
    # it uses the bundled cluster, and why, on stderr.
    env = {k: v for k, v in os.environ.items() if k != "CRM_DETECT"}
    env.update(tools)
    probe = subprocess.run([sys.executable, "-c",
                            "from crmsh_py.backends.detect import running_cluster as r, HostPaths as H;"
                            "import os, sys;"
                            "sys.exit(0 if r() is None and not os.path.exists(H().cib_xml) else 3)"],
                           env=env, capture_output=True, timeout=60, check=False)
    if probe.returncode != 0:
        pytest.skip("a Pacemaker cluster runs (or is set up) on this machine")
    done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", "configure", "show"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("INFO: using the bundled simulated cluster in ")
    assert "Pacemaker is installed but no cluster runs on this machine" in done.stderr
