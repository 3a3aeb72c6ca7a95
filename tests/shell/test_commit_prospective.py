"""What crm_verify is shown before a commit: the CIB the patch would make, whichever way it is built."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmsh_py.agents.catalog import ocf_provider
from crmsh_py.cib import dump, xmlio
from crmsh_py.cib.model import Configuration
from crmsh_py.cib.patch import build_patchset, version_of
from crmsh_py.lang import parse
from crmsh_py.shell.levels.configure_commit import _prospective

DEMO = (Path(__file__).resolve().parents[2] / "examples" / "demo.crm").read_text()
EDITS = {
    "load into an empty CIB": ("", DEMO),
    "add, change and delete": (
        "primitive a ocf:heartbeat:Dummy\nprimitive b ocf:heartbeat:Dummy\nprimitive c ocf:heartbeat:Dummy\n"
        "group g a b\nlocation l1 g 100: srv01\nproperty stonith-enabled=false\n",
        "primitive a ocf:heartbeat:Dummy params state=/tmp/a\nprimitive c ocf:heartbeat:Dummy\n"
        "primitive d ocf:heartbeat:Dummy\ngroup g d a\norder o1 Mandatory: g c\n"
        "property stonith-enabled=false no-quorum-policy=ignore\n"),
}


def _configuration(text: str) -> ET.Element:
    return xmlio.configuration_to_xml(Configuration(parse(text, providers=ocf_provider) if text else []))


def _cib(text: str) -> ET.Element:
    root = ET.Element("cib", {"admin_epoch": "0", "epoch": "5", "num_updates": "2"})
    root.append(_configuration(text))
    ET.SubElement(ET.SubElement(root, "status"), "node_state", {"id": "1", "uname": "srv01"})
    return root


@pytest.mark.parametrize("case", sorted(EDITS))
def test_the_swapped_configuration_is_what_the_patch_makes(case: str) -> None:
    before, after = EDITS[case]
    live = _cib(before)
    configuration = _configuration(after)
    base = live.find("configuration")
    assert base is not None
    patch = build_patchset(base, configuration, version_of(live))
    assert patch is not None
    live_text = dump(live)
    patched = _prospective(live, configuration, patch, as_read=False)
    swapped = _prospective(live, configuration, patch, as_read=True)
    assert dump(swapped) == dump(patched)
    assert dump(live) == live_text  # neither way changes the live CIB
    assert swapped.find("status/node_state") is not None
