"""Each shell command becomes the right low-level argv, and -R shows it the crm-1.0 way."""

from __future__ import annotations

import pytest

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.session import Session
from crmsh_py.shell.dispatch import execute

from support.fakes import FakeBackend, output

CASES = [
    ("resource move dummy srv02 force", ["crm_resource -M -r 'dummy' --node='srv02' --force"]),
    ("resource migrate dummy srv02", ["crm_resource -M -r 'dummy' --node='srv02'"]),
    ("resource move dummy PT1H", ["crm_resource -M -r 'dummy' --lifetime='PT1H'"]),
    ("resource unmove dummy", ["crm_resource -U -r 'dummy'"]),
    ("resource unmigrate dummy", ["crm_resource -U -r 'dummy'"]),
    ("resource clear dummy srv01", ["crm_resource -U -r 'dummy' --node='srv01'"]),
    ("resource unban dummy", ["crm_resource -U -r 'dummy'"]),
    ("resource ban dummy srv01", ["crm_resource -B -r 'dummy' --node='srv01'"]),
    ("resource cleanup dummy srv01", ["crm_resource --cleanup --resource dummy --node srv01"]),
    ("resource cleanup", ["crm_resource --cleanup"]),
    ("resource cleanup dummy force", ["crm_resource --cleanup --resource dummy --force"]),
    ("resource refresh dummy", ["crm_resource --refresh --resource dummy"]),
    ("resource reprobe dummy srv01 force", ["crm_resource --refresh --resource dummy --node srv01 --force"]),
    ("resource failcount dummy show srv01", ["crm_failcount -G -r 'dummy' -N 'srv01'"]),
    ("resource failcount dummy delete srv01", ["crm_failcount -D -r 'dummy' -N 'srv01'"]),
    ("resource param dummy set fake 2",
     ["crm_resource --resource 'dummy' --set-parameter 'fake' --parameter-value '2'"]),
    ("resource meta dummy delete is-managed", ["crm_resource --meta --resource 'dummy' --delete-parameter 'is-managed'"]),
    ("resource utilization dummy show cpu", ["crm_resource --utilization --resource 'dummy' --get-parameter 'cpu'"]),
    ("resource secret fence1 set passwd pw", ["cibsecret set 'fence1' 'passwd' *****"]),
    ("resource secret fence1 show passwd", ["cibsecret get 'fence1' 'passwd'"]),
    ("resource secret fence1 stash passwd", ["cibsecret stash 'fence1' 'passwd'"]),
    ("resource promote ms1", ["crm_resource --meta -r 'ms1' -p target-role -v Promoted"]),
    ("resource locate dummy d2", ["crm_resource --resource 'dummy' --locate", "crm_resource --resource 'd2' --locate"]),
    ("resource constraints dummy", ["crm_resource -a -r 'dummy'"]),
    ("resource operations", ["crm_resource -O"]),
    ("resource operations dummy srv01", ["crm_resource -O -r 'dummy' -N 'srv01'"]),
    ("resource scores", ["crm_simulate -sUL"]),
    ("resource status", ["crm_resource --list"]),
    ("status", ["crm_mon -1 -r"]),
    ("status failcounts", ["crm_mon -1 -f"]),
    ("status full failcounts", ["crm_mon -1 -n -c -r -f -t"]),
    ("node standby srv01", ["crm_attribute -t nodes -N 'srv01' -n standby -v on"]),
    ("node standby srv01 reboot", ["crm_attribute -N 'srv01' -n standby -l reboot -v on"]),
    ("node standby", ["crm_node -n", "crm_attribute -t nodes -N 'srv01' -n standby -v on"]),
    ("node online srv02", ["crm_attribute -t nodes -N 'srv02' -n standby -v off"]),
    ("node ready srv02", ["crm_attribute -t nodes -N 'srv02' -n maintenance -v 'off'"]),
    ("node attribute srv01 set rack 1", ["crm_attribute -t nodes -N 'srv01' -n 'rack' -v '1'"]),
    ("node utilization srv01 show cpu", ["crm_attribute -z -G -t nodes -N 'srv01' -n 'cpu'"]),
    ("node utilization srv01 delete cpu", ["crm_attribute -z -D -t nodes -N 'srv01' -n 'cpu'"]),
    ("node attribute srv01 show rack", ["crm_attribute -G -t nodes -N 'srv01' -n 'rack'"]),
    ("node status-attr srv01 delete ping", ["crm_attribute -D -t status -N 'srv01' -n 'ping'"]),
    ("node status-attr srv01 set ping 1", ["crm_attribute -t status -N 'srv01' -n 'ping' -v '1'"]),
    ("node show", ["cibadmin -Ql"]),
    ("node server", ["cibadmin -Ql"]),
    ("ra list stonith", ["crm_resource --list-agents='stonith'"]),
    ("ra list ocf pacemaker", ["crm_resource --list-agents='ocf:pacemaker'"]),
    ("ra providers Dummy", ["crm_resource --list-ocf-alternatives='Dummy'"]),
]


