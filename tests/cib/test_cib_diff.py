"""diff/patch of configuration trees by top-level element id."""

from __future__ import annotations

from pathlib import Path

from crmsh_py.cib import load
from crmsh_py.cib.diff import diff

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
