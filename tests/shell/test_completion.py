"""Completion as a pure function over a fake cluster."""

from __future__ import annotations

import pytest
from support.fakes import FakeSource

from crmsh_py.shell.completion import suggest

CASES = [
    ([], "res", ["resource"]),
    ([], "resource mo", ["move"]),
    ([], "resource unm", ["unmanage", "unmigrate", "unmove"]),
    (["resource"], "st", ["start", "status", "stop"]),
    (["resource"], "start ", ["db"]),
    (["resource"], "stop ", ["web"]),
    ([], "resource move ", ["web"]),  # only running resources move
    ([], "resource move web ", ["srv01", "srv02"]),
    ([], "node standby ", ["srv01", "srv02"]),
    ([], "node standby srv01 ", ["forever", "reboot"]),
    (["configure"], "primitive p ocf:", ["ocf:heartbeat:", "ocf:pacemaker:"]),
    (["configure"], "primitive p ocf:heartbeat:", ["ocf:heartbeat:Dummy", "ocf:heartbeat:IPaddr2"]),
    (["configure"], "primitive st stonith:ext", ["stonith:external/ipmi", "stonith:external/ssh"]),
    (["configure"], "primitive p oc", ["ocf:"]),
    (["configure"], "primitive p ocf:heartbeat:Dummy ", ["meta", "op", "params", "utilization"]),
    (["configure"], "primitive p ocf:heartbeat:Dummy params st", ["state="]),
    (["configure"], "primitive p ocf:heartbeat:Dummy params state=/x ", ["fake=", "meta", "op", "params", "state=", "utilization"]),
    (["configure"], "primitive p Dummy op mon", ["monitor"]),
    (["configure"], "property stonith-e", ["stonith-enabled="]),
    (["configure"], "property no-q", ["no-quorum-policy="]),
    (["configure"], "group g2 ", ["db", "g1", "web"]),
    (["configure"], "location l1 db 100: ", ["srv01", "srv02"]),
    (["configure"], "delete ", ["cib-bootstrap-options", "db", "g1", "web"]),
    (["configure"], "show type:", []),
    ([], "ra list ", ["lsb", "ocf", "service", "stonith", "systemd"]),
    (["ra"], "info stonith:", ["stonith:external/ipmi", "stonith:external/ssh", "stonith:meatware",
                                "stonith:null", "stonith:ssh"]),
    (["ra"], "info ocf:pacemaker:S", ["ocf:pacemaker:Stateful"]),
    ([], "cib use ", ["test", "trial"]),
    (["cib"], "diff t", ["test", "trial"]),
    ([], "options set ", ["color.style", "core.add_quotes", "core.check_frequency", "core.check_mode", "core.debug",
                          "core.editor", "core.force", "core.manage_children", "core.pager", "core.skill_level",
                          "core.sort_elements", "core.user", "core.wait"]),
    ([], "options skill-level ", ["administrator", "expert", "operator"]),
    ([], "help con", ["configure"]),
    ([], "cd ", ["cib", "cibstatus", "cluster", "configure", "history", "maintenance", "node", "options", "ra", "resource", "site"]),
    ([], "nosuch ", []),
]


@pytest.mark.parametrize("level,text,expected", CASES, ids=[f"{'/'.join(c[0])}:{c[1]}" for c in CASES])
def test_suggest(level: list[str], text: str, expected: list[str]) -> None:
    assert suggest(FakeSource(), level, text) == expected


def test_command_names_per_level() -> None:
    words = suggest(FakeSource(), ["configure"], "")
    assert {"primitive", "commit", "show", "edit", "up", "help"} <= set(words)
    assert "move" not in words and "?" not in words


def test_a_failing_source_gives_no_candidates() -> None:
    class Broken(FakeSource):
        def resources(self, state: str | None = None) -> list[str]:
            raise RuntimeError("cluster gone")

    assert suggest(Broken(), ["resource"], "start ") == []