@pytest.mark.parametrize("line,ext", CASES, ids=[c[0] for c in CASES])
def test_command_argv_and_ext_lines(session: Session, fake: FakeBackend, line: str, ext: list[str]) -> None:
    execute(session, line)
    shown = [l[len(".EXT "):] for l in output(session).splitlines() if l.startswith(".EXT ")]
    assert shown == ext


def test_ext_line_is_exactly_the_demo_one(session: Session, fake: FakeBackend) -> None:
    execute(session, "resource move dummy srv02 force")
    assert output(session) == ".EXT crm_resource -M -r 'dummy' --node='srv02' --force\n"
    assert fake.calls == [["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"]]


def test_without_regression_mode_nothing_is_echoed(session: Session, fake: FakeBackend) -> None:
    session.regression = False
    execute(session, "resource unmove dummy")
    assert output(session) == ""
    assert fake.calls == [["crm_resource", "-U", "-r", "dummy"]]


def test_tool_failure_becomes_a_command_error_with_its_message(session: Session, fake: FakeBackend) -> None:
    fake.responses[("crm_resource", "-U", "-r", "nope")] = RunResult(105, "", "crm_resource: Resource 'nope' not found\n")
    with pytest.raises(CommandError, match="Resource 'nope' not found"):
        execute(session, "resource unmove nope")


@pytest.mark.parametrize("line", ["resource move", "resource failcount d bogus srv01", "node attribute srv01 set x",
                                  "resource frobnicate d", "status nonsense", "ra list"])
def test_bad_usage_is_an_error_and_runs_nothing(session: Session, fake: FakeBackend, line: str) -> None:
    with pytest.raises(CommandError):
        execute(session, line)
    assert fake.calls == []


def test_ra_list_wraps_like_the_demo(session: Session, fake: FakeBackend) -> None:
    names = ("apcmaster apcmastersnmp apcsmart baytech bladehpi cyclades drac3 external/drac5 "
             "external/dracmc-telnet external/hmchttp external/ibmrsa external/ibmrsa-telnet external/ipmi "
             "external/ippower9258 external/kdumpcheck external/nut").split()
    fake.responses[("crm_resource", "--list-agents=stonith")] = RunResult(0, "\n".join(names) + "\n", "")
    session.regression = False
    execute(session, "ra list stonith")
    assert output(session).splitlines() == [
        "apcmaster apcmastersnmp apcsmart baytech bladehpi cyclades drac3 external/drac5 external/dracmc-telnet",
        "external/hmchttp external/ibmrsa external/ibmrsa-telnet external/ipmi external/ippower9258",
        "external/kdumpcheck external/nut",
    ]


def test_fence_needs_confirmation_when_not_interactive(session: Session, fake: FakeBackend) -> None:
    with pytest.raises(CommandError, match="-F"):
        execute(session, "node fence srv02")
    assert fake.calls == []
    session.force = True
    execute(session, "node fence srv02")
    assert fake.tools() == ["stonith_admin --reboot=srv02"]


def test_levels_persist_and_navigation(session: Session, fake: FakeBackend) -> None:
    execute(session, "resource")
    assert session.prompt() == "crm(live)resource# "
    execute(session, "unmove dummy")
    execute(session, "up")
    assert session.level == []
    execute(session, "cd ra")
    assert session.prompt() == "crm(live)ra# "
    execute(session, "cd ..")
    execute(session, "cd resource")
    execute(session, "quit")
    assert session.quit_requested and session.level == []


