"""The shell hands the in-process tools its XML as a tree; the result is what the text gave."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from support.fakes import FakeBackend

from crmsh_py.backends.argv import Cmd
from crmsh_py.cib import dump, empty_cib, load
from crmsh_py.cib.xml_handoff import HandedStdin, XmlInput
from crmsh_py.errors import CrmError
from crmsh_py.session import Session, make_backend
from crmsh_py.shell.dispatch import execute

CONFIG = """\
property stonith-enabled=false
primitive p1 ocf:heartbeat:Dummy params state=/run/p1.state op monitor interval=10s meta target-role=Stopped
primitive p2 ocf:heartbeat:Dummy meta target-role=Stopped
group g p1 p2
location l-g g 100: srv01
"""


def _session(tmp_path: Path) -> Session:
    cib = tmp_path / "cib.xml"
    root = empty_cib()
    nodes = root.find("configuration/nodes")
    assert nodes is not None
    nodes.append(load('<node id="1" uname="srv01"/>', root_tag=None))
    cib.write_text(dump(root))
    env = {"CIB_file": str(cib), "CRM_SYSLOG_SOCKET": str(tmp_path / "no-syslog"), "HOME": str(tmp_path),
           "PATH": os.environ.get("PATH", "")}
    session = Session(env=env, out=io.StringIO(), err=io.StringIO(), regression=True)
    session.set_backend(make_backend("bundled", env))
    return session


def _load(session: Session, tmp_path: Path, text: str) -> None:
    (tmp_path / "load.crm").write_text(text)
    execute(session, f"configure load update {tmp_path / 'load.crm'}")
    execute(session, "end")


def test_verify_and_patch_take_the_tree_without_parsing_text(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(tmp_path)
    taken: list[str] = []
    real_take = HandedStdin.take_tree

    def take(self: HandedStdin) -> object:
        tree = real_take(self)
        taken.append(tree.tag if tree is not None else "none")
        return tree

    def no_text(self: HandedStdin, size: int | None = -1) -> str:
        raise AssertionError("an in-process tool read the text of a tree it was handed")

    monkeypatch.setattr(HandedStdin, "take_tree", take)
    monkeypatch.setattr(HandedStdin, "read", no_text)
    _load(session, tmp_path, CONFIG)
    assert taken == ["cib", "diff"]  # crm_verify's prospective CIB, then cibadmin's patch
    # (crmsh's checks of the agents' meta-data come between the two, after crm_verify as crmsh runs them)
    tools = [line for line in session.out.getvalue().splitlines()  # type: ignore[attr-defined]
             if not line.startswith(".EXT crm_resource --show-metadata")]
    assert tools[-2:] == [".EXT crm_verify --xml-pipe", ".EXT cibadmin --patch --xml-pipe"]
    stored = load((tmp_path / "cib.xml").read_text())
    assert [p.get("id") for p in stored.iter("primitive")] == ["p1", "p2"]
    assert stored.find(".//rsc_location[@id='l-g']") is not None


def test_the_stored_cib_is_the_one_the_text_gave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    handed = _session(tmp_path / "a")
    _load(handed, tmp_path / "a", CONFIG)
    # the same load with every tree written out and parsed by the tools, as before the handoff
    monkeypatch.setattr("crmsh_py.cib.xml_handoff.round_trips", lambda tree: False)
    text = _session(tmp_path / "b")
    _load(text, tmp_path / "b", CONFIG)
    assert (tmp_path / "a" / "cib.xml").read_text() == (tmp_path / "b" / "cib.xml").read_text()


def test_a_value_xml_cannot_hold_is_refused_as_before(tmp_path: Path) -> None:
    session = _session(tmp_path)
    before = (tmp_path / "cib.xml").read_text()
    with pytest.raises(CrmError) as refused:
        _load(session, tmp_path, CONFIG.replace("/run/p1.state", '"/run/p1\x01state"'))
    assert "not committed" in refused.value.message()
    said = session.err.getvalue()  # type: ignore[attr-defined]
    assert "malformed XML" in said and "config not valid" in said  # crm_verify says why
    assert (tmp_path / "cib.xml").read_text() == before  # nothing changed


def test_a_backend_without_trees_gets_the_text(tmp_path: Path) -> None:
    fake = FakeBackend()
    session = Session(env={"CRM_SYSLOG_SOCKET": str(tmp_path / "no-syslog")}, out=io.StringIO(),
                      err=io.StringIO())
    session.set_backend(fake)
    tree = empty_cib()
    session.run(Cmd("crm_verify").flag("--xml-pipe"), stdin=XmlInput(tree))
    assert fake.stdins == [dump(tree)]
