"""On the bundled cluster a bundle's containers run with the parameters Pacemaker generates: a
change of the bundle (more replicas) restarts the running container, and afterwards both our
``crm_simulate -LS`` and Pacemaker's own crm_simulate on the resulting CIB find nothing to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.bundled import DEMO, cluster_env
from support.ours import crm, tool

PACEMAKER_CRM_SIMULATE = Path("/usr/sbin/crm_simulate")
BUNDLE = """primitive web Dummy
bundle wb docker image=nginx replicas={n} network ip-range-start=10.0.0.20 port-mapping id=wb-p port=80 \\
\tstorage storage-mapping id=wb-s source-dir-root=/srv/wb target-dir=/srv options=rw primitive web
"""


def _summary(output: str) -> list[str]:
    block = output.split("Transition Summary:\n", 1)[1].split("\nExecuting", 1)[0]
    return [" ".join(line.split()) for line in block.splitlines() if line.strip()]


def _operations(log: Path, rsc: str) -> list[str]:
    return [line.split("Result of ", 1)[1].split(" operation", 1)[0]
            for line in log.read_text(encoding="utf-8").splitlines() if f"operation for {rsc} on" in line
            and "Result of " in line]


def test_more_replicas_restart_the_running_container(tmp_path: Path) -> None:
    env = cluster_env(tmp_path / "c", DEMO + BUNDLE.format(n=1))
    log = tmp_path / "c" / "ha-log"
    assert _operations(log, "wb-docker-0") == ["start", "monitor (interval 60000ms)"]
    before = 2
    source = tmp_path / "more.crm"
    source.write_text(BUNDLE.format(n=2), encoding="utf-8")
    assert crm(["configure", "load", "update", str(source)], env).rc == 0
    # every container's run options name every replica: the running one restarted
    assert _operations(log, "wb-docker-0")[before:][:2] == ["stop", "start"]
    mon = tool(["crm_mon", "-1"], env).out
    assert "  * GuestOnline: [ wb-0 wb-1 ]\n" in mon
    assert _summary(tool(["crm_simulate", "-LS"], env).out) == []


@pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")
def test_pacemaker_finds_the_recorded_digests_current(tmp_path: Path) -> None:
    env = cluster_env(tmp_path / "c", DEMO + BUNDLE.format(n=2))
    cib = tmp_path / "cib.xml"
    cib.write_text(tool(["cibadmin", "-Q"], env).out, encoding="utf-8")
    real = subprocess.run([str(PACEMAKER_CRM_SIMULATE), "-S", "-x", str(cib)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert _summary(real.stdout) == []
    # no parameter change either: only probes would run, no restart, reload or re-armed monitor
    executed = real.stdout.split("Executing Cluster Transition:", 1)[1].split("Revised", 1)[0]
    assert all(line.strip().endswith(tuple(f"monitor on {n}" for n in ("srv01", "srv02")))
               for line in executed.splitlines() if line.strip())