def test_help_shows_usage_and_examples(session: Session) -> None:
    execute(session, "help resource move")
    text = output(session)
    assert "move RSC [NODE] [LIFETIME] [force]" in text and "Examples:" in text and "migrate" in text
    execute(session, "help")
    assert "configure" in output(session) and "status" in output(session)


def test_options_set_show_and_save(session: Session, tmp_path, monkeypatch) -> None:
    session.env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    session.env["PATH"] = "/usr/bin:/bin"
    execute(session, "options set editor cat")
    execute(session, "options show editor")
    assert "core.editor = cat\n" in output(session)
    with pytest.raises(CommandError, match="joe not in operator, administrator, expert"):
        execute(session, "options set skill-level joe")
    with pytest.raises(CommandError, match="nosuchprogram does not exist or is not a program"):
        execute(session, "options pager nosuchprogram")
    execute(session, "options save")
    from crmsh_py.session import load_options

    assert load_options(session.env)["editor"] == "cat"
    execute(session, "options reset editor")
    assert session.options["editor"] == ""


def _with_primitive(fake: FakeBackend, rsc: str = "dummy") -> None:
    import xml.etree.ElementTree as ET

    resources = fake.cib.find("configuration/resources")
    ET.SubElement(resources, "primitive", {"id": rsc, "class": "ocf", "provider": "heartbeat", "type": "Dummy"})


def test_start_stop_and_restart_patch_the_cib_as_crmsh(session: Session, fake: FakeBackend) -> None:
    _with_primitive(fake)
    execute(session, "resource stop dummy")
    assert fake.tools()[-2:] == ["cibadmin -Ql", "cibadmin -p -P"]
    pair = fake.cib.find("configuration/resources/primitive/meta_attributes/nvpair")
    assert (pair.get("id"), pair.get("name"), pair.get("value")) == (
        "dummy-meta_attributes-target-role", "target-role", "Stopped")
    execute(session, "resource restart dummy")
    assert [t for t in fake.tools() if not t.startswith("cibadmin -Ql")][-3:] == [
        "cibadmin -p -P", "crm_resource --wait --timeout=120s", "cibadmin -p -P"]
    assert pair.get("value") == "Started" or fake.cib.find(
        "configuration/resources/primitive/meta_attributes/nvpair").get("value") == "Started"


def test_start_of_an_unknown_resource_changes_nothing(session: Session, fake: FakeBackend) -> None:
    _with_primitive(fake)
    with pytest.raises(CommandError, match="Resource not found: nosuch"):
        execute(session, "resource start dummy nosuch")
    assert not any(call[:2] == ["cibadmin", "-p"] for call in fake.calls)


def test_move_ban_and_clear_say_what_they_did_as_crmsh(session: Session, fake: FakeBackend) -> None:
    execute(session, "resource move dummy srv02")
    execute(session, "resource ban dummy")
    execute(session, "resource unmove dummy")
    assert session.err.getvalue().splitlines() == [
        "INFO: Move constraint created for dummy to srv02",
        "INFO: Use `crm resource clear dummy` to remove this constraint",
        "INFO: Ban constraint created for dummy",
        "INFO: Use `crm resource clear dummy` to remove this constraint",
        # crmsh 4.4.1 warns for every deprecated alias of a command
        "WARNING: This command 'unmove' is deprecated, please use 'clear'",
        'INFO: "unmove" is accepted as "clear"',
        "INFO: Removed migration constraints for dummy",
    ]


def test_a_crashed_tool_shows_its_words_then_the_signal_as_crmsh(session: Session, fake: FakeBackend) -> None:
    from crmsh_py.shell.runner import run_oneshot

    said = "Dry run: skipping clean-up of dummy on srv01 due to CIB_file\n"
    fake.responses[("crm_resource", "--cleanup", "--resource", "dummy", "--node", "srv01")] = RunResult(-11, "", said)
    assert run_oneshot(session, "resource cleanup dummy srv01") == 1
    # the tool's own line as it wrote it, then the shell's name of the signal; no ERROR line on top
    assert session.err.getvalue().splitlines()[-2:] == [said.strip(), "Segmentation fault"]
    assert "ERROR" not in session.err.getvalue()
