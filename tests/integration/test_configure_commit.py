"""``configure commit`` as a cibadmin patch, on Pacemaker's real cibadmin and on our bundled one.

Both backends get the same argv on a temp ``CIB_file``; the pacemaker runs skip when Debian's
pacemaker-cli-utils are missing.
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.ours import crm_process
from support.reference import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmsh_py.cib import dump, empty_cib, load
from crmsh_py.errors import CommandError
from crmsh_py.session import Session, make_backend
from crmsh_py.shell.dispatch import execute
from crmsh_py.cib.patch import build_patchset, version_of

CIBADMIN = path("cibadmin")

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"
BACKENDS = ("bundled", "pacemaker")


@pytest.fixture(params=BACKENDS)
def backend_env(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """(backend name, env) for a two-node temp CIB_file holding the demo configuration."""
    kind = request.param
    cib = tmp_path / "cib.xml"
    if kind == "pacemaker":
        if not CIBADMIN.exists():
            pytest.skip("pacemaker-cli-utils not installed (apt-get install pacemaker-cli-utils)")
        cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True,
                                      check=True).stdout)
    else:
        cib.write_text(dump(empty_cib()))
    env = dict(os.environ, CIB_file=str(cib), CRM_SYSLOG_SOCKET=str(tmp_path / "no-syslog"))
    env.pop("CRM_CLUSTER_DIR", None)
    backend = make_backend(kind, env)
    for node_id, name in (("1", "srv01"), ("2", "srv02")):
        done = backend.run(["cibadmin", "-C", "-o", "nodes", "-X", f'<node id="{node_id}" uname="{name}"/>'])
        assert done.rc == 0, done.stderr
    loaded = crm_process(env, "--backend", kind, "-R", "configure", "load", "update", str(DEMO))
    assert loaded.returncode == 0, loaded.stderr
    assert ".EXT cibadmin --patch --xml-pipe" in loaded.stdout.splitlines()
    return kind, env


def _query(kind: str, env: dict[str, str]) -> ET.Element:
    done = make_backend(kind, env).run(["cibadmin", "-Q"])
    assert done.rc == 0, done.stderr
    return ET.fromstring(done.stdout)


def _text(element: ET.Element | None) -> str:
    """The XML of an element without layout whitespace."""
    assert element is not None
    copied = copy.deepcopy(element)  # comments included
    for sub in copied.iter():
        if sub.tag is not ET.Comment:
            sub.text = sub.text if sub.text and sub.text.strip() else None
        sub.tail = None
    return ET.tostring(copied, encoding="unicode")


def _session(kind: str, env: dict[str, str]) -> Session:
    session = Session(env=dict(env), out=io.StringIO(), err=io.StringIO(), backend_kind=kind,
                      regression=True, mode="batch")
    execute(session, "configure")
    return session


def _ext_lines(session: Session) -> list[str]:
    return [line for line in session.out.getvalue().splitlines() if line.startswith(".EXT")]  # type: ignore[attr-defined]


def test_commit_patches_only_what_changed(backend_env: tuple[str, dict[str, str]]) -> None:
    kind, env = backend_env
    before = _query(kind, env)
    session = _session(kind, env)
    execute(session, "primitive d2 ocf:heartbeat:Dummy op monitor interval=20s")
    execute(session, "primitive d3 ocf:heartbeat:Dummy")
    execute(session, "group g1 d3 d2")
    execute(session, "property no-quorum-policy=stop")
    execute(session, "commit")
    assert _ext_lines(session)[-2:] == [".EXT cibadmin --patch --xml-pipe", ".EXT cibadmin -Q"]
    after = _query(kind, env)
    assert int(after.get("epoch", "0")) == int(before.get("epoch", "0")) + 1
    group = after.find("configuration/resources/group[@id='g1']")
    assert [p.get("id") for p in group.findall("primitive")] == ["d3", "d2"]
    assert after.find(".//primitive[@id='d2']/operations/op").get("interval") == "20s"
    assert after.find(".//nvpair[@name='no-quorum-policy']").get("value") == "stop"
    # untouched elements are byte-for-byte what they were
    assert _text(after.find(".//primitive[@id='dummy']")) == _text(before.find(".//primitive[@id='dummy']"))

    # reorder the group and delete an element: moves and deletes go through the real applier too
    execute(session, "modgroup g1 remove d3")
    execute(session, "modgroup g1 add d3 after d2")
    execute(session, "delete dummy")
    execute(session, "commit")
    after = _query(kind, env)
    assert [p.get("id") for p in after.findall(".//group[@id='g1']/primitive")] == ["d2", "d3"]
    assert after.find(".//primitive[@id='dummy']") is None


def test_commit_refuses_a_cib_changed_meanwhile_and_force_merges(backend_env: tuple[str, dict[str, str]]) -> None:
    kind, env = backend_env
    session = _session(kind, env)
    execute(session, "primitive d2 ocf:heartbeat:Dummy")
    # someone else changes the CIB with a low-level tool while we edit
    other = make_backend(kind, env).run(["crm_resource", "-r", "dummy", "--meta", "-p", "target-role",
                                         "-v", "Stopped"])
    assert other.rc == 0, other.stderr
    with pytest.raises(CommandError, match=r"changed since this working copy was taken .*dummy") as info:
        execute(session, "commit")
    assert "commit force" in str(info.value)
    assert not any("--patch" in line for line in _ext_lines(session))
    assert _query(kind, env).find(".//primitive[@id='d2']") is None

    execute(session, "commit force")
    assert ".EXT cibadmin --patch --xml-pipe --force" in _ext_lines(session)
    after = _query(kind, env)
    # a patch carries only our change: the other tool's target-role survives
    assert after.find(".//primitive[@id='d2']") is not None
    assert after.find(".//primitive[@id='dummy']//nvpair[@name='target-role']").get("value") == "Stopped"


def test_commit_replace_sends_the_whole_configuration(backend_env: tuple[str, dict[str, str]]) -> None:
    kind, env = backend_env
    session = _session(kind, env)
    execute(session, "primitive d2 ocf:heartbeat:Dummy")
    other = make_backend(kind, env).run(["crm_resource", "-r", "dummy", "--meta", "-p", "target-role",
                                         "-v", "Stopped"])
    assert other.rc == 0, other.stderr
    with pytest.raises(CommandError, match="changed since"):
        execute(session, "commit replace")
    execute(session, "commit replace force")
    assert ".EXT cibadmin --replace --scope configuration --xml-pipe --force" in _ext_lines(session)
    after = _query(kind, env)
    # the working copy wins whole: the other tool's change is gone
    assert after.find(".//primitive[@id='d2']") is not None
    assert after.find(".//nvpair[@name='target-role']") is None


def test_a_stale_patch_is_refused_by_cibadmin(backend_env: tuple[str, dict[str, str]]) -> None:
    kind, env = backend_env
    root = _query(kind, env)
    epoch = int(root.get("epoch", "0"))
    stale = (f'<diff format="2"><version><source admin_epoch="0" epoch="{epoch - 1}" num_updates="0"/>'
             f'<target admin_epoch="0" epoch="{epoch}" num_updates="0"/></version>'
             '<change operation="create" path="/cib/configuration/constraints" position="0">'
             '<rsc_location id="l9" rsc="dummy" node="srv01" score="9"/></change></diff>')
    done = make_backend(kind, env).run(["cibadmin", "--patch", "--xml-pipe"], stdin=stale)
    assert done.rc == 103
    assert "Update was older than existing configuration" in done.stderr
    assert _query(kind, env).find(".//rsc_location[@id='l9']") is None


# ---------------------------------------------------------------------- Pacemaker's applier agrees

_IDS = [f"r{i}" for i in range(5)]


@st.composite
def _resources(draw: st.DrawFn) -> ET.Element:
    """A <resources> of primitives (some in a group, some with a comment) in any order."""
    resources = ET.Element("resources")
    group = None
    for ident in draw(st.lists(st.sampled_from(_IDS), unique=True, max_size=5)):
        prim = ET.Element("primitive", {"id": ident, "class": "ocf", "provider": "heartbeat",
                                        "type": draw(st.sampled_from(["Dummy", "Stateful"]))})
        if draw(st.booleans()):
            prim.append(ET.Comment(draw(st.sampled_from([" a ", " b "]))))
        meta = ET.SubElement(prim, "meta_attributes", {"id": f"{ident}-meta_attributes"})
        for name in draw(st.lists(st.sampled_from(["target-role", "is-managed"]), unique=True)):
            ET.SubElement(meta, "nvpair", {"id": f"{ident}-{name}", "name": name,
                                           "value": draw(st.sampled_from(["Started", "Stopped"]))})
        if draw(st.booleans()):
            if group is None:
                group = ET.SubElement(resources, "group", {"id": "g"})
            group.append(prim)
        else:
            resources.append(prim)
    return resources


@pytest.mark.skipif(not CIBADMIN.exists(), reason="pacemaker-cli-utils not installed")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=_resources(), new=_resources())
def test_real_cibadmin_applies_our_patchsets_exactly(tmp_path: Path, old: ET.Element, new: ET.Element) -> None:
    cib = tmp_path / "cib.xml"
    root = ET.fromstring(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True,
                                        check=True).stdout)
    configuration = root.find("configuration")
    configuration.remove(configuration.find("resources"))
    configuration.insert(2, old)
    cib.write_text(dump(root))
    wanted = copy.deepcopy(configuration)
    wanted.remove(wanted.find("resources"))
    wanted.insert(2, new)
    patch = build_patchset(configuration, wanted, version_of(root))
    if patch is not None:
        done = subprocess.run([str(CIBADMIN), "--patch", "--xml-pipe"], input=dump(patch), text=True,
                              capture_output=True, env=dict(os.environ, CIB_file=str(cib)), timeout=30)
        assert done.returncode == 0, done.stderr
    result = load(cib.read_text()).find("configuration/resources")
    assert _text(result) == _text(new)
