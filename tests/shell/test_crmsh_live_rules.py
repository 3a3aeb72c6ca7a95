"""crmsh's rules seen on a live cluster (issue 11), on a fake backend: crm_verify warnings do not
block a commit, a running resource is not deleted unless forced, edit needs a terminal, restart
waits between stop and start, and a tool's ``error:`` is not said twice."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.render.errors import report
from crmsh_py.session import Session
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.dispatch import execute

WARNINGS_ONLY = ("(unpack_config) \twarning: Blind faith: not fencing unseen nodes\n"
                 "crm_verify: Warnings found during check: config may not be valid\n")
ERRORS = ("(unpack_resources) \terror: Resource start-up disabled since no STONITH resources have been defined\n"
          "(unpack_resources) \terror: Either configure some or disable STONITH with the stonith-enabled option\n"
          "crm_verify: Errors found during check: config not valid\n")


def _verify_says(fake: FakeBackend, detail: str) -> None:
    fake.responses[("crm_verify", "--xml-pipe")] = RunResult(
        78, "", "crm_verify: Errors found during check: config not valid\n-V may provide more details\n")
    fake.responses[("crm_verify", "-VV", "--xml-pipe")] = RunResult(78, "", detail)


def _with_running_primitive(fake: FakeBackend, name: str = "d1") -> None:
    resources = fake.cib.find("configuration/resources")
    ET.SubElement(resources, "primitive", {"id": name, "class": "ocf", "provider": "heartbeat", "type": "Dummy"})
    fake.responses[("crm_resource", "--locate", "-r", name)] = RunResult(0, f"resource {name} is running on: srv01\n", "")


def test_warnings_alone_do_not_block_a_commit(session: Session, fake: FakeBackend) -> None:
    _verify_says(fake, WARNINGS_ONLY)
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "commit")
    assert fake.cib.find("configuration/resources/primitive[@id='d1']") is not None
    assert "WARNING: (unpack_config) \twarning: Blind faith: not fencing unseen nodes" in session.err.getvalue()


def test_errors_block_a_commit_and_show_the_detailed_lines(session: Session, fake: FakeBackend) -> None:
    _verify_says(fake, ERRORS)
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    with pytest.raises(CommandError) as caught:
        execute(session, "commit")
    assert caught.value.shown  # crmsh says nothing after crm_verify's lines, each logged as an error
    assert session.err.getvalue().splitlines()[-3:] == [
        "ERROR: (unpack_resources) \terror: Resource start-up disabled since no STONITH resources have been defined",
        "ERROR: (unpack_resources) \terror: Either configure some or disable STONITH with the stonith-enabled option",
        "ERROR: crm_verify: Errors found during check: config not valid"]
    assert fake.cib.find("configuration/resources/primitive") is None
    assert "crm_verify -VV --xml-pipe" in fake.tools()


def test_a_configuration_without_primitives_is_not_verified(session: Session, fake: FakeBackend) -> None:
    _verify_says(fake, ERRORS)
    execute(session, "configure property stonith-enabled=true")
    execute(session, "configure commit")
    assert not any(t.startswith("crm_verify") for t in fake.tools())


def test_deleting_a_running_resource_is_refused(session: Session, fake: FakeBackend) -> None:
    _with_running_primitive(fake)
    with pytest.raises(CommandError) as caught:
        execute(session, "configure delete d1")
    assert caught.value.message().startswith("resource d1 is running, can't delete it")
    assert fake.cib.find("configuration/resources/primitive[@id='d1']") is not None
    assert not any("--patch" in t or "target-role" in t for t in fake.tools())


@pytest.mark.parametrize("line", ["configure delete --force d1", "configure delete -f d1"])
def test_a_forced_delete_stops_waits_then_deletes(session: Session, fake: FakeBackend, line: str) -> None:
    _with_running_primitive(fake)
    execute(session, line)
    tools = fake.tools()
    stop = tools.index("crm_resource --meta -r d1 -p target-role -v Stopped")
    wait = tools.index("crm_resource --wait --timeout=120s")
    patch = max(i for i, t in enumerate(tools) if t.startswith("cibadmin --patch"))
    assert stop < wait < patch
    assert fake.cib.find("configuration/resources/primitive[@id='d1']") is None


def test_a_stopped_resource_is_deleted_without_force(session: Session, fake: FakeBackend) -> None:
    _with_running_primitive(fake)
    fake.responses[("crm_resource", "--locate", "-r", "d1")] = RunResult(0, "resource d1 is NOT running\n", "")
    execute(session, "configure delete d1")
    assert fake.cib.find("configuration/resources/primitive[@id='d1']") is None


def test_on_a_shadow_cib_running_does_not_matter(session: Session, fake: FakeBackend) -> None:
    _with_running_primitive(fake)
    session.env["CIB_file"] = "/somewhere/cib.xml"
    execute(session, "configure delete d1")
    assert not any("--locate" in t for t in fake.tools())


@pytest.mark.parametrize("how", ["batch", "no-terminal"])
def test_edit_is_refused_without_a_terminal(session: Session, fake: FakeBackend, how: str) -> None:
    if how == "batch":
        session.mode = "batch"
    else:
        session.terminal = False
    session.options["editor"] = "/bin/false-editor-that-must-not-run"
    with pytest.raises(CommandError) as caught:
        execute(session, "configure edit")
    assert caught.value.message() == "edit not allowed in batch mode"


def test_restart_stops_waits_and_starts(session: Session, fake: FakeBackend) -> None:
    fake.responses[("cibadmin", "-Q", "-o", "resources")] = RunResult(
        0, '<resources><primitive id="d1"/><primitive id="d2"/></resources>', "")
    _with_running_primitive(fake, "d1")
    _with_running_primitive(fake, "d2")
    execute(session, "resource restart d1 d2")
    shown = [l[len(".EXT "):] for l in output(session).splitlines() if l.startswith(".EXT ")]
    # both stopped in one CIB patch (as crmsh), the wait, both started in one patch
    assert shown[-5:] == ["cibadmin -Ql", "cibadmin -p -P", "crm_resource --wait --timeout=120s",
                          "cibadmin -Ql", "cibadmin -p -P"]
    roles = [p.get("value") for p in fake.cib.iter("nvpair") if p.get("name") == "target-role"]
    assert roles == ["Started", "Started"]
    assert session.err.getvalue() == "INFO: ordering d1, d2 to stop\nINFO: ordering d1, d2 to start\n"


def test_restart_gives_up_when_the_cluster_does_not_settle(session: Session, fake: FakeBackend) -> None:
    session.options["wait-timeout"] = "5"
    _with_running_primitive(fake, "d1")
    fake.responses[("crm_resource", "--wait", "--timeout=5s")] = RunResult(124, "", "Timed out\n")
    with pytest.raises(CommandError) as caught:
        execute(session, "resource restart d1")
    assert caught.value.message().startswith("the cluster did not settle within 5s after stop")
    assert [p.get("value") for p in fake.cib.iter("nvpair") if p.get("name") == "target-role"] == ["Stopped"]


def test_a_tools_error_prefix_is_not_doubled(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_mon", "-1", "-r")] = RunResult(
        102, "", "error: Could not connect to controller: Connection refused\n")
    with pytest.raises(CommandError) as caught:
        session.passthrough(Cmd("crm_mon").flag("-1", "-r"))
    stream = io.StringIO()
    report(caught.value, stream, {"NO_COLOR": "1"})
    assert stream.getvalue() == "ERROR: Could not connect to controller: Connection refused\n"
