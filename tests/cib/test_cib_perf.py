"""Performance: 10,000 primitives to XML and back stays fast (no quadratic id checks)."""

from __future__ import annotations

import time

from crmsh_py.cib import xmlio
from crmsh_py.cib.model import Agent, AttrSet, Configuration, NVPair, Op, Primitive


def test_ten_thousand_primitives_round_trip_quickly() -> None:
    prims = [
        Primitive(f"d{i}", agent=Agent("ocf", "Dummy", "heartbeat"),
                  attr_sets=[AttrSet("params", [NVPair("state", f"/tmp/{i}")])],
                  ops=[Op("monitor", "10s", [NVPair("timeout", "20s")]), Op("start", "0s")])
        for i in range(10_000)
    ]
    start = time.perf_counter()
    conf = xmlio.configuration_to_xml(Configuration(prims))
    back = xmlio.configuration_from_xml(conf)
    elapsed = time.perf_counter() - start
    assert len(back.elements) == 10_000
    assert back.elements[-1].ops[0].id == "d9999-monitor-10s"
    assert elapsed < 3.0, f"took {elapsed:.2f}s"
