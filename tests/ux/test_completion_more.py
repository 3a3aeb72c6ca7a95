"""Issue 17 item 5: completion from agents' meta-data, meta values, scores, rules and sets (pure
``suggest`` over a fake cluster) and in a real terminal (Tab, with the notes beside candidates)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.fakes import FakeSource
from ux_terminal import crm_env, spawn

from crmsh_py.agents.metadata import AgentInfo, parse_metadata
from crmsh_py.shell.completion import suggest

DUMMY = """<?xml version="1.0"?>
<resource-agent name="Dummy" version="1.0">
 <version>1.1</version><shortdesc lang="en">Example</shortdesc>
 <parameters>
  <parameter name="state" unique="1"><content type="string" default="/run/Dummy.state"/></parameter>
  <parameter name="passwd"><content type="string"/></parameter>
  <parameter name="fake"><content type="string" default="dummy"/></parameter>
  <parameter name="op_sleep"><content type="string" default="0"/></parameter>
  <parameter name="mode" required="1"><content type="select" default="fast">
   <option value="fast"/><option value="slow"/></content></parameter>
 </parameters>
 <actions>
  <action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
  <action name="monitor" timeout="20s" interval="10s" depth="0"/>
  <action name="reload" timeout="20s"/><action name="migrate_to" timeout="20s"/>
  <action name="migrate_from" timeout="20s"/><action name="meta-data" timeout="5s"/>
  <action name="validate-all" timeout="20s"/>
 </actions>
