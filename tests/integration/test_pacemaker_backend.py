"""The shell driving Pacemaker's own tools (Debian pacemaker-cli-utils) on a temp CIB_file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.ours import crm_process
from support.reference import run as real_tool

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"


def _load_demo(env: dict[str, str]) -> None:
    done = crm_process(env, "--backend", "pacemaker", "-F", "configure", "load", "update", str(DEMO))
    assert done.returncode == 0, done.stderr


def _constraints(env: dict[str, str]) -> ET.Element:
    query = real_tool(["cibadmin", "-Q", "-o", "constraints"], env=env)
    assert query.returncode == 0, query.stderr
    return ET.fromstring(query.stdout)


def test_demo_configuration_lands_in_the_real_cib(pcmk_env: dict[str, str]) -> None:
    _load_demo(pcmk_env)
    query = real_tool(["cibadmin", "-Q", "-o", "resources"], env=pcmk_env)
    dummy = ET.fromstring(query.stdout).find("primitive[@id='dummy']")
    assert dummy is not None
    assert (dummy.get("class"), dummy.get("provider"), dummy.get("type")) == ("ocf", "heartbeat", "Dummy")
    ops = {op.get("id"): op.get("on-fail") for op in dummy.iter("op")}
    assert ops == {"dummy-start-0s": "restart", "dummy-monitor-10s": "restart", "dummy-stop-0s": "stop"}


def test_move_and_unmove_through_the_real_crm_resource(pcmk_env: dict[str, str]) -> None:
    _load_demo(pcmk_env)
    moved = crm_process(pcmk_env, "--backend", "pacemaker", "-R", "resource", "move", "dummy", "srv02", "force")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[0] == ".EXT crm_resource -M -r 'dummy' --node='srv02' --force"
    prefer = _constraints(pcmk_env).find("rsc_location[@id='cli-prefer-dummy']")
    assert prefer is not None
    assert (prefer.get("rsc"), prefer.get("node"), prefer.get("score")) == ("dummy", "srv02", "INFINITY")

    cleared = crm_process(pcmk_env, "--backend", "pacemaker", "-R", "resource", "unmove", "dummy")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.splitlines()[0] == ".EXT crm_resource -U -r 'dummy'"
    assert _constraints(pcmk_env).find("rsc_location[@id='cli-prefer-dummy']") is None


def test_configure_show_sees_a_change_made_by_a_real_tool(pcmk_env: dict[str, str]) -> None:
    _load_demo(pcmk_env)
    changed = real_tool(["crm_resource", "-r", "dummy", "--meta", "-p", "target-role", "-v", "Stopped"], env=pcmk_env)
    assert changed.returncode == 0, changed.stderr
    shown = crm_process(pcmk_env, "--backend", "pacemaker", "configure", "show", "dummy")
    assert shown.returncode == 0, shown.stderr
    # What crmsh 4.4.1 shows for the same CIB: children in XML order, the comment kept.
    assert shown.stdout == (
        "### Primitive Configuration ###\n"
        "primitive dummy Dummy \\\n"
        "\top start interval=0s timeout=120s on-fail=restart \\\n"
        "\top monitor interval=10s timeout=120s on-fail=restart \\\n"
        "\top stop interval=0s timeout=120s on-fail=stop \\\n"
        "\tmeta target-role=Stopped\n"
    )


def test_ra_commands_go_through_the_real_crm_resource(pcmk_env: dict[str, str]) -> None:
    classes = crm_process(pcmk_env, "--backend", "pacemaker", "-R", "ra", "classes")
    assert classes.returncode == 0, classes.stderr
    real = real_tool(["crm_resource", "--list-standards"], env=pcmk_env).stdout.split()
    assert ".EXT crm_resource --list-standards" in classes.stdout
    for standard in real:
        assert standard in classes.stdout
    info = crm_process(pcmk_env, "--backend", "pacemaker", "ra", "info", "ocf:heartbeat:Dummy")
    if not Path("/usr/lib/ocf/resource.d/heartbeat/Dummy").exists():
        pytest.skip("resource-agents not installed")
    assert info.returncode == 0, info.stderr
    assert "state" in info.stdout and "fake" in info.stdout


def test_verify_goes_through_the_real_crm_verify(pcmk_env: dict[str, str]) -> None:
    # stonith-enabled defaults to true and there is no stonith device: Pacemaker's crm_verify says so.
    crm_process(pcmk_env, "--backend", "pacemaker", "-F", "configure", "primitive", "d1", "ocf:heartbeat:Dummy")
    verdict = crm_process(pcmk_env, "--backend", "pacemaker", "-R", "verify")
    assert ".EXT crm_verify -L" in verdict.stdout
    real = real_tool(["crm_verify", "-L"], env=pcmk_env)
    assert real.returncode != 0
    assert verdict.returncode == 1
    assert "STONITH" in verdict.stdout + verdict.stderr


def test_backend_is_picked_automatically_for_a_cib_file(pcmk_env: dict[str, str]) -> None:
    _load_demo(pcmk_env)
    status = crm_process(pcmk_env, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[0] == "Backend: pacemaker (local)"
    # The real crm_mon offline on a CIB file: no stack, no DC.
    assert "Stack: unknown" in status.stdout
    forced = crm_process(pcmk_env, "--backend", "bundled", "status")
    assert forced.returncode == 0, forced.stderr
    assert "Backend:" not in forced.stdout
    # Our own crm_mon on the same file says what Pacemaker's says (but the clock line).
    real = real_tool(["crm_mon", "-1", "-r"], env=pcmk_env).stdout  # what `crm status` runs
    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if "Last updated" not in line]
    assert strip(forced.stdout) == strip(real)
