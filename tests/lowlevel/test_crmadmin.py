"""crmadmin on the bundled cluster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import bundled as fixtures
from support.ours import tool as run, tool_on as ours
from support.reference import MISSING as REASON, have, run_on as real

HAVE_REAL = have("cibadmin", "crm_attribute")


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return fixtures.make_cluster(tmp_path / "cluster", monkeypatch)


def test_dc_lookup(cluster) -> None:  # type: ignore[no-untyped-def]
    assert run(["crmadmin", "-D"]) == (0, "Designated Controller is: srv02\n", "")
    assert run(["crmadmin", "-D", "-q"])[1] == "srv02\n"


def test_status_and_nodes(cluster) -> None:  # type: ignore[no-untyped-def]
    assert run(["crmadmin", "-S", "srv02"])[1] == "Controller on srv02 in state S_IDLE: ok\n"
    assert run(["crmadmin", "--status=srv01"])[1] == "Controller on srv01 in state S_NOT_DC: ok\n"
    assert run(["crmadmin", "-N", "-B"])[1] == ("export srv01=11111111-1111-1111-1111-111111111111\n"
                                               "export srv02=22222222-2222-2222-2222-222222222222\n")
    assert run(["crmadmin"])[0] == 64


def _real_apart(argv: list[str], cib: Path) -> tuple[int, str, str]:
    """Pacemaker's tool where no controller can answer: ``crmadmin -D`` ignores CIB_file and asks
    the controller over IPC, whose sockets are abstract (per network namespace), so a cluster
    running on this machine would answer.  A fresh network namespace keeps it out."""
    import shutil
    import subprocess

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        from crmsh_py.lowlevel.detect import running_cluster

        if running_cluster() is not None:
            pytest.skip("a Pacemaker cluster runs here and no network namespace can keep it out")
        return real(argv, cib)
    env = dict(os.environ, CIB_file=str(cib))
    done = subprocess.run(["unshare", "--net", f"/usr/sbin/{argv[0]}", *argv[1:]], env=env,
                          capture_output=True, text=True, timeout=30, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_nodes_and_offline_dc_like_pacemaker(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cib = tmp_path / "c.xml"
    cib.write_text(cluster.path.read_text())
    assert ours(["crmadmin", "-N"], cib) == real(["crmadmin", "-N"], cib)
    assert ours(["crmadmin", "-D"], cib) == _real_apart(["crmadmin", "-D"], cib)
    assert os.path.exists(cib)
