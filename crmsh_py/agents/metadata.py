"""Resource agent meta-data: parse OCF 1.0/1.1 meta-data XML into dataclasses, and synthesise
meta-data for agents that have none of their own (LSB init scripts, systemd units).

The parser is lenient on purpose: agents in the wild omit attributes, use ``Master``/``Slave``
(OCF 1.0) or ``Promoted``/``Unpromoted`` (OCF 1.1) roles and write booleans as ``1``/``true``/``yes``.
"""

from __future__ import annotations

import os

from crmsh_py import xmltree as ET
from crmsh_py.agents.xmltext import escape, quoteattr
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.errors import CommandError
from crmsh_py.records import field, record


@record(frozen=True)
class ParameterInfo:
    """One ``<parameter>`` of an agent's meta-data."""

    name: str
    required: bool = False
    unique: bool = False
    type: str = "string"
    default: str | None = None
    shortdesc: str = ""
    longdesc: str = ""
    reloadable: bool = False
    deprecated: bool = False
    choices: tuple[str, ...] = ()  # values of an enum-typed parameter, when listed


@record(frozen=True)
class ActionInfo:
    """One ``<action>``: timeouts and intervals are kept as the agent wrote them (``20s``, ``20``)."""

    name: str
    timeout: str | None = None
    interval: str | None = None
    depth: str | None = None
    role: str | None = None


@record(frozen=True)
class AgentInfo:
    """Parsed meta-data of one agent."""

    name: str
    version: str = ""  # the OCF API version the agent claims (``<version>``)
    shortdesc: str = ""
    longdesc: str = ""
    parameters: tuple[ParameterInfo, ...] = field(default_factory=tuple)
    actions: tuple[ActionInfo, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> ParameterInfo | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.parameters if p.name == name), None)

    def action(self, name: str, role: str | None = None) -> ActionInfo | None:
        """The first action called ``name`` (and with ``role``, when given), or None."""
        for act in self.actions:
            if act.name == name and (role is None or act.role == role):
                return act
        return None

    @property
    def required_parameters(self) -> list[str]:
        """Names of the parameters a primitive must set."""
        return [p.name for p in self.parameters if p.required]




def _text(parent: ET.Element, tag: str) -> str:
    """Text of the first English (or unlabelled) child ``tag``, whitespace-normalised."""
    chosen = None
    for child in parent.findall(tag):
        if child.get("lang") in (None, "en"):
            chosen = child
            break
        chosen = chosen if chosen is not None else child
    if chosen is None:
        return ""
    return " ".join("".join(chosen.itertext()).split())


def _parameter(node: ET.Element) -> ParameterInfo:
    content = node.find("content")
    ptype = "string"
    default = None
    choices: tuple[str, ...] = ()
    if content is not None:
        ptype = content.get("type", "string")
        default = content.get("default")
        choices = tuple(o.get("value", "") for o in content.findall("option"))
    return ParameterInfo(
        name=node.get("name", ""),
        required=is_true(node.get("required")),
        unique=is_true(node.get("unique")),
        type=ptype,
        default=default,
        shortdesc=_text(node, "shortdesc"),
        longdesc=_text(node, "longdesc"),
        reloadable=is_true(node.get("reloadable")),
        deprecated=node.find("deprecated") is not None or is_true(node.get("deprecated")),
        choices=choices,
    )


def parse_metadata(xml_text: str, agent_name: str = "") -> AgentInfo:
    """Parse meta-data XML; raises ``CommandError`` when it is not well-formed meta-data."""
    try:
        root = ET.fromstring(xml_text.strip().encode())
    except ET.ParseError as err:
        raise CommandError(f"{agent_name or 'agent'}: malformed meta-data: {err}") from None
    if root.tag != "resource-agent":
        raise CommandError(f"{agent_name or 'agent'}: meta-data has no <resource-agent> element")
    params_node = root.find("parameters")
    actions_node = root.find("actions")
    parameters = tuple(_parameter(p) for p in params_node.findall("parameter")) if params_node is not None else ()
    actions = tuple(
        ActionInfo(
            name=a.get("name", ""),
            timeout=a.get("timeout"),
            interval=a.get("interval"),
            depth=a.get("depth"),
            role=a.get("role"),
        )
        for a in (actions_node.findall("action") if actions_node is not None else [])
    )
    return AgentInfo(
        name=root.get("name", agent_name),
        version=(root.findtext("version") or "").strip(),
        shortdesc=_text(root, "shortdesc"),
        longdesc=_text(root, "longdesc"),
        parameters=parameters,
        actions=actions,
    )


