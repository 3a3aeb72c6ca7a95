"""A report of a Pacemaker 1.x cluster (old daemon names and messages) read as crmsh reads it:
transitions with their tags, crmsh's event classes in crmsh's order, crmsh's input names and paths.
(crmsh's own sample report is compared with crmsh itself in tests/compat.)"""

from __future__ import annotations

import bz2
import os
from pathlib import Path

import pytest
from hist_helpers import cluster_env, crm_batch

CIB = """<cib epoch="{epoch}" num_updates="1" admin_epoch="0" validate-with="pacemaker-1.2" update-client="cibadmin"
 update-user="root" update-origin="n2"><configuration><crm_config><cluster_property_set id="o">
<nvpair id="o-v" name="dc-version" value="1.1.7-77eeb099a504ceda05d648ed161ef8b1582c7daf"/>
</cluster_property_set></crm_config><nodes><node id="n1" uname="n1"/><node id="n2" uname="n2"/></nodes>
<resources><primitive id="d1" class="ocf" provider="heartbeat" type="Dummy"/>
<group id="g1"><primitive id="d2" class="ocf" provider="heartbeat" type="Dummy"/></group></resources>
<constraints/></configuration><status/></cib>"""

N1 = """Dec 14 20:06:35 n1 corosync[10]:  [MAIN  ] Corosync Cluster Engine ('1.4.3'): started and ready to provide service.
Dec 14 20:06:57 n1 pengine: [100]: notice: process_pe_message: Transition 0: PEngine Input stored in: /var/lib/pengine/pe-input-5.bz2
Dec 14 20:06:57 n1 crmd: [101]: info: do_te_invoke: Processing graph 0 (ref=a) derived from /var/lib/pengine/pe-input-5.bz2
Dec 14 20:06:58 n1 crmd: [101]: info: process_lrm_event: LRM operation d1_start_0 (call=4, rc=0, cib-update=14, confirmed=true) ok
Dec 14 20:06:58 n1 crmd: [101]: notice: run_graph: ==== Transition 0 (Complete=2, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source=/var/lib/pengine/pe-input-5.bz2): Complete
Dec 14 20:07:05 n1 pengine: [100]: notice: process_pe_message: Transition 1: PEngine Input stored in: /var/lib/pengine/pe-input-6.bz2
Dec 14 20:07:05 n1 crmd: [101]: notice: run_graph: ==== Transition 1 (Complete=0, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source=/var/lib/pengine/pe-input-6.bz2): Complete
Dec 14 20:07:10 n1 pengine: [100]: ERROR: unpack_resources: Resource start-up disabled since no STONITH resources have been defined
Dec 14 20:07:12 n1 pengine: [100]: notice: process_pe_message: Transition 2: PEngine Input stored in: /var/lib/pengine/pe-input-7.bz2
Dec 14 20:07:13 n1 crmd: [101]: info: process_lrm_event: LRM operation d2_stop_0 (call=5, rc=0, cib-update=15, confirmed=true) ok
Dec 14 20:07:14 n1 crmd: [101]: notice: run_graph: ==== Transition 2 (Complete=1, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source=/var/lib/pengine/pe-input-7.bz2): Complete
Dec 14 20:07:20 n1 corosync[10]:  [pcmk  ] info: pcmk_peer_update: lost: n2 906822154
"""
N2 = """Dec 14 20:06:36 n2 corosync[20]:  [MAIN  ] Corosync Cluster Engine ('1.4.3'): started and ready to provide service.
Dec 14 20:06:58 n2 lrmd: [200]: info: rsc:d1 start[4] (pid 5833)
Dec 14 20:06:59 n2 init: Switching to runlevel: 6
"""


