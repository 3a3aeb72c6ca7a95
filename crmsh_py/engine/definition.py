"""The cluster definition file ``cluster.yaml``: what a bundled cluster is made of.

Example::

    name: crmsh_py
    stack: corosync            # "Heartbeat" selects crm_mon's 1.0 layout
    version: 2.1.5-crmsh_py    # shown as the DC's version
    crm_mon_style: "2.1"       # "1.0" or "2.1"; defaults from the stack
    reboot_delay: 3            # seconds a fenced (rebooted) node stays down before it rejoins,
                               # while the engine daemon runs (without it: rejoins at once)
    nodes:
      - name: srv01
        id: 1                  # the membership (corosync) node id: crm_node -l / -i
        uuid: 11111111-1111-1111-1111-111111111111   # the CIB node id
      - name: srv02
        id: 2
        uuid: 22222222-2222-2222-2222-222222222222

The CIB's ``<node id=...>`` is the uuid for every stack (the 1.0 layout shows it next to the DC).
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.errors import CibFileError
from crmsh_py.records import field, record

DEFAULT_NAME = "crmsh_py"
DEFAULT_STACK = "corosync"
DEFAULT_VERSION = "2.1.5-crmsh_py"
DEFAULT_NODE_NAMES = ("srv01", "srv02")
DEFAULT_REBOOT_DELAY = 3.0
# what a node name may hold (^[A-Za-z0-9][A-Za-z0-9_.-]*$), tested by hand: every command reads
# cluster.yaml, and compiling the expression cost each one-shot more than the rest of the reading
_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NAME_REST = _NAME_FIRST | frozenset("_.-")
_HINT = "fix the file by hand or recreate the cluster with 'crm cluster init'"


@record
class NodeDef:
    """One cluster node: its name, membership id (a positive integer) and CIB uuid."""

    name: str
    id: int
    uuid: str


@record
class ClusterDefinition:
    """The content of ``cluster.yaml``."""

    name: str = DEFAULT_NAME
    nodes: list[NodeDef] = field(default_factory=list)
    stack: str = DEFAULT_STACK
    version: str = DEFAULT_VERSION
    crm_mon_style: str = ""
    reboot_delay: float = DEFAULT_REBOOT_DELAY

    def __post_init__(self) -> None:
        if not self.crm_mon_style:
            self.crm_mon_style = "1.0" if self.stack.lower() == "heartbeat" else "2.1"

    def node(self, name: str) -> NodeDef | None:
        """The node called ``name`` (exact match), or None."""
        return next((n for n in self.nodes if n.name == name), None)

    def node_by_uuid(self, uuid: str) -> NodeDef | None:
        """The node whose CIB id is ``uuid``, or None."""
        return next((n for n in self.nodes if n.uuid == uuid), None)

    @property
    def node_names(self) -> list[str]:
        """Node names in definition order (the order tie-breaks use)."""
        return [n.name for n in self.nodes]


def node_uuid(index: int) -> str:
    """The uuid given to the ``index``-th node (1-based): ``11111111-1111-...`` for 1, ``2222...`` for 2.

    Digits repeat for 1..9; later nodes get a zero-padded number in the last group.
    """
    if 1 <= index <= 9:
        d = str(index)
        return f"{d * 8}-{d * 4}-{d * 4}-{d * 4}-{d * 12}"
    return f"00000000-0000-0000-0000-{index:012d}"


def make_definition(name: str = DEFAULT_NAME, node_names: list[str] | tuple[str, ...] = DEFAULT_NODE_NAMES,
                    stack: str = DEFAULT_STACK, version: str | None = None) -> ClusterDefinition:
    """A new definition with nodes numbered 1.. in the given order; raises CibFileError on bad names."""
    for n in node_names:
        check_node_name(n)
    if len(set(node_names)) != len(node_names):
        raise CibFileError("cluster.yaml", "duplicate node names", "give each node a different name")
    nodes = [NodeDef(n, i, node_uuid(i)) for i, n in enumerate(node_names, start=1)]
    return ClusterDefinition(name=name, nodes=nodes, stack=stack,
                             version=version or (DEFAULT_VERSION if stack.lower() != "heartbeat"
                                                 else "1.0.11-crmsh_py"))


def check_node_name(name: str) -> None:
    """Raise CibFileError unless ``name`` is a usable host name."""
    body = name[:-1] if name.endswith("\n") else name  # as the expression's $ allowed a final newline
    if not (body[:1] in _NAME_FIRST and all(ch in _NAME_REST for ch in body)):
        raise CibFileError("cluster.yaml", f"invalid node name {name!r}",
                           "node names are letters, digits, '.', '_' and '-', starting with a letter or digit")


def next_node(defn: ClusterDefinition, name: str) -> NodeDef:
    """A NodeDef for a node to add to ``defn`` (next free id)."""
    check_node_name(name)
    index = max((n.id for n in defn.nodes), default=0) + 1
    return NodeDef(name, index, node_uuid(index))


def dump_definition(defn: ClusterDefinition) -> str:
    """``cluster.yaml`` text for ``defn`` (stable key order, readable by :func:`load_definition`)."""
    import yaml

    data: dict[str, object] = {
        "name": defn.name,
        "stack": defn.stack,
        "version": defn.version,
        "crm_mon_style": defn.crm_mon_style,
        "nodes": [{"name": n.name, "id": n.id, "uuid": n.uuid} for n in defn.nodes],
    }
    if defn.reboot_delay != DEFAULT_REBOOT_DELAY:
        data["reboot_delay"] = defn.reboot_delay
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False)


def load_definition(text: str, path: str = "cluster.yaml", fast: dict[str, object] | None = None) -> ClusterDefinition:
    """Parse ``cluster.yaml`` text; raise CibFileError naming the file and the problem.  ``fast``:
    :func:`crmsh_py.cluster_yaml.fast_load` of ``text`` when the caller has it already (read only)."""
    from crmsh_py.cluster_yaml import fast_load

    # every command reads this file: skip importing PyYAML (~8 ms) when we can
    data: object = fast if fast is not None else fast_load(text)
    if data is None:
        data = _yaml_load(text, path)
    if not isinstance(data, dict):
        raise CibFileError(path, "expected a mapping with 'name' and 'nodes'", _HINT)
    nodes_data = data.get("nodes")
    if not isinstance(nodes_data, list) or not nodes_data:
        raise CibFileError(path, "'nodes' must be a non-empty list", _HINT)
    nodes: list[NodeDef] = []
    for i, item in enumerate(nodes_data, start=1):
        nodes.append(_node_from(item, i, path))
    names = [n.name for n in nodes]
    if len(set(names)) != len(names):
        raise CibFileError(path, "duplicate node names", _HINT)
    stack = str(data.get("stack") or DEFAULT_STACK)
    try:
        reboot_delay = float(data.get("reboot_delay", DEFAULT_REBOOT_DELAY))
    except (TypeError, ValueError):
        raise CibFileError(path, "'reboot_delay' must be a number of seconds", _HINT) from None
    return ClusterDefinition(
        name=str(data.get("name") or DEFAULT_NAME),
        nodes=nodes,
        stack=stack,
        version=str(data.get("version") or DEFAULT_VERSION),
        crm_mon_style=str(data.get("crm_mon_style") or ""),
        reboot_delay=max(0.0, reboot_delay),
    )


def _yaml_load(text: str, path: str) -> object:
    import yaml

    from crmsh_py.cluster_yaml import yaml_load

    try:
        return yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CibFileError(path, f"not valid YAML{where}: {getattr(exc, 'problem', exc)}", _HINT) from None


def _node_from(item: object, index: int, path: str) -> NodeDef:
    """One node entry: a mapping with ``name`` (and optional ``id``/``uuid``) or a bare name."""
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise CibFileError(path, f"node #{index} must be a mapping with a 'name'", _HINT)
    name = item["name"]
    try:
        check_node_name(name)
    except CibFileError as exc:
        raise CibFileError(path, exc.text, exc.hint) from None
    try:
        node_id = int(item.get("id", index))
    except (TypeError, ValueError):
        raise CibFileError(path, f"node {name}: 'id' must be an integer", _HINT) from None
    return NodeDef(name, node_id, str(item.get("uuid") or node_uuid(node_id)))


def definition_from_cib(root: ET.Element) -> ClusterDefinition:
    """A definition for a ``CIB_file`` cluster: nodes from ``<nodes>``, stack/version unknown.
    Like the store's section lookup, it adds an empty ``<configuration>``/``<nodes>`` when missing.
    (Here rather than in ``cibfile``: ``crm_simulate -x`` needs it without the CIB file writer.)"""
    configuration = root.find("configuration")
    if configuration is None:
        configuration = ET.SubElement(root, "configuration")
    section = configuration.find("nodes")
    if section is None:
        section = ET.SubElement(configuration, "nodes")
    nodes: list[NodeDef] = []
    for i, n in enumerate(section.findall("node"), start=1):
        uname = n.get("uname") or n.get("id") or f"node{i}"
        node_id = n.get("id") or uname
        nodes.append(NodeDef(uname, int(node_id) if node_id.isdigit() else i, node_id))
    return ClusterDefinition(name="", nodes=nodes, stack="unknown", version="unknown")
