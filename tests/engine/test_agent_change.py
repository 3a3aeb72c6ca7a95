"""A running resource whose agent changes is restarted once by the bundled engine, then left alone
(the history then names the new agent), as Pacemaker does."""

from __future__ import annotations


def test_changed_agent_restarts_once_then_settles(demo_cluster, tool) -> None:  # type: ignore[no-untyped-def]
    rc, _, err = tool(["cibadmin", "-M", "-o", "resources", "-X",
                       '<primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy"/>'])
    assert rc == 0, err
    entry = demo_cluster.read().status.nodes["srv01"].resources["dummy"]
    assert (entry.ra_class, entry.provider, entry.ra_type) == ("ocf", "pacemaker", "Dummy")
    assert entry.last("start").rc == 0 and entry.last("monitor", 10000).rc == 0
    log = (demo_cluster.directory / "ha-log").read_text()
    after = log.split('type="Dummy"/>', 1)[1]
    assert after.count("Initiating stop operation dummy_stop_0 on srv01") == 1
    assert after.count("Initiating start operation dummy_start_0 on srv01") == 1
    finished = [line for line in after.splitlines() if "notice: Transition " in line]
    assert "(Complete=0, " in finished[-1]  # the next transition had nothing left to do
