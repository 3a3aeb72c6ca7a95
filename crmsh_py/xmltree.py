"""The XML element API every part of crmsh_py uses: ElementTree's, without its import cost.

``import xml.etree.ElementTree`` costs a one-shot about 9 ms of CPU on a 10 ms interpreter: its
module body compiles a regular expression, so it loads ``re``, which loads ``enum``; its path
module, ElementPath, compiles more at import.  What a CIB needs of it, the element type, the
parser and the tree builder, are the C accelerator's (``_elementtree``) anyway; the Python module
only adds the comment and processing-instruction factories, ``fromstring``, ``tostring`` and
``indent``, which this module provides with the same behaviour (``tests/test_xmltree.py`` holds
them to ElementTree's on generated trees and on Pacemaker's scheduler suite).

The accelerator imports ElementPath when it loads, but calls it only for a query with a path in it
(``a/b``, ``.//x``, ``x[@id='y']``); a plain tag name is looked up in C.  It gets a stand-in that
answers plain child paths (``configuration/resources``: most of ours) itself and hands anything
else to the real ElementPath, imported (with ``re``) on first need.

Where ``xml.etree.ElementTree`` is loaded already (a host program, pytest), its objects are used,
so that elements, comments and factories stay one set in the process.  ``tostring`` always writes
through :func:`write_plain`, and hands to ElementTree whatever it does not do itself (namespaces,
other encodings, an XML declaration, the html and text methods), so its output never differs.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType
    from xml.etree.ElementTree import (
        Comment,
        Element,
        ParseError,
        ProcessingInstruction,
        SubElement,
        TreeBuilder,
        XMLParser,
        tostring,
    )

__all__ = ["Element", "SubElement", "XMLParser", "TreeBuilder", "ParseError", "Comment",
           "ProcessingInstruction", "fromstring", "tostring", "indent", "is_comment",
           "is_processing_instruction", "write_plain", "escape_text", "escape_attribute"]

_ELEMENT_TREE = "xml.etree.ElementTree"
_ELEMENT_PATH = "xml.etree.ElementPath"
# What tostring writes itself; every other encoding (and its XML declaration) is ElementTree's.
_OWN_ENCODINGS = {"unicode": None, "us-ascii": "ascii", "utf-8": "utf-8"}


class _ElementPathStandIn(type(sys)):  # type: ignore[misc]  # a module type, known only at run time
    """``xml.etree.ElementPath`` for the accelerator, which calls its ``find``, ``findall``,
    ``iterfind`` and ``findtext`` for every query with a ``/`` (or another path character) in it.
    A plain child path (``configuration/resources``, ``status/node_state``, ``resources/*``) is
    answered here as ElementPath answers it (the matching children of the matching children ...,
    in document order; ``*`` is every child, comments included); anything else goes to the real
    module, imported on first need."""

    def find(self, elem: Element, path: str, namespaces: object = None) -> Element | None:
        """The first element at ``path`` under ``elem``, or None."""
        steps = _plain_steps(path, namespaces)
        if steps is None:
            return self._real().find(elem, path, namespaces)  # type: ignore[no-any-return]
        found = _walk(elem, steps)
        return found[0] if found else None

    def findall(self, elem: Element, path: str, namespaces: object = None) -> list[Element]:
        """Every element at ``path`` under ``elem``, in document order."""
        steps = _plain_steps(path, namespaces)
        if steps is None:
            return self._real().findall(elem, path, namespaces)  # type: ignore[no-any-return]
        return _walk(elem, steps)

    def iterfind(self, elem: Element, path: str, namespaces: object = None) -> Iterator[Element]:
        """:meth:`findall`, as an iterator."""
        steps = _plain_steps(path, namespaces)
        if steps is None:
            return self._real().iterfind(elem, path, namespaces)  # type: ignore[no-any-return]
        return iter(_walk(elem, steps))

    def findtext(self, elem: Element, path: str, default: object = None, namespaces: object = None) -> object:
        """The text of the first element at ``path`` ("" when it has none), or ``default``."""
        steps = _plain_steps(path, namespaces)
        if steps is None:
            return self._real().findtext(elem, path, default, namespaces)
        found = _walk(elem, steps)
        return (found[0].text or "") if found else default

    def __getattr__(self, name: str) -> object:
        # the import system probes module dunders (__path__, __spec__ ...): those never load
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(self._real(), name)

    def _real(self) -> ModuleType:
        """The real ElementPath: imported (with ``re``) the first time a query needs it."""
        real = sys.modules.get(_ELEMENT_PATH)
        if real is None or real is self:
            sys.modules.pop(_ELEMENT_PATH, None)
            __import__(_ELEMENT_PATH)
            real = sys.modules[_ELEMENT_PATH]
        return real


def _plain_steps(path: object, namespaces: object) -> list[str] | None:
    """The steps of a path made of plain tag names (letters, digits, ``_``, ``-``) and ``*``
    joined by ``/``; None for any other path (predicates, ``.``, ``//``, namespaces, a ``/`` at
    either end)."""
    if namespaces or not isinstance(path, str):
        return None
    steps = path.split("/")
    for step in steps:
        if step != "*" and not step.replace("_", "a").replace("-", "a").isalnum():
            return None
    return steps


def _walk(elem: Element, steps: list[str]) -> list[Element]:
    level = [elem]
    for step in steps:
        if step == "*":
            level = [child for parent in level for child in parent]
        else:
            level = [child for parent in level for child in parent if child.tag == step]
    return level


def _from_element_tree(module: object) -> tuple[object, ...]:
    names = ("Element", "SubElement", "XMLParser", "TreeBuilder", "ParseError", "Comment",
             "ProcessingInstruction")
    return tuple(getattr(module, name) for name in names)


def _deepcopy(value: object, memo: object = None) -> object:
    """``copy.deepcopy``, imported when an element is first deep-copied."""
    from copy import deepcopy

    return deepcopy(value, memo)  # type: ignore[arg-type]


def _placeholders_for_accelerator() -> dict[str, ModuleType]:
    """Modules that stand in, only while the accelerator loads, for two it imports and barely uses.

    It takes ``copy.deepcopy`` (for deep copies of elements) and, importing ElementPath by its full
    name, the ``xml`` package (an empty ``__init__``): ``copy`` brings ``weakref``, ``copyreg`` and
    ``types`` with it, about a millisecond of a ``crm_simulate`` run.  ``copy`` is stood in for by a
    module whose ``deepcopy`` imports the real one on first use; ``xml`` by an empty module.  Both
    leave ``sys.modules`` as soon as the accelerator has loaded, so a later ``import copy`` or
    ``import xml.etree.ElementTree`` gets the real modules.  None where one is loaded already."""
    module_type = type(sys)
    placeholders: dict[str, ModuleType] = {}
    if "_elementtree" in sys.modules:
        return placeholders
    if "copy" not in sys.modules:
        copy_stand_in = module_type("copy")
        copy_stand_in.deepcopy = _deepcopy  # type: ignore[attr-defined]
        placeholders["copy"] = copy_stand_in
    if "xml" not in sys.modules and isinstance(sys.modules.get(_ELEMENT_PATH), _ElementPathStandIn):
        placeholders["xml"] = module_type("xml")
    sys.modules.update(placeholders)
    return placeholders


def _withdraw(placeholders: dict[str, ModuleType]) -> None:
    """Take the placeholders out of ``sys.modules`` (each only if it is still the one put there)."""
    for name, placeholder in placeholders.items():
        if sys.modules.get(name) is placeholder:
            del sys.modules[name]


def _load() -> tuple[object, ...]:
    """Element, SubElement, XMLParser, TreeBuilder, ParseError, Comment, ProcessingInstruction."""
    loaded = sys.modules.get(_ELEMENT_TREE)
    if loaded is not None:
        return _from_element_tree(loaded)
    if "_elementtree" not in sys.modules and _ELEMENT_PATH not in sys.modules:
        sys.modules[_ELEMENT_PATH] = _ElementPathStandIn(_ELEMENT_PATH)
    placeholders = _placeholders_for_accelerator()
    try:
        import _elementtree as accelerator  # type: ignore[import-not-found]  # (no stubs: a C module)
    except ImportError:  # an interpreter without the accelerator: ElementTree's pure-Python parts
        _withdraw(placeholders)
        if isinstance(sys.modules.get(_ELEMENT_PATH), _ElementPathStandIn):
            del sys.modules[_ELEMENT_PATH]
        return _from_element_tree(__import__(_ELEMENT_TREE, fromlist=["Element"]))
    _withdraw(placeholders)
    element = accelerator.Element

    def comment(text: str | None = None) -> object:
        """A comment element (its tag is this factory, as in ElementTree)."""
        node = element(comment)
        node.text = text
        return node

    def processing_instruction(target: str, text: str | None = None) -> object:
        """A processing-instruction element: ``target`` and ``text`` joined by a space."""
        node = element(processing_instruction)
        node.text = f"{target} {text}" if text else target
        return node

    comment.__name__ = comment.__qualname__ = "Comment"
    processing_instruction.__name__ = processing_instruction.__qualname__ = "ProcessingInstruction"
    # the tree builder makes comments and instructions with these (ElementTree registers its own)
    accelerator._set_factories(comment, processing_instruction)
    return (element, accelerator.SubElement, accelerator.XMLParser, accelerator.TreeBuilder,
            accelerator.ParseError, comment, processing_instruction)


if not TYPE_CHECKING:
    (Element, SubElement, XMLParser, TreeBuilder, ParseError, Comment, ProcessingInstruction) = _load()
PI = ProcessingInstruction


def is_comment(tag: object) -> bool:
    """Whether an element's ``tag`` marks a comment: this module's factory, or ElementTree's when
    it was imported after this module (its parser then makes comments with its own)."""
    return _is_factory(tag, Comment, "Comment")


def is_processing_instruction(tag: object) -> bool:
    """Whether an element's ``tag`` marks a processing instruction (as :func:`is_comment`)."""
    return _is_factory(tag, ProcessingInstruction, "ProcessingInstruction")


def _is_factory(tag: object, ours: object, name: str) -> bool:
    """``tag`` is ``ours``, or ElementTree's factory called ``name`` when ElementTree is loaded."""
    if tag is ours:
        return True
    loaded = sys.modules.get(_ELEMENT_TREE)
    return loaded is not None and tag is getattr(loaded, name, None)


def fromstring(text: str | bytes, parser: XMLParser | None = None) -> Element:
    """The root element of the XML document ``text``; ParseError (with ``position``) when it is
    not well-formed."""
    if parser is None:
        parser = XMLParser(target=TreeBuilder())
    parser.feed(text)
    return parser.close()


class NotPlain(Exception):
    """Something only ElementTree's own writer handles: a namespaced (``{uri}``) tag or
    attribute, a ``QName``, a tag-less element.  (A value that is no string fails the writer with
    a TypeError, which :func:`tostring` also hands to ElementTree, for its own error.)"""


def escape_text(text: str) -> str:
    """Character data as ElementTree writes it: ``&``, ``<`` and ``>`` escaped."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attribute(value: str) -> str:
    """An attribute value as ElementTree writes it: quotes, line ends and tabs escaped too."""
    # (written out rather than through escape_text: this runs for every attribute of a CIB write)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


def write_open_tag(elem: Element, out: list[str]) -> str:
    """Append ``<tag`` and the attributes of ``elem`` (whose tag is a string) to ``out``; return
    the tag.  NotPlain for a namespaced tag or attribute."""
    tag = elem.tag
    if tag[:1] == "{":
        raise NotPlain
    out.append("<" + tag)
    for key, value in elem.attrib.items():
        if key[:1] == "{":
            raise NotPlain
        out.append(f' {key}="{escape_attribute(value)}"')
    return tag


def write_plain(elem: Element, out: list[str], short_empty: bool = True) -> None:
    """Append ``elem`` and its tail to ``out`` as ElementTree's writer does (text and tails as
    they are); NotPlain (or a TypeError) for what only ElementTree writes."""
    tag: object = elem.tag
    text = elem.text
    if tag.__class__ is not str:  # a comment, an instruction, or a QName / no tag (ElementTree's)
        if is_comment(tag):
            out.append(f"<!--{text}-->")
        elif is_processing_instruction(tag):
            out.append(f"<?{text}?>")
        else:
            raise NotPlain
    else:
        name = write_open_tag(elem, out)
        if text or len(elem) or not short_empty:
            out.append(">")
            if text:
                out.append(escape_text(text))
            for child in elem:
                write_plain(child, out, short_empty)
            out.append(f"</{name}>")
        else:
            out.append(" />")
    tail = elem.tail
    if tail:
        out.append(escape_text(tail))


def _tostring(element: Element, encoding: str | None = None, method: str | None = None, *,
             xml_declaration: bool | None = None, default_namespace: str | None = None,
             short_empty_elements: bool = True) -> str | bytes:
    """``ElementTree.tostring``: the element as text (``encoding="unicode"``) or bytes (US-ASCII
    by default, other characters as character references)."""
    codec = _OWN_ENCODINGS.get((encoding or "us-ascii").lower(), "")
    if (codec != "" and method in (None, "xml") and not xml_declaration and default_namespace is None
            and hasattr(element, "tag")):
        out: list[str] = []
        try:
            write_plain(element, out, short_empty_elements)
        except (NotPlain, TypeError):
            pass
        else:
            text = "".join(out)
            return text if codec is None else text.encode(codec, "xmlcharrefreplace")
    real = __import__(_ELEMENT_TREE, fromlist=["tostring"])
    written: str | bytes = real.tostring(element, encoding, method, xml_declaration=xml_declaration,
                                         default_namespace=default_namespace,
                                         short_empty_elements=short_empty_elements)
    return written


if not TYPE_CHECKING:  # mypy takes ElementTree's overloads (str for "unicode", bytes otherwise)
    tostring = _tostring


def indent(tree: Element, space: str = "  ", level: int = 0) -> None:
    """``ElementTree.indent``: in place, white-space-only text and tails become a new line and
    ``space`` per level of depth; other text is kept."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if level < 0:
        raise ValueError(f"Initial indentation level must be >= 0, got {level}")
    if not len(root):
        return
    _indent_children(root, level, space)


def _indent_children(elem: Element, level: int, space: str) -> None:
    inner = "\n" + space * (level + 1)
    if not elem.text or not elem.text.strip():
        elem.text = inner
    for child in elem:
        if len(child):
            _indent_children(child, level + 1, space)
        if not child.tail or not child.tail.strip():
            child.tail = inner
    if not child.tail.strip():  # type: ignore[union-attr]  # the last child's, set above if empty
        child.tail = "\n" + space * level
