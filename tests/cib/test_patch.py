"""Patchsets built from two configurations: what they say, and that applying one gives the new tree."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.cib.patch import PatchVersionError, apply_patch, build_patchset, next_version, version_of


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))


def _cib(configuration: str, epoch: int = 5) -> ET.Element:
    conf = _parse(configuration)
    root = ET.Element("cib", {"admin_epoch": "0", "epoch": str(epoch), "num_updates": "3"})
    root.append(conf)
    ET.SubElement(root, "status")
    return root


BASE = """<configuration><crm_config/><nodes/><resources>
<primitive id="d1" class="ocf" provider="heartbeat" type="Dummy"><!-- keep me -->
  <operations><op id="d1-monitor-10s" name="monitor" interval="10s"/></operations></primitive>
<group id="g1"><primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
  <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/></group>
</resources><constraints><rsc_location id="l1" rsc="d1" node="srv01" score="100"/></constraints></configuration>"""


def _canonical(el: ET.Element) -> str:
    tree = copy.deepcopy(el)
    for sub in tree.iter():
        sub.text = sub.text.strip() if sub.text and sub.tag is not ET.Comment else sub.text
        sub.tail = None
    return ET.tostring(tree, encoding="unicode")


def _roundtrip(old: ET.Element, new_conf: ET.Element) -> ET.Element:
    patch = build_patchset(old.find("configuration"), new_conf, version_of(old))
    result = copy.deepcopy(old)
    if patch is not None:
        apply_patch(result, _parse(ET.tostring(patch, encoding='unicode')))
    return result


def test_no_change_no_patch() -> None:
    old = _cib(BASE)
    assert build_patchset(old.find("configuration"), copy.deepcopy(old.find("configuration")), (0, 5, 3)) is None


def test_patch_names_only_what_changed_with_versions() -> None:
    old = _cib(BASE)
    new = copy.deepcopy(old.find("configuration"))
    new.find(".//primitive[@id='b']").set("type", "Stateful")
    new.find("constraints").remove(new.find(".//rsc_location"))
    group = new.find(".//group")
    a = group.find("primitive[@id='a']")
    group.remove(a)
    group.append(a)
    patch = build_patchset(old.find("configuration"), new, version_of(old))
    assert patch is not None
    assert patch.find("version/source").attrib == {"admin_epoch": "0", "epoch": "5", "num_updates": "3"}
    assert patch.find("version/target").attrib == {"admin_epoch": "0", "epoch": "6", "num_updates": "0"}
    changes = [(c.get("operation"), c.get("path"), c.get("position")) for c in patch.findall("change")]
    assert changes == [
        ("modify", "/cib/configuration/resources/group[@id='g1']/primitive[@id='b']", None),
        ("delete", "/cib/configuration/constraints/rsc_location[@id='l1']", None),
        ("move", "/cib/configuration/resources/group[@id='g1']/primitive[@id='a']", "1"),
    ]
    attrs = patch.find("change/change-list/change-attr").attrib
    assert attrs == {"name": "type", "operation": "set", "value": "Stateful"}


def test_a_changed_comment_replaces_its_element() -> None:
    old = _cib(BASE)
    new = copy.deepcopy(old.find("configuration"))
    prim = new.find(".//primitive[@id='d1']")
    prim.remove(next(c for c in prim if c.tag is ET.Comment))
    prim.insert(0, ET.Comment(" new words "))
    patch = build_patchset(old.find("configuration"), new, version_of(old))
    ops = [(c.get("operation"), c.get("path")) for c in patch.findall("change")]
    assert ops == [("delete", "/cib/configuration/resources/primitive[@id='d1']"),
                   ("create", "/cib/configuration/resources")]
    assert _canonical(_roundtrip(old, new).find("configuration")) == _canonical(new)


def test_a_stale_patch_is_refused() -> None:
    old = _cib(BASE)
    new = copy.deepcopy(old.find("configuration"))
    new.find(".//primitive[@id='b']").set("type", "Stateful")
    patch = build_patchset(old.find("configuration"), new, (0, 4, 0))
    with pytest.raises(PatchVersionError) as info:
        apply_patch(copy.deepcopy(old), patch)
    assert info.value.older
    assert next_version((1, 4, 9)) == (1, 5, 0)


# ---------------------------------------------------------------------- property: patch(old) == new

_IDS = [f"r{i}" for i in range(6)]


@st.composite
def _resources(draw: st.DrawFn) -> ET.Element:
    """A <resources> of primitives with params, some inside a group, in any order."""
    ids = draw(st.lists(st.sampled_from(_IDS), unique=True, max_size=6))
    resources = ET.Element("resources")
    group = None
    for ident in ids:
        prim = ET.Element("primitive", {"id": ident, "class": "ocf", "provider": "heartbeat",
                                        "type": draw(st.sampled_from(["Dummy", "Stateful"]))})
        if draw(st.booleans()):
            prim.set("description", draw(st.sampled_from(["x", "y"])))
        if draw(st.booleans()):
            prim.append(ET.Comment(draw(st.sampled_from([" a ", " b "]))))
        params = ET.SubElement(prim, "instance_attributes", {"id": f"{ident}-ia"})
        for name in draw(st.lists(st.sampled_from(["p", "q", "s"]), unique=True)):
            ET.SubElement(params, "nvpair", {"id": f"{ident}-{name}", "name": name,
                                             "value": draw(st.sampled_from(["1", "2"]))})
        if draw(st.booleans()):
            if group is None:
                group = ET.SubElement(resources, "group", {"id": "g"})
            group.append(prim)
        else:
            resources.append(prim)
    return resources


@settings(max_examples=150, deadline=None)
@given(_resources(), _resources())
def test_applying_the_patch_gives_the_new_configuration(old_rsc: ET.Element, new_rsc: ET.Element) -> None:
    old = _cib("<configuration><crm_config/><nodes/><constraints/></configuration>")
    old.find("configuration").insert(2, old_rsc)
    new = _cib("<configuration><crm_config/><nodes/><constraints/></configuration>").find("configuration")
    new.insert(2, new_rsc)
    assert _canonical(_roundtrip(old, new).find("configuration")) == _canonical(new)


# ---------------------------------------------------------------------- large parents, linear time


def _quadratic_longest_increasing(pairs: list[tuple[int, int]]) -> set[int]:
    """The plain O(n²) search the fast one must agree with, choice for choice."""
    if not pairs:
        return set()
    best, back = [1] * len(pairs), [-1] * len(pairs)
    for i in range(len(pairs)):
        for j in range(i):
            if pairs[j][1] < pairs[i][1] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    i = max(range(len(pairs)), key=lambda k: best[k])
    chosen = set()
    while i != -1:
        chosen.add(pairs[i][0])
        i = back[i]
    return chosen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), unique=True, max_size=14))
def test_the_elements_left_in_place_are_those_the_quadratic_search_picks(olds: list[int]) -> None:
    from crmsh_py.cib.patch import _longest_increasing

    pairs = [(2 * n, old) for n, old in enumerate(olds)]
    assert _longest_increasing(pairs) == _quadratic_longest_increasing(pairs)


def _many(ids: list[str], kind: str = "Dummy") -> ET.Element:
    conf = _parse("<configuration><crm_config/><nodes/><resources/><constraints/></configuration>")
    resources = conf.find("resources")
    for ident in ids:
        prim = ET.SubElement(resources, "primitive", {"id": ident, "class": "ocf", "provider": "heartbeat",
                                                      "type": kind})
        ET.SubElement(ET.SubElement(prim, "meta_attributes", {"id": f"{ident}-meta"}), "nvpair",
                      {"id": f"{ident}-tr", "name": "target-role", "value": "Stopped"})
    return conf


def test_a_patch_touching_hundreds_of_siblings_applies_to_the_new_configuration() -> None:
    import random

    rng = random.Random(7)
    ids = [f"p{i}" for i in range(600)]
    old = _cib(ET.tostring(_many(ids), encoding="unicode"))
    kept = [i for i in ids if rng.random() > 0.2] + [f"n{i}" for i in range(100)]
    rng.shuffle(kept)  # deletions, moves and creations under one parent
    new = _many(kept)
    for prim in new.iter("primitive"):
        if rng.random() < 0.3:
            prim.find("meta_attributes/nvpair").set("value", "Started")  # and modifications
    assert _canonical(_roundtrip(old, new).find("configuration")) == _canonical(new)


def test_a_repeated_id_finds_the_first_as_a_scan_would() -> None:
    from crmsh_py.cib.patch_paths import Finder, find_path

    root = _parse("<cib><configuration><resources><primitive id='a' n='1'/><primitive id='b'/>"
                  "<primitive id='a' n='2'/></resources></configuration></cib>")
    path = "/cib/configuration/resources/primitive[@id='a']"
    finder = Finder(root)
    assert finder.find(path)[0] is find_path(root, path)[0]
    assert finder.find(path)[0].get("n") == "1"
    resources = root.find("configuration/resources")
    first = resources[0]
    resources.remove(first)
    finder.removed(resources, first)
    assert finder.find(path)[0].get("n") == "2"
    extra = ET.Element("primitive", {"id": "b", "n": "3"})
    resources.insert(0, extra)
    finder.inserted(resources, extra)
    assert finder.find("/cib/configuration/resources/primitive[@id='b']")[0] is extra
    # an index built on unique ids gives way when an insert repeats one
    unique = _parse("<cib><configuration><resources><primitive id='a'/><primitive id='b'/></resources>"
                    "</configuration></cib>")
    finder = Finder(unique)
    assert finder.find(path)[0] is unique.find("configuration/resources/primitive")
    resources = unique.find("configuration/resources")
    twin = ET.Element("primitive", {"id": "a", "n": "twin"})
    resources.insert(0, twin)
    finder.inserted(resources, twin)
    assert finder.find(path)[0] is twin is find_path(unique, path)[0]
