"""``crm_mon`` shows what crmsh's ``status`` (``crm_mon -1 -r``) shows of resources that are not
simply running: stopped, ``Stopped (disabled)``, ``ORPHANED`` (deleted from the configuration while
still active), failed.  Each CIB is made by Pacemaker's own crm_simulate and our output is compared
with Pacemaker's crm_mon on it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from crmsh_py.lowlevel.registry import run_tool
from crmsh_py.lowlevel.toolio import ToolIO

SBIN = Path("/usr/sbin")
CONFIG = """<cib have-quorum="1" crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="o">
        <nvpair id="o1" name="stonith-enabled" value="false"/>
        <nvpair id="o2" name="stop-orphan-resources" value="{stop_orphans}"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="srv01"/><node id="2" uname="srv02"/></nodes>
    <resources>
      <primitive id="gone" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="run" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="off" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id="off-meta"><nvpair id="off-tr" name="target-role" value="Stopped"/></meta_attributes>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>
"""
GONE = '<primitive id="gone" class="ocf" provider="heartbeat" type="Dummy"/>'


def _simulate(src: Path, dst: Path, *args: str) -> Path:
    subprocess.run([str(SBIN / "crm_simulate"), "-x", str(src), *args, "-O", str(dst)], capture_output=True,
                   check=True, timeout=60, env={**os.environ, "PATH": "/usr/sbin:/usr/bin:/bin"})
    return dst


@pytest.fixture(scope="module", params=["false", "true"])
def orphaned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A running cluster whose ``gone`` was deleted from the configuration while it ran."""
    if not (SBIN / "crm_simulate").exists():
        pytest.skip("Pacemaker's crm_simulate is not installed (apt-get install pacemaker-cli-utils)")
    d = tmp_path_factory.mktemp("orphans")
    (d / "cfg.xml").write_text(CONFIG.format(stop_orphans=request.param))
    up = _simulate(d / "cfg.xml", d / "up.xml", "-u", "srv01", "-u", "srv02", "-S")
    text = up.read_text()
    assert GONE in text
    (d / "orphan.xml").write_text(text.replace(GONE, ""))
    return d / "orphan.xml"


def _mon(path: Path, *flags: str) -> tuple[list[str], list[str]]:
    env = {**os.environ, "CIB_file": str(path)}
    real = subprocess.run([str(SBIN / "crm_mon"), "-1", *flags], capture_output=True, text=True, env=env,
                          timeout=60, check=False).stdout
    io = ToolIO.captured(env)
    run_tool(["crm_mon", "-1", *flags], io)
    ours = io.stdout.getvalue()  # type: ignore[attr-defined]

    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if "Last updated" not in line]

    return strip(ours), strip(real)


@pytest.mark.parametrize("flags", [["-r"], []])
def test_an_orphan_is_shown_as_pacemaker_shows_it(orphaned: Path, flags: list[str]) -> None:
    ours, real = _mon(orphaned, *flags)
    assert ours == real
    assert any("gone\t(ocf:heartbeat:Dummy):\t ORPHANED Started" in line for line in ours)


def test_stopped_disabled_and_failed_like_pacemaker(orphaned: Path, tmp_path: Path) -> None:
    failed = _simulate(orphaned, tmp_path / "failed.xml", "-i", "run_monitor_0@srv02=1")
    ours, real = _mon(failed, "-r")
    assert ours == real
    assert "  * off\t(ocf:heartbeat:Dummy):\t Stopped (disabled)" in ours
    assert "  * run\t(ocf:heartbeat:Dummy):\t FAILED srv02" in ours
    assert any(line.startswith("  * run probe on srv02 returned 'error'") for line in ours)
