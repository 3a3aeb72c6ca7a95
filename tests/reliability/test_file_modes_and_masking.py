"""Issue 13 items 7 and 8: the cluster directory and its files are private (0700/0750, 0600/0640)
whatever the umask; secret values are masked from the meaning of the command line (the tool's
options, the crm words) in every form listed; masking is linear in the length of the line."""

from __future__ import annotations

from pathlib import Path

import pytest

import rel_probes
from crmsh_py.invocation import mask_secrets


def test_state_is_private_and_secrets_are_masked(tmp_path: Path) -> None:
    assert rel_probes.probe_secrets(tmp_path, rounds=1) == []


@pytest.mark.parametrize(("argv", "expected"), [
    (["crm_resource", "-r", "st", "-ppasswd", "-v", "x"], ["crm_resource", "-r", "st", "-ppasswd", "-v", "*****"]),
    (["crm_resource", "-v", "x", "--parameter=passwd"], ["crm_resource", "-v", "*****", "--parameter=passwd"]),
    (["crm_resource", "-r", "passwd", "-p", "user", "-v", "x"], ["crm_resource", "-r", "passwd", "-p", "user",
                                                                 "-v", "x"]),
    (["cibadmin", "-C", "-X", '<nvpair value="x" name="passwd"/>'],
     ["cibadmin", "-C", "-X", '<nvpair value="*****" name="passwd" />']),
    (["crm", "configure", "primitive", "st", "X", "params", "passwd=x y"],
     ["crm", "configure", "primitive", "st", "X", "params", "passwd=*****"]),
    (["crm", "resource", "param", "st", "set", "passwd=x"], ["crm", "resource", "param", "st", "set", "passwd=*****"]),
    (["crm", "node", "attribute", "n", "set", "password", "x"],
     ["crm", "node", "attribute", "n", "set", "password", "*****"]),
    (["stonith_admin", "-o", "passwd=x"], ["stonith_admin", "-o", "passwd=*****"]),
])
def test_masking_follows_the_meaning(argv: list[str], expected: list[str]) -> None:
    assert mask_secrets(argv) == expected


def test_masking_is_linear() -> None:
    assert rel_probes.probe_masking_speed(sizes=(32_000, 64_000), tool_size=100_000) == []
