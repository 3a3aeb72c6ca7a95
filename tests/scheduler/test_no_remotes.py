"""``scheduler.no_remotes`` and ``scheduler.optional_stages``: the plan's remote, ticket and
unfencing stages are skipped exactly for clusters that have nothing they act on (no remote node,
guest node, bundle or container resource; no ``rsc_ticket``; nothing that provides unfencing).
Checked on Pacemaker's whole scheduler suite against the CIB text itself (whose cases with those
features must keep the real stages: the suite's summaries, ``pcmk_suite.py``, show that the
skipped ones plan the same)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pcmk_suite import suite_dir

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import Configuration
from crmsh_py.engine.definition import definition_from_cib
from crmsh_py.engine.scheduler import no_remotes, optional_stages
from crmsh_py.engine.scheduler.resources import ResourceTree, build_tree
from crmsh_py.engine.status import ClusterStatus
from crmsh_py.engine.status_xml import status_from_cib

# what in a CIB's text can make a remote or guest node, a bundle or a filler
_REMOTE_MARKS = ('provider="pacemaker" type="remote"', "<bundle", 'name="remote-node"', 'name="container"',
                 'type="remote" class="ocf" provider="pacemaker"', 'class="ocf" type="remote"')


def _suite() -> list[tuple[str, Configuration, ClusterStatus, ResourceTree]]:
    """Each case of the suite: its CIB text, configuration, status and resource tree."""
    base = suite_dir()
    if base is None:
        pytest.skip("Pacemaker's scheduler suite (../shared/pacemaker-cts) is not here")
    cases = []
    for path in sorted((base / "xml").glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        configuration = root.find("configuration")
        assert configuration is not None
        cfg = xmlio.configuration_from_xml(configuration)
        status = status_from_cib(root, definition_from_cib(root))
        tree = build_tree(cfg, len(status.nodes) + len(no_remotes.node_names(cfg)), no_remotes.add_bundle,
                          status.now)
        cases.append((text, cfg, status, tree))
    return cases


SUITE = pytest.fixture(scope="module", name="suite")(_suite)


def test_the_remote_stages_are_skipped_only_where_the_cib_has_nothing_remote(
        suite: list[tuple[str, Configuration, ClusterStatus, ResourceTree]]) -> None:
    skipped = kept = 0
    for text, cfg, status, tree in suite:
        remote, _ = no_remotes.stages(tree, status)
        if remote is no_remotes:
            skipped += 1
            assert not any(mark in text for mark in _REMOTE_MARKS), text[:200]
            assert no_remotes.node_names(cfg) == []
        else:
            kept += 1
    assert skipped > 250 and kept > 40, (skipped, kept)


def test_the_ticket_and_unfencing_stages_are_skipped_only_where_the_cib_has_none(
        suite: list[tuple[str, Configuration, ClusterStatus, ResourceTree]]) -> None:
    real_tickets = real_unfencing = 0
    for text, cfg, _status, tree in suite:
        effects, _ = optional_stages.ticket_stage(cfg)
        if effects.__module__.endswith(".tickets"):
            real_tickets += 1
        else:
            assert "<rsc_ticket" not in text
        _, devices, _, _ = optional_stages.unfencing_stage(tree)
        if devices.__module__.endswith(".unfencing"):
            real_unfencing += 1
        else:
            assert 'name="provides" value="unfencing"' not in text
    assert real_tickets > 10 and real_unfencing >= 3, (real_tickets, real_unfencing)  # the suite has 3 unfencing cases


def test_every_stand_in_takes_the_arguments_of_the_stage_it_stands_in_for() -> None:
    """``plan`` calls the stand-ins through a module it gets at run time, which mypy cannot follow:
    a stage that gains a parameter in ``remote``/``remote_state``/``bundles`` must gain it here
    too, or clusters without remote nodes break while the suite's remote cases still pass."""
    import inspect

    from crmsh_py.engine.scheduler import bundles, remote, remote_state

    compared = 0
    for name, stand_in in vars(no_remotes).items():
        if name.startswith("_") or not inspect.isfunction(stand_in) or stand_in.__module__ != no_remotes.__name__:
            continue
        real = next((getattr(m, name) for m in (remote, remote_state, bundles) if hasattr(m, name)), None)
        if real is None:
            continue
        if name == "add_bundle":  # forwards *args/**kwargs to the real one on first use
            continue
        real_params = [(p.name, p.kind, p.default is p.empty) for p in inspect.signature(real).parameters.values()]
        own_params = [(p.name, p.kind, p.default is p.empty) for p in inspect.signature(stand_in).parameters.values()]
        assert own_params == real_params, name
        compared += 1
    assert compared >= 15, compared


def test_every_remote_stage_plan_calls_has_its_stand_in() -> None:
    # plan calls the stages as remote.NAME / remote_state.NAME: each name must exist here too, or a
    # cluster without remote nodes would fail the day a new stage is added
    import importlib
    import re
    from pathlib import Path

    from crmsh_py.engine.scheduler import remote, remote_state

    plan_module = importlib.import_module("crmsh_py.engine.scheduler.plan")  # the package exports the function
    source = Path(str(plan_module.__file__)).read_text(encoding="utf-8")
    called = set(re.findall(r"\bremote(?:_state)?\.([a-z_]+)\(", source))
    assert {"expand", "resolve", "placement_hooks"} <= called
    for name in called:
        assert hasattr(no_remotes, name), name
        real = getattr(remote, name, None) or getattr(remote_state, name)
        assert callable(real), name
