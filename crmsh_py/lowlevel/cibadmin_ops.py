"""The CIB operations behind ``cibadmin``: scopes, a small XPath, create/modify/replace/delete/
erase/bump/patch on an ``<cib>`` tree, and Pacemaker's XML output layout."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import dump
from crmsh_py.lowlevel import exitcodes
from crmsh_py.cib.versions import version_of
from crmsh_py.records import record

CONFIG_SCOPES = ("crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults", "acls",
                 "fencing-topology", "tags", "alerts")
# where a new element of this tag goes when no scope is given
_DEFAULT_SCOPE = {
    "primitive": "resources", "group": "resources", "clone": "resources", "master": "resources",
    "bundle": "resources", "template": "resources", "rsc_location": "constraints",
    "rsc_colocation": "constraints", "rsc_order": "constraints", "rsc_ticket": "constraints",
    "node": "nodes", "cluster_property_set": "crm_config", "fencing-level": "fencing-topology",
    "tag": "tags", "alert": "alerts", "acl_target": "acls", "acl_group": "acls", "acl_role": "acls",
}


@record
class Request:
    """One change request: the XML given, ``-o`` scope, ``--xpath``, ``-c``, ``-d``."""

    data: ET.Element | None
    scope: str | None = None
    xpath: str | None = None
    allow_create: bool = False
    delete_all: bool = False


@record
class CibCallError(Exception):
    """A failed CIB call: message (``Call failed: <text>``), exit code, optional ``<failed>`` XML."""

    text: str
    code: int
    failed_xml: ET.Element | None = None


class XPathError(Exception):
    """An XPath expression this implementation cannot evaluate."""


def xml_text(element: ET.Element) -> str:
    """Pacemaker's layout: two-space indentation, ``<tag a="b"/>``, trailing newline."""
    return tight_empty_tags(dump(element))


def tight_empty_tags(text: str) -> str:
    """Every ``<tag ... />`` of ``text`` written ``<tag .../>``: each `` />`` after a ``<`` with no
    ``<`` or ``>`` between (what ``re.sub(r"(<[^<>]*?) />", r"\\1/>", text)`` does, by hand: ``re``
    and the ``enum`` it loads would cost ``crm configure show`` 5 ms)."""
    pieces = text.split(" />")
    joined = [pieces[0]]
    for before, piece in zip(pieces, pieces[1:]):
        # the " />" (or "/>") before ``before`` ends in ">": only ``before`` itself can hold the "<"
        joined.append("/>" if before.rfind("<") > before.rfind(">") else " />")
        joined.append(piece)
    return "".join(joined)


def scope_element(root: ET.Element, scope: str | None) -> ET.Element:
    """The element ``-o SCOPE`` names (``configuration``, ``status`` or a configuration section);
    an unknown or missing scope means the whole CIB, like Pacemaker."""
    if scope in ("configuration", "status"):
        found = root.find(scope)
        return found if found is not None else ET.SubElement(root, scope)
    if scope in CONFIG_SCOPES:
        configuration = root.find("configuration")
        if configuration is None:
            configuration = ET.SubElement(root, "configuration")
        found = configuration.find(scope)
        return found if found is not None else ET.SubElement(configuration, scope)
    return root


def xpath_select(root: ET.Element, xpath: str) -> list[ET.Element]:
    """Elements matching an absolute (``/cib/...``) or anywhere (``//tag[@a='v']``) XPath, in
    document order.  ElementTree's XPath subset is used underneath."""
    holder = ET.Element("document")
    holder.append(root)
    try:
        if xpath.startswith("//"):
            found = holder.findall(".//" + xpath[2:])
        elif xpath.startswith("/"):
            found = holder.findall("./" + xpath[1:])
        else:
            raise XPathError(xpath)
    except (SyntaxError, KeyError) as exc:
        raise XPathError(xpath) from exc
    finally:
        holder.remove(root)
    return found


def parents(root: ET.Element) -> dict[ET.Element, ET.Element]:
    """Child → parent map of the tree."""
    return {child: parent for parent in root.iter() for child in parent}


def node_path(root: ET.Element, element: ET.Element) -> str:
    """``/cib/configuration/nodes/node[@id='1']``: the path ``cibadmin -e`` prints."""
    up = parents(root)
    parts = []
    current: ET.Element | None = element
    while current is not None:
        part = current.tag
        if current.get("id") is not None:
            part += f"[@id='{current.get('id')}']"
        parts.append(part)
        current = up.get(current)
    return "/" + "/".join(reversed(parts))


def _find_by_id(root: ET.Element, tag: str, ident: str | None) -> tuple[ET.Element | None, ET.Element | None]:
    up = parents(root)
    for element in root.iter(tag):
        if ident is None or element.get("id") == ident:
            return element, up.get(element)
    return None, None


def _id_taken(root: ET.Element, ident: str) -> bool:
    configuration = root.find("configuration")
    return configuration is not None and any(e.get("id") == ident for e in configuration.iter())


def create(root: ET.Element, req: Request) -> None:
    """``-C``: add ``req.data`` under the scope (or its tag's usual section); fails if the id exists."""
    data = req.data
    assert data is not None
    ident = data.get("id")
    if ident is not None and _id_taken(root, ident):
        failed = ET.Element("failed")
        update = ET.SubElement(failed, "failed_update", {"id": ident, "object_type": data.tag,
                                                          "operation": "cib_create", "reason": "File exists"})
        import copy  # here and below: cibadmin -Q (every configure show) copies nothing

        update.append(copy.deepcopy(data))
        raise CibCallError("File exists", exitcodes.CRM_EX_EXISTS, failed)
    scope = req.scope or _DEFAULT_SCOPE.get(data.tag, "configuration")
    parent = scope_element(root, scope)
    if parent.tag == data.tag and parent is not root:  # `-o resources -X <resources>...`: merge children
        parent.extend(list(data))
        return
    parent.append(data)


