"""Causes of difference from crmsh 4.4.1 found by the differential run (``fuzz.py``), round 3: one
test each, the expected texts being what crmsh 4.4.1 printed for the same input on the same CIB
(crmsh's sample configuration, as in ``test_fuzz_causes.py``)."""

from __future__ import annotations

import pytest

from test_fuzz_causes import MISSING, Shell, _said

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(bool(MISSING), reason=f"Pacemaker's tools are not installed: {MISSING}")]


@pytest.fixture
def shell(tmp_path) -> Shell:  # type: ignore[no-untyped-def]
    return Shell(tmp_path)


def test_an_op_repeated_with_the_same_name_and_interval_is_taken(shell: Shell) -> None:
    # crmsh and crm_verify take it; the second op's id gets a suffix, commit warns about the monitor
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 ocf:heartbeat:Dummy op start interval=0 "
                                   "op start interval=0 op monitor interval=10s op monitor interval=10\ncommit\n")
    assert rc == 0
    assert _said(out, err) == (["WARNING: d1: interval in monitor must be unique, advised is 10s"], [])
    assert shell.crm("configure", "show", "d1") == (0, "primitive d1 Dummy \\\n\top start interval=0 \\\n"
                                                       "\top start interval=0 \\\n\top monitor interval=10s \\\n"
                                                       "\top monitor interval=10\n", "")
    assert '<op name="start" interval="0" id="d1-start-0-0"/>' in shell.config()


def test_a_fencing_topology_without_targets_covers_the_nodes_known_when_it_is_read(shell: Shell) -> None:
    # crmsh applies the levels to the nodes of that moment, in name order; a node added later is
    # not covered, so the short form no longer fits
    rc, out, err = shell.crm(stdin="configure\nnode n-1\nnode n.3\nfencing_topology st\nnode zz\n"
                                   "show fencing_topology\ncommit\n")
    assert (rc, out, err) == (0, "fencing_topology \\\n\tn-1: st \\\n\tn.3: st \\\n\tnode1: st\n", "")
    assert ['target="n-1" index="1" devices="st" id="fencing"', 'target="n.3" index="1" devices="st" id="fencing-0"',
            'target="node1" index="1" devices="st" id="fencing-1"'] == [
        line.split("<fencing-level ")[1].rstrip("/>") for line in shell.config().splitlines() if "<fencing-level" in line]


@pytest.mark.parametrize("line, shown", [
    # one device list for as many targets as nodes: the short form, whatever the targets
    ("fencing_topology node1: st,st", "fencing_topology st,st\n"),
    # ... which reads back as the nodes: not the same, so crmsh shows the XML
    ("fencing_topology nosuch: st", 'xml <fencing-topology> \\\n  <fencing-level target="nosuch" index="1" '
                                    'devices="st" id="fencing"/> \\\n</fencing-topology>\n'),
])
def test_a_fencing_topology_is_shown_short_when_crmsh_reads_that_back(shell: Shell, line: str, shown: str) -> None:
    assert shell.crm("configure", *line.split())[0] == 0
    assert shell.crm("configure", "show", "fencing_topology") == (0, shown, "")


