"""Causes of difference from crmsh 4.4.1 found by the differential run (``fuzz.py``), round 3: one
test each, the expected texts being what crmsh 4.4.1 printed for the same input on the same CIB
(crmsh's sample configuration, as in ``test_fuzz_causes.py``)."""

from __future__ import annotations

import pytest

from test_fuzz_causes import MISSING, Shell, _said

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(bool(MISSING), reason=f"Pacemaker's tools are not installed: {MISSING}")]


@pytest.fixture
def shell(tmp_path) -> Shell:  # type: ignore[no-untyped-def]
    return Shell(tmp_path)


def test_an_op_repeated_with_the_same_name_and_interval_is_taken(shell: Shell) -> None:
    # crmsh and crm_verify take it; the second op's id gets a suffix, commit warns about the monitor
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 ocf:heartbeat:Dummy op start interval=0 "
                                   "op start interval=0 op monitor interval=10s op monitor interval=10\ncommit\n")
    assert rc == 0
    assert _said(out, err) == (["WARNING: d1: interval in monitor must be unique, advised is 10s"], [])
    assert shell.crm("configure", "show", "d1") == (0, "primitive d1 Dummy \\\n\top start interval=0 \\\n"
                                                       "\top start interval=0 \\\n\top monitor interval=10s \\\n"
                                                       "\top monitor interval=10\n", "")
    assert '<op name="start" interval="0" id="d1-start-0-0"/>' in shell.config()