# --------------------------------------------------------------------------- synthesised meta-data

_LSB_ACTIONS = (
    ("meta-data", "5", None),
    ("start", "15", None),
    ("stop", "15", None),
    ("status", "15", None),
    ("restart", "15", None),
    ("force-reload", "15", None),
    ("monitor", "15", "15"),
)

_LSB_HEADER = r"^### BEGIN INIT INFO\s*$(.*?)^### END INIT INFO"


def lsb_header(script_text: str) -> dict[str, str]:
    """The fields of an init script's LSB header (``# Provides: ssh``), continuation lines joined."""
    import re  # here: only init scripts have one (re and enum cost every agent-running command)

    match = re.search(_LSB_HEADER, script_text, re.M | re.S)
    fields: dict[str, str] = {}
    if match is None:
        return fields
    last = ""
    for line in match.group(1).splitlines():
        body = line.lstrip("#")
        head = re.match(r"\s*([A-Za-z-]+):\s*(.*)$", body)
        if head and line.startswith("# ") and not line.startswith("#  "):
            last = head.group(1)
            fields[last] = head.group(2).strip()
        elif last and body.strip():
            # Description may continue on "#\t..." or "#  ..." lines
            fields[last] = f"{fields[last]} {body.strip()}"
    return fields


def _actions_xml(actions: tuple[tuple[str, str, str | None], ...]) -> str:
    rows = []
    for name, timeout, interval in actions:
        extra = f" interval={quoteattr(interval)}" if interval else ""
        rows.append(f"    <action name={quoteattr(name)} timeout={quoteattr(timeout)}{extra} />")
    return "\n".join(rows)


def lsb_metadata(name: str, script: str | os.PathLike[str]) -> str:
    """Meta-data for an LSB init script, built from its LSB header (as Pacemaker does)."""
    try:
        with open(script, errors="replace") as handle:
            text = handle.read()
    except OSError as err:
        raise CommandError(f"Metadata query for lsb:{name} failed: {err.strerror}") from None
    header = lsb_header(text)
    special = "\n".join(
        f"    <{tag}>{escape(header.get(tag, ''))}</{tag}>"
        for tag in ("Provides", "Required-Start", "Required-Stop", "Should-Start", "Should-Stop",
                    "Default-Start", "Default-Stop")
    )
    return (
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE resource-agent SYSTEM 'ra-api-1.dtd'>\n"
        f"<resource-agent name={quoteattr(name)} version='0.1'>\n"
        "  <version>1.0</version>\n"
        f"  <longdesc lang='en'>{escape(header.get('Description', name))}</longdesc>\n"
        f"  <shortdesc lang='en'>{escape(header.get('Short-Description', name))}</shortdesc>\n"
        "  <parameters>\n  </parameters>\n"
        f"  <actions>\n{_actions_xml(_LSB_ACTIONS)}\n  </actions>\n"
        f"  <special tag='LSB'>\n{special}\n  </special>\n"
        "</resource-agent>\n"
    )


def unit_metadata(ra_class: str, name: str) -> str:
    """Minimal meta-data for a systemd unit or a ``service:`` agent without an init script."""
    actions = (("start", "100", None), ("stop", "100", None), ("status", "100", None),
               ("monitor", "100", "60"), ("meta-data", "5", None))
    return (
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE resource-agent SYSTEM 'ra-api-1.dtd'>\n"
        f"<resource-agent name={quoteattr(name)} version='0.1'>\n"
        "  <version>1.0</version>\n"
        f"  <longdesc lang='en'>{escape(ra_class)} unit {escape(name)}</longdesc>\n"
        f"  <shortdesc lang='en'>{escape(ra_class)}:{escape(name)}</shortdesc>\n"
        "  <parameters>\n  </parameters>\n"
        f"  <actions>\n{_actions_xml(actions)}\n  </actions>\n"
        "</resource-agent>\n"
    )
