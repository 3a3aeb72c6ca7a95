"""Causes of difference from crmsh 4.4.1 found by the differential run (``fuzz.py``), round 4: one
test each, the expected texts being what crmsh 4.4.1 printed for the same input on the same CIB
(crmsh's sample configuration, as in ``test_fuzz_causes.py``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from test_fuzz_causes import MISSING, Shell

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(bool(MISSING), reason=f"Pacemaker's tools are not installed: {MISSING}")]


@pytest.fixture
def shell(tmp_path) -> Shell:  # type: ignore[no-untyped-def]
    return Shell(tmp_path)


def _listed(xml: str) -> list[str]:
    """The sections and the top-level elements of a ``show xml``, in order (``tag`` for a section,
    ``tag:id`` for an element)."""
    root = ET.fromstring(xml.split("?>", 1)[1])
    configuration = root.find("configuration")
    assert configuration is not None
    return [item for section in configuration
            for item in (section.tag, *(f"{e.tag}:{e.get('id')}" for e in section))]


def test_show_xml_lists_a_new_group_where_its_first_member_was(shell: Shell) -> None:
    # crmsh builds the document from its list of objects: a container comes where the first of
    # it and its members is (p3 was read before st), not at the end where the CIB appends it
    rc, out, _ = shell.crm(stdin="configure\nprimitive d1 ocf:pacemaker:Dummy\ngroup g-mod p3\nshow xml\n")
    assert rc == 0
    resources = [e for e in _listed(out) if e.split(":")[0] in ("primitive", "group", "clone")]
    assert resources == ["primitive:p0", "group:g-mod", "primitive:st", "primitive:d1"]


def test_show_xml_lists_what_it_read_by_kind_templates_first(shell: Shell) -> None:
    # once committed and read again, crmsh lists templates before primitives, then bundles,
    # groups, clones (a container where its first primitive comes)
    assert shell.crm(stdin="configure\nrsc_template tpl-1 ocf:heartbeat:Dummy\ngroup g0 p3\n"
                           "bundle b1 docker image=x\ncommit\n")[0] == 0
    rc, out, _ = shell.crm("configure", "show", "xml")
    assert rc == 0
    resources = [e for e in _listed(out) if e.split(":")[0] in ("primitive", "group", "clone", "template", "bundle")]
    assert resources == ["template:tpl-1", "primitive:p0", "primitive:st", "group:g0", "bundle:b1"]


def test_sections_made_in_a_session_are_listed_in_the_order_made(shell: Shell) -> None:
    # the document crmsh checks and shows gets the optional sections as it needs them
    rc, out, _ = shell.crm(stdin="configure\nfencing_topology node1: st\nrsc_defaults rsc-options: target-role=Started\n"
                                 "tag t1 p0\nalert a1 /bin/true\nshow xml\n")
    assert rc == 0
    sections = [e for e in _listed(out) if ":" not in e]
    assert sections == ["crm_config", "nodes", "resources", "constraints", "op_defaults", "fencing-topology",
                        "rsc_defaults", "tags", "alerts"]


def test_crm_verify_reads_the_configuration_in_the_listed_order(shell: Shell) -> None:
    # the schema's complaints about a group made over an existing primitive come in crmsh's order,
    # ending with the group's own place in <resources>
    rc, _, err = shell.crm(stdin="configure\nprimitive D8x ocf:heartbeat:Dummy op demote interval=1m timeout=1m "
                                 "op_params OCF_CHECK_LEVEL=10 op_meta requires=nothing\n"
                                 "group g-mod p0\nmodgroup g-mod add D8x\nverify\n")
    assert rc == 1
    said = [re.sub(r"\(\d+\)", "(N)", " ".join(re.sub(r"^ERROR: (<stdin>:\d+: )?", "", line).split()))
            for line in err.splitlines() if line.startswith("ERROR")]
    assert said[:6] == ["nvpair (N): Element nvpair failed to validate attributes",
                        "Relax-NG validity error : Extra element operations in interleave",
                        "operations (N): Element primitive failed to validate content",
                        "Relax-NG validity error : Extra element primitive in interleave",
                        "primitive (N): Element group failed to validate content",
                        "group (N): Element resources has extra content: group"]


def test_a_primitive_deleted_and_made_again_is_listed_as_new(shell: Shell) -> None:
    # after `erase`, a resource made again with an id the CIB had is new to crmsh: listed in the
    # order made, after what is still as read
    rc, out, _ = shell.crm(stdin="configure\nerase\nprimitive d9 ocf:pacemaker:Dummy\nprimitive p0 ocf:pacemaker:Dummy\n"
                                 "colocation c1 inf: d9 p0\nlocation l1 p0 100: node1\nshow xml\n")
    assert rc == 1  # (the commit on the way out: no stonith resource left; crmsh's too)
    assert [e for e in _listed(out) if ":" in e and not e.startswith("node:")] == [
        "primitive:d9", "primitive:p0", "rsc_colocation:c1", "rsc_location:l1"]


@pytest.mark.parametrize("before, where", [
    ("configure\nprimitive d1 Dummy\n", "configure.primitive"),
    ("configure\nshow\n", "configure.show"),
    ("configure\nnosuch\n", "configure.nosuch"),  # (even a command it does not know)
    ("configure\nshow\nup\n", "up"),
    ("status\n", "status"),
])
def test_a_line_that_cannot_be_split_names_the_last_command_dispatched(shell: Shell, before: str, where: str) -> None:
    # crmsh's context keeps the name of the command it ran last, with the level it is at now
    rc, _, err = shell.crm(stdin=before + 'primitive d-x Dummy params state="unterminated\n')
    assert rc == 1
    assert f"ERROR: {where}: No closing quotation" in err.splitlines()


def test_rename_keeps_the_ids_of_a_constraints_resource_sets(shell: Shell) -> None:
    # crmsh renames the constraint only: its sets keep the ids made from the old name, plain
    # member lists included (ours made them again from the new name)
    rc, out, _ = shell.crm(stdin="configure\nrsc_ticket tk1 ticket1: p3 p0 loss-policy=fence\n"
                                 "order o1 Mandatory: ( p0 p3 ) st\ncolocation c8 inf: p0:Started p3:Master st\n"
                                 "rename tk1 tk1-new\nrename o1 o1-new\nrename c8 c8-new\n"
                                 "show type:order type:colocation type:rsc_ticket\ncommit\n")
    assert (rc, out) == (0, "colocation c8-new inf: p0:Started p3:Master st\norder o1-new Mandatory: ( p0 p3 ) st\n"
                            "rsc_ticket tk1-new ticket1: p3 p0 loss-policy=fence\n")
    sets = re.findall(r'<(rsc_\w+) id="([^"]+)"|<resource_set (?:[\w-]+="[^"]*" )*id="([^"]+)"', shell.config())
    assert [s[1] or s[2] for s in sets] == ["tk1-new", "tk1-0", "o1-new", "o1-0", "o1-1", "c8-new", "c8-0", "c8-1",
                                            "c8-2"]


def test_default_timeouts_gives_the_implied_operations_the_agents_timeouts(shell: Shell) -> None:
    # crmsh 4.4.1: the first start/stop (migrate_* with allow-migrate=true, promote/demote in a
    # promotable clone) and every monitor get the advised timeout, the missing ones are added;
    # the implied list is one for the command (d2 gets no start: d1 had one); a templated
    # primitive keeps its own ops; what names no primitive fails the command
    rc, out, err = shell.crm(stdin=(
        "configure\nprimitive d1 ocf:heartbeat:Dummy op start interval=0 op monitor interval=10s "
        "op notify interval=0 timeout=5s\nprimitive d2 ocf:heartbeat:Dummy meta allow-migrate=true\n"
        "primitive s1 ocf:pacemaker:Stateful op monitor interval=11s role=Slave op start interval=0 timeout=1s "
        "op start interval=10s\nclone m2 s1 meta promotable=yes\nclone c9 p3\n"
        "rsc_template tpl ocf:heartbeat:Dummy op start interval=0 timeout=1s\nprimitive d3 @tpl op monitor interval=5s\n"
        "default-timeouts d1 d2\ndefault-timeouts s1\ndefault-timeouts d3\ndefault-timeouts nosuch c9 st\n"
        "show d1 d2 s1 d3 st\n"))
    assert out == ("primitive d1 Dummy \\\n\top start interval=0 timeout=20s \\\n\top monitor interval=10s timeout=20s \\\n"
                   "\top notify interval=0 timeout=5s \\\n\top stop timeout=20s interval=0\n"
                   "primitive d2 Dummy \\\n\tmeta allow-migrate=true \\\n\top stop timeout=20s interval=0 \\\n"
                   "\top migrate_to timeout=20s interval=0 \\\n\top migrate_from timeout=20s interval=0\n"
                   "primitive d3 @tpl \\\n\top monitor interval=5s \\\n\top stop timeout=20s interval=0\n"
                   "primitive s1 ocf:pacemaker:Stateful \\\n\top monitor interval=11s role=Slave \\\n"
                   "\top start interval=0 timeout=20s \\\n\top start interval=10s \\\n\top stop timeout=20s interval=0 \\\n"
                   "\top promote timeout=10s interval=0 \\\n\top demote timeout=10s interval=0\n"
                   "primitive st stonith:null \\\n\tparams hostlist=node1 \\\n\top start timeout=20 interval=0 \\\n"
                   "\top stop timeout=15 interval=0\n")
    said = [re.sub(r"<stdin>:\d+: ", "", line) for line in err.splitlines()]
    assert "ERROR: object nosuch does not exist" in said
    assert "WARNING: element c9 is not a primitive" in said
    assert said.index("ERROR: object nosuch does not exist") < said.index("WARNING: element c9 is not a primitive")
    assert rc == 1


def test_a_commit_makes_new_sections_in_the_order_their_first_elements_were_made(shell: Shell) -> None:
    # crmsh appends a section to the CIB when it adds the first element that needs it
    rc, _, _ = shell.crm(stdin="configure\nalert al-1 /bin/true\nrole r1 read xpath:/cib\ntag t1 p0\n"
                               "fencing_topology node1: st\ncommit\n")
    assert rc == 0
    order = [m for m in re.findall(r"^    <([\w-]+)", shell.config(), re.M)]
    assert order == ["crm_config", "nodes", "resources", "constraints", "op_defaults", "alerts", "acls", "tags",
                     "fencing-topology"]


def test_erase_deletes_a_templates_primitives_with_it_and_says_so(shell: Shell) -> None:
    # crmsh deletes element by element: the template takes its primitives along ("hanging"), and
    # when their own turn comes they are not there any more (not said with -F); emptied sections stay
    text = ("configure\nrsc_template tpl-x ocf:heartbeat:Dummy\nprimitive dt-1 @tpl-x\nprimitive d2 Dummy\n"
            "primitive dt-2 @tpl-x\ngroup g1 d2 dt-2\nerase\nshow\n")
    rc, out, err = shell.crm(stdin=text)
    assert (rc, out) == (0, "node node1\n")
    assert [re.sub(r"<stdin>:\d+: ", "", line) for line in err.splitlines()] == [
        "INFO: hanging primitive:dt-1 deleted", "INFO: hanging primitive:dt-2 deleted",
        "ERROR: object dt-1 does not exist", "ERROR: object dt-2 does not exist"]
    assert "<op_defaults/>" in shell.config()
    rc, _, _ = shell.crm(stdin="configure\nfencing_topology node1: st\ncommit\nerase\ncommit\n")
    assert rc == 0 and "fencing-topology" not in shell.config()  # (the topology is the section: it goes)
    assert "does not exist" not in shell.crm("-F", stdin=text)[2]


def test_a_filter_gets_the_elements_without_comments_or_a_last_newline(shell: Shell) -> None:
    # crmsh's filter input: one line an element, no comments, no newline at the end; so the
    # comments of the filtered elements go when the filter changes anything
    rc, out, _ = shell.crm(stdin="configure\nprimitive d1 Dummy\n# on d2\nprimitive d2 Dummy\ngroup g1 d1 d2\n"
                                 "filter \"sed 's/^/# a comment\\n/'\" g1\nshow g1\n"
                                 "filter \"sed 's/^/# b comment\\n/; s/d1 d2/d2 d1/'\" g1\nshow g1\n"
                                 "filter \"sed 's/d1 Dummy/d1 Dummy params fake=1/'\" d1 d2\nshow d2\n"
                                 f"filter \"tee {shell.root}/seen.txt\" d1 d2\n")
    assert (rc, out) == (0, "# a comment\ngroup g1 d1 d2\n# b comment\ngroup g1 d2 d1\nprimitive d2 Dummy\n")
    assert (shell.root / "seen.txt").read_text() == "primitive d1 Dummy params fake=1\nprimitive d2 Dummy"


def _resources(config: str) -> list[str]:
    return re.findall(r'^      <(?:primitive|group|clone|template|bundle) id="([^"]+)"', config, re.M)


@pytest.mark.parametrize("change, order", [
    ("modgroup g1 remove d-1\n", ["p0", "p3", "st", "d3", "g1", "d-1"]),
    ("delete g1\n", ["p0", "p3", "st", "d3", "d-1", "d_2"]),
    ("filter \"sed 's/group g1 d-1 d_2/group g1 d_2/'\" g1\n", ["p0", "p3", "st", "d3", "g1", "d-1"]),
    ("delete g1\nprimitive d9 Dummy\n", ["p0", "p3", "st", "d3", "d-1", "d_2", "d9"]),
    ("filter \"sed 's/d-1/p3/'\" g1\ndelete g1\n", ["p0", "st", "d3", "d-1", "p3", "d_2"]),
])
def test_a_resource_taken_out_of_its_group_goes_to_the_end_of_the_resources(shell: Shell, change: str,
                                                                               order: list[str]) -> None:
    # crmsh appends a freed member to <resources> when it frees it (after what there was, before
    # what is made later); its ids stay as they were
    rc, _, err = shell.crm(stdin="configure\nprimitive d-1 Dummy op monitor interval=10s\nprimitive d_2 Dummy\n"
                                 "primitive d3 Dummy\ngroup g1 d-1 d_2\n" + change + "commit\n")
    assert rc == 0
    assert _resources(shell.config()) == order
    assert 'id="d-1-monitor-10s"' in shell.config()
    assert "hanging" not in err  # (an emptied group goes quietly)


def test_erase_reaches_tags_their_last_members_took_along(shell: Shell) -> None:
    # a tag goes (quietly) with its last member, a group with its last primitive: when erase
    # comes to the tag it is not there any more
    rc, _, err = shell.crm(stdin="configure\nprimitive d1 Dummy\nprimitive d2 Dummy\ngroup g1 d2\ntag t1 p0 p3\n"
                                 "tag t2 d1 g1\ncommit\nerase\n")
    assert rc == 0
    assert [re.sub(r"<stdin>:\d+: ", "", line) for line in err.splitlines() if "does not exist" in line] == [
        "ERROR: object t1 does not exist", "ERROR: object t2 does not exist"]


def test_a_batch_gets_crmshs_words_without_a_did_you_mean(shell: Shell) -> None:
    # hints are for a person typing a command; a batch (a script's input) gets crmsh's line
    rc, _, err = shell.crm(stdin="configure\nprimitive d3 Dummy\nshow d3x\n")
    assert (rc, re.sub(r"<stdin>:\d+: ", "", err)) == (1, "ERROR: object d3x does not exist\n")
    assert '(did you mean "d3"?)' in shell.crm("configure", "show", "d3x")[2]  # a one-shot keeps it


@pytest.mark.parametrize("line, said", [
    ("rename a", "configure.rename: Expected (old_id new_id), takes exactly 2 arguments (1 given)"),
    ("modgroup g1 add", "configure.modgroup: Expected (group_id subcmd prim_id [args ...]), takes at least 3 arguments "
                        "(2 given)"),
    ("filter", "configure.filter: Expected (filterprog [args ...]), takes at least 1 arguments (0 given)"),
    ("verify x", "configure.verify: Expected (), takes exactly 0 arguments (1 given)"),
    ("commit a b c", "configure.commit: Expected ([arg0] [arg1]), takes at most 2 arguments (3 given)"),
])
def test_a_wrong_number_of_arguments_gets_crmshs_words(shell: Shell, line: str, said: str) -> None:
    # crmsh checks the count against its handler's signature before anything else
    rc, _, err = shell.crm(stdin=f"configure\n{line}\n")
    assert (rc, re.sub(r"<stdin>:\d+: ", "", err)) == (1, f"ERROR: {said}\n")


def test_a_node_defined_again_is_merged_into_its_entry(shell: Shell) -> None:
    # crmsh's exception for nodes: its values go into the first set of the same kind (by name,
    # the set's rule left out; ids from the set crmsh made first), other kinds of sets are added
    rc, out, err = shell.crm(stdin="configure\nnode node1 attributes rule defined pingd a=1\n"
                                   "node node1 attributes b=2 a=3 utilization cpu=1\n"
                                   "node node1 attributes rule defined x c=3\nshow node1\ncommit\n")
    assert (rc, out, err) == (0, "node node1 \\\n\tattributes rule defined pingd a=3 b=2 c=3 \\\n\tutilization cpu=1\n", "")
    assert re.findall(r'<nvpair name="(\w+)" value="\d" id="([^"]+)"', shell.config()) == [
        ("a", "node1-instance_attributes-a"), ("b", "node1-instance_attributes-0-b"),
        ("c", "node1-instance_attributes-1-c"), ("cpu", "node1-utilization-cpu")]


def test_a_sets_rule_gets_its_default_score_from_a_filter_or_a_load_too(shell: Shell) -> None:
    # crmsh's parser stores score="INFINITY" for a set's rule written without one, whatever the
    # text comes from (a line, a filter's output, a loaded file)
    (shell.root / "l.crm").write_text("property e1: rule defined pingd batch-limit=10\n", encoding="utf-8")
    rc, _, _ = shell.crm(stdin="configure\nproperty e2: rule inf: defined pingd maintenance-mode=false batch-limit=10\n"
                               "filter \"sed s/batch-limit=10//\" e2\n"
                               f"load update {shell.root}/l.crm\ncommit\n")
    assert rc == 0
    assert re.findall(r'<rule (?:score="(\w+)" )?id="(e\d-rule)"', shell.config()) == [("INFINITY", "e2-rule"),
                                                                                      ("INFINITY", "e1-rule")]


def test_delete_names_every_missing_id_and_modgroup_a_missing_anchor(shell: Shell) -> None:
    rc, _, err = shell.crm(stdin="configure\nprimitive d1 Dummy\ngroup g1 d1\nmodgroup g1 add p0 before nosuch\n"
                                 "delete x1 x2 x3\ndelete x4 p3 x5\nshow p3\n")
    assert rc == 1
    assert [re.sub(r"<stdin>:\d+: ", "", line) for line in err.splitlines()] == [
        "ERROR: configure.modgroup: nosuch is not member of g1", "ERROR: object x1 does not exist",
        "ERROR: object x2 does not exist", "ERROR: object x3 does not exist", "ERROR: object x4 does not exist",
        "ERROR: object x5 does not exist", "ERROR: object p3 does not exist"]


def test_modgroup_drops_the_groups_comments_and_rename_checks_the_new_id_first(shell: Shell) -> None:
    # crmsh makes the group again from its text (no comments); rename looks at the new id before
    # the old one
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 Dummy\nprimitive d2 Dummy\ngroup g1 d1\n"
                                   "filter \"sed 's/^/# fc\\n/'\" g1\nmodgroup g1 add d2\nshow g1\n"
                                   "rename d1 d1x\nrename d1 d1x\n")
    assert (rc, out) == (1, "group g1 d1 d2\n")
    assert re.sub(r"<stdin>:\d+: ", "", err) == "ERROR: d1x: id is already in use\n"


def test_rename_back_and_forth_with_a_tag_on_it(shell: Shell) -> None:
    # the tag's reference to the old name is no id in use: renaming back is allowed
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 Dummy\ntag tg d1 p0\nrename d1 d1x\nrename d1x d1\n"
                                   "show tg\ncommit\n")
    assert (rc, out, err) == (0, "tag tg d1 p0\n", "")
