"""Operation call ids: one counter per command's work on a CIB, scanned once, always increasing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crmsh_py import xmltree as ET
from crmsh_py.engine import status_xml
from crmsh_py.engine.definition import definition_from_cib
from crmsh_py.engine.status import OpRecord, ResourceHistory

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"

CIB = """<cib><configuration><crm_config/><nodes><node id="1" uname="n1"/></nodes><resources/>
<constraints/></configuration><status><node_state id="1" uname="n1" in_ccm="true" crmd="online"
join="member" expected="member"><lrm id="1"><lrm_resources><lrm_resource id="r" class="ocf"
provider="heartbeat" type="Dummy"><lrm_rsc_op id="r_last_0" operation_key="r_start_0" operation="start"
call-id="41" rc-code="0" op-status="0" interval="0"/></lrm_resource></lrm_resources></lrm></node_state>
</status></cib>"""


def _call_ids_in(root: ET.Element) -> list[int]:
    return sorted(int(op.get("call-id", "0")) for op in root.iter("lrm_rsc_op"))


def test_counter_starts_above_the_highest_recorded_id_and_follows_what_is_recorded() -> None:
    root = ET.fromstring(CIB)
    definition = definition_from_cib(root)
    ids = status_xml.CallIds(root)
    assert ids.next() == 42
    assert ids.next() == 42  # nothing recorded yet: the id is still free
    history = ResourceHistory("r", "ocf", "Dummy", "heartbeat")
    for task, interval in (("monitor", 10000), ("stop", 0), ("start", 0)):
        op = OpRecord(task, interval, 0, ids.next(), on_node="n1")
        status_xml.record_op(root, definition, "n1", history, op, call_ids=ids)
    assert _call_ids_in(root) == [42, 44]  # the monitor (42); the start (44) replaced the stop (43) as last op
    assert ids.next() == 45


def test_a_second_counter_on_the_same_cib_reads_what_the_first_recorded() -> None:
    root = ET.fromstring(CIB)
    definition = definition_from_cib(root)
    first = status_xml.CallIds(root)
    op = OpRecord("monitor", 5000, 0, first.next(), on_node="n1")
    status_xml.record_op(root, definition, "n1", ResourceHistory("r", "ocf", "Dummy", "heartbeat"), op,
                         call_ids=first)
    assert status_xml.CallIds(root).next() == 43


def test_an_empty_status_starts_at_one() -> None:
    assert status_xml.CallIds(ET.fromstring("<cib><configuration/><status/></cib>")).next() == 1


def test_crm_simulate_gives_each_recorded_operation_its_own_increasing_id(tmp_path: Path) -> None:
    # a simulated transition of several actions on a CIB that already holds history: every
    # operation written gets a new id above every id the input had
    case = SUITE / "11-a-then-bm-b-move-a-clone-starting.xml"
    before = ET.fromstring(case.read_text())
    out = tmp_path / "out.xml"
    done = subprocess.run([sys.executable, "-m", "crmsh_py.lowlevel.crm_simulate", "-S", "-x", str(case),
                           "-O", str(out)], capture_output=True, text=True, timeout=120,
                          env={"CRM_BACKEND": "bundled", "PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr
    old = set(_call_ids_in(before))
    after = ET.fromstring(out.read_text())
    new = [n for n in _call_ids_in(after) if n not in old]
    assert len(new) >= 2
    assert len(set(new)) == len(new)
    assert min(new) > max(old, default=0)
