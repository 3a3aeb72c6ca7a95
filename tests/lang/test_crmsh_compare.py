"""Live comparison with the reference crmsh: load a configuration into crmsh (offline, CIB_file)
and compare its ``configure show`` with ``write_all(parse(text))``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crmsh_py import lang
from crmsh_py.cib.model import Element

import crmsh_ref
from crmsh_py.lang.writer import write_all
from lang_golden import GOLDEN, through_cib

pytestmark = pytest.mark.skipif(not crmsh_ref.available(), reason="reference crmsh (/usr/sbin/crm) not installed")

CONFIGS = {
    "basic": (
        "node srv01\nnode srv02 attributes standby=off\n"
        "primitive dummy ocf:heartbeat:Dummy params state=/tmp/d5.state "
        "op monitor interval=10s timeout=20s\n"
        "primitive d2 Dummy meta target-role=Stopped\n"
        "group g1 d2\n"
        "location l1 dummy rule inf: #uname eq srv01\n"
        "order o1 inf: dummy g1\n"
        "colocation c1 -inf: g1 dummy\n"
        "property stonith-enabled=false no-quorum-policy=ignore\n"
        "rsc_defaults resource-stickiness=INFINITY migration-threshold=1\n"
    ),
    "pairs": (GOLDEN / "pairs_input.crm").read_text(),
}


@pytest.fixture(scope="module")
def parse() -> Callable[[str], list[Element]]:
    return lang.parse


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_show_matches_crmsh(name: str, parse) -> None:
    text = CONFIGS[name]
    reference = crmsh_ref.load_and_show(text)
    assert reference.ok, reference.errors
    assert write_all(through_cib(parse(text))) == reference.show  # crmsh shows what it loaded
