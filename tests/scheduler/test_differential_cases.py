"""Rules found by differential testing (``differential.py``), one minimised CIB each.

``differential/NAME.xml`` is the CIB, ``differential/NAME.summary`` what Pacemaker 2.1.5's
``crm_simulate -S -x`` printed for it, ``differential/cases.tsv`` the rule each case pins.  Our
Transition Summary and Revised Cluster Status must equal the stored ones; where Pacemaker's tool is
installed, it must still print them too (so the stored file cannot drift from the reference).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest
from pcmk_suite import BLOCKS, block

HERE = Path(__file__).resolve().parent / "differential"
PACEMAKER_CRM_SIMULATE = Path("/usr/sbin/crm_simulate")
with open(HERE / "cases.tsv", encoding="utf-8", newline="") as _fh:
    RULES = {row[0]: row[1] for row in list(csv.reader(_fh, delimiter="\t"))[1:]}


def _ours(path: Path) -> str:
    from crmsh_py.lowlevel.crm_simulate import run
    from crmsh_py.lowlevel.toolio import ToolIO

    out, err = io.StringIO(), io.StringIO()
    assert run(["-S", "-x", str(path)], ToolIO(io.StringIO(), out, err, {})) == 0, err.getvalue()
    return out.getvalue()


def _stored(name: str) -> str:
    return (HERE / f"{name}.summary").read_text(encoding="utf-8")


def test_every_case_has_its_files() -> None:
    assert sorted(p.stem for p in HERE.glob("*.xml")) == sorted(RULES)
    assert sorted(p.stem for p in HERE.glob("*.summary")) == sorted(RULES)


@pytest.mark.parametrize("kind", list(BLOCKS))
@pytest.mark.parametrize("name", sorted(RULES))
def test_ours_matches_the_stored_output(name: str, kind: str) -> None:
    want = block(_stored(name), kind)
    assert want is not None, f"{name}.summary has no {kind} block"
    assert block(_ours(HERE / f"{name}.xml"), kind) == want, RULES[name]


@pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")
@pytest.mark.parametrize("name", sorted(RULES))
def test_pacemaker_still_prints_the_stored_output(name: str, tmp_path: Path) -> None:
    # CIB_shadow_dir: the tool's temporary shadow CIB goes to tmp_path, not /var/lib/pacemaker
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "LC_ALL": "C", "CIB_shadow_dir": str(tmp_path),
           "HOME": os.environ.get("HOME", str(tmp_path))}
    done = subprocess.run([str(PACEMAKER_CRM_SIMULATE), "-S", "-x", str(HERE / f"{name}.xml")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    for kind in BLOCKS:
        assert block(done.stdout, kind) == block(_stored(name), kind), RULES[name]