def test_commit_warns_about_fencing_targets_and_devices(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nfencing_topology nosuch: st,p0,zz\ncommit\n")
    assert rc == 0
    assert _said(out, err) == (["WARNING: fencing_topology: target nosuch not a node",
                                "WARNING: fencing_topology: p0 not a stonith resource",
                                "WARNING: fencing_topology: resource zz does not exist"], [])


def test_rename_and_delete_leave_the_fencing_topology_as_it_is(shell: Shell) -> None:
    rc, _, _ = shell.crm(stdin="configure\nprimitive st2 stonith:null params hostlist=node1\n"
                               "fencing_topology node1: st,st2 st2\ncommit\n")
    assert rc == 0
    rc, out, err = shell.crm(stdin="configure\nrename st2 st3\ndelete st\nshow fencing_topology\ncommit\n")
    assert (rc, out, err) == (0, "fencing_topology st,st2 st2\n", "")
    assert 'devices="st,st2"' in shell.config()


def test_whether_a_fencing_topology_shows_as_xml_is_decided_when_it_is_read(shell: Shell) -> None:
    # with one node the short form would read back as `node1: st`: XML; a node added afterwards
    # does not change that (crmsh checks the element when it is added, not when it is shown)
    rc, out, _ = shell.crm(stdin="configure\nfencing_topology attr:rack=1 st\nnode $id=1001 n.4\n"
                                 "show fencing_topology\n")
    assert (rc, out) == (0, 'xml <fencing-topology> \\\n  <fencing-level index="1" devices="st" '
                            'target-attribute="rack" target-value="1" id="fencing"/> \\\n</fencing-topology>\n')


def test_commit_checks_property_names_in_cib_bootstrap_options_only(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nproperty extra-opts: my-own-prop=1\n"
                                   "property extra2: rule inf: not_defined pingd my-own-prop=1\n"
                                   "property bogus-prop=1\ncommit\n")
    assert rc == 0
    assert _said(out, err) == (["WARNING: cib-bootstrap-options: unknown attribute 'bogus-prop'"], [])


def test_a_commit_the_cib_refuses_ends_the_batch_with_cibadmins_words(shell: Shell) -> None:
    # crmsh 4.4.1: crm_verify's lines, commit forced, cibadmin's own output, then it stops (its
    # report of the failure fails itself): the rest of the input is not read, nothing is committed
    before = shell.config()
    rc, out, err = shell.crm("-F", stdin="configure\ncolocation c9 inf: [ p0 p3 ] node-attribute=x\ncommit\n"
                                         "primitive zz Dummy\n")
    assert rc == 1
    said, errors = _said(out, err)
    assert said == ["INFO: commit forced"]
    assert errors == ["ERROR: rsc_colocation (N): Invalid attribute node-attribute for element rsc_colocation",
                      "ERROR: rsc_colocation (N): Element constraints has extra content: rsc_colocation",
                      "ERROR: (main) error: CIB did not pass schema validation",
                      "ERROR: crm_verify: Errors found during check: config not valid"]
    assert err.splitlines()[-1] == "Call failed: Update does not conform to the configured schema"
    assert not any(line.startswith("ERROR: 1 ") for line in err.splitlines())  # cibadmin's lines as they are
    assert shell.config() == before


def test_a_bundle_keeps_its_primitive_and_sets_in_the_order_given(shell: Shell) -> None:
    # crmsh writes them to the XML in the line's order and shows them in the XML's order
    rc, out, _ = shell.crm(stdin="configure\nprimitive d1 Dummy\nprimitive d2 Dummy\n"
                                 "bundle b1 docker image=i replicas=2 meta target-role=Stopped primitive d1\n"
                                 "bundle b2 docker image=i replicas=2 primitive d2 meta target-role=Stopped\n"
                                 "show b1 b2\nshow xml b2\n")
    assert out.startswith("bundle b1 \\\n\tdocker image=i replicas=2 \\\n\tmeta target-role=Stopped \\\n"
                          "\tprimitive d1\nbundle b2 \\\n\tdocker image=i replicas=2 \\\n\tprimitive d2 \\\n"
                          "\tmeta target-role=Stopped\n")
    assert ('<primitive id="d2" class="ocf" provider="heartbeat" type="Dummy"/>\n'
            '        <meta_attributes id="b2-meta_attributes">') in out


def test_a_role_with_rights_but_no_specification_is_made_empty_and_crmsh_cannot_read_it(shell: Shell) -> None:
    # crmsh drops a right without a specification; the empty role it makes cannot be read back:
    # its syntax error each time it is read (defined, then read again after the commit), XML in show
    said = "ERROR: syntax in role: Expected at least 2 arguments near <role> parsing 'role r-x'"
    rc, out, err = shell.crm(stdin="configure\nrole r-x read\nshow r-x\ncommit\n")
    assert (rc, out, _said(out, err)[1]) == (0, 'xml <acl_role id="r-x"/>\n', [said, said])
    assert '<acl_role id="r-x"/>' in shell.config()
    assert shell.crm("configure", "show", "r-x") == (0, 'xml <acl_role id="r-x"/>\n', said + "\n")


def test_a_role_with_nothing_after_its_id_is_refused(shell: Shell) -> None:
    before = shell.config()
    rc, _, err = shell.crm("configure", "role", "r-y")
    assert rc == 1 and "syntax error" in err
    assert shell.config() == before


def test_rename_leaves_tags_naming_the_old_id_and_delete_drops_from_them(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nprimitive d1 Dummy\nprimitive d2 Dummy\ntag t1 d1 p0\ntag t2 d2\n"
                                   "rename d1 d1-new\ndelete d2\nshow type:tag\ncommit\n")
    assert (rc, out) == (0, "tag t1 d1 p0\n")
    assert _said(out, err) == (["INFO: hanging tag:t2 deleted"], [])


def test_a_cluster_set_rule_gets_crmshs_score_and_keeps_its_ids_on_rename(shell: Shell) -> None:
    rc, _, _ = shell.crm(stdin="configure\nrsc_defaults rd-1: rule date in_range start=2020-01-01 months=2 "
                               "is-managed=no\nrename rd-1 rd-2\ncommit\n")
    assert rc == 0
    config = shell.config()
    assert '<meta_attributes id="rd-2">' in config
    assert '<nvpair name="is-managed" value="no" id="rd-1-is-managed"/>' in config
    assert '<rule score="INFINITY" id="rd-1-rule">' in config


def test_a_node_id_label_with_a_dot_is_refused_and_a_dotted_id_cannot_be_read_back(shell: Shell) -> None:
    # crmsh reads `ID:` as letters, digits, _ and - only; `$id=x.y` is taken, but the `node x.y: n7`
    # it writes does not read back: its syntax error when defined and each time it is read again
    rc, _, err = shell.crm("configure", "node", "n2-a.b_c:", "ping")
    assert rc == 1 and "syntax error" in err
    said = ("ERROR: syntax in node: Expected uname[:type] near <x.y:> parsing "
            "'node x.y: n7:member attributes rack=1 standby=off utilization cpu=2'")
    rc, out, err = shell.crm(stdin="configure\nnode $id=x.y n7:member attributes rack=1 standby=off "
                                   "utilization cpu=2\n")
    assert (rc, _said(out, err)[1]) == (0, [said, said])
    assert shell.crm("configure", "show", "node1") == (0, "node node1\n", said + "\n")


def test_rename_changes_constraints_only_and_commit_then_says_what_dangles(shell: Shell) -> None:
    # crmsh renames the element and the constraints on it; an ACL target's role and a primitive's
    # template keep the old id, which crm_verify and crmsh's own check then refuse
    rc, out, err = shell.crm(stdin="configure\nrole R1 read type:nodes\nacl_target u2 R1\n"
                                   "rsc_template tpl ocf:heartbeat:Dummy\nprimitive d9 @tpl\n"
                                   "rename R1 R2\nrename tpl tpl2\nshow u2 d9\n")
    assert (rc, out) == (1, "primitive d9 @tpl\nacl_target u2 \\\n\tR1\n")
    errors = _said(out, err)[1]
    # libxml2 reports dangling IDREFs in no fixed order (its hash table's)
    assert set(errors[:2]) == {
        'ERROR: element role: validity error : IDREF attribute id references an unknown ID "R1"',
        'ERROR: element primitive: validity error : IDREF attribute template references an unknown ID "tpl"'}
    assert errors[2:] == [
        "ERROR: (main) error: CIB did not pass schema validation",
        "ERROR: crm_verify: Errors found during check: config not valid",
        "ERROR: tpl: no such resource template"]


def test_a_line_whose_quotes_do_not_pair_up_is_refused_with_crmshs_words(shell: Shell) -> None:
    # a one-shot's words are joined into one line, as crmsh joins them: a lone quote leaves it
    # unsplittable; crmsh names the level the line was typed at (None at the top)
    before = shell.config()
    assert shell.crm("configure", "primitive", "d-y", "Dummy", "params", 'state="unterminated') == (
        1, "", "ERROR: None: No closing quotation\n")
    rc, _, err = shell.crm(stdin='status "x\nresource\nstart "p0\ncd ..\nconfigure\n'
                                 'primitive d-x Dummy params state="unterminated\n')
    assert (rc, err) == (1, "ERROR: None: No closing quotation\nERROR: resource.resource: No closing quotation\n"
                            "ERROR: configure.configure: No closing quotation\n")
    assert shell.config() == before


def test_an_element_with_an_invalid_id_is_refused_with_crmshs_two_lines(shell: Shell) -> None:
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nprimitive 1bad Dummy params state=1 op monitor interval=10s\n"
                                   "group 2g p0\n")
    assert (rc, out) == (1, "")
    assert err == ('ERROR: 1bad: invalid object id\nERROR: No ID found for primitive: <primitive id="1bad" '
                   'class="ocf" provider="heartbeat" type="Dummy"><instance_attributes><nvpair name="state" '
                   'value="1"/></instance_attributes><operations><op name="monitor" interval="10s"/></operations>'
                   '</primitive>\nERROR: 2g: invalid object id\n'
                   'ERROR: No ID found for group: <group id="2g"><crmsh-ref id="p0"/></group>\n')
    assert shell.config() == before


