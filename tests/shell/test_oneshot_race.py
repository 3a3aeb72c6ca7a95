"""One-shot `crm configure` lines racing each other: each is retried on a fresh copy, none is lost.

An interactive session is refused when the CIB moved under its working copy (tests/reliability/
test_commit_race.py); a one-shot took its copy a moment ago, so it simply runs again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

WRITERS = 4
EACH = 5


def test_concurrent_oneshot_configure_lines_all_land(tmp_path: Path) -> None:
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))
    subprocess.run([sys.executable, "-m", "crmsh_py.cli", "configure", "property", "stonith-enabled=false"],
                   env=env, check=True, capture_output=True, timeout=60)
    script = "; ".join(
        f"{sys.executable} -m crmsh_py.cli configure primitive w$W-{i} ocf:heartbeat:Dummy meta target-role=Stopped"
        " || exit 1" for i in range(EACH))
    procs = [subprocess.Popen(["sh", "-c", script], env={**env, "W": str(w)}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for w in range(WRITERS)]
    results = [p.communicate(timeout=180) + (p.returncode,) for p in procs]
    for _out, err, rc in results:
        assert rc == 0, err
        assert "Traceback" not in err
    cib = ET.parse(tmp_path / "cluster" / "cib.xml").getroot()
    ids = {p.get("id") for p in cib.iter("primitive")}
    assert ids == {f"w{w}-{i}" for w in range(WRITERS) for i in range(EACH)}
