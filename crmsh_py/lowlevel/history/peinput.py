"""Transition inputs (``pe-input-N.bz2``): read them, show them as crm configuration or status,
replay them with ``crm_simulate``, draw their graph as dot."""

from __future__ import annotations

import bz2
import io
from crmsh_py import xmltree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError

if TYPE_CHECKING:
    from crmsh_py.lowlevel.history.index import Transition


def read(path: Path) -> ET.Element:
    """The ``<cib>`` of a saved input; a corrupt, truncated or foreign file is a CommandError naming it."""
    try:
        data = path.read_bytes()
        if path.suffix == ".bz2":
            data = bz2.decompress(data)
    except (OSError, EOFError, ValueError) as error:
        detail = "truncated or corrupt bz2 data" if isinstance(error, (EOFError, OSError, ValueError)) \
            and not isinstance(error, FileNotFoundError) else "no such file"
        raise CommandError(f"cannot read transition input {path}: {detail} ({error})") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line, col = error.position
        raise CommandError(f"cannot read transition input {path}: not well-formed XML at line {line}, "
                           f"column {col + 1}") from None
    if root.tag != "cib":
        raise CommandError(f"cannot read transition input {path}: the document element is <{root.tag}>, not <cib>")
    return root


def config_text(root: ET.Element) -> str:
    """The input's configuration in crm syntax (what ``configure show`` would have printed)."""
    from crmsh_py.cib.xmlio import configuration_from_xml
    from crmsh_py.lang import write_all

    configuration = root.find("configuration")
    if configuration is None:
        return ""
    text: str = write_all(configuration_from_xml(configuration).elements)
    return text


def status_text(root: ET.Element) -> str:
    """The cluster status recorded in the input, as ``crm_mon -1 -r`` shows it."""
    return _mon(root)


def _mon(root: ET.Element) -> str:
    from crmsh_py.lowlevel.crm_simulate import status_block

    return "\n".join(["Current cluster status:", *status_block(root)]) + "\n"


def simulate(root: ET.Element, options: list[str] | None = None) -> str:
    """``crm_simulate -x INPUT -S``'s output (our own crm_simulate, in-process)."""
    return _simulate(root, ["-S", *(options or [])])


def _simulate(root: ET.Element, options: list[str]) -> str:
    import tempfile

    from crmsh_py.lowlevel.crm_simulate import run
    from crmsh_py.lowlevel.toolio import ToolIO

    with tempfile.TemporaryDirectory(prefix="crm-history-") as tmp:
        path = Path(tmp) / "input.xml"
        path.write_bytes(ET.tostring(root))
        tool_io = ToolIO(io.StringIO(""), io.StringIO(), io.StringIO(), {"CIB_file": str(path)})
        rc = run(["-x", str(path), *options], tool_io)
        out: str = tool_io.stdout.getvalue()  # type: ignore[attr-defined]
        if rc != 0:
            raise CommandError(f"crm_simulate failed on the input: {tool_io.stderr.getvalue().strip()}")  # type: ignore[attr-defined]
    return out


def dot(transition: "Transition") -> str:
    """The transition's actions as a dot graph (a chain in execution order, like ``crm_simulate -D``)."""
    lines = ["digraph \"g\" {"]
    names = []
    for action in transition.actions:
        name = f"{action.rsc}_{action.task}_{action.interval_ms} {action.node}"
        style = "bold" if not action.result or action.result in ("ok", "not running") else "dashed"
        color = "green" if style == "bold" else "red"
        lines.append(f"\"{name}\" [ style={style} color=\"{color}\" fontcolor=\"black\"]")
        names.append(name)
    for node in transition.fenced:
        name = f"stonith 'reboot' {node}"
        lines.append(f"\"{name}\" [ style=bold color=\"green\" fontcolor=\"orange\"]")
        names.insert(0, name)
    for first, second in zip(names, names[1:], strict=False):
        lines.append(f"\"{first}\" -> \"{second}\" [ style = bold]")
    lines.append("}")
    return "\n".join(lines) + "\n"
