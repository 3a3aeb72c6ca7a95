"""diff/patch of configuration trees by top-level element id."""

from __future__ import annotations

from pathlib import Path

from crmsh_py.cib import load
from crmsh_py.cib.diff import canonical_text, changed_elements, diff, patch
from crmsh_py.cib.xmlio import configuration_from_xml

GOLDEN = Path(__file__).parent / "golden"


def _conf(text: str):
    return load(text, root_tag="configuration")


OLD = """<configuration><crm_config/><nodes/><resources>
  <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
  <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
</resources><constraints/></configuration>"""
NEW = """<configuration><crm_config/><nodes/><resources>
  <primitive id="a" class="ocf" provider="heartbeat" type="Stateful"/>
  <primitive id="c" class="ocf" provider="heartbeat" type="Dummy"/>
</resources><constraints><rsc_order id="o" first="a" then="c"/></constraints></configuration>"""


def test_diff_by_id() -> None:
    changes = diff(_conf(OLD), _conf(NEW))
    assert changes.ids() == {"added": ["c", "o"], "changed": ["a"], "removed": ["b"]}


def test_identical_trees_with_other_whitespace_and_attribute_order() -> None:
    old = _conf('<configuration><resources><primitive id="a" type="D" class="ocf"/></resources>'
                "</configuration>")
    new = _conf('<configuration>\n <resources>\n  <primitive class="ocf" id="a" type="D"/>\n'
                " </resources>\n</configuration>")
    assert diff(old, new).is_empty()


def test_patch_applies_the_diff() -> None:
    old, new = _conf(OLD), _conf(NEW)
    patched = patch(old, diff(old, new))
    assert canonical_text(patched) == canonical_text(new)
    assert [e.get("id") for e in old.find("resources")] == ["a", "b"]  # input untouched


def test_patch_of_golden_file_from_empty() -> None:
    full = load((GOLDEN / "all_types.xml").read_text()).find("configuration")
    empty = _conf("<configuration><crm_config/><nodes/><resources/><constraints/></configuration>")
    patched = patch(empty, diff(empty, full))
    assert diff(patched, full).is_empty()
    assert diff(full, empty).ids()["removed"][:2] == ["cib-bootstrap-options", "other"]


def test_model_level_changed_elements() -> None:
    old = configuration_from_xml(_conf(OLD))
    new = configuration_from_xml(_conf(NEW))
    result = changed_elements(old, new)
    assert [e.id for e in result["added"]] == ["c", "o"]
    assert [e.id for e in result["changed"]] == ["a"]
    assert [e.id for e in result["removed"]] == ["b"]
