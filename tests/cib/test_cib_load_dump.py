"""load/dump/empty_cib."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from crmsh_py.cib import dump, empty_cib, load
from crmsh_py.errors import CibFileError

CIBADMIN = "/usr/sbin/cibadmin"


def test_malformed_xml_names_file_line_and_column() -> None:
    with pytest.raises(CibFileError) as info:
        load("<cib>\n  <configuration>\n  </resources>\n</cib>", "/tmp/x/cib.xml")
    message = str(info.value)
    assert message.startswith("/tmp/x/cib.xml: malformed XML at line 3, column 5")
    assert "mismatched tag" in message
    assert "</resources>" in message  # the offending line is shown


def test_empty_document_is_an_error() -> None:
    with pytest.raises(CibFileError, match="cib.xml: malformed XML"):
        load("", "cib.xml")


def test_wrong_root_is_an_error() -> None:
    with pytest.raises(CibFileError, match="root element is <configuration>"):
        load("<configuration/>", "f.xml")
    assert load("<configuration/>", "f.xml", root_tag=None).tag == "configuration"


def test_comments_survive_load_and_dump() -> None:
    root = load('<cib><configuration><resources><primitive id="d">'
                "<!--# note--></primitive></resources></configuration></cib>")
    text = dump(root)
    assert "<!--# note-->" in text
    assert dump(load(text)) == text


def test_dump_is_indented_without_declaration() -> None:
    text = dump(empty_cib())
    assert not text.startswith("<?xml")
    assert "\n  <configuration>\n    <crm_config />" in text
    assert text.endswith("</cib>\n")


def test_dump_does_not_change_its_argument() -> None:
    root = empty_cib()
    before = ET.tostring(root)
    dump(root)
    assert ET.tostring(root) == before


@pytest.mark.skipif(not os.path.exists(CIBADMIN), reason="needs Debian's pacemaker-cli-utils")
def test_empty_cib_matches_cibadmin_empty() -> None:
    real = subprocess.run([CIBADMIN, "--empty"], capture_output=True, text=True, check=True)
    ours = empty_cib()
    theirs = load(real.stdout)
    assert ours.attrib == theirs.attrib
    assert [c.tag for c in ours.iter()] == [c.tag for c in theirs.iter()]