def replace(root: ET.Element, req: Request) -> None:
    """``-R``: replace the whole CIB, a section (``-o``) or the element with the same tag and id."""
    data = req.data
    assert data is not None
    if data.tag == "cib":
        _replace_cib(root, data)
        return
    target: ET.Element | None
    if req.scope and data.tag == req.scope:
        target = scope_element(root, req.scope)
        _swap(root, target, data)
        return
    target, _ = _find_by_id(root, data.tag, data.get("id"))
    if target is None:
        raise CibCallError("No such device or address", exitcodes.CRM_EX_NOSUCH)
    _swap(root, target, data)


def _swap(root: ET.Element, target: ET.Element, data: ET.Element) -> None:
    parent = parents(root).get(target)
    if parent is None:
        raise CibCallError("Invalid argument", exitcodes.CRM_EX_INVALID_PARAM)
    index = list(parent).index(target)
    parent.remove(target)
    parent.insert(index, data)


def _replace_cib(root: ET.Element, data: ET.Element) -> None:
    old, new = version_of(root)[:2], version_of(data)[:2]
    if new < old:
        raise CibCallError("Update was older than existing configuration", exitcodes.CRM_EX_OLD)
    status = root.find("status")
    for child in list(root):
        root.remove(child)
    for child in data:
        root.append(child)
    if data.find("status") is None and status is not None:
        root.append(status)  # the cluster's state is not the caller's to drop
    for name, value in data.attrib.items():
        if name not in ("num_updates",):
            root.set(name, value)


def modify(root: ET.Element, req: Request) -> None:
    """``-M``: merge attributes (and children, recursively by tag and id) into the matching element."""
    data = req.data
    assert data is not None
    if data.tag == "cib":
        _merge_attrs(root, data)
        for child in data:
            _merge_child(root, child)
        return
    target, _ = _find_by_id(root, data.tag, data.get("id"))
    if target is None:
        if not req.allow_create:
            raise CibCallError("No such device or address", exitcodes.CRM_EX_NOSUCH)
        create(root, req)
        return
    _merge_attrs(target, data)
    for child in data:
        _merge_child(target, child)


def _merge_attrs(target: ET.Element, data: ET.Element) -> None:
    for name, value in data.attrib.items():
        if value.endswith("++") and value[:-2] == name:  # admin_epoch="admin_epoch++"
            value = str(int(target.get(name, "0") or 0) + 1)
        target.set(name, value)


def _merge_child(parent: ET.Element, data: ET.Element) -> None:
    if not isinstance(data.tag, str):
        return
    match = next((c for c in parent if c.tag == data.tag and c.get("id") == data.get("id")), None)
    if match is None:
        import copy

        parent.append(copy.deepcopy(data))
        return
    _merge_attrs(match, data)
    for child in data:
        _merge_child(match, child)


def delete(root: ET.Element, req: Request) -> None:
    """``-D``: remove the first element whose tag and attributes all match ``req.data``, or the
    first (``-d``: every) ``--xpath`` match.  Nothing matching is not an error."""
    up = parents(root)
    if req.xpath is not None:
        try:
            matches = xpath_select(root, req.xpath)
        except XPathError:
            raise CibCallError("Invalid argument", exitcodes.CRM_EX_INVALID_PARAM) from None
        for element in matches if req.delete_all else matches[:1]:
            parent = up.get(element)
            if parent is not None:
                parent.remove(element)
        return
    data = req.data
    assert data is not None
    for element in root.iter(data.tag):
        if all(element.get(k) == v for k, v in data.attrib.items()):
            parent = up.get(element)
            if parent is not None:
                parent.remove(element)
            return


def erase(root: ET.Element, req: Request) -> None:
    """``-E --force``: an empty configuration; ``admin_epoch`` + 1 (status is kept)."""
    configuration = root.find("configuration")
    if configuration is not None:
        root.remove(configuration)
    configuration = ET.Element("configuration")
    for name in ("crm_config", "nodes", "resources", "constraints"):
        ET.SubElement(configuration, name)
    root.insert(0, configuration)
    root.set("admin_epoch", str(int(root.get("admin_epoch", "0")) + 1))


def bump(root: ET.Element, req: Request) -> None:
    """``-B``: epoch + 1."""
    root.set("epoch", str(int(root.get("epoch", "0")) + 1))


def patch(root: ET.Element, req: Request) -> None:
    """``-P``: apply a v2 patchset."""
    from crmsh_py.cib.patch import PatchError, PatchVersionError, apply_patch  # only -P: not for a read

    assert req.data is not None
    try:
        apply_patch(root, req.data)
    except PatchVersionError as err:
        # Pacemaker's words: an outdated patch is "older", one from the future asks for a resync
        if err.older:
            raise CibCallError(exitcodes.exit_text(exitcodes.CRM_EX_OLD), exitcodes.CRM_EX_OLD) from None
        raise CibCallError("Application of update diff failed, requesting full refresh",
                           exitcodes.CRM_EX_ERROR) from None
    except PatchError as err:
        raise CibCallError(f"Application of an update diff failed ({err.text})",
                           exitcodes.CRM_EX_ERROR) from None


HANDLERS = {"create": create, "replace": replace, "modify": modify, "delete": delete, "delete-all": delete,
            "erase": erase, "bump": bump, "patch": patch}
