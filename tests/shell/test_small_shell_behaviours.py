"""Issue 17 item 7: the small things an admin tripped over, each pinned by a test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.backends.base import RunResult
from crmsh_py.cib.model import Configuration
from crmsh_py.cib.xmlio import configuration_from_xml, configuration_to_xml
from crmsh_py.errors import CommandError
from crmsh_py.lang import parse
from crmsh_py.lang.writer import write_all
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute

BAN_WARNING = ("WARNING: Creating rsc_location constraint 'cli-ban-dummy-on-srv01' with a score of -INFINITY "
               "for resource dummy on srv01.\n")


def test_move_without_a_node_shows_pacemakers_ban_warning(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_resource", "-M", "-r", "dummy")] = RunResult(0, BAN_WARNING, "")
    execute(session, "resource move dummy")
    err = session.err.getvalue()  # type: ignore[attr-defined]
    assert BAN_WARNING in err
    assert err.index(BAN_WARNING) < err.index("INFO: Move constraint created for dummy")


def test_node_show_of_an_unknown_node_is_an_error(session: Session) -> None:
    with pytest.raises(CommandError, match="nosuch"):
        execute(session, "node show nosuch")


def test_show_has_no_bare_meta_after_the_last_meta_attribute_is_deleted() -> None:
    xml = configuration_to_xml(Configuration(parse("primitive d1 Dummy meta target-role=Started")))
    for nvpair in list(xml.iter("nvpair")):
        for parent in xml.iter("meta_attributes"):
            if nvpair in list(parent):
                parent.remove(nvpair)
    assert xml.find(".//meta_attributes") is not None  # Pacemaker leaves the emptied set behind
    assert write_all(configuration_from_xml(xml).elements) == "primitive d1 Dummy\n"


def test_options_editor_one_word_form(session: Session, tmp_path: Path) -> None:
    session.env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    session.env["PATH"] = "/usr/bin:/bin"
    execute(session, "options editor cat")
    execute(session, "options show editor")
    assert "core.editor = cat\n" in output(session)
    execute(session, "options set editor cat")  # crmsh's `set` form is kept as well
    assert session.options["editor"] == "cat"


def test_the_created_cluster_notice_comes_before_the_first_prompt(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "PROMPT_TOOLKIT_NO_CPR": "1",
           "TERM": "xterm", "NO_COLOR": "1"}
    env.pop("CIB_file", None)
    child = pexpect.spawn(sys.executable, ["-m", "crmsh_py.cli", "--backend", "bundled"], env=env,
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    try:
        child.expect_exact("crm: created a 2-node cluster")
        child.expect_exact("crm(live)#")
        child.send("status\r")
        child.expect_exact("Online: [ srv01 srv02 ]")
        child.expect_exact("crm(live)#")
        assert "created a" not in child.before
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