@pytest.fixture
def report(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    top = tmp_path / "old-report"
    for node, log in (("n1", N1), ("n2", N2)):
        (top / node).mkdir(parents=True)
        (top / node / "ha-log.txt").write_text(log)
        (top / node / "cib.xml").write_text(CIB.format(epoch=3))
    pe = top / "n1" / "pengine"
    pe.mkdir()
    for number, epoch in ((5, 3), (6, 3), (7, 4)):  # 6: no actions, same epoch as 5: not a transition to show
        (pe / f"pe-input-{number}.bz2").write_bytes(bz2.compress(CIB.format(epoch=epoch).encode()))
    (top / "description.txt").write_text("By: tester\n")
    stamp = 1355515718.0  # 2012-12-14: the year of the log's stamps comes from the report
    for path in [*top.rglob("*"), top]:
        os.utime(path, (stamp, stamp))
    env = cluster_env(tmp_path / "c")
    return top, env


def _history(env: dict[str, str], top: Path, *commands: str) -> list[str]:
    result = crm_batch("history\nsource " + str(top) + "\n" + "".join(c + "\n" for c in commands), env)
    assert result.rc == 0, result.err
    return result.out.splitlines()


def test_info_lists_transitions_with_tags_and_leaves_out_empty_ones(report) -> None:  # type: ignore[no-untyped-def]
    top, env = report
    lines = _history(env, top, "info")
    assert lines[0] == f"Source: {top}"
    assert lines[2:] == ["By: tester", "Period: 2012-12-14 20:06:35 - 2012-12-14 20:07:20", "Nodes: n1 n2",
                         "Groups: g1", "Clones: ", "Resources: d1 d2", "Transitions: 5* 7*"]


def test_events_in_crmshs_classes_and_order(report) -> None:  # type: ignore[no-untyped-def]
    top, env = report
    lines = _history(env, top, "events")
    assert [line.split(" ", 4)[4][:40] for line in lines] == [
        "pengine: [100]: ERROR: unpack_resources:",  # errors first
        "corosync[10]:  [MAIN  ] Corosync Cluster",  # then the nodes'
        "corosync[20]:  [MAIN  ] Corosync Cluster",
        "corosync[10]:  [pcmk  ] info: pcmk_peer_",
        "lrmd: [200]: info: rsc:d1 start[4] (pid ",  # then the resources', by time, and within
        "crmd: [101]: info: process_lrm_event: LR",  # a second by place in the file (crmsh's order)
        "crmd: [101]: info: process_lrm_event: LR",
    ]
    assert _history(env, top, "resource g1") == [N1.splitlines()[9]]  # a group means its members
    assert _history(env, top, "node n2") == [N2.splitlines()[0], N1.splitlines()[11]]
    assert _history(env, top, "exclude corosync", "node n2") == []


def test_transitions_peinputs_tags_and_log(report) -> None:  # type: ignore[no-untyped-def]
    top, env = report
    assert _history(env, top, "peinputs") == [f"{top}/n1/pengine/pe-input-5.bz2", f"{top}/n1/pengine/pe-input-7.bz2"]
    assert _history(env, top, "transitions")[1:] == [
        "2012-12-14 20:06:57 - 20:06:58: pe-input-5      n1              d1",
        "2012-12-14 20:07:12 - 20:07:14: pe-input-7      n1              d2"]
    assert _history(env, top, "transition tags 5") == ["d1"]
    # every line of the period, the logs merged by time (on a tie the first node's log first)
    assert _history(env, top, "transition log 5") == [N1.splitlines()[i] for i in (1, 2, 3, 4)] + [N2.splitlines()[1]]
    assert _history(env, top, "refresh") == ["Refreshing log data...", "2 transitions, 7 events."]
    result = crm_batch(f"history\nsource {top}\ntransition 0 nograph\n", env)
    assert f"INFO: <stdin>:3: running ptest with {top}/n1/pengine/pe-input-7.bz2" in result.err
    assert result.out.splitlines()[:2] == ["Transition n1:pe-input-7 (20:07:12 - 20:07:14):", "\ttotal 1 actions: 1 Complete"]


def test_transition_save_makes_a_shadow_cib(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    top, env = report
    result = crm_batch(f"history\nsource {top}\ntransition save 5 old5\n", env)
    assert result.rc == 0, result.err
    assert f"transition {top}/n1/pengine/pe-input-5.bz2 saved to shadow old5" in result.err
    shadow = Path(env["CRM_CLUSTER_DIR"]) / "shadow.old5"
    assert 'name="dc-version"' in shadow.read_text()
    bad = crm_batch(f"history\nsource {top}\ntransition save 99 x\n", env)
    assert bad.rc == 1 and "PE file 99 not found" in bad.err