def test_a_primitive_of_an_unknown_agent_is_taken_and_commit_refuses_it(shell: Shell) -> None:
    before = shell.config()
    no_data = "ERROR: ocf:heartbeat:NoSuchAgent: got no meta-data, does this RA exist?"
    rc, out, err = shell.crm(stdin="configure\nprimitive d-x ocf:heartbeat:NoSuchAgent\nshow d-x\ncommit\n")
    assert (rc, out) == (1, "primitive d-x NoSuchAgent\n")
    # once when defined; at commit twice and "no such resource agent"; again at the end of input
    at_commit = [no_data, no_data, "ERROR: ocf:heartbeat:NoSuchAgent: no such resource agent"]
    assert _said(out, err)[1] == [no_data, *at_commit, *at_commit]
    assert shell.config() == before


def test_a_template_goes_where_it_was_made_in_the_xml(shell: Shell) -> None:
    # crmsh appends a new template after what the CIB has (a loaded file's templates come before
    # its other elements): the schema's complaints name elements in that order
    rc, _, _ = shell.crm(stdin="configure\nprimitive a1 Dummy\nrsc_template t1 ocf:heartbeat:Dummy\n"
                               "primitive a2 @t1\ncommit\n")
    assert rc == 0
    config = shell.config()
    assert config.index('<primitive id="p0"') < config.index('<template id="t1"') < config.index('<primitive id="a2"')


