"""The configure level on a fake backend: working copy, show, commit, epoch checks, edits."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.errors import CommandError, ParseError
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute
from crmsh_py.shell.runner import run_batch

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"

DEMO_SHOW = """\
### Primitive Configuration ###
primitive dummy Dummy \\
\top start interval=0s timeout=120s on-fail=restart \\
\top monitor interval=10s timeout=120s on-fail=restart \\
\top stop interval=0s timeout=120s on-fail=stop
### Cluster Option ###
property cib-bootstrap-options: \\
\tno-quorum-policy=ignore \\
\tstonith-enabled=false \\
\tstartup-fencing=false
### Resource Defaults ###
rsc_defaults rsc-options: \\
\tresource-stickiness=INFINITY \\
\tmigration-threshold=1
"""


def _show_body(session: Session) -> str:
    """``show`` output without node lines and .EXT lines."""
    return "".join(l + "\n" for l in output(session).splitlines()
                   if not l.startswith((".EXT", "node ")))


def test_oneshot_load_update_commits_through_cibadmin(session: Session, fake: FakeBackend) -> None:
    execute(session, f"configure load update {DEMO}")
    # read the copy, ask whether the new agent exists, re-read before committing, verify, patch;
    # crmsh's parameter checks after crm_verify take the meta-data already asked for (crmsh asks
    # once per agent: one .EXT line); leaving reads nothing more
    assert fake.tools() == ["cibadmin -Q", "crm_resource --show-metadata ocf:heartbeat:Dummy", "cibadmin -Q",
                            "crm_verify --xml-pipe", "cibadmin --patch --xml-pipe"]
    patch = fake.stdins[4] or ""
    assert patch.startswith('<diff format="2">') and 'id="dummy-monitor-10s"' in patch
    assert session.level == [] and session.working is None
    session.out = io.StringIO()
    execute(session, "configure show")
    assert _show_body(session) == DEMO_SHOW


def test_element_commands_build_a_working_copy_and_show_changed(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 ocf:heartbeat:Dummy op monitor interval=10s")
    execute(session, "property stonith-enabled=false")
    execute(session, "property no-quorum-policy=ignore")
    session.out = io.StringIO()
    execute(session, "show changed")
    text = output(session)
    assert "primitive d1 Dummy" in text
    assert "stonith-enabled=false" in text and "no-quorum-policy=ignore" in text
    assert not any("--patch" in t for t in fake.tools())
    execute(session, "commit")
    assert fake.tools()[-2] == "cibadmin --patch --xml-pipe"
    assert not session.working.dirty


def test_duplicate_id_and_bad_reference_are_refused(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    with pytest.raises(CommandError, match="Found existing primitive with same ID"):
        execute(session, "primitive d1 Dummy")
    # a missing member: crmsh says so and makes the group without it
    execute(session, "group g1 d1 nosuch")
    assert "ERROR: g1 refers to missing object nosuch" in session.err.getvalue()
    group = session.working.find("g1")
    assert group is not None and group.children == ["d1"]


def test_syntax_error_shows_where(session: Session) -> None:
    execute(session, "configure")
    with pytest.raises(ParseError) as info:
        execute(session, "primitive")
    assert info.value.line == 1


def test_commit_refuses_when_the_cib_changed_meanwhile(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    fake.cib.set("epoch", "99")
    with pytest.raises(CommandError, match="changed since"):
        execute(session, "commit")
    assert not any("--patch" in t for t in fake.tools())
    execute(session, "commit force")
    assert "cibadmin --patch --xml-pipe --force" in fake.tools()


def test_commit_refuses_what_crm_verify_rejects(session: Session, fake: FakeBackend) -> None:
    fake.verify_rc = 1
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    with pytest.raises(CommandError, match="crm_verify"):
        execute(session, "commit")
    assert not any("--patch" in t for t in fake.tools())


def test_delete_cascades_to_hanging_constraints(session: Session) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "primitive d2 Dummy")
    execute(session, "location l1 d1 100: srv01")
    execute(session, "colocation c1 inf: d1 d2")
    execute(session, "delete d1")
    ids = {e.id for e in session.working.elements}
    assert "d1" not in ids and "l1" not in ids and "c1" not in ids and "d2" in ids
    assert "hanging" in session.err.getvalue()


def test_rename_updates_references(session: Session) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "primitive d2 Dummy")
    execute(session, "group g1 d1 d2")
    execute(session, "location l1 g1 100: srv01")
    execute(session, "rename d1 first")
    execute(session, "rename g1 grp")
    session.out = io.StringIO()
    execute(session, "show grp l1")
    assert "group grp first d2" in output(session)
    assert "location l1 grp 100: srv01" in output(session)


def test_modgroup_add_and_remove(session: Session) -> None:
    execute(session, "configure")
    for d in ("d1", "d2", "d3"):
        execute(session, f"primitive {d} Dummy")
    execute(session, "group g1 d1 d2")
    execute(session, "modgroup g1 add d3 after d1")
    assert session.working.find("g1").children == ["d1", "d3", "d2"]
    execute(session, "modgroup g1 remove d1")
    assert session.working.find("g1").children == ["d3", "d2"]
    with pytest.raises(CommandError):
        execute(session, "modgroup g1 remove nosuch")


def test_show_type_filter_xml_and_save(session: Session, tmp_path: Path) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "property stonith-enabled=false")
    session.out = io.StringIO()
    execute(session, "show type:primitive")
    assert output(session).strip() == "primitive d1 Dummy"
    session.out = io.StringIO()
    execute(session, "show xml d1")
    # crmsh's form: the element inside a <cib> skeleton (no status), loadable as a CIB
    assert output(session).splitlines()[:2] == ['<?xml version="1.0" ?>', '<cib crm_feature_set="3.16.1" '
                                                'validate-with="pacemaker-3.9" epoch="1" num_updates="0" '
                                                'admin_epoch="0">']
    assert '<resources>\n      <primitive id="d1" class="ocf" provider="heartbeat" type="Dummy"/>\n' \
        '    </resources>\n    <constraints/>' in output(session)
    assert "<crm_config/>" in output(session) and "stonith" not in output(session)
    session.out = io.StringIO()
    execute(session, "show xml")
    assert "stonith-enabled" in output(session) and "<status" not in output(session)
    xml_file = tmp_path / "saved.xml"
    execute(session, f"save xml {xml_file}")
    assert xml_file.read_text() == output(session)
    target = tmp_path / "saved.crm"
    execute(session, f"save {target}")
    assert "primitive d1 Dummy" in target.read_text()


def test_erase_keeps_nodes(session: Session) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "erase")
    assert {type(e).__name__ for e in session.working.elements} == {"Node"}


def test_edit_reparses_and_reopens_on_error(session: Session, tmp_path: Path) -> None:
    # A scripted "editor": first writes a broken line, then a fixed one.
    script = tmp_path / "ed.sh"
    state = tmp_path / "count"
    script.write_text(f"""#!/bin/sh
