"""ISO 8601 dates as Pacemaker reads them (date rules, ``crm_simulate -t``), and the suite's
argument splitting for ``-t DATE TIME``."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pcmk_suite import split_args
from support.ours import tool

from crmsh_py.cib.dates import epoch_seconds, parse_iso8601


@pytest.mark.parametrize("text, expected", [
    ("2019-09-23", datetime(2019, 9, 23, tzinfo=timezone.utc)),
    ("2019-09-23 18:00:00 -05:00", datetime(2019, 9, 23, 23, 0, tzinfo=timezone.utc)),
    ("2019-09-23T12:00Z", datetime(2019, 9, 23, 12, 0, tzinfo=timezone.utc)),
    ("2019-09-23 12:00:00+0530", datetime(2019, 9, 23, 6, 30, tzinfo=timezone.utc)),
    ("2005-020T11:30", datetime(2005, 1, 20, 11, 30, tzinfo=timezone.utc)),  # ordinal date
    ("2005-W03-4", datetime(2005, 1, 20, tzinfo=timezone.utc)),  # ISO week date
])
def test_iso8601_forms(text: str, expected: datetime) -> None:
    assert parse_iso8601(text) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "2019-13-01", "2019-09-23 25:00", "2005-400"])
def test_not_a_date(text: str) -> None:
    assert epoch_seconds(text) is None


def test_suite_arguments_keep_a_date_with_a_time_together() -> None:
    assert split_args("-t 2014-05-07 00:28:00") == ("-t", "2014-05-07 00:28:00")
    assert split_args("-u a -d b") == ("-u", "a", "-d", "b")
    assert split_args("") == ()


CIB = """<cib epoch="1" num_updates="0" admin_epoch="0" execution-date="1000000000"><configuration>
<crm_config><cluster_property_set id="o">
  <nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
<nodes><node id="1" uname="n1"/></nodes>
<resources><primitive id="r" class="ocf" provider="heartbeat" type="Dummy"/></resources>
<constraints><rsc_location id="l" rsc="r"><rule id="l-r" score="-INFINITY">
  <date_expression id="l-d" operation="gt" start="2010-01-01"/></rule></rsc_location></constraints>
</configuration><status><node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member"
expected="member"/></status></cib>"""


def _simulate(tmp_path, *extra: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "cib.xml"
    path.write_text(CIB, encoding="utf-8")
    return tool(["crm_simulate", "-S", "-x", str(path), *extra], {})


def test_set_datetime_decides_date_rules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the CIB's execution-date (2001) is before the ban starts; -t 2011 is after it
    assert "Start      r" in _simulate(tmp_path)[1]
    rc, out, _ = _simulate(tmp_path, "-t", "2011-06-01 12:00:00")
    assert rc == 0 and "Start      r" not in out.split("Transition Summary:")[1].split("Executing")[0]


def test_set_datetime_rejects_a_bad_date(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = _simulate(tmp_path, "-t", "someday")
    assert rc != 0 and "someday" in err and "Transition Summary" not in out
