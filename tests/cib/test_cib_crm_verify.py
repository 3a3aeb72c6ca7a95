"""Integration: Pacemaker 2.1's crm_verify accepts the CIBs we generate."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cib_strategies import configurations
from hypothesis import HealthCheck, given, settings
from test_cib_golden import demo_model

from crmsh_py.cib import dump, empty_cib, load, xmlio
from crmsh_py.cib.model import Configuration

CRM_VERIFY = "/usr/sbin/crm_verify"
GOLDEN = Path(__file__).parent / "golden"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.path.exists(CRM_VERIFY), reason="needs /usr/sbin/crm_verify "
                       "(Debian pacemaker-cli-utils)"),
]


def _verify(cfg: Configuration, tmp: Path) -> subprocess.CompletedProcess:
    root = empty_cib()
    root.remove(root.find("configuration"))
    root.insert(0, xmlio.configuration_to_xml(cfg))
    path = tmp / "cib.xml"
    path.write_text(dump(root))
    return subprocess.run([CRM_VERIFY, "--xml-file", str(path)], capture_output=True, text=True,
                          timeout=30)


def test_demo_model_is_valid(tmp_path: Path) -> None:
    result = _verify(demo_model(), tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["all_types", "explicit_ids", "bundle_alert"])
def test_golden_round_trip_is_valid(name: str, tmp_path: Path) -> None:
    conf = load((GOLDEN / f"{name}.xml").read_text()).find("configuration")
    result = _verify(xmlio.configuration_from_xml(conf), tmp_path)
    assert result.returncode == 0, result.stderr


def test_invalid_cib_is_rejected(tmp_path: Path) -> None:
    # crmsh writes this too (two monitors with the same interval); Pacemaker rejects it,
    # which shows the check above can fail
    conf = load((GOLDEN / "ops_sets.xml").read_text()).find("configuration")
    result = _verify(xmlio.configuration_from_xml(conf), tmp_path)
    assert result.returncode != 0
    assert "duplicate" in result.stderr + result.stdout or result.returncode == 78


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(configurations())
def test_generated_configurations_are_valid(tmp_path: Path, cfg: Configuration) -> None:
    result = _verify(cfg, tmp_path)
    assert result.returncode == 0, result.stderr + dump(xmlio.configuration_to_xml(cfg))
