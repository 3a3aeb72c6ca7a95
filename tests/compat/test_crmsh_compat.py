"""crmsh 4.4.1's regression cases, replayed through crmsh and through our shell (see ``compat_suite.py``).

Every command's output and each case's final CIB must match crmsh's, except the entries listed in
``expected-differences.txt``; the list only shrinks (a listed entry that now matches fails too, so that
its line is removed with ``python tests/compat/compat_suite.py --shrink``).  Our shell must never show a
traceback.  crmsh is slow (about a second a command), so both shells' runs of all cases are made once
per test session, several cases at a time.
"""

from __future__ import annotations

import os

import pytest
from compat_cases import load_cases
from compat_suite import SKIPPED, Result, load_expected, run_all, skip_reason, suite_dir

REASON = skip_reason()
BASE = suite_dir()
ALL_CASES = load_cases(BASE) if BASE is not None and not REASON else []
CASES = [c for c in ALL_CASES if c.name not in SKIPPED]
pytestmark = [pytest.mark.integration, pytest.mark.skipif(bool(REASON), reason=REASON or "runs")]

_results: dict[str, Result] = {}


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Both shells' runs of every case, made once (in parallel: the work is in subprocesses)."""
    if not _results:
        cache = tmp_path_factory.mktemp("crmsh-compat")
        workers = int(os.environ.get("CRM_COMPAT_JOBS", "3"))
        for result in run_all(CASES, cache, workers):
            _results[result.case] = result
    return _results


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_case_matches_crmsh(results: dict[str, Result], case: str) -> None:
    result = results[case]
    expected = {k for k in load_expected() if k.rpartition(":")[0] == case}
    differing = result.differing()
    new = sorted(differing - expected, key=lambda k: (len(k), k))
    fixed = sorted(expected - differing, key=lambda k: (len(k), k))
    details = [f"{k}: {result.texts[int(k.rpartition(':')[2]) - 1]!r}" for k in new if not k.endswith(":cib")]
    assert not new, "new differences from crmsh (see `compat_suite.py --diff " + case + "`):\n" + "\n".join(
        details + [k for k in new if k.endswith(":cib")])
    assert not fixed, "now the same as crmsh; remove from expected-differences.txt: " + " ".join(fixed)


@pytest.mark.parametrize("case", sorted(SKIPPED))
def test_case_not_compared(case: str) -> None:
    pytest.skip(SKIPPED[case])


def test_no_tracebacks(results: dict[str, Result]) -> None:
    shown = {r.case: r.tracebacks for r in results.values() if r.tracebacks}
    assert not shown, f"our shell showed internal errors at (case: command numbers) {shown}"


def test_every_expected_entry_names_a_case_and_a_reason() -> None:
    names = {c.name for c in CASES}
    for key, reason in load_expected().items():
        case, _, what = key.rpartition(":")
        assert case in names and (what == "cib" or what.isdigit()), key
        assert reason, f"{key} has no reason"
