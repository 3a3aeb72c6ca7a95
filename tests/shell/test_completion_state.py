"""Completion's quick reading of which resources run (issue 16): the same answer as the status
view wherever it answers, the view's answer wherever it does not, and a change to the CIB (its
status alone or its configuration) shown at the next Tab."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from support.ours import crm_process as crm

from crmsh_py.cib import load
from crmsh_py.cli import parse_args
from crmsh_py.render.mon_view import build_view
from crmsh_py.session import build_session
from crmsh_py.shell import completion_state
from crmsh_py.shell.completion import suggest
from crmsh_py.shell.completion_cib import CibSections
from crmsh_py.shell.completion_source import CibCache, SessionSource

SCENARIOS = Path(__file__).resolve().parents[2].parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"

CIB = """<cib epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="false"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
    <resources>
      <primitive id="p1" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="p2" class="ocf" provider="heartbeat" type="Dummy"/>
      <group id="g"><primitive id="p3" class="ocf" provider="heartbeat" type="Dummy"/>
        <primitive id="p4" class="ocf" provider="heartbeat" type="Dummy"/></group>
      <clone id="c"><primitive id="p5" class="ocf" provider="heartbeat" type="Dummy"/></clone>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>{n1}</lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>{n2}</lrm_resources></lrm>
    </node_state>
  </status>