n=$(cat {state} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {state}
if [ $n = 1 ]; then echo 'primitive d1' > "$1"; else
  grep -q '^# crm: ' "$1" && cp "$1" {tmp_path}/seen
  echo 'primitive d1 Dummy meta target-role=Stopped' > "$1"; fi
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    session.options["editor"] = str(script)
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "edit d1")
    assert state.read_text().strip() == "2"
    assert (tmp_path / "seen").read_text().startswith("# crm: ")
    session.out = io.StringIO()
    execute(session, "show d1")
    assert "target-role=Stopped" in output(session)


def test_batch_leaving_configure_with_changes_commits(session: Session, fake: FakeBackend) -> None:
    # crmsh commits the configure level's pending changes when a batch leaves it
    rc = run_batch(session, io.StringIO("configure\nprimitive d1 Dummy\nend\n"), "setup.crm")
    assert rc == 0
    assert fake.cib.find(".//primitive[@id='d1']") is not None


def test_batch_error_reports_file_and_line_and_carries_on(session: Session, fake: FakeBackend) -> None:
    text = "configure\nprimitive d1 Dummy\nprimitive d2 Dummy \\\n  op monitor interval=10s\ngroup g1 d1 d1\ncommit\n"
    rc = run_batch(session, io.StringIO(text), "setup.crm")
    assert rc == 1
    assert session.err.getvalue().startswith("ERROR: setup.crm:5: ")
    # the good lines were committed, the bad one left nothing behind
    assert fake.cib.find(".//primitive[@id='d2']") is not None
    assert fake.cib.find(".//group[@id='g1']") is None


def test_batch_stop_on_error_applies_nothing(session: Session, fake: FakeBackend) -> None:
    session.stop_on_error = True
    text = "configure\nprimitive d1 Dummy\ngroup g1 d1 d1\nprimitive d3 Dummy\ncommit\n"
    rc = run_batch(session, io.StringIO(text), "setup.crm")
    assert rc == 1
    assert session.err.getvalue() == "ERROR: setup.crm:3: " + session.err.getvalue().split(": ", 2)[2]
    assert not any("replace" in t or "--patch" in t for t in fake.tools())
    assert fake.cib.find(".//primitive[@id='d1']") is None