def test_an_op_interval_that_is_no_duration_is_taken_as_crmsh_takes_it(shell: Shell) -> None:
    rc, out, err = shell.crm(stdin="configure\nprimitive d-x ocf:heartbeat:Dummy op monitor interval=abc "
                                   "op start interval=-5 timeout=xyz\ncommit\n")
    assert rc == 0
    assert _said(out, err) == (["WARNING: d-x: Specified interval for start is -5, it must be 0",
                                "WARNING: d-x: specified timeout xyz for start is smaller than the advised 20s"], [])
    assert '<op name="monitor" interval="abc" id="d-x-monitor-abc"/>' in shell.config()


def test_commit_shows_the_dates_pacemaker_cannot_read_as_crmsh_does(shell: Shell) -> None:
    # crmsh runs crm_verify -VV: each time the scheduler reads such a date (a location's rule once
    # per node, resource defaults once per resource) it says so; the commit goes on
    said = "ERROR: (parse_date) error: '{}' is not a valid ISO 8601 date/time specification"
    rc, out, err = shell.crm(stdin="configure\nlocation l-x p0 rule inf: date in start=bogus end=2021-01-01\n"
                                   "rsc_defaults rd: rule date gt xx is-managed=true\ncommit\n")
    assert rc == 0
    resources = 3  # p0, p3, st in the sample
    assert _said(out, err)[1] == [said.format("xx")] * resources + [said.format("bogus")]
    assert 'start="bogus"' in shell.config()


def test_a_location_score_that_is_a_word_is_taken_as_a_score_attribute(shell: Shell) -> None:
    # crmsh reads `foo: node1` as score-attribute="foo", which Pacemaker's schema allows on rules
    # only: shown as given, and the commit is refused by crm_verify
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nlocation l-x p0 foo: node1\nshow l-x\ncommit\n")
    assert (rc, out) == (1, "location l-x p0 foo: node1\n")
    assert _said(out, err)[1][:2] == ["ERROR: rsc_location (N): Expecting an element rule, got nothing",
                                      "ERROR: rsc_location (N): Element rsc_location failed to validate content"]
    assert shell.config() == before


def test_a_group_or_clone_of_a_missing_resource_is_made_without_it(shell: Shell) -> None:
    # crmsh says so and makes the container without it; an empty one it cannot read back (its
    # syntax error, shown as XML), and crm_verify's schema refuses it at commit
    before = shell.config()
    rc, out, err = shell.crm(stdin="configure\nclone cl-x nosuch\nshow cl-x\ngroup g-x p0 nosuch\nshow g-x\n")
    assert (rc, out) == (1, 'xml <clone id="cl-x"/>\ngroup g-x p0\n')
    assert _said(out, err)[1][:3] == [
        "ERROR: cl-x refers to missing object nosuch",
        "ERROR: syntax in clone: Expected at least 2 arguments near <clone> parsing 'clone cl-x'",
        "ERROR: g-x refers to missing object nosuch"]
    assert "ERROR: (main) error: CIB did not pass schema validation" in _said(out, err)[1]
    assert shell.config() == before


def test_an_order_or_colocation_of_one_resource_in_a_set_is_shown_as_xml(shell: Shell) -> None:
    rc, out, _ = shell.crm(stdin="configure\norder o-x inf: p0\nshow o-x\n")
    assert (rc, out) == (0, 'xml <rsc_order id="o-x" kind="Mandatory"> \\\n  <resource_set id="o-x-0"> \\\n'
                            '    <resource_ref id="p0"/> \\\n  </resource_set> \\\n</rsc_order>\n')
