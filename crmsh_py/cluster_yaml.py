"""Reading ``cluster.yaml``'s text: a fast path without PyYAML, and the PyYAML reading otherwise.

Below every layer (invocation logging needs the first node's name), so it imports nothing of ours;
the cluster definition model built from it is :mod:`crmsh_py.engine.definition`.

Every command reads the cluster definition, and importing PyYAML costs about 8 ms, a sixth of a
one-shot's own time.  The file we write (:func:`crmsh_py.engine.definition.dump_definition`) uses a
tiny block-style subset of YAML: top-level ``key: scalar`` lines and a ``nodes:`` list of flat
mappings.  :func:`fast_load` reads exactly that subset and returns None for anything else
(comments, flow style, anchors, tags, multi-line or ambiguous scalars), so the caller falls back to
PyYAML and the result is always what PyYAML would have produced.
"""

from __future__ import annotations

import re

# The patterns are text matched through re's cache: compiled when a cluster.yaml is first read,
# not at import (six compiles are ~0.5 ms of every tool's start, and most runs read no cluster.yaml).
_INT = r"^-?(?:0|[1-9][0-9]*)$"  # no leading zeros: YAML 1.1 reads those as octal
_FLOAT = r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$"
_UUID = r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
_WORD = r"^[A-Za-z][A-Za-z0-9_.-]*$"
# a version like 2.1.5-crmsh_py: digits first, then a letter somewhere after a dash (never a date)
_VERSION = r"^[0-9][0-9.]*-[A-Za-z0-9_.-]*[A-Za-z][A-Za-z0-9_.-]*$"
_SPECIAL_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n"))
_LINE = r"^( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$"


def _scalar(text: str) -> tuple[bool, object]:
    """``(ok, value)`` of a scalar PyYAML's safe loader would read the same way."""
    if len(text) >= 2 and text[0] == text[-1] == "'" and "'" not in text[1:-1]:
        return True, text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"' and not any(c in text[1:-1] for c in '"\\\\'):
        return True, text[1:-1]
    if re.match(_INT, text):
        return True, int(text)
    if re.match(_FLOAT, text):
        return True, float(text)
    if re.match(_UUID, text) or re.match(_VERSION, text):
        return True, text
    if re.match(_WORD, text) and text.lower() not in _SPECIAL_WORDS:
        return True, text
    return False, None


def fast_load(text: str) -> dict[str, object] | None:
    """The mapping in ``text`` when it is in our simple subset, else None (use PyYAML)."""
    if "#" in text or "\t" in text:
        return None
    data: dict[str, object] = {}
    nodes: list[dict[str, object]] | None = None
    item_indent = -1
    for raw in text.splitlines():
        if not raw.strip():
            continue
        match = re.match(_LINE, raw.rstrip())
        if match is None:
            return None
        indent, dash, key, value = len(match.group(1)), match.group(2), match.group(3), match.group(4)
        if value is None:  # only `nodes:` opens a block
            if indent or dash or key != "nodes" or key in data:
                return None
            nodes = []
            data[key] = nodes
            continue
        ok, scalar = _scalar(value.strip())
        if not ok:
            return None
        if indent == 0 and not dash:
            if key in data:
                return None
            data[key] = scalar
            nodes = None if key != "nodes" else nodes
            continue
        if nodes is None:
            return None
        if dash:
            if item_indent not in (-1, indent):
                return None
            item_indent = indent
            nodes.append({key: scalar})
        elif nodes and indent == item_indent + 2 and key not in nodes[-1]:
            nodes[-1][key] = scalar
        else:
            return None
    return data


def load(text: str) -> object:
    """``text`` read as YAML: the fast path when it applies, else PyYAML's safe loader (which may
    raise ``yaml.YAMLError``)."""
    data: object = fast_load(text)
    return yaml_load(text) if data is None else data


def yaml_load(text: str) -> object:
    """``text`` read by PyYAML's safe loader (its C version when there is one); imported only for
    a file we did not write ourselves (~8 ms).  Raises ``yaml.YAMLError``."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def first_node_name(text: str) -> str | None:
    """The name of the first node of ``cluster.yaml`` (where the tools run), None when the text
    names none or is not YAML."""
    try:
        data = load(text)
    except Exception:  # yaml.YAMLError, without importing yaml to name it
        return None
    nodes = data.get("nodes") if isinstance(data, dict) else None
    first = nodes[0] if isinstance(nodes, list) and nodes else None
    name = first.get("name") if isinstance(first, dict) else first  # a node may be a bare name
    return str(name) if name is not None else None