def test_batch_levels_persist_and_commit(session: Session, fake: FakeBackend) -> None:
    text = "# set up\nconfigure\nprimitive d1 Dummy\ncommit\nup\nresource\nstop d1\n"
    assert run_batch(session, io.StringIO(text), "f") == 0
    assert fake.tools()[-2:] == ["cibadmin -Ql", "cibadmin -p -P"]  # stop: crmsh's CIB patch
    assert "cibadmin --patch --xml-pipe" in fake.tools()
    assert fake.cib.find(".//primitive[@id='d1']/meta_attributes/nvpair[@name='target-role']").get("value") \
        == "Stopped"


def _patch_sent(fake: FakeBackend) -> str:
    return next(stdin for call, stdin in zip(fake.tools(), fake.stdins) if call.startswith("cibadmin --patch")) or ""


def test_commit_patch_leaves_untouched_xml_alone(session: Session, fake: FakeBackend) -> None:
    # a primitive the way Pacemaker's crm_resource leaves it: meta_attributes after the ops
    from crmsh_py.cib import load

    fake.cib.find("configuration/resources").append(load(
        '<primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"><operations>'
        '<op id="dummy-monitor-10s" name="monitor" interval="10s"/></operations>'
        '<meta_attributes id="dummy-meta_attributes"><nvpair id="dummy-meta_attributes-target-role" '
        'name="target-role" value="Stopped"/></meta_attributes></primitive>', root_tag="primitive"))
    execute(session, "configure")
    execute(session, "primitive d2 Dummy")
    execute(session, "commit")
    patch = _patch_sent(fake)
    assert "dummy" not in patch and 'operation="create"' in patch and 'id="d2"' in patch
    assert [c.tag for c in fake.cib.find(".//primitive[@id='dummy']")] == ["operations", "meta_attributes"]


def test_commit_replace_and_force_argv(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    execute(session, "commit replace")
    # the version read travels with the replace (checked again at write time); force sends none
    assert fake.tools()[-2] == "cibadmin --replace --xml-pipe"
    assert fake.stdins[-2].startswith("<cib ") and 'epoch="' in fake.stdins[-2]
    execute(session, "primitive d2 Dummy")
    execute(session, "commit force replace")
    assert fake.tools()[-2] == "cibadmin --replace --scope configuration --xml-pipe --force"
    with pytest.raises(CommandError, match="usage: commit"):
        execute(session, "commit now")


def test_refusal_names_what_changed_meanwhile(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    node = fake.cib.find("configuration/nodes/node")
    node.set("description", "rack 4")
    fake.cib.set("epoch", str(int(fake.cib.get("epoch")) + 1))
    with pytest.raises(CommandError) as info:
        execute(session, "commit")
    assert "changed " + node.get("id") in info.value.message()


def test_commit_retries_when_only_num_updates_moved(session: Session, fake: FakeBackend) -> None:
    execute(session, "configure")
    execute(session, "primitive d1 Dummy")
    real_run = fake.run
    bumped: list[bool] = []

    def status_update_first(argv: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
        if argv[:2] == ["cibadmin", "--patch"] and not bumped:
            bumped.append(True)  # a status update lands between our read and our patch
            fake.cib.set("num_updates", str(int(fake.cib.get("num_updates", "0")) + 1))
        return real_run(argv, stdin)

    fake.run = status_update_first  # type: ignore[method-assign]
    execute(session, "commit")
    assert [t for t in fake.tools() if t.startswith("cibadmin --patch")] == ["cibadmin --patch --xml-pipe"] * 2
    assert fake.cib.find(".//primitive[@id='d1']") is not None


def test_a_bare_type_gets_the_provider_that_has_it(session: Session, fake: FakeBackend, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # the shell passes the agent catalogue to the parser: this type is only acme's
    from crmsh_py.agents.catalog import ocf_provider

    agent = tmp_path / "resource.d" / "acme" / "UxOnlyAcme"
    agent.parent.mkdir(parents=True)
    agent.write_text("#!/bin/sh\nexit 0\n")
    agent.chmod(0o755)
    monkeypatch.setenv("CRM_OCF_PATH", str(tmp_path / "resource.d"))
    ocf_provider.cache_clear()
    try:
        execute(session, "configure")
        execute(session, "primitive st UxOnlyAcme")
        session.out = io.StringIO()
        execute(session, "show xml st")
    finally:
        ocf_provider.cache_clear()
    assert 'class="ocf" provider="acme" type="UxOnlyAcme"' in output(session)
