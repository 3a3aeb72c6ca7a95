"""CIB XML: load/dump documents, model <-> XML (``xmlio``), scores, validation, diff."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.errors import CibFileError

__all__ = ["load", "dump", "empty_cib", "check_root"]

# What `cibadmin --empty` of Pacemaker 2.1.5 prints.
CRM_FEATURE_SET = "3.16.1"
VALIDATE_WITH = "pacemaker-3.9"


def load(text: str, path: str = "<cib>", *, root_tag: str | None = "cib") -> ET.Element:
    """Parse XML text (comments kept).  Raises CibFileError naming ``path``, line and column
    for malformed XML, or when the root is not ``root_tag`` (None accepts any root)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as err:
        line, col = err.position
        reason = str(err).split(":")[0]
        raise CibFileError(path, f"malformed XML at line {line}, column {col + 1}: {reason}",
                           hint=_context(text, line, col)) from None
    return root if root_tag is None else check_root(root, path, root_tag)


def check_root(root: ET.Element, path: str = "<cib>", root_tag: str = "cib") -> ET.Element:
    """``root`` when it is a ``<root_tag>``; CibFileError naming ``path`` otherwise (as :func:`load`)."""
    if root.tag != root_tag:
        raise CibFileError(path, f"not a CIB: the root element is <{root.tag}>, "
                                 f"expected <{root_tag}>")
    return root


def _context(text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1]
    if len(source) > 200:  # one-line documents: show the neighbourhood only
        start = max(0, col - 60)
        source, col = source[start:start + 120], col - start
    return f"{source}\n  {' ' * col}^"


def dump(root: ET.Element) -> str:
    """Serialise without an XML declaration, two-space indented, ending with a newline."""
    from crmsh_py.cib.serialize import to_text

    return to_text(root, "  ") + "\n"


def empty_cib() -> ET.Element:
    """A new empty CIB, as ``cibadmin --empty`` makes it."""
    root = ET.Element("cib", {
        "crm_feature_set": CRM_FEATURE_SET,
        "validate-with": VALIDATE_WITH,
        "epoch": "1",
        "num_updates": "0",
        "admin_epoch": "0",
    })
    configuration = ET.SubElement(root, "configuration")
    for name in ("crm_config", "nodes", "resources", "constraints"):
        ET.SubElement(configuration, name)
    ET.SubElement(root, "status")
    return root
