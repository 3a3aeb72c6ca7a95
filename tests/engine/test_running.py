"""``engine.running``: where a resource runs, read straight from a plain history, must agree with
the status view wherever it answers (Pacemaker's whole scheduler suite as the input), and hand the
rest (clones, failures, nodes that are not plain members) to the view."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.cib_files import DEMO_RUNNING

from crmsh_py.cib.vocabulary import RESOURCE_TAGS
from crmsh_py.engine.running import running_nodes
from crmsh_py.engine.status_view import build_view

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scheduler"))
from pcmk_suite import suite_dir  # noqa: E402


def _view_answer(root: ET.Element, rsc_id: str, now: int | None = None) -> list[str]:
    res = build_view(root, now).find(rsc_id)
    return sorted({n for p in res.primitives() for n in p.running}) if res else []


def test_a_plain_primitive_is_read_without_the_view() -> None:
    root = ET.fromstring(DEMO_RUNNING)
    assert running_nodes(root, "dummy") == ["srv01"] == _view_answer(root, "dummy")


def test_a_failed_operation_is_left_to_the_view() -> None:
    root = ET.fromstring(DEMO_RUNNING)
    monitor = next(op for op in root.iter("lrm_rsc_op") if op.get("operation") == "monitor")
    monitor.set("rc-code", "7")  # the resource stopped behind the cluster's back: on-fail decides
    assert running_nodes(root, "dummy") is None


def test_a_node_that_is_not_a_plain_member_is_left_to_the_view() -> None:
    root = ET.fromstring(DEMO_RUNNING)
    state = next(s for s in root.iter("node_state") if s.get("uname") == "srv01")
    state.set("crmd", "offline")
    assert running_nodes(root, "dummy") is None


def test_unknown_ids_and_clones_are_left_to_the_view() -> None:
    root = ET.fromstring(DEMO_RUNNING)
    assert running_nodes(root, "nosuch") is None
    resources = root.find("configuration/resources")
    assert resources is not None
    clone = ET.SubElement(resources, "clone", {"id": "c"})
    ET.SubElement(clone, "primitive", {"id": "p", "class": "ocf", "provider": "heartbeat", "type": "Dummy"})
    assert running_nodes(root, "c") is None


def test_wherever_it_answers_it_agrees_with_the_status_view_on_the_scheduler_suite() -> None:
    base = suite_dir()
    if base is None:
        pytest.skip("Pacemaker's scheduler suite (../shared/pacemaker-cts) is not here")
    answered = 0
    for path in sorted((base / "xml").glob("*.xml")):
        root = ET.parse(path).getroot()
        ids = [x.get("id", "") for x in root.findall("configuration/resources/*") if x.tag in RESOURCE_TAGS]
        plain = {rid: running_nodes(root, rid) for rid in ids}
        if all(nodes is None for nodes in plain.values()):
            continue
        view = build_view(root)
        for rid, nodes in plain.items():
            if nodes is None:
                continue
            res = view.find(rid)
            assert res is not None, (path.name, rid)
            assert nodes == sorted({n for p in res.primitives() for n in p.running}), (path.name, rid)
            answered += 1
    assert answered > 500  # the plain case is the common one: half the suite's resources are read directly
