"""Golden round trip: ``write(parse(s)) == s`` for every canonical element crmsh 4.4 printed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crmsh_py import lang
from crmsh_py.cib.model import Element

from crmsh_py.lang.writer import context_for, write
from lang_golden import entry_id, identity_entries, pairs, through_cib

ENTRIES = identity_entries()
PAIRS = pairs()


def _entry_params():
    for entry in ENTRIES:
        yield pytest.param(entry, id=entry_id(entry))


@pytest.fixture(scope="module")
def parse() -> Callable[[str], list[Element]]:
    return lang.parse


@pytest.fixture(scope="module")
def identity_context(parse):
    """Whole-file facts (node count, referenced rule ids) as crmsh had them when it printed."""
    elements = [e for entry in ENTRIES for e in parse(entry)]
    return context_for(elements)


def test_golden_file_is_large() -> None:
    assert len(ENTRIES) >= 150


@pytest.mark.parametrize("entry", list(_entry_params()))
def test_identity(entry: str, parse, identity_context) -> None:
    elements = parse(entry)
    assert len(elements) == 1
    assert write(elements[0], identity_context) == entry


@pytest.mark.parametrize(("given", "expected"), PAIRS, ids=[entry_id(p[0]) for p in PAIRS])
def test_canonical_form(given: str, expected: str, parse) -> None:
    elements = through_cib(parse(given))  # crmsh printed them after a load, from the CIB
    assert len(elements) == 1
    assert write(elements[0]) == expected