</cib>
"""


def op(rsc: str, task: str, call: int, rc: int = 0, expected: int = 0, status: int = 0, interval: int = 0) -> str:
    """An lrm_rsc_op as Pacemaker writes it (its attributes in Pacemaker's order)."""
    return (f'<lrm_rsc_op id="{rsc}_{task}_{interval}" operation_key="{rsc}_{task}_{interval}" '
            f'operation="{task}" crm-debug-origin="test" transition-key="{call}:1:{expected}:abc" '
            f'transition-magic="{status}:{rc};{call}:1:{expected}:abc" exit-reason="" on_node="n1" '
            f'call-id="{call}" rc-code="{rc}" op-status="{status}" interval="{interval}" '
            f'last-rc-change="1700000000" exec-time="1" queue-time="0" op-digest="x"/>')


def history(rsc: str, *ops: str) -> str:
    return f'<lrm_resource id="{rsc}" class="ocf" provider="heartbeat" type="Dummy">{"".join(ops)}</lrm_resource>'


RUNNING = history("p1", op("p1", "start", 10), op("p1", "monitor", 11, interval=10000))
PROBED = history("p2", op("p2", "monitor", 2, rc=7, expected=7))
N1 = RUNNING + PROBED + history("p3", op("p3", "start", 12)) + history("p4", op("p4", "stop", 13)) \
    + history("p5:0", op("p5:0", "start", 14))
N2 = history("p2", op("p2", "monitor", 3, rc=7, expected=7)) + history("p5:1", op("p5:1", "monitor", 4, rc=7, expected=7))
EXPECTED = {"p1": True, "p2": False, "g": True, "p3": True, "p4": False, "c": True, "p5": True}


def view_states(text: str) -> dict[str, bool]:
    """Resource id -> running, as the status view (crm_mon's) reads the CIB."""
    view = build_view(load(text))
    out: dict[str, bool] = {}
    stack = list(view.resources)
    while stack:
        res = stack.pop(0)
        out[res.id] = res.active
        stack.extend(res.children)
    return out


def test_running_and_stopped_resources_groups_and_clones() -> None:
    text = CIB.format(n1=N1, n2=N2)
    assert completion_state.resource_states(CibSections(text, "cib.xml")) == EXPECTED == view_states(text)


def test_a_running_resource_gone_from_the_configuration_is_offered_to_stop_as_the_view_shows_it() -> None:
    text = CIB.format(n1=N1 + history("gone", op("gone", "start", 30)) + history("was", op("was", "stop", 31)), n2=N2)
    states = completion_state.resource_states(CibSections(text, "cib.xml"))
    assert states == {**EXPECTED, "gone": True} == view_states(text)


@pytest.mark.parametrize("fencing", ["false", "true"])
def test_what_a_node_that_left_still_records_counts_only_with_fencing(fencing: str) -> None:
    # n2 left the cluster with p2 started there: without fencing its history no longer counts;
    # with fencing the node is unclean and p2 still counts as running until it is fenced
    text = CIB.format(n1=N1, n2=history("p2", op("p2", "start", 40))).replace(
        'uname="n2" in_ccm="true" crmd="online"', 'uname="n2" in_ccm="false" crmd="offline"').replace(
        'name="stonith-enabled" value="false"', f'name="stonith-enabled" value="{fencing}"')
    states = completion_state.resource_states(CibSections(text, "cib.xml"))
    assert states is not None and states["p2"] == (fencing == "true")
    assert states == view_states(text)


@pytest.mark.parametrize("change", [
    # a single-quoted value that holds what looks like an attribute
    lambda t: t.replace('<lrm_rsc_op id="p1_monitor', '<lrm_rsc_op x=\'a operation="stop"\' id="p1_monitor'),
    lambda t: t.replace('<lrm id="1">', '<lrm id="1"><!-- a note -->'),
    lambda t: t.replace('call-id="11" rc-code="0"', 'rc-code="0" call-id="11"'),  # another attribute order
    lambda t: t.replace('call-id="11" rc-code="0"', 'call-id="11" rc-code="1"'),  # a failed monitor
    lambda t: t.replace('call-id="12" rc-code="0" op-status="0"', 'call-id="-1" rc-code="193" op-status="-1"'),
], ids=["single-quotes", "comment", "attribute-order", "failure", "pending"])
def test_what_the_quick_reading_cannot_tell_is_left_to_the_view(change) -> None:  # type: ignore[no-untyped-def]
    text = change(CIB.format(n1=N1, n2=N2))
    assert completion_state.resource_states(CibSections(text, "cib.xml")) is None
    assert load(text) is not None  # still a CIB: the view reads it


def test_a_commented_out_resource_is_not_offered() -> None:
    text = CIB.format(n1=N1, n2=N2).replace('<constraints/>', '<constraints/><!-- <primitive id="ghost"/> -->')
    text = text.replace('<group id="g">', '<!-- <primitive id="ghost2"> --><group id="g">')
    ids = completion_state.resource_ids(CibSections(text, "cib.xml"))
    assert ids is not None and "ghost" not in ids and "ghost2" not in ids and "p5" in ids


@pytest.mark.skipif(not SCENARIOS.is_dir(), reason=f"Pacemaker's scheduler suite not found in {SCENARIOS}")
def test_the_same_answer_as_the_status_view_on_pacemakers_suite() -> None:
    answered = 0
    for path in sorted(SCENARIOS.glob("*.xml"))[::2]:
        text = path.read_text(encoding="utf-8")
        quick = completion_state.resource_states(CibSections(text, str(path)))
        if quick is None:
            continue  # failures, pending operations, remote nodes, old formats: the view answers
        answered += 1
        assert quick == view_states(text), path.name
    assert answered >= 100  # most of the suite's CIBs need no more than their histories


def _session(cib: Path):  # type: ignore[no-untyped-def]
    return build_session(parse_args(["--backend", "pacemaker"]), io.StringIO(), io.StringIO(),
                         dict(os.environ, CIB_file=str(cib)))


def test_a_change_to_the_status_alone_shows_at_the_next_tab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    real_scan = completion_state.scan_status
    monkeypatch.setattr(completion_state, "scan_status", lambda text: scanned.append(text) or real_scan(text))
    cib = tmp_path / "cib.xml"
    cib.write_text(CIB.format(n1=N1, n2=N2))
    session = _session(cib)
    cache = CibCache()
    assert suggest(SessionSource(session, cache), ["resource"], "stop ") == ["c", "g", "p1", "p3", "p5"]
    assert cache.sections is not None
    config = completion_state.configuration(cache.sections)
    assert len(scanned) == 3  # what comes before the nodes, n1, n2
    # p1 stopped by another process: only the status section changes, and only n1's part of it
    cib.write_text(CIB.format(n1=N1.replace(RUNNING, history("p1", op("p1", "start", 10), op("p1", "stop", 20))),
                              n2=N2))
    assert suggest(SessionSource(session, cache), ["resource"], "stop ") == ["c", "g", "p3", "p5"]
    assert len(scanned) == 4 and 'uname="n1"' in scanned[-1]  # n2's part was not read again
    assert suggest(SessionSource(session, cache), ["resource"], "start ") == ["p1", "p2", "p4"]
    assert completion_state.configuration(cache.sections) is config  # the configuration was not read again
    # a failed stop: the view's reading (the resource is still there, failed)
    cib.write_text(CIB.format(n1=N1.replace(RUNNING, history("p1", op("p1", "start", 10),
                                                             op("p1", "stop", 20, rc=1))), n2=N2))
    assert suggest(SessionSource(session, cache), ["resource"], "stop ") == ["c", "g", "p1", "p3", "p5"]


def test_a_change_to_the_configuration_shows_at_the_next_tab(tmp_path: Path) -> None:
    cib = tmp_path / "cib.xml"
    cib.write_text(CIB.format(n1=N1, n2=N2))
    session = _session(cib)
    cache = CibCache()
    assert suggest(SessionSource(session, cache), ["resource"], "start ") == ["p2", "p4"]
    extra = '<primitive id="p6" class="ocf" provider="heartbeat" type="Dummy"/></resources>'
    cib.write_text(CIB.format(n1=N1, n2=N2).replace("</resources>", extra))
    assert suggest(SessionSource(session, cache), ["resource"], "start ") == ["p2", "p4", "p6"]
    assert suggest(SessionSource(session, cache), ["configure"], "show p") == ["p1", "p2", "p6"]
    assert suggest(SessionSource(session, cache), ["node"], "standby ") == ["n1", "n2"]


def test_a_resource_stopped_by_another_process_moves_from_stop_to_start(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))
    setup = ("configure\nproperty stonith-enabled=false\nprimitive alpha Dummy\n"
             "primitive beta Dummy meta target-role=Stopped\ngroup grp alpha\ncommit\n")
    assert crm(env, "-f", "-", stdin=setup).returncode == 0
    session = build_session(parse_args([]), io.StringIO(), io.StringIO(), dict(env))
    cache = CibCache()
    assert suggest(SessionSource(session, cache), ["resource"], "stop ") == ["alpha", "grp"]
    assert suggest(SessionSource(session, cache), ["resource"], "start ") == ["beta"]
    assert crm(env, "resource", "stop", "alpha").returncode == 0
    assert suggest(SessionSource(session, cache), ["resource"], "stop ") == []
    assert suggest(SessionSource(session, cache), ["resource"], "start ") == ["alpha", "beta", "grp"]