</resource-agent>"""


class MetaSource(FakeSource):
    def agent_info(self, agent: str) -> AgentInfo | None:
        return parse_metadata(DUMMY, agent) if agent.endswith("Dummy") else None


CASES = [
    ("primitive p Dummy params st", ["state="]),
    ("primitive p Dummy params mode=", ["mode=fast", "mode=slow"]),
    ("primitive p Dummy params fake=", ["fake=dummy"]),
    ("primitive p Dummy op ", ["meta-data", "migrate_from", "migrate_to", "monitor", "reload", "start", "stop",
                               "validate-all"]),
    ("primitive p Dummy op monitor ", ["enabled=", "interval=", "interval=10s", "meta", "on-fail=", "op",
                                       "params", "record-pending=", "requires=", "role=", "start-delay=",
                                       "timeout=", "timeout=20s", "utilization"]),
    ("primitive p Dummy op start timeout=20s ", ["enabled=", "interval=", "meta", "on-fail=", "op", "params",
                                                 "record-pending=", "requires=", "role=", "start-delay=",
                                                 "utilization"]),
    ("primitive p Dummy op monitor on-fail=", ["on-fail=block", "on-fail=demote", "on-fail=fence",
                                               "on-fail=ignore", "on-fail=restart", "on-fail=standby",
                                               "on-fail=stop"]),
    ("primitive p Dummy meta target-role=", ["target-role=Promoted", "target-role=Started",
                                             "target-role=Stopped", "target-role=Unpromoted"]),
    ("primitive p Dummy meta is-managed=", ["is-managed=false", "is-managed=true"]),
    ("primitive p Dummy meta target-role=Stopped tar", []),
    ("clone c1 web meta inter", ["interleave="]),
    ("rsc_defaults resource-st", ["resource-stickiness="]),
    ("location l1 web ", ["+inf:", "-inf:", "0:", "100:", "inf:", "rule"]),
    ("location l1 web rule ", ["#cluster-name", "#id", "#kind", "#role", "#uname", "+inf:", "-inf:", "0:",
                               "100:", "date", "defined", "inf:", "not_defined"]),
    ("location l1 web rule -inf: #uname ", ["eq", "gt", "gte", "lt", "lte", "ne", "number:lt", "string:eq",
                                            "version:gt"]),
    ("location l1 web rule -inf: #uname eq ", ["srv01", "srv02"]),
    ("location l1 web rule -inf: #uname eq srv01 ", ["and", "or", "rule"]),
    ("location l1 web rule -inf: defined ", ["#id", "#kind", "#uname"]),
    ("location l1 web rule -inf: date ", ["gt", "in", "lt", "spec"]),
    ("location l1 web 100: ", ["srv01", "srv02"]),
    ("colocation c1 ", ["-100:", "-inf:", "100:", "inf:"]),
    ("order o1 ", ["0:", "Mandatory:", "Optional:", "Serialize:", "inf:"]),
    ("order o1 Mandatory: ", ["(", "[", "db", "g1", "web"]),
    ("order o1 Mandatory: ( db ", [")", "action=", "db", "g1", "require-all=", "role=", "sequential=", "web"]),
    ("colocation c1 inf: [ db ", ["]", "action=", "db", "g1", "require-all=", "role=", "sequential=", "web"]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_suggest_in_configure(text: str, expected: list[str]) -> None:
    assert suggest(MetaSource(), ["configure"], text) == expected


def test_notes_say_required_and_defaults() -> None:
    found = {str(c): getattr(c, "meta", "") for c in suggest(MetaSource(), ["configure"], "primitive p Dummy params ")}
    assert found["mode="] == "(required)"
    assert found["state="] == "default: /run/Dummy.state"
    assert found["passwd="] == ""
    monitor = suggest(MetaSource(), ["configure"], "primitive p Dummy op monitor ")
    ops = {str(c): getattr(c, "meta", "") for c in monitor}
    assert ops["interval=10s"] == "monitor default" and ops["timeout=20s"] == "monitor default"
    meta = {str(c): getattr(c, "meta", "") for c in suggest(MetaSource(), ["configure"], "primitive p Dummy meta ")}
    assert meta["target-role="] == "Started|Stopped|Promoted|Unpromoted"


def test_resource_meta_names_and_values() -> None:
    assert "target-role" in suggest(MetaSource(), ["resource"], "meta web set ")
    assert suggest(MetaSource(), ["resource"], "meta web set is-managed ") == ["false", "true"]
    assert suggest(MetaSource(), ["resource"], "meta web set target-role St") == ["Started", "Stopped"]


def test_resource_ids_follow_what_the_command_accepts() -> None:
    assert suggest(MetaSource(), ["resource"], "move ") == ["web"]
    assert suggest(MetaSource(), ["resource"], "start ") == ["db"]
    assert suggest(MetaSource(), ["resource"], "stop ") == ["web"]


def test_tab_in_a_terminal_shows_defaults_and_only_the_agents_operations(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = crm_env(tmp_path, NO_COLOR="1")
    child = spawn(env, rows=30, cols=140)
    try:
        child.expect_exact("crm(live)#")
        child.send("configure\r")
        child.expect_exact("crm(live)configure#")
        child.send("primitive p9 ocf:heartbeat:Dummy op \t")
        time.sleep(1.0)
        child.send("\t")
        child.expect_exact("monitor")
        child.expect_exact("start")
        time.sleep(0.5)
        try:  # whatever else the menu drew (nothing more may come: that is no failure)
            screen = child.read_nonblocking(100000, timeout=1) if child.isalive() else ""
        except pexpect.TIMEOUT:
            screen = ""
        assert "promote" not in child.before + screen  # Dummy has no promote/demote
        child.send("\x03")  # Ctrl-C drops the line
        child.expect_exact("crm(live)configure#")
        child.send("primitive p9 ocf:heartbeat:Dummy op monitor inter\t")
        child.expect_exact("interval=10s")
        child.send("\x03")
        child.expect_exact("crm(live)configure#")
        child.send("primitive p9 ocf:heartbeat:Dummy params \t")
        child.expect_exact("default: ")
        child.send("\x03")
        child.expect_exact("crm(live)configure#")
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_the_repl_reads_the_cluster_in_the_background_and_agents_once(tmp_path: Path) -> None:
    import io

    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document
    from support.fakes import FakeBackend

    from crmsh_py.backends.base import RunResult
    from crmsh_py.session import Session
    from crmsh_py.shell.repl import ShellCompleter

    fake = FakeBackend()
    fake.responses[("crm_resource", "--show-metadata=ocf:heartbeat:Dummy")] = RunResult(0, DUMMY, "")
    session = Session(env={"CRM_CLUSTER_DIR": str(tmp_path)}, out=io.StringIO(), err=io.StringIO())
    session.set_backend(fake)
    completer = ShellCompleter(session, prefetch=True)
    completer.settle()
    assert ["cibadmin", "-Q"] in fake.calls  # read before any Tab
    before = len(fake.calls)
    nodes = [c.text for c in completer.get_completions(Document("node standby "), CompleteEvent())]
    assert nodes == ["srv01", "srv02"] and len(fake.calls) == before  # the Tab itself reads nothing
    line = Document("configure primitive p ocf:heartbeat:Dummy params ")
    shown = {c.text: c.display_meta_text for c in completer.get_completions(line, CompleteEvent())}
    assert shown["mode="] == "(required)" and shown["state="] == "default: /run/Dummy.state"
    completer.refresh()  # after the next command: the CIB is read again, the agent is not
    completer.settle()
    list(completer.get_completions(line, CompleteEvent()))
    assert sum(1 for c in fake.calls if c[0] == "crm_resource" and c[1].startswith("--show-metadata")) == 1
