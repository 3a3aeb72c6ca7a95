"""Our scheduler against Pacemaker 2.1.5's own regression suite (see ``pcmk_suite.py``).

Every case's Transition Summary and Revised Cluster Status must equal Pacemaker's, except the ones
listed in ``expected-failures.txt``.  The list only shrinks: a listed case that now passes fails too
(strict), so that its line is removed (``python tests/scheduler/pcmk_suite.py --shrink``).
"""

from __future__ import annotations

import pytest
from pcmk_suite import BLOCKS, Case, cases, compare, first_difference, load_expected_failures, suite_dir

BASE = suite_dir()
CASES: list[Case] = cases(BASE) if BASE is not None else []
KNOWN = load_expected_failures()
pytestmark = pytest.mark.skipif(BASE is None, reason="../shared/pacemaker-cts is absent (set CRM_PCMK_CTS)")

_cache: dict[str, dict[str, tuple[list[str] | None, list[str] | None]]] = {}


def _result(case: Case) -> dict[str, tuple[list[str] | None, list[str] | None]]:
    # Both blocks come from one run of the case.
    if case.name not in _cache:
        assert BASE is not None
        _cache[case.name] = compare(case, BASE)
    return _cache[case.name]


@pytest.mark.parametrize("kind", list(BLOCKS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_matches_pacemaker(case: Case, kind: str) -> None:
    want, got = _result(case)[kind]
    key = f"{kind}/{case.name}"
    if key in KNOWN:
        assert want != got, f"{key} now matches Pacemaker: remove it from expected-failures.txt"
        return
    assert got == want, f"{key}: {first_difference(want, got)}"


def test_expected_failures_name_real_cases() -> None:
    names = {c.name for c in CASES}
    stale = [key for key in KNOWN if key.split("/", 1)[1] not in names]
    assert not stale, f"expected-failures.txt names cases that are not in the suite: {stale}"
