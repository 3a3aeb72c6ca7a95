"""cibadmin: query/create/modify/replace/delete/erase/patch, compared with Pacemaker's."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bundled as fixtures
from support.cib_files import twin_cibs
from support.ours import tool as run, tool_on as ours
from support.reference import MISSING as REASON, have, run_on as real

HAVE_REAL = have("cibadmin", "crm_attribute")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    cluster = fixtures.make_cluster(tmp_path / "cluster", monkeypatch)
    fixtures.load_demo(cluster)
    return cluster


CASES = [
    ["cibadmin", "-Q", "-o", "nodes"],
    ["cibadmin", "--query", "--scope=resources"],
    ["cibadmin", "-Q", "--xpath", "//node"],
    ["cibadmin", "-Q", "--xpath", "//primitive[@id='dummy']"],
    ["cibadmin", "-Q", "--xpath", "//nothing"],
    ["cibadmin", "-Q", "--xpath", "//node[@uname='srv01']", "-e"],
    ["cibadmin", "-C", "-o", "resources", "-X", '<primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"/>'],
    ["cibadmin", "-C", "-o", "resources", "-X", '<primitive id="d2" class="ocf" provider="heartbeat" type="Dummy"/>'],
    ["cibadmin", "-M", "-X", '<primitive id="d2" description="x"/>'],
    ["cibadmin", "-M", "-X", '<primitive id="d9" description="x"/>'],
    ["cibadmin", "-Q", "-o", "resources"],
    ["cibadmin", "-D", "-X", '<primitive id="d2"/>'],
    ["cibadmin", "-D", "-X", '<primitive id="d2"/>'],
    ["cibadmin", "-D", "--xpath", "//primitive[@id='nope']"],
    ["cibadmin", "-E"],
    ["cibadmin", "-C", "-X", "garbage"],
    ["cibadmin", "-Q", "-o", "crm_config"],
]


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_same_as_pacemaker(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = twin_cibs(tmp_path, demo.path)
    for argv in CASES:
        assert ours(argv, b) == real(argv, a), argv
    assert ours(["cibadmin", "-Q", "-o", "configuration"], b) == real(["cibadmin", "-Q", "-o", "configuration"], a)


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_empty_like_pacemaker(tmp_path: Path) -> None:
    cib = tmp_path / "x.xml"
    cib.write_text("<cib/>")
    assert ours(["cibadmin", "--empty"], cib) == real(["cibadmin", "--empty"], cib)


def test_unknown_option(demo) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run(["cibadmin", "--bogus"])
    assert (rc, out) == (64, "") and err.startswith("cibadmin: unrecognized option '--bogus'\n")


def test_create_on_bundled_cluster_starts_resource(demo) -> None:  # type: ignore[no-untyped-def]
    xml = ('<primitive id="d2" class="ocf" provider="heartbeat" type="Dummy"><operations>'
           '<op id="d2-monitor-10s" name="monitor" interval="10s"/></operations></primitive>')
    before = demo.read().epoch
    assert run(["cibadmin", "-C", "-o", "resources", "-X", xml]) == (0, "", "")
    snap = demo.read()
    assert snap.epoch[1] == before[1] + 1
    assert any(h.last("start") for n in snap.status.nodes.values() for k, h in n.resources.items() if k == "d2")


def test_replace_older_cib_refused_and_bump(demo) -> None:  # type: ignore[no-untyped-def]
    assert run(["cibadmin", "-R", "-X", '<cib epoch="0" admin_epoch="0"><configuration/></cib>'])[0] == 103
    epoch = demo.read().epoch[1]
    assert run(["cibadmin", "-B"])[0] == 0
    assert demo.read().epoch[1] == epoch + 1
    assert run(["cibadmin", "-M", "-X", '<cib admin_epoch="admin_epoch++"/>'])[0] == 0
    assert demo.read().epoch[0] == 1


def test_patch_v2(demo) -> None:  # type: ignore[no-untyped-def]
    # a versioned patchset applies only to a CIB at its source version, as in Pacemaker
    admin, epoch, updates = demo.read().epoch
    patch = f"""<diff format="2">
      <version><source admin_epoch="{admin}" epoch="{epoch}" num_updates="{updates}"/><target admin_epoch="{admin}" epoch="{epoch + 1}" num_updates="0"/></version>
      <change operation="modify" path="/cib/configuration/resources/primitive[@id='dummy']">
        <change-list><change-attr name="description" operation="set" value="patched"/></change-list>
      </change>
      <change operation="create" path="/cib/configuration/constraints" position="0">
        <rsc_location id="loc1" rsc="dummy" node="srv02" score="100"/>
      </change>
      <change operation="delete" path="/cib/configuration/rsc_defaults/meta_attributes[@id='rsc-options']/nvpair[@id='rsc-options-migration-threshold']"/>
    </diff>"""
    assert run(["cibadmin", "-P", "-X", patch]) == (0, "", "")
    root = demo.read().root
    assert root.find(".//primitive[@id='dummy']").get("description") == "patched"
    assert root.find(".//rsc_location[@id='loc1']") is not None
    assert root.find(".//nvpair[@id='rsc-options-migration-threshold']") is None


def test_erase_keeps_nodes_on_bundled(demo) -> None:  # type: ignore[no-untyped-def]
    assert run(["cibadmin", "-E", "--force"])[0] == 0
    snap = demo.read()
    assert snap.root.find(".//primitive") is None
    assert [n.get("uname") for n in snap.section("nodes")] == ["srv01", "srv02"]
    assert snap.epoch[0] == 1
