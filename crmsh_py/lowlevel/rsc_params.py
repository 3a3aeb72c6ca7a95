"""``crm_resource --get-parameter / --set-parameter / --delete-parameter`` (with ``--meta`` or
``--utilization``): ids follow Pacemaker (``dummy-instance_attributes-state``)."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.lowlevel.rsc_common import Result, find_resource, not_found

SET_TAGS = {"params": "instance_attributes", "meta": "meta_attributes", "utilization": "utilization"}


def _find_pair(rsc: ET.Element, tag: str, name: str) -> tuple[ET.Element, ET.Element] | None:
    for aset in rsc.findall(tag):
        for nv in aset.findall("nvpair"):
            if nv.get("name") == name:
                return aset, nv
    return None


def get(root: ET.Element, rsc_id: str, name: str, kind: str) -> Result:
    """Print the value, or ``Attribute 'x' not found for 'rsc'`` on stderr (exit 0 like Pacemaker)."""
    rsc = find_resource(root, rsc_id)
    if rsc is None:
        return not_found(rsc_id)
    found = _find_pair(rsc, SET_TAGS[kind], name)
    if found is None:
        return Result(err=[f"Attribute '{name}' not found for '{rsc_id}'"])
    return Result(out=[found[1].get("value", "")])


def _insert_set(rsc: ET.Element, new: ET.Element) -> None:
    # Pacemaker's crm_resource appends a new set as the resource's last child (after
    # <operations>); crmsh then shows the parts in that order.
    rsc.append(new)


def set_(root: ET.Element, rsc_id: str, name: str, value: str, kind: str) -> Result:
    """Update the existing nvpair or create ``<rsc>-<set>`` / ``<rsc>-<set>-<name>``."""
    rsc = find_resource(root, rsc_id)
    if rsc is None:
        return not_found(rsc_id)
    tag = SET_TAGS[kind]
    found = _find_pair(rsc, tag, name)
    aset: ET.Element | None
    if found is not None:
        aset, nv = found
        nv.set("value", value)
    else:
        aset = rsc.find(tag)
        if aset is None:
            aset = ET.Element(tag, {"id": f"{rsc_id}-{tag}"})
            _insert_set(rsc, aset)
        nv = ET.SubElement(aset, "nvpair", {"id": f"{aset.get('id')}-{name}", "name": name, "value": value})
    # Pacemaker names the set only when it created the nvpair
    where = "" if found is not None else f" set={aset.get('id')}"
    return Result(out=[f"Set '{rsc_id}' option: id={nv.get('id')}{where} name={name} value={value}"])


def delete(root: ET.Element, rsc_id: str, name: str, kind: str) -> Result:
    """Remove the nvpair (the set stays, as with Pacemaker); silent when it does not exist."""
    rsc = find_resource(root, rsc_id)
    if rsc is None:
        return not_found(rsc_id)
    found = _find_pair(rsc, SET_TAGS[kind], name)
    if found is None:
        return Result()
    aset, nv = found
    aset.remove(nv)
    return Result(out=[f"Deleted '{rsc_id}' option: id={nv.get('id')} name={name}"])
