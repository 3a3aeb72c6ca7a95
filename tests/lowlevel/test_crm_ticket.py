"""crm_ticket: Pacemaker 2.1.5's options, output and exit codes, on a CIB_file and the bundled cluster."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import shutil
from pathlib import Path

import pytest
from support.ours import tool_on as ours
from support.reference import SBIN, run_on as real

from crmsh_py.cib import dump, empty_cib


HAVE_TICKET = (SBIN / "crm_ticket").exists()
DATE = re.compile(r"'[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}'")
EPOCH = re.compile(r'last-granted="\d+"')  # the two tools may run a second apart
# A session at one site: queries and changes in the order an admin would try them.
SESSION = [
    ["-l"], ["-t", "T1", "-g"], ["-t", "T1", "-g", "--force"], ["-t", "T1", "-L"], ["-t", "T1", "-G", "granted"],
    ["-t", "T1", "-G", "foo"], ["-t", "T1", "-G", "foo", "-d", "bar"], ["-t", "T2", "-G", "x", "-d", "y"],
    ["-t", "T1", "-s"], ["-t", "T1", "-l"], ["-t", "T1", "-r"], ["-t", "T1", "-r", "--force"], ["-t", "T2", "-l"],
    ["-t", "T2", "-q"], ["-g"], ["-t", "T1", "-S", "foo", "-v", "1"], ["-t", "T1", "-q"], ["-t", "T1", "-D", "foo"],
    ["-t", "T1", "-S", "granted", "-v", "true"], ["-t", "T3", "-c"], ["-c"], ["-t", "T1", "-c"],
    ["-t", "T1", "-a"], ["-t", "T1", "-C"], ["-t", "T1", "-g", "--force"], ["-t", "T1", "-C"],
    ["-t", "T1", "-C", "--force"], ["-q"], [], ["-t", "T1"], ["-t", "T1", "-G"], ["-t", "T4", "-S", "x"],
    ["-S", "x"], ["-t", "T4", "-D", "granted"], ["-t", "T3", "-w"], ["-t", "T9", "-C"],
]


@pytest.fixture
def cib(tmp_path: Path) -> Path:
    """An empty CIB with one resource that needs ticket T3."""
    root = empty_cib()
    ET.SubElement(root.find("configuration/resources"), "primitive",
                  {"id": "d1", "class": "ocf", "provider": "heartbeat", "type": "Dummy"})
    ET.SubElement(root.find("configuration/constraints"), "rsc_ticket",
                  {"id": "tk1", "rsc": "d1", "ticket": "T3", "loss-policy": "stop"})
    path = tmp_path / "cib.xml"
    path.write_text(dump(root))
    return path


def _norm(result: tuple[int, str, str]) -> tuple[int, str, str]:
    rc, out, err = result
    return rc, EPOCH.sub('last-granted="EPOCH"', DATE.sub("DATE", out)), err


@pytest.mark.skipif(not HAVE_TICKET, reason="needs Pacemaker's crm_ticket in /usr/sbin")
def test_same_as_pacemaker_step_by_step(cib: Path, tmp_path: Path) -> None:
    mine = tmp_path / "ours.xml"
    shutil.copy(cib, mine)
    for args in SESSION:
        want, got = _norm(real(["crm_ticket", *args], cib)), _norm(ours(["crm_ticket", *args], mine))
        assert got == want, args


def test_grant_and_revoke_need_force(cib: Path) -> None:
    rc, out, err = ours(["crm_ticket", "-t", "T3", "-g"], cib)
    assert rc == 4 and "please specify --force." in out and err == "crm_ticket: Ticket modification not allowed\n"
    assert "ticket_state" not in cib.read_text()
    assert ours(["crm_ticket", "-t", "T3", "-g", "--force"], cib)[0] == 0
    assert re.search(r'<ticket_state id="T3" granted="true" last-granted="\d+"', cib.read_text())
    rc, out, _ = ours(["crm_ticket", "-t", "T3", "-r"], cib)
    assert rc == 4 and out.startswith("Revoking 'T3' can trigger the specified 'loss-policy'(s)")


def test_listing_shows_constraint_tickets_as_revoked(cib: Path) -> None:
    assert ours(["crm_ticket", "-l"], cib) == (0, "T3\trevoked          \n", "")
    assert ours(["crm_ticket", "-t", "T3", "-s"], cib)[0] == 0
    assert ours(["crm_ticket", "-L"], cib) == (0, "T3\trevoked [standby] (standby=true)\n", "")
    assert ours(["crm_ticket", "-w"], cib) == (0, "T3\n", "")


def test_usage_errors(cib: Path) -> None:
    assert ours(["crm_ticket"], cib) == (64, "", "crm_ticket: Must supply a command\n")
    assert ours(["crm_ticket", "-g"], cib) == (64, "", "crm_ticket: Must supply ticket ID with -t\n")
    assert ours(["crm_ticket", "-t", "T3", "-l", "extra"], cib)[0] == 64
    assert ours(["crm_ticket", "-t", "nope", "-l"], cib) == (105, "", "crm_ticket: No such ticket 'nope'\n")


def test_crm_simulate_injects_ticket_changes(tmp_path: Path) -> None:
    cib = tmp_path / "sim.xml"
    cib.write_text(
        '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config>'
        '<cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set>'
        '</crm_config><nodes><node id="1" uname="n1"/></nodes><resources>'
        '<primitive id="d1" class="ocf" provider="heartbeat" type="Dummy"/></resources><constraints>'
        '<rsc_ticket id="tk1" rsc="d1" ticket="T3"/></constraints></configuration><status>'
        '<node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/>'
        '</status></cib>')
    rc, out, _ = ours(["crm_simulate", "-S", "-x", str(cib), "-g", "T3", "-b", "T9"], cib)
    assert rc == 0
    assert "Performing Requested Modifications:\n  * Granting ticket T3\n  * Making ticket T9 standby\n" in out
    assert "Transition Summary:\n  * Start      d1      (    n1 )\n" in out
    rc, out, _ = ours(["crm_simulate", "-S", "-x", str(cib)], cib)
    assert "Transition Summary:\n\n" in out  # without the ticket, nothing starts
