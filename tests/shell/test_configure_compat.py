"""crmsh's configure commands and habits (issue 12): filter, monitor, set, selectors, constraints that
follow resources into and out of containers, typo acceptance, deprecation notices, sanity warnings."""

from __future__ import annotations

import io

import pytest
from support.fakes import FakeBackend, output

from crmsh_py.errors import CrmError
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute


def _run(session: Session, *lines: str) -> None:
    for line in lines:
        execute(session, line)


def _show(session: Session, what: str = "") -> str:
    session.out = io.StringIO()
    execute(session, f"show {what}".strip())
    return "".join(l + "\n" for l in output(session).splitlines() if not l.startswith((".EXT", "#")))


@pytest.fixture
def conf(session: Session, fake: FakeBackend) -> Session:
    _run(session, "configure", "primitive d1 Dummy", "primitive d2 Dummy", "location l1 d1 100: srv01")
    return session


def test_filter_pipes_elements_through_a_command(conf: Session) -> None:
    _run(conf, "filter \"sed 's/100:/200:/'\" l1", "filter \"sed '$aprimitive d3 Dummy'\"")
    assert "location l1 d1 200: srv01" in _show(conf, "l1")
    assert "primitive d3 Dummy" in _show(conf, "d3")
    _run(conf, "filter \"sed '/d3/d'\" d3")
    with pytest.raises(CrmError):
        execute(conf, "show d3")


def test_ids_a_filter_took_out_are_not_given_again_in_the_session(conf: Session) -> None:
    # crmsh's id registry keeps them until the session ends: the third filter's expression is -1
    _run(conf, "location l2 d1 rule $id=r1 -inf: not_defined a",
         "filter \"sed 's/not_defined a/& or mem number:lte 0/'\" l2",
         "filter \"sed 's/ or mem number:lte 0//'\" l2")
    assert 'id="r1-expression-0"' not in _show(conf, "xml l2")
    _run(conf, "filter \"sed 's/not_defined a/& or mem number:lte 0/'\" l2")
    assert 'id="r1-expression-1"' in _show(conf, "xml l2")
    # the expression that stayed keeps its id
    assert 'id="r1-expression"' in _show(conf, "xml l2")


def test_monitor_adds_an_operation_named_after_the_resource(conf: Session) -> None:
    _run(conf, "monitor d1:Started 60s:30s")
    assert "op monitor role=Started interval=60s timeout=30s" in _show(conf, "d1")
    with pytest.raises(CrmError):
        execute(conf, "monitor nosuch 10s")


def test_set_changes_one_attribute(conf: Session) -> None:
    _run(conf, "primitive d5 Delay params mondelay=60 op start timeout=20s")
    _run(conf, "set d5.mondelay 45", "set d5.start.timeout 30s")
    text = _show(conf, "d5")
    assert "mondelay=45" in text and "timeout=30s" in text
    with pytest.raises(CrmError, match="Attribute not found"):
        execute(conf, "set d5.nosuch 1")


def test_selectors(conf: Session) -> None:
    _run(conf, "tag t1 d1 d2", "order o1 d1 d2")
    assert _show(conf, "type:order") == "order o1 d1 d2\n"
    related = _show(conf, "related:d1")
    assert "primitive d1" in related and "location l1" in related and "tag t1" in related \
        and "d2 Dummy" not in related
    assert "primitive d2" in _show(conf, "tag:t1 and type:primitive")
    assert "order" not in _show(conf, "tag:t1 and type:primitive")
    assert "primitive d1" in _show(conf, "d*") and "primitive d2" in _show(conf, "d*")


def test_constraints_follow_resources_into_and_out_of_groups(conf: Session) -> None:
    _run(conf, "group g1 d1 d2")
    assert "INFO: modified location:l1 from d1 to g1" in conf.err.getvalue()
    assert "location l1 g1 100: srv01" in _show(conf, "l1")
    _run(conf, "delete g1")
    assert "INFO: modified location:l1 from g1 to d1" in conf.err.getvalue()
    assert "location l1 d1 100: srv01" in _show(conf, "l1")
    _run(conf, "delete d1")
    assert "INFO: hanging location:l1 deleted" in conf.err.getvalue()


