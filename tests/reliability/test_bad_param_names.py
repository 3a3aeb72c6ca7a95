"""Issue 13 item 1: a parameter name with '=' (or white space) is refused wherever it enters, and
one already stored never wedges the engine: the resource fails as "not configured", the others go
on being monitored and recovered, and the daemon stops on request."""

from __future__ import annotations

from pathlib import Path

import rel_common as rc
import rel_probes


def test_bad_names_are_refused_where_they_enter(cluster_dir: Path) -> None:
    assert rel_probes.probe_bad_names_entry(cluster_dir, rounds=len(rel_probes.BAD_NAMES)) == []


def test_crm_resource_exits_78_like_pacemaker(cluster_dir: Path, env: dict[str, str]) -> None:
    assert rc.run_crm(["configure", "primitive", "a1", "Dummy"], env).rc == 0
    before = rc.cib_path(cluster_dir).read_bytes()
    result = rc.run_tool(["crm_resource", "-r", "a1", "-p", "a=b", "-v", "1"], env)
    assert result.rc == 78
    assert result.err == "crm_resource: invalid attribute name 'a=b': contains '='; nothing was changed\n"
    assert rc.cib_path(cluster_dir).read_bytes() == before


def test_a_stored_bad_name_does_not_wedge_the_daemon(cluster_dir: Path) -> None:
    assert rel_probes.probe_bad_name_engine(cluster_dir, failures=2) == []
