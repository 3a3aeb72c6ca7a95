"""``load update|replace|push``: crmsh 4.4's semantics (recorded with Debian's crm on a CIB_file)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.errors import CommandError, ValidationErrors
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute

BASE = """\
node srv01 attributes rack=1
primitive d1 ocf:heartbeat:Dummy op monitor interval=10s meta target-role=Stopped
primitive d2 ocf:heartbeat:Dummy
location l1 d1 100: srv01
property stonith-enabled=false no-quorum-policy=ignore
rsc_defaults resource-stickiness=10
"""
FILE = """\
primitive d1 ocf:heartbeat:Dummy params fake=x
primitive d3 ocf:heartbeat:Dummy
property stonith-enabled=false
"""
NODES = "node 1: srv01 \\\n\tattributes rack=1\nnode 2: srv02\n"
# What `crm configure show` printed after `crm configure load METHOD file` (crmsh 4.4.1)
EXPECTED = {
    "update": NODES + """\
primitive d1 Dummy \\
\tparams fake=x
primitive d2 Dummy
primitive d3 Dummy
location l1 d1 100: srv01
property cib-bootstrap-options: \\
\tstonith-enabled=false \\
\tno-quorum-policy=ignore
rsc_defaults rsc-options: \\
\tresource-stickiness=10
""",
    "replace": NODES + """\
primitive d1 Dummy \\
\tparams fake=x
primitive d3 Dummy
property cib-bootstrap-options: \\
\tstonith-enabled=false
""",
    "push": """\
primitive d1 Dummy \\
\tparams fake=x
primitive d3 Dummy
property cib-bootstrap-options: \\
\tstonith-enabled=false \\
\tno-quorum-policy=ignore
""",
}


def _show(session: Session) -> str:
    session.out = io.StringIO()
    execute(session, "configure show")
    return "".join(line + "\n" for line in output(session).splitlines()
                   if not line.startswith((".EXT", "###")))


@pytest.mark.parametrize("method", sorted(EXPECTED))
def test_load_methods_match_crmsh(method: str, session: Session, fake: FakeBackend, tmp_path: Path) -> None:
    (tmp_path / "base.crm").write_text(BASE)
    (tmp_path / "file.crm").write_text(FILE)
    execute(session, f"configure load update {tmp_path / 'base.crm'}")
    execute(session, f"configure load {method} {tmp_path / 'file.crm'}")
    assert _show(session) == EXPECTED[method]
    # the node keeps the id the cluster gave it
    assert method == "push" or fake.cib.find("configuration/nodes/node[@uname='srv01']").get("id") == "1"


def test_load_from_stdin_and_bad_method(session: Session, fake: FakeBackend) -> None:
    session.stdin = io.StringIO("primitive d9 ocf:heartbeat:Dummy\n")
    execute(session, "configure load update -")
    assert "primitive d9 Dummy" in _show(session)
    with pytest.raises(CommandError, match="usage: load"):
        execute(session, "configure load merge -")


def test_interactive_replace_asks_before_dropping_changes(session: Session, tmp_path: Path) -> None:
    (tmp_path / "file.crm").write_text(FILE)
    questions: list[str] = []
    session.mode = "interactive"
    session.ask = lambda q: questions.append(q) or False
    execute(session, "configure")
    execute(session, "primitive d7 ocf:heartbeat:Dummy")
    execute(session, f"load replace {tmp_path / 'file.crm'}")
    assert questions and "erase all changes" in questions[0]
    assert session.working.find("d7") is not None and session.working.find("d3") is None


def test_a_one_shot_load_validates_the_loaded_configuration_once(session: Session, fake: FakeBackend,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import crmsh_py.cib.validate as validation

    sizes: list[int] = []
    real = validation.validate

    def counted(cfg):  # type: ignore[no-untyped-def]
        sizes.append(len(cfg.elements))
        return real(cfg)

    monkeypatch.setattr(validation, "validate", counted)
    (tmp_path / "file.crm").write_text(BASE)
    execute(session, f"configure load update {tmp_path / 'file.crm'}")
    assert any(c[:2] == ["cibadmin", "--patch"] for c in fake.calls)  # committed
    loaded = 2 + len(BASE.splitlines()) - 1  # the two nodes, the file's elements (srv01 merges)
    assert sizes.count(loaded) == 1  # by the load; the commit that follows trusts it


def test_a_commit_after_other_commands_validates_again(session: Session, fake: FakeBackend, tmp_path: Path) -> None:
    (tmp_path / "file.crm").write_text(BASE)
    session.mode = "interactive"
    execute(session, "configure")
    execute(session, f"load update {tmp_path / 'file.crm'}")
    execute(session, "rename d2 2bad")  # changes an element in place, into an invalid id
    with pytest.raises(ValidationErrors):
        execute(session, "commit")
    assert not any(c[:2] == ["cibadmin", "--patch"] for c in fake.calls)
