"""A ticket constraint on a resource that does not exist: a clear error, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

from support.ours import crm_process as crm

CONFIG = "property stonith-enabled=false\nprimitive web Dummy\nrsc_ticket web-needs-tA tA: web loss-policy=stop\n"


def test_ticket_on_missing_resource_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "c"), "NO_COLOR": "1"}
    good = tmp_path / "good.crm"
    good.write_text(CONFIG)
    assert crm(env, "configure", "load", "update", str(good)).returncode == 0
    cib = tmp_path / "c" / "cib.xml"
    before = cib.read_bytes()
    bad = tmp_path / "bad.crm"
    bad.write_text("rsc_ticket ok tB: web\nrsc_ticket bad tC: ghost:Promoted loss-policy=demote\n")
    done = crm(env, "configure", "load", "update", str(bad))
    assert done.returncode == 1 and "bad: resource 'ghost' does not exist" in done.stderr
    done = crm(env, "configure", "rsc_ticket", "bad", "tB:", "nosuch")
    assert done.returncode == 1 and "bad: resource 'nosuch' does not exist" in done.stderr
    done = crm(env, stdin="configure\nrsc_ticket bad tB: nosuch\ncommit\n")
    # as crmsh: the line is taken, the commit warns about the reference and crm_verify refuses it
    assert done.returncode == 1 and "<stdin>:3: bad: resource nosuch does not exist" in done.stderr
    assert "Traceback" not in done.stderr
    assert cib.read_bytes() == before
    shown = crm(env, "configure", "show").stdout
    assert "rsc_ticket web-needs-tA tA: web loss-policy=stop" in shown and "nosuch" not in shown
