"""``scheduler.no_remotes``: the plan's remote stages are skipped exactly for clusters that have no
remote node, guest node, bundle or container resource.  Checked on Pacemaker's whole scheduler
suite against the CIB text itself (whose remote and bundle cases must keep the real stages: the
suite's summaries, ``pcmk_suite.py``, show that the skipped ones plan the same)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pcmk_suite import suite_dir

from crmsh_py.cib import xmlio
from crmsh_py.engine.definition import definition_from_cib
from crmsh_py.engine.scheduler import no_remotes
from crmsh_py.engine.scheduler.resources import build_tree
from crmsh_py.engine.status_xml import status_from_cib

# what in a CIB's text can make a remote or guest node, a bundle or a filler
_REMOTE_MARKS = ('provider="pacemaker" type="remote"', "<bundle", 'name="remote-node"', 'name="container"',
                 'type="remote" class="ocf" provider="pacemaker"', 'class="ocf" type="remote"')


def test_the_stages_are_skipped_only_where_the_cib_has_nothing_remote() -> None:
    base = suite_dir()
    if base is None:
        pytest.skip("Pacemaker's scheduler suite (../shared/pacemaker-cts) is not here")
    skipped = kept = 0
    for path in sorted((base / "xml").glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        configuration = root.find("configuration")
        assert configuration is not None
        cfg = xmlio.configuration_from_xml(configuration)
        status = status_from_cib(root, definition_from_cib(root))
        tree = build_tree(cfg, len(status.nodes) + len(no_remotes.node_names(cfg)), no_remotes.add_bundle,
                          status.now)
        remote, _ = no_remotes.stages(tree, status)
        if remote is no_remotes:
            skipped += 1
            assert not any(mark in text for mark in _REMOTE_MARKS), path.name
            assert no_remotes.node_names(cfg) == []
        else:
            kept += 1
    assert skipped > 250 and kept > 40, (skipped, kept)
