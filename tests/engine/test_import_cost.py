"""One-shot start-up stays cheap: heavy modules are not imported on paths that do not need them.

Each check runs in a fresh interpreter so that ``sys.modules`` shows exactly what a command loads.
"""

from __future__ import annotations

import subprocess
import sys
from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

import pytest

from crmsh_py.agents.xmltext import escape, quoteattr


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(out.stdout.split())


def test_version_does_not_import_dataclasses() -> None:
    loaded = _modules_after("import contextlib, io\nfrom crmsh_py.cli import main\n"
                            "with contextlib.redirect_stdout(io.StringIO()): main(['--version'])")
    assert "crmsh_py.cli" in loaded
    assert "dataclasses" not in loaded and "crmsh_py.shell.runner" not in loaded


def test_executor_does_not_pull_in_the_http_stack() -> None:
    # (the agents' catalogue loads when an action runs: import it too, as an action would)
    loaded = _modules_after("import crmsh_py.engine.executor\nimport crmsh_py.agents.catalog")
    assert {"crmsh_py.engine.executor", "crmsh_py.agents.catalog"} <= loaded
    assert not {"urllib.request", "http.client", "xml.sax.saxutils"} & loaded


def test_reading_our_cluster_yaml_does_not_import_pyyaml() -> None:
    code = ("from crmsh_py.engine.definition import load_definition\n"
            "d = load_definition('name: c\\nstack: corosync\\nnodes:\\n- name: srv01\\n  id: 1\\n')\n"
            "assert d.node_names == ['srv01']")
    assert "yaml" not in _modules_after(code)


@pytest.mark.parametrize("text", ["plain", 'a"b', "a'b", "a\"'b", "<&>\n\t\r", ""])
def test_xml_escaping_matches_saxutils(text: str) -> None:
    assert escape(text) == sax_escape(text)
    assert quoteattr(text) == sax_quoteattr(text)


@pytest.mark.parametrize(("before", "after"), [
    ("<c><a x='1'/></c>", "<c>\n  <a x='1'/>\n</c>"),  # indentation only
    ("<c><a x='1'/></c>", "<c><a x='2'/></c>"),
    ("<c><a>  </a></c>", "<c><a/></c>"),  # white-space-only leaf text
    ("<c><!-- note --><a/></c>", "<c><a/></c>"),  # comments do not count
    ("<c><a>t</a></c>", "<c><a> t</a></c>"),
    ("<c><b><a/></b></c>", "<c><b/><a/></c>"),
    ("<c><a/></c>", "<c><a/><b/></c>"),  # an element more: known without writing either out
    ("<c><a/><b/></c>", "<c><a/></c>"),
])
def test_the_quick_change_check_agrees_with_the_canonical_form(before: str, after: str) -> None:
    import xml.etree.ElementTree as ET

    from crmsh_py.engine.cibfile import canonical, snapshot, unchanged_since

    old, new = ET.fromstring(before), ET.fromstring(after)
    assert unchanged_since(snapshot(old), new) == (canonical(old) == canonical(new))
    # with the comments kept in the tree, as the store reads a CIB
    with_comments = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    with_comments.feed(before)
    old = with_comments.close()
    assert unchanged_since(snapshot(old), new) == (canonical(old) == canonical(new))