def test_rename_says_which_constraints_changed(conf: Session) -> None:
    _run(conf, "rename d1 p1")
    assert "INFO: modified location:l1 from d1 to p1" in conf.err.getvalue()


def test_typos_and_deprecated_names_are_accepted_with_a_notice(conf: Session) -> None:
    _run(conf, "primtive d9 Dummy", "collocation c1 inf: d1 d2")
    err = conf.err.getvalue()
    assert 'INFO: "primtive" is accepted as "primitive"' in err
    assert "WARNING: This command 'collocation' is deprecated, please use 'colocation'" in err
    assert "primitive d9 Dummy" in _show(conf, "d9")


def test_crmsh_syntax_id_keyword_and_id_ref_to_an_element(conf: Session) -> None:
    _run(conf, "primitive id=d6 Dummy operations $id=d6-ops op monitor interval=60m",
         "primitive d7 Dummy operations $id-ref=d6")
    assert "operations $id-ref=d6-ops" in _show(conf, "d7")


def test_sanity_warnings_on_verify(conf: Session, fake: FakeBackend) -> None:
    _run(conf, "primitive d8 Dummy meta yoyo=1", "group g1 d1", "colocation c1 inf: d1 d2", "verify")
    err = conf.err.getvalue()
    assert "WARNING: d8: unknown attribute 'yoyo'" in err
    assert "WARNING: c1: resource d1 is grouped, constraints should apply to the group" in err


def test_maintenance_mode_offers_to_clean_lower_levels(conf: Session) -> None:
    conf.force = True
    _run(conf, "primitive d4 Dummy meta maintenance=true", "property maintenance-mode=true")
    assert "INFO: 'maintenance' attribute already exists in d4. Remove it? [YES]" in conf.err.getvalue()
    assert "maintenance" not in _show(conf, "d4")


def test_schema_and_get_property(conf: Session) -> None:
    _run(conf, "property stonith-enabled=false")
    conf.out = io.StringIO()
    _run(conf, "get_property stonith-enabled", "schema")
    lines = [l for l in output(conf).splitlines() if not l.startswith(".EXT")]
    assert lines[0] == "false" and lines[1].startswith("pacemaker-")


def test_erase_nodes_erases_only_the_nodes(conf: Session) -> None:
    _run(conf, "node srv09", "erase nodes")
    text = _show(conf)
    assert "node " not in text and "primitive d1 Dummy" in text and "location l1" in text
    _run(conf, "node srv09", "erase")
    assert _show(conf).strip() == "node srv09"


def _bundled(tmp_path) -> Session:  # type: ignore[no-untyped-def]
    from crmsh_py.engine.controller import init_cluster

    init_cluster(tmp_path / "cluster")
    return Session(env={"CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "CRM_SYSLOG_SOCKET": str(tmp_path / "x")},
                   out=io.StringIO(), err=io.StringIO(), backend_kind="bundled")


def test_verify_checks_agents_and_properties_as_crmsh(tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = _bundled(tmp_path)
    _run(session, "configure", "property stonith-enabled=false stonith-enabledx=true",
         "primitive q1 ocf:heartbeat:Dummy params nosuch=1 op nosuchop interval=10s")
    with pytest.raises(CrmError):
        execute(session, "verify")  # check-mode strict (the default) refuses
    err = session.err.getvalue()
    assert 'ERROR: q1: parameter "nosuch" is not known' in err
    assert "WARNING: cib-bootstrap-options: unknown attribute 'stonith-enabledx'" in err
    assert "WARNING: q1: action 'nosuchop' not found in Resource Agent meta-data" in err
    session.options["check-mode"] = "relaxed"
    session.err = io.StringIO()
    execute(session, "verify")  # relaxed: shown, not refused
    assert 'ERROR: q1: parameter "nosuch" is not known' in session.err.getvalue()
