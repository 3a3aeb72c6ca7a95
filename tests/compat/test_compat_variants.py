"""A bounded differential test against crmsh 4.4.1: generated inputs (``compat_variants.py``, a fixed seed)
through our shell, compared with crmsh's runs of the same inputs recorded in ``golden/variants.json``
(``python tests/compat/fuzz.py --record`` on a machine with crmsh 4.4.1).

Every difference (``NAME:I:rc|out|err|logged`` for invocation I of variant NAME, ``NAME:cib``) must
be listed in ``variant-differences.txt`` with its reason, and every listed one must still differ:
the list only shrinks.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compat_run import CRMSH, OURS  # noqa: E402
from fuzz import GOLDEN, from_json, load_expected, differences, run_variant  # noqa: E402
from compat_variants import generate  # noqa: E402

TOOLS = ("/usr/sbin/cibadmin", "/usr/sbin/crm_verify", "/usr/sbin/crm_resource", "/usr/sbin/crm_attribute")


def _skip_reason() -> str:
    if not CRMSH.is_file():
        return "crmsh 4.4.1 (/usr/sbin/crm) is not installed"
    missing = [t for t in TOOLS if not Path(t).is_file()]
    if missing:
        return f"Pacemaker's tools are not installed: {missing}"
    if not GOLDEN.is_file():
        return f"{GOLDEN} is missing (python tests/compat/fuzz.py --record)"
    return ""


REASON = _skip_reason()
pytestmark = [pytest.mark.integration, pytest.mark.skipif(bool(REASON), reason=REASON or "runs")]


@pytest.fixture(scope="module")
def golden() -> dict:  # type: ignore[type-arg]
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_golden_file_holds_the_generators_variants(golden: dict) -> None:  # type: ignore[type-arg]
    variants = generate(golden["seed"], golden["count"])
    assert sorted(v.name for v in variants) == sorted(golden["variants"]), \
        "the generator changed: re-record with python tests/compat/fuzz.py --record"
    for v in variants:
        assert len(v.invocations) == len(golden["variants"][v.name]["results"]), v.name


def test_generated_inputs_match_crmsh_except_the_listed_differences(golden: dict,  # type: ignore[type-arg]
                                                                    tmp_path: Path) -> None:
    start = tmp_path / "start-cib.xml"
    start.write_text(golden["start_cib"], encoding="utf-8")
    variants = generate(golden["seed"], golden["count"])
    with ThreadPoolExecutor(max_workers=2) as pool:  # the work is in subprocesses
        ours = list(pool.map(lambda v: run_variant(v, OURS, start), variants))
    found: set[str] = set()
    tracebacks = []
    for v, mine in zip(variants, ours):
        ref = from_json(golden["variants"][v.name]).compared()
        compared = mine.compared()
        found.update(differences(v, ref, compared))
        tracebacks += [f"{v.name}:{i}" for i, o in enumerate(compared.outcomes, 1) if o.traceback]
    assert not tracebacks, f"our shell showed internal errors: {tracebacks}"
    expected = load_expected()
    new = sorted(found - set(expected))
    fixed = sorted(set(expected) - found)
    assert not new, ("new differences from crmsh (python tests/compat/fuzz.py --diff --only NAME):\n"
                     + "\n".join(new))
    assert not fixed, "now the same as crmsh; remove from variant-differences.txt: " + " ".join(fixed)


def test_every_listed_difference_has_a_reason() -> None:
    for key, reason in load_expected().items():
        assert reason, f"{key} has no reason"
