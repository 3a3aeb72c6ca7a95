"""Which attribute names (``nvpair`` names: parameters, meta attributes, properties) are valid.

A parameter name reaches an agent as an environment variable (``OCF_RESKEY_<name>``) and, in the
CIB, as part of an XML ID (``rsc-instance_attributes-<name>``).  A name with ``=``, white space or
a control character can be neither: Pacemaker's schema refuses the ID (``crm_resource -p 'a=b'``
exits 78) and ``execve`` cannot pass the variable.  Such names are refused where they enter
(the tools through the store, the language and XML import through validation), and the engine
copes with one already stored (see ``crmsh_py.engine.executor``).
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterable


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an attribute name, or None when it can."""
    if name.isprintable() and " " not in name and "=" not in name:
        return None  # the usual answer, in C: printable leaves out every control and space but " "
    if "=" in name:
        return "contains '='"
    for char in name:
        if char.isspace():
            return "contains white space"
        if ord(char) < 32 or ord(char) == 127:
            return "contains a control character"
    return None


def invalid_names(names: Iterable[str]) -> list[str]:
    """The names of ``names`` that are not valid attribute names, in order, without repeats."""
    seen: dict[str, None] = {}
    for name in names:
        if name not in seen and name_problem(name) is not None:
            seen[name] = None
    return list(seen)


def invalid_nvpair_names(element: ET.Element | None) -> set[str]:
    """Invalid ``name`` attributes of the ``<nvpair>`` elements under ``element``."""
    if element is None:
        return set()
    return {name for nv in element.iter("nvpair")
            if (name := nv.get("name")) is not None and name_problem(name) is not None}


def describe(name: str) -> str:
    """``invalid attribute name 'a=b': contains '='`` (for error messages)."""
    return f"invalid attribute name {name!r}: {name_problem(name) or 'valid'}"


def model_nvpair_names(obj: object) -> list[str]:
    """Names of every ``NVPair`` reachable from a model object (an element, a list of them), in
    order.

    The model is a tree of records and lists; walking it generically keeps this check true
    for element kinds added later.  Validation walks every element this way, several times per
    command, so the walk is a loop over each record class's field names, not a recursion.
    """
    from crmsh_py.cib.model import NVPair

    names: list[str] = []
    stack: list[object] = [obj]
    for _step in range(_MAX_NODES):
        if not stack:
            break
        item = stack.pop()
        kind = type(item)
        if kind is NVPair:
            names.append(item.name)  # type: ignore[attr-defined]
        elif kind is list or kind is tuple:
            stack.extend(reversed(item))  # type: ignore[call-overload]
        else:
            for field_name in reversed(getattr(kind, "__record_names__", ())):
                value = getattr(item, field_name)
                if value is not None and type(value) is not str:
                    stack.append(value)
    return names


_MAX_NODES = 10_000_000  # far above any real element; the model is a tree, so this only bounds the loop
