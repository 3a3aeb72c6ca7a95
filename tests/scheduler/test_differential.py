"""A bounded differential test: seeded variants of Pacemaker's shared regression CIBs (one mutation
each, ``variants.py``) through our ``crm_simulate -S -x`` and Pacemaker 2.1.5's, compared as the
suite harness compares (Transition Summary, Revised Cluster Status).

The set is fixed (``differential.SUITE_SEED``, ``SUITE_COUNT``).  Variants that still differ are
listed in ``differential-expected.txt``; the list only shrinks: a new difference fails, and so does a
listed variant that now matches (``python tests/scheduler/differential.py --suite --shrink``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from differential import PACEMAKER_CRM_SIMULATE, Result, compare, load_expected, suite_variants
from pcmk_suite import suite_dir

BASE = suite_dir()
if BASE is not None:
    VARIANTS, EXTRAS = suite_variants(BASE)
else:
    VARIANTS, EXTRAS = [], {}
KNOWN = load_expected()
pytestmark = [
    pytest.mark.skipif(BASE is None, reason="../shared/pacemaker-cts is absent (set CRM_PCMK_CTS)"),
    pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed"),
]


def _run(index: int) -> Result:
    variant = VARIANTS[index]
    with tempfile.TemporaryDirectory(prefix="sched-diff-") as tmp:
        return compare(variant, EXTRAS[variant.case], Path(tmp))


@pytest.mark.parametrize("index", range(len(VARIANTS)), ids=[v.ident for v in VARIANTS])
def test_variant_matches_pacemaker(index: int) -> None:
    result = _run(index)
    variant = result.variant
    assert not result.skipped, f"{variant.ident}: {result.reason} ({variant.description})"
    if variant.ident in KNOWN:
        assert result.reason, (f"{variant.ident} now matches Pacemaker: remove it from differential-expected.txt"
                               " (differential.py --suite --shrink)")
        return
    assert not result.reason, f"{variant.ident} ({variant.description}): {result.reason}"


def test_expected_differences_name_real_variants() -> None:
    idents = {v.ident for v in VARIANTS}
    stale = [ident for ident in KNOWN if ident not in idents]
    assert not stale, f"differential-expected.txt names variants the generator no longer makes: {stale}"


def test_the_set_is_bounded_and_varied() -> None:
    # a few seconds in all, and more than one kind of mutation
    assert 20 <= len(VARIANTS) <= 40
    assert len({v.mutation for v in VARIANTS}) >= 8
