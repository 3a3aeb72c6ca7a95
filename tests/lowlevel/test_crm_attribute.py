"""crm_attribute: options, output text and exit codes, compared with Pacemaker's on the same CIB."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bundled as fixtures
from support.cib_files import twin_cibs
from support.ours import tool as run, tool_on as ours
from support.reference import MISSING as REASON, have, run_on as real

HAVE_REAL = have("cibadmin", "crm_attribute")

CASES = [
    ["crm_attribute", "-N", "srv01", "-n", "foo", "-v", "1"],
    ["crm_attribute", "-N", "srv01", "-n", "foo", "-G"],
    ["crm_attribute", "--node", "srv01", "--name=foo", "--query", "-q"],
    ["crm_attribute", "-N", "srv01", "-n", "foo", "-G", "-l", "reboot"],
    ["crm_attribute", "-N", "srv01", "-n", "bar", "-l", "reboot", "-v", "2"],
    ["crm_attribute", "-t", "status", "-N", "srv01", "-n", "bar", "-G"],
    ["crm_attribute", "-N", "srv01", "-n", "bar", "-l", "reboot", "-D"],
    ["crm_attribute", "-n", "cluster-delay", "-v", "60s"],
    ["crm_attribute", "-G"],
    ["crm_attribute", "-n", "cluster-delay", "-D"],
    ["crm_attribute", "-n", "cluster-delay", "-D"],
    ["crm_attribute", "-n", "nope", "-G"],
    ["crm_attribute", "-N", "srvXX", "-n", "foo", "-G"],
    ["crm_attribute", "-N", "srv02", "-n", "standby", "-G", "-d", "off"],
    ["crm_attribute", "-N", "srv01", "-n", "foo", "-l", "bogus", "-v", "1"],
    ["crm_attribute", "-p", "dummy", "-N", "srv01", "-v", "5"],
    ["crm_attribute", "-p", "dummy", "-N", "srv01", "-G"],
    ["crm_attribute", "-N", "srv01", "-n", "foo", "-D"],
    ["crm_attribute", "--bogus"],
    ["crm_attribute", "-Z"],
    ["crm_attribute", "-n"],
]


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_same_output_as_pacemaker(demo_cib: Path, tmp_path: Path) -> None:
    a, b = twin_cibs(tmp_path, demo_cib)
    for argv in CASES:
        assert ours(argv, b) == real(argv, a), argv


@pytest.fixture
def demo_cib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cluster = fixtures.make_cluster(tmp_path / "cluster", monkeypatch)
    fixtures.load_demo(cluster)
    return cluster.path


def test_usage_error_changes_nothing(demo_cib: Path) -> None:
    before = demo_cib.read_text()
    rc, out, err = run(["crm_attribute", "-n", "x", "-v", "1", "--bogus"])
    assert (rc, out, err) == (64, "", "crm_attribute: Unknown option --bogus\n")
    assert demo_cib.read_text() == before


def test_rsc_and_op_defaults(demo_cib: Path) -> None:
    assert run(["crm_attribute", "-t", "op_defaults", "-n", "timeout", "-v", "30s"])[0] == 0
    assert run(["crm_attribute", "-t", "op_defaults", "-n", "timeout", "-G"])[1] == \
        "scope=op_defaults  name=timeout value=30s\n"
    assert run(["crm_attribute", "--type=rsc_defaults", "-n", "resource-stickiness", "-G", "-q"])[1] == "INFINITY\n"
    assert 'id="op-options-timeout"' in demo_cib.read_text()


def test_utilization(demo_cib: Path) -> None:
    assert run(["crm_attribute", "-N", "srv02", "-z", "-n", "cpu", "-v", "4"])[0] == 0
    assert 'id="nodes-22222222-2222-2222-2222-222222222222-utilization-cpu"' in demo_cib.read_text()


def test_option_parser_forms() -> None:
    from crmsh_py.lowlevel.options import Opt, UsageError, parse_options

    spec = [Opt("r", "resource", arg=True), Opt("Q", "query"), Opt("l", "local"),
            Opt("p", "promotion", arg=True, optional_arg=True)]
    for args in (["-r", "X"], ["-rX"], ["--resource", "X"], ["--resource=X"]):
        assert parse_options("t", args, spec).get("resource") == "X"
    parsed = parse_options("t", ["-Ql", "word", "--", "-r"], spec)
    assert parsed.has("query") and parsed.has("local") and parsed.positional == ["word", "-r"]
    assert parse_options("t", ["-p", "-Q"], spec).get("promotion") == ""
    assert parse_options("t", ["-p", "rsc"], spec).get("promotion") == "rsc"
    with pytest.raises(UsageError, match="Missing argument for -r"):
        parse_options("t", ["-r"], spec)
    with pytest.raises(UsageError, match="Unknown option --res"):
        parse_options("t", ["--res=X"], spec)


def test_an_option_is_an_immutable_value() -> None:
    from crmsh_py.lowlevel.options import Opt

    opt = Opt("p", "promotion", arg=True, optional_arg=True)
    assert opt == Opt("p", "promotion", True, None, True) and hash(opt) == hash(Opt("p", "promotion", True, None, True))
    assert opt != Opt("p", "promotion", arg=True) and opt.key == "promotion" and Opt("f", None).key == "f"
    assert Opt(None, "un-move", dest="clear").key == "clear"
    assert repr(Opt("Q", "quiet")) == "Opt(short='Q', long='quiet', arg=False, dest=None, optional_arg=False)"
    with pytest.raises(AttributeError):
        opt.arg = False  # type: ignore[misc]


def test_registry_unknown_tool() -> None:
    rc, _out, err = run(["crm_nothing"])
    assert rc == 5 and "command not found" in err
