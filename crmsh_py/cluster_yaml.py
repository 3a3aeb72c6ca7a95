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

import os

# The shapes below are checked with str methods, not regular expressions: every command reads
# cluster.yaml, and compiling six patterns cost each one-shot half a millisecond.  What each
# accepts is exactly its pattern in the comment (tests/engine/test_cluster_yaml.py holds them to
# it); the inputs are single lines with the white space around them removed.
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdef")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD_CHARS = _LETTERS | _DIGITS | frozenset("_.-")
_KEY_CHARS = _LETTERS | _DIGITS | frozenset("_")
_SPECIAL_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n"))


def _is_int(text: str) -> bool:
    """``-?(?:0|[1-9][0-9]*)``: no leading zeros (YAML 1.1 reads those as octal)."""
    digits = text[1:] if text[:1] == "-" else text
    return bool(digits) and set(digits) <= _DIGITS and (digits == "0" or digits[0] != "0")


def _is_float(text: str) -> bool:
    """``-?(?:0|[1-9][0-9]*)\\.[0-9]+``."""
    whole, dot, fraction = text.partition(".")
    return bool(dot) and _is_int(whole) and bool(fraction) and set(fraction) <= _DIGITS


def _is_uuid(text: str) -> bool:
    """``[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}``."""
    parts = text.split("-")
    return [len(part) for part in parts] == [8, 4, 4, 4, 12] and set("".join(parts)) <= _HEX


def _is_word(text: str) -> bool:
    """``[A-Za-z][A-Za-z0-9_.-]*``."""
    return bool(text) and text[0] in _LETTERS and set(text) <= _WORD_CHARS


def _is_version(text: str) -> bool:
    """``[0-9][0-9.]*-[A-Za-z0-9_.-]*[A-Za-z][A-Za-z0-9_.-]*``: a version like 2.1.5-crmsh_py,
    digits first, then a letter somewhere after a dash (never a date)."""
    head, dash, tail = text.partition("-")
    return (bool(dash) and bool(head) and head[0] in _DIGITS and set(head) <= _DIGITS | {"."}
            and set(tail) <= _WORD_CHARS and not _LETTERS.isdisjoint(tail))


def _split_line(line: str) -> tuple[int, bool, str, str | None] | None:
    """``( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?`` as (indent, dash, key, value or None);
    None when the line has another shape."""
    rest = line.lstrip(" ")
    indent = len(line) - len(rest)
    dash = rest.startswith("- ")
    if dash:
        rest = rest[2:]
    key, colon, after = rest.partition(":")
    if not colon or not key or (key[0] not in _LETTERS and key[0] != "_") or not set(key) <= _KEY_CHARS:
        return None
    if not after:
        return indent, dash, key, None
    if after[0] != " ":
        return None
    return indent, dash, key, after[1:]


def _scalar(text: str) -> tuple[bool, object]:
    """``(ok, value)`` of a scalar PyYAML's safe loader would read the same way."""
    if len(text) >= 2 and text[0] == text[-1] == "'" and "'" not in text[1:-1]:
        return True, text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"' and not any(c in text[1:-1] for c in '"\\\\'):
        return True, text[1:-1]
    if _is_int(text):
        return True, int(text)
    if _is_float(text):
        return True, float(text)
    if _is_uuid(text) or _is_version(text):
        return True, text
    if _is_word(text) and text.lower() not in _SPECIAL_WORDS:
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
        parts = _split_line(raw.rstrip())
        if parts is None:
            return None
        indent, dash, key, value = parts
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
    return first_node_of(data)


def first_node_of(data: object) -> str | None:
    """The name of the first node of ``cluster.yaml`` read as ``data`` (see :func:`load`)."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    first = nodes[0] if isinstance(nodes, list) and nodes else None
    name = first.get("name") if isinstance(first, dict) else first  # a node may be a bare name
    return str(name) if name is not None else None


_UNREAD = object()  # KnownFiles: the fast reading of a file not asked for yet


class KnownFiles:
    """``cluster.yaml`` files as one session read them: each is read and parsed once while it
    stays the same file (same inode, size and modification time), so a one-shot's own log line,
    the log line of each tool it runs in-process and the cluster store share one reading (three
    opens and parses before).  A session holds one and hands it to the tools it runs; it is never
    global, and every use checks the file again (one ``stat``): an edit always shows.

    The mapping :meth:`read` returns is shared: its readers must not change it.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        # path -> [(inode, size, mtime), text, fast_load(text) or _UNREAD]
        self._entries: dict[str, list[object]] = {}

    def _entry(self, path: str) -> list[object]:
        status = os.stat(path)  # FileNotFoundError, PermissionError... as open() would raise them
        key = (status.st_ino, status.st_size, status.st_mtime_ns)
        entry = self._entries.get(path)
        if entry is None or entry[0] != key:
            with open(path, encoding="utf-8") as handle:
                entry = [key, handle.read(), _UNREAD]
            self._entries[path] = entry
        return entry

    def read(self, path: str) -> tuple[str, dict[str, object] | None]:
        """The text of ``path`` and its :func:`fast_load` (worked out once per reading of the
        file); ``OSError`` as ``open`` raises it."""
        entry = self._entry(path)
        if entry[2] is _UNREAD:
            entry[2] = fast_load(str(entry[1]))
        return str(entry[1]), entry[2]  # type: ignore[return-value]
