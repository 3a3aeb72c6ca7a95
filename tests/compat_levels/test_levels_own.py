"""Where we differ from crmsh 4.4.1 on purpose, and what crmsh cannot show (the bundled cluster)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from levels_run import CIBADMIN, environment, load_golden, run_ours

BACKENDS = ("pacemaker", "bundled")


def _start(tmp_path: Path, name: str = "node") -> dict[str, str]:
    cib = tmp_path / "cib.xml"
    cib.write_text(str(load_golden(name)["start"]))
    return environment(cib, tmp_path / "home")


@pytest.mark.parametrize("backend", BACKENDS)
def test_node_show_of_an_unknown_node_is_an_error(backend: str, tmp_path: Path) -> None:
    """crmsh prints nothing and exits 0; a script asking about a node that does not exist is told."""
    if backend == "pacemaker" and not CIBADMIN.exists():
        pytest.skip("Pacemaker's tools are not installed")
    env = _start(tmp_path)
    step = run_ours("node show nosuch", env, backend)
    assert (step.rc, step.out, step.err) == (1, [], ["ERROR: node nosuch not found in the CIB"])
    step = run_ours("node show node1 nosuch", env, backend)
    assert step.rc == 1 and step.out == []


def test_node_list_is_show(tmp_path: Path) -> None:
    env = _start(tmp_path)
    step = run_ours("node list node2", env, "bundled")
    assert (step.rc, step.out) == (0, ["node2(2): member", '\track=r1 description="x y"'])


def test_node_show_offline_node_and_other_attributes(tmp_path: Path) -> None:
    cib = tmp_path / "cib.xml"
    cib.write_text('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes>'
                   '<node id="1" uname="vm" type="member" description="web"/>'
                   '<node id="rem" uname="rem" type="remote"/></nodes><resources/><constraints/>'
                   '</configuration><status><node_state id="1" uname="vm" crmd="offline"/>'
                   '<node_state id="9" uname="ghost" crmd="online"/></status></cib>')
    step = run_ours("node show", environment(cib, tmp_path / "home"), "bundled")
    # a node known only from the status section shows that entry's attributes, as in crmsh
    assert step.out == ["ghost(9): member", "\tcrmd: online", "rem: remote", "vm(1): member(offline)",
                        "\tdescription: web"]


def test_secret_values_never_shown(tmp_path: Path) -> None:
    env = _start(tmp_path)
    step = run_ours("-R resource secret p5 set passwd hunter2", env, "bundled")
    assert ".EXT cibsecret set 'p5' 'passwd' *****" in step.out
    assert "hunter2" not in json.dumps([step.out, step.err])
