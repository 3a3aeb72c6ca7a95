"""The configure level's template level: configurations made from templates (crmsh's file format),
filled in, shown as crm text and applied to the working copy."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from support.fakes import FakeBackend

from crmsh_py.errors import CrmError
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute
from crmsh_py.shell.template_files import Builder, generate

CRMSH_TEMPLATES = Path("/usr/share/crmsh/templates")


@pytest.fixture
def tpl(session: Session, fake: FakeBackend, tmp_path: Path) -> Session:
    session.env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    for line in ("configure", "template"):
        execute(session, line)
    return session


def _out(session: Session, line: str) -> str:
    session.out = io.StringIO()
    execute(session, line)
    return "\n".join(l for l in session.out.getvalue().splitlines() if not l.startswith(".EXT"))


def test_new_fills_parameters_and_show_makes_crm_text(tpl: Session) -> None:
    execute(tpl, "new vip virtual-ip params ip=192.168.1.101 netmask=24")
    assert _out(tpl, "show") == ("primitive virtual-ip ocf:heartbeat:IPaddr2 \\\n\tparams ip=\"192.168.1.101\" \\\n"
                                 "\tcidr_netmask=\"24\" \\\n\top monitor interval=10s timeout=20s")
    assert "INFO: pulling in template virtual-ip" in tpl.err.getvalue()
    assert _out(tpl, "list configs") == "vip"


def test_a_dependency_and_an_optional_template_shape_the_group(tpl: Session) -> None:
    execute(tpl, "new web apache params ip=10.0.0.5 configfile=/etc/apache2/apache2.conf")
    assert "group g-apache virtual-ip \\\n\tapache" in _out(tpl, "show web")
    execute(tpl, "new web2 apache filesystem params ip=10.0.0.5 configfile=/etc/a.conf device=/dev/sdb "
                 "directory=/srv fstype=xfs")
    assert "group g-apache virtual-ip \\\n\tfilesystem \\\n\tapache" in _out(tpl, "show web2")


def test_apply_update_loads_the_text_into_the_working_copy(tpl: Session) -> None:
    execute(tpl, "new vip virtual-ip params ip=10.0.0.7")
    execute(tpl, "apply update")
    execute(tpl, "up")
    assert "primitive virtual-ip IPaddr2" in _out(tpl, "show virtual-ip")


def test_new_with_only_a_template_names_the_configuration_after_it(tpl: Session) -> None:
    execute(tpl, "new filesystem")
    execute(tpl, "new filesystem")
    assert _out(tpl, "list configs").splitlines() == ["filesystem-0", "filesystem-1"]


@pytest.mark.parametrize(("line", "message"), [
    ("new x nosuch", "nosuch: no such template"),
    ("new ../x virtual-ip", "not a valid configuration name"),
    ("new x virtual-ip params ip", "bad parameter 'ip'"),
    ("show", "please load a config first"),
    ("show nosuch", "nosuch: no such config"),
    ("new nosuch", "Expected template argument"),
])
def test_bad_input_is_refused_with_a_reason(tpl: Session, line: str, message: str) -> None:
    with pytest.raises(CrmError, match=message):
        execute(tpl, line)


def test_a_required_parameter_left_empty_is_named_with_its_line(tpl: Session) -> None:
    execute(tpl, "new vip virtual-ip")
    with pytest.raises(CrmError, match=r"vip:\d+: required parameter ip not set"):
        execute(tpl, "show")


def test_delete_the_loaded_configuration_needs_force_without_a_terminal(tpl: Session) -> None:
    execute(tpl, "new vip virtual-ip params ip=10.0.0.7")
    with pytest.raises(CrmError, match="which is in use"):
        execute(tpl, "delete vip")
    execute(tpl, "delete vip force")
    assert _out(tpl, "list configs") == ""
    assert not os.listdir(Path(tpl.env["XDG_CONFIG_HOME"]) / "crmsh_py" / "crmconf")


@pytest.mark.skipif(not (CRMSH_TEMPLATES / "gfs2").is_file(), reason="crmsh's templates are not installed")
def test_crmsh_templates_work_as_in_crmsh() -> None:
    # gfs2 pulls gfs2-base; clvm switches on gfs2's %if %clvm part
    builder = Builder([str(CRMSH_TEMPLATES)])
    for name in ("gfs2", "clvm"):
        builder.pull(name)
    assert builder.pulled == ["gfs2", "gfs2-base", "clvm"]
    text = generate(builder.text("fs", {"id": "fs", "directory": "/mnt/x", "device": "/dev/sdb",
                                        "volgrpname": "vg1"}), "fs")
    # `id` fills every template's id, so clvm's parts are named fs too (crmsh 4.4.1 prints the same)
    assert "colocation colo-fs-fs inf: c-fs c-fs" in text and "primitive fs ocf:heartbeat:LVM" in text
