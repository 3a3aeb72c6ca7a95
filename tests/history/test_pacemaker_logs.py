"""History from a real Pacemaker's files: its detail log, syslog and pengine directory
(``--backend pacemaker``; the files are fixtures, no cluster is needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hist_helpers import cluster_env, crm, normalized, sh

DATA = Path(__file__).parent / "data"


@pytest.fixture
def pcmk_env(tmp_path: Path) -> dict[str, str]:
    bundled = tmp_path / "bundled"
    env = cluster_env(bundled)
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], env).rc == 0
    pengine = tmp_path / "pengine"
    pengine.mkdir()
    shutil.copy(bundled / "pengine" / "pe-input-2.bz2", pengine / "pe-input-5.bz2")
    log = tmp_path / "pacemaker.log"
    syslog = tmp_path / "syslog"
    shutil.copy(DATA / "pacemaker.log", log)
    shutil.copy(DATA / "syslog", syslog)
    for path in (log, syslog):  # the year of the lines is taken from the file's time: keep it stable
        import os
        import time

        stamp = time.mktime((2026, 11, 29, 12, 0, 0, 0, 0, -1))
        os.utime(path, (stamp, stamp))
    env.update({"CRM_PACEMAKER_LOG": str(log), "CRM_SYSLOG_FILE": str(syslog), "CRM_PENGINE_DIR": str(pengine),
                "CRM_PACEMAKER_CIB": str(bundled / "cib.xml"), "CRM_DETECT": "off"})
    return env


def test_events_from_pacemaker_detail_log(pcmk_env: dict[str, str], tmp_path: Path) -> None:
    result = crm(["--backend", "pacemaker", "history", "events"], pcmk_env)
    assert result.rc == 0, result.err
    assert [line.split("] ", 1)[1] for line in result.out.splitlines()] == [
        "(te_rsc_command) \tnotice: Initiating stop operation dummy_stop_0 locally on srv01 | action 6",
        "(log_executor_event) \tnotice: Result of stop operation for dummy on srv01: ok | graph action 6 call=12 "
        "key=dummy_stop_0 confirmed=true cib-update=45",
        "(te_rsc_command) \tnotice: Initiating start operation dummy_start_0 on srv02 | action 7",
        "(peer_update_callback) \tinfo: Node srv02 state is now lost | nodeid=2 previous=member "
        "source=crm_update_peer_proc",
        "(finalize_op) \tnotice: Operation 'reboot' targeting srv02 by srv01 for pacemaker-controld.2347@srv01: OK "
        "| id=1b2c",
        "(tengine_stonith_notify) \tnotice: Peer srv02 was terminated (reboot) by srv01 on behalf of "
        "pacemaker-controld.2347: OK | event=1b2c",
        "(te_rsc_command) \tnotice: Initiating start operation dummy_start_0 locally on srv01 | action 9",
        "(log_executor_event) \tnotice: Result of start operation for dummy on srv01: ok | graph action 9 call=14 "
        "key=dummy_start_0 confirmed=true cib-update=52",
    ]


def test_commands_join_syslog_and_pacemaker_log(pcmk_env: dict[str, str], tmp_path: Path) -> None:
    result = crm(["--backend", "pacemaker", "history", "commands"], pcmk_env)
    assert result.rc == 0, result.err
    assert normalized(result.out, tmp_path)[:3] == [
        "TIME alice on pts/3: crm resource move dummy srv02 force",
        "    ran crm_resource -M -r dummy --node=srv02 --force",
        "    dummy moved srv01 -> srv02 in transition 5 (pe-input-5), N s after "
        "'crm resource move dummy srv02 force' by alice on pts/3",
    ]
    assert normalized(result.out, tmp_path)[3] == \
        "TIME cluster: transition 6 (pe-warn-0): node srv02 fenced; dummy started on srv01"


def test_transition_replays_the_pengine_file(pcmk_env: dict[str, str]) -> None:
    result = crm(["--backend", "pacemaker", "history", "transition", "5"], pcmk_env)
    assert result.rc == 0, result.err
    assert result.out.splitlines()[:3] == ["Transition srv01:pe-input-5 (03:09:31 - 03:09:32):",
                                          "\ttotal 3 actions: 3 Complete", "\tdummy moved srv01 -> srv02"]
    assert "  * Move       dummy   ( srv01 -> srv02 )" in result.out
    missing = crm(["--backend", "pacemaker", "history", "show", "pe-warn-0"], pcmk_env)
    assert missing.rc == 1 and "input pe-warn-0 is not in the source" in missing.err
