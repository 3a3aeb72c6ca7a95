"""``crm_simulate -S -x`` loads only what the CIB in front of it needs (issue 16).

A suite case costs Pacemaker's crm_simulate ~20 ms; ours is an interpreter start plus its imports
plus the simulation, and the imports were most of it.  These checks name what a run must not load
(timings live in ``benchmarks/bench_pacemaker_suite.py``; imports cannot flake).  Each run is a
fresh interpreter started as the console script starts it, on a CIB written here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Standard-library modules that cost a start-up milliseconds and that a simulation does not need:
# typing (annotations only), pathlib (and urllib.parse, ipaddress behind it), dataclasses (inspect,
# ast...), importlib's Python half, datetime (date rules only).
HEAVY_STDLIB = {"typing", "pathlib", "urllib.parse", "ipaddress", "dataclasses", "inspect", "ast",
                "importlib", "datetime", "calendar", "tempfile", "shutil", "subprocess", "socket"}
# The bundled cluster's store and CIB file writer: -x reads a file and never writes a cluster.
STORE = {"crmsh_py.engine.store", "crmsh_py.engine.controller", "crmsh_py.engine.cibfile",
         "crmsh_py.tempfiles", "fcntl"}

PLAIN_CIB = """<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
    </nodes>
    <resources>
      <primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy"/>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
"""


def loaded_by_simulate(cib: Path, tmp_path: Path, *options: str) -> set[str]:
    """The modules ``crm_simulate OPTIONS -x CIB`` loads beyond the interpreter's own start-up."""
    listing = tmp_path / "modules.txt"
    probe = ("import sys\n_before = set(sys.modules)\n"
             "from crmsh_py.lowlevel.launch import crm_simulate\n"
             f"sys.argv = ['crm_simulate', *{list(options)!r}, '-x', {str(cib)!r}]\n"
             "rc = crm_simulate()\n"
             f"open({str(listing)!r}, 'w').write('\\n'.join(sorted(set(sys.modules) - _before)))\n"
             "sys.exit(rc)")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CRM_BACKEND": "bundled",
           "CRM_CLUSTER_DIR": str(tmp_path / "no-cluster"), "CRM_SYSLOG_SOCKET": str(tmp_path / "no-syslog")}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Transition Summary:" in done.stdout
    return set(listing.read_text().split())


@pytest.fixture
def plain_cib(tmp_path: Path) -> Path:
    path = tmp_path / "plain.xml"
    path.write_text(PLAIN_CIB)
    return path


def test_a_simulation_loads_no_heavy_standard_library_module(plain_cib: Path, tmp_path: Path) -> None:
    loaded = loaded_by_simulate(plain_cib, tmp_path, "-S")
    assert "crmsh_py.engine.scheduler.plan" in loaded  # it did plan
    assert not loaded & HEAVY_STDLIB, sorted(loaded & HEAVY_STDLIB)


def test_a_simulation_of_a_file_needs_no_cluster_store(plain_cib: Path, tmp_path: Path) -> None:
    loaded = loaded_by_simulate(plain_cib, tmp_path, "-S")
    assert "crmsh_py.engine.status_xml" in loaded  # it did record the simulated results
    assert not loaded & STORE, sorted(loaded & STORE)
