"""One test per cause of difference from crmsh 4.4.1 that the differential run (``fuzz.py``) found
and that is fixed; the expected texts are what crmsh 4.4.1 printed for the same input on the same
CIB (crmsh's sample: ``compat_run.SAMPLE``).  Our shell runs as a user runs it, on a CIB file with
Pacemaker's tools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compat_run import OURS, SYSTEM_PATH, _env  # noqa: E402
from fuzz import LOGGED, clean  # noqa: E402

TOOLS = ("/usr/sbin/cibadmin", "/usr/sbin/crm_verify", "/usr/sbin/crm_resource", "/usr/sbin/crm_attribute")
MISSING = [t for t in TOOLS if not Path(t).is_file()]
pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(bool(MISSING), reason=f"Pacemaker's tools are not installed: {MISSING}")]

# crmsh's sample configuration (compat_run.SAMPLE), loaded by our shell
SAMPLE = """node node1
primitive p0 ocf:pacemaker:Dummy
primitive p3 ocf:pacemaker:Dummy
primitive st stonith:null params hostlist=node1
op_defaults timeout=60s
"""


class Shell:
    """Our ``crm`` on one CIB file, in a clean environment (compat_run's)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cib = root / "cib.xml"
        empty = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True,
                               env={"PATH": SYSTEM_PATH})
        self.cib.write_text(empty.stdout, encoding="utf-8")
        self.env = _env(root, self.cib)
        (root / "home" / "config" / "crmsh_py" / "options.yaml").unlink()  # the defaults, as a user has them
        (root / "sample.crm").write_text(SAMPLE, encoding="utf-8")
        assert self.crm("configure", "load", "update", str(root / "sample.crm"))[0] == 0

    def crm(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Exit code, stdout and stderr (colours, line numbers and the run's directory taken out)."""
        done = subprocess.run([*OURS, *args], input=stdin, capture_output=True, text=True, timeout=120,
                              env={**self.env, **(env or {})}, cwd=self.root, check=False)
        return done.returncode, clean(done.stdout, str(self.root)), clean(done.stderr, str(self.root))

    def config(self) -> str:
        return self.cib.read_text(encoding="utf-8").split("<status")[0]


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    return Shell(tmp_path)


def _said(out: str, err: str) -> tuple[list[str], list[str]]:
    """(INFO/WARNING lines, ERROR lines), each in order: crmsh logs the former on stdout, ours on
    stderr (stdout stays the command's answer), so only their order among themselves is compared.
    The offline CIB's lack-of-quorum warning is left out, as crmsh's own harness does."""
    lines = [" ".join(line.split()) for line in (out + err).splitlines() if "lack of quorum" not in line]
    return [x for x in lines if x.startswith(LOGGED)], [x for x in lines if x.startswith("ERROR: ")]


GET_TARGET_ROLE = ("ERROR: (get_target_role) error: Ignoring 'target-role' for d1 because 'Promoted' only makes "
                   "sense for promotable clones")
NOT_VALID = "ERROR: crm_verify: Errors found during check: config not valid"


def test_a_refused_commit_shows_crm_verify_lines_as_crmsh_logs_them(shell: Shell) -> None:
    # crmsh: crm_verify's first line by its level, every later one as an error; nothing after
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 ocf:pacemaker:Stateful meta target-role=Promoted\n"
                                   "commit\n")
    assert rc == 1
    assert _said(out, err) == ([], [GET_TARGET_ROLE, NOT_VALID] * 2)  # commit, then at the end
    assert shell.config() == before


def test_a_forced_commit_says_so(shell: Shell) -> None:
    rc, out, err = shell.crm("-F", stdin="configure\nprimitive d1 ocf:pacemaker:Stateful "
                                         "meta target-role=Promoted\ncommit\n")
    assert (rc, _said(out, err)) == (0, (["INFO: commit forced"], [GET_TARGET_ROLE, NOT_VALID]))
    assert 'id="d1"' in shell.config()


def test_sanity_checks_come_element_by_element_in_id_order_with_op_warnings(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nprimitive d9 ocf:heartbeat:Dummy params nosuch=1 "
                                   "op monitor interval=0 op stop interval=10s timeout=0\n"
                                   "primitive d-8 ocf:heartbeat:Dummy params other=2\nverify\n")
    assert rc == 1  # check-mode strict (crmsh's default): unknown parameters fail verify (and commit)
    warnings = ["WARNING: d9: interval in monitor should be larger than 0, advised is 10s",
                "WARNING: d9: Specified interval for stop is 10s, it must be 0",
                "WARNING: d9: specified timeout 0 for stop is smaller than the advised 20s"]
    errors = ['ERROR: d-8: parameter "other" is not known', 'ERROR: d9: parameter "nosuch" is not known']
    assert _said(out, err) == (warnings * 2, errors * 2)  # verify, then the commit at the end


def test_edit_in_a_batch_is_an_info_and_fails(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nedit p0\n")
    assert (rc, _said(out, err)) == (1, (["INFO: edit not allowed in batch mode"], []))


def test_an_iso_8601_interval_is_an_interval(shell: Shell) -> None:
    rc, out, err = shell.crm("configure", "primitive", "d1", "ocf:heartbeat:Dummy", "op", "monitor",
                             "interval=PT10S")
    assert (rc, err) == (0, "")
    assert 'id="d1-monitor-PT10S"' in shell.config()


def test_a_tools_complaint_about_an_attribute_is_shown_as_it_is(shell: Shell) -> None:
    rc, out, err = shell.crm("resource", "param", "nosuch", "delete", "state")
    assert (rc, err.splitlines()) == (1, ["crm_resource: Resource 'nosuch' not found",
                                          "Error performing operation: No such object"])
    rc, out, err = shell.crm("node", "attribute", "node1", "show", "rack")
    assert (rc, err.splitlines()) == (1, ["crm_attribute: Error performing operation: No such device or address"])


def test_a_missing_object_is_named_in_crmsh_words(shell: Shell) -> None:
    for command in ("delete nosuch", "rename nosuch x"):
        rc, out, err = shell.crm(stdin=f"configure\n{command}\n")
        assert (rc, _said(out, err)) == (1, ([], ["ERROR: object nosuch does not exist"])), command


def test_a_location_on_an_unknown_node_is_warned_about(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nlocation l1 p0 100: node2\n"
                                   "location l2 p3 rule 50: #uname eq node3 or #uname eq node1\nverify\n")
    warnings = ["WARNING: l1: referenced node node2 does not exist", "WARNING: l2: referenced node node3 does not exist"]
    assert (rc, _said(out, err)) == (0, (warnings * 2, []))


def test_a_constraint_on_a_clone_member_is_ambiguous(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nclone c1 p0\norder o1 inf: p0 p3\nverify\n")
    errors = ["ERROR: (find_constraint_tag) warning: No template or tag named 'p0'",
              "ERROR: (unpack_order_tags) error: Ignoring constraint 'o1' because 'p0' is not a valid resource or tag",
              NOT_VALID]
    assert rc == 1
    assert _said(out, err) == (["WARNING: o1: resource p0 ambiguous, apply constraints to container"] * 2, errors * 2)


def test_crmsh_words_for_a_taken_id_a_missing_group_and_ms(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nprimitive p0 ocf:pacemaker:Dummy\nlocation p3 p0 100: node1\n"
                                   "modgroup nosuch add p0\nmodgroup p0 add p3\n")
    assert (rc, _said(out, err)) == (1, ([], [
        "ERROR: Cannot create primitive with ID 'p0': Found existing primitive with same ID.",
        "ERROR: Cannot create location with ID 'p3': Found existing primitive with same ID.",
        "ERROR: configure.modgroup: group nosuch does not exist",
        "ERROR: configure.modgroup: element p0 is not a group"]))
    rc, out, err = shell.crm("configure", "ms", "m9", "p3", "meta", "notify=true")
    assert _said(out, err)[0] == ['WARNING: "ms" is deprecated. Please use "clone m9 p3 meta notify=true '
                                  'promotable=true"']


def test_a_group_takes_a_primitives_meta_and_op_values_are_checked(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 ocf:heartbeat:Dummy op monitor interval=10s "
                                   "on-fail=bogus role=Boss\ngroup g1 d1 meta migration-threshold=1 bogus=1\n"
                                   "verify\n")
    warnings = ["WARNING: d1: op 'monitor' attribute 'on-fail' value 'bogus' not recognized",
                "WARNING: d1: op 'monitor' attribute 'role' value 'Boss' not recognized",
                "WARNING: g1: unknown attribute 'bogus'"]
    assert _said(out, err)[0][:3] == warnings


def test_nodes_are_not_renamed_in_a_cib_file_and_a_taken_id_is_in_use(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nrename node1 node9\nrename p0 p3\n")
    assert (rc, _said(out, err)) == (1, ([], ["ERROR: cannot rename nodes", "ERROR: p3: id is already in use"]))


def test_the_legacy_acl_user_is_refused_by_a_pacemaker_2_schema(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nrole r1 read cib\nuser u1 r1\nuser u2 role:r1\n")
    assert (rc, _said(out, err)) == (1, ([], ["ERROR: user not supported by the RNG schema"] * 2))
    assert "u1" not in shell.config()


def test_delete_without_ids_does_nothing_and_says_nothing(shell: Shell) -> None:
    before = shell.config()
    assert shell.crm("configure", "delete") == (0, "", "")
    assert shell.config() == before
