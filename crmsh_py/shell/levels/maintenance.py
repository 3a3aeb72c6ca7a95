"""The maintenance level (crmsh 4.4.1): maintenance mode on or off, and agent actions run by hand.

``on``/``off`` without a resource set the cluster property ``maintenance-mode`` (a CIB patch, as
crmsh: nothing is written when it already has that value); with one, the
resource's meta attribute ``maintenance`` (crmsh's own ``crm_resource`` line).  ``action RSC
ACTION`` runs one agent action on this node outside the cluster's control
(``crm_resource --force-start|--force-stop|--force-check|--force-promote|--force-demote|--validate``),
and only while the resource is in maintenance mode unless -F.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.cib.vocabulary import RESOURCE_SECTION_TAGS
from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.cibedit import edit_configuration, find_by_id, read_cib, unique_id
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py import xmltree as ET

    from crmsh_py.session import Session

# agent action → the crm_resource option that runs it on the local node
ACTIONS: dict[str, str] = {
    "start": "--force-start",
    "stop": "--force-stop",
    "monitor": "--force-check",
    "promote": "--force-promote",
    "demote": "--force-demote",
    "validate-all": "--validate",
}
# crmsh offers these too; they have no crm_resource option, so they are refused with a reason
OTHER_ACTIONS = ("meta-data", "notify", "reload", "migrate_from", "migrate_to", "recover")


def _onoff(value: str) -> Callable[["Session", Call], None]:
    def handler(session: "Session", call: Call) -> None:
        rsc = call.value("resource")
        if rsc is not None:
            session.passthrough(Cmd("crm_resource").opt("-r", rsc).flag("--meta", "-p", "maintenance")
                                .opt("-v", value))
        else:
            edit_configuration(session, lambda root: set_property(root, "maintenance-mode", value))

    return handler


def set_property(root: "ET.Element", name: str, value: str) -> None:
    """Set a cluster property as crmsh does: in ``cib-bootstrap-options`` (made when missing)."""
    from crmsh_py import xmltree as ET

    crm_config = root.find("configuration/crm_config")
    if crm_config is None:
        raise CommandError("the CIB has no crm_config section")
    sets = crm_config.findall("cluster_property_set")
    target = next((s for s in sets if s.get("id") == "cib-bootstrap-options"), None)
    if target is None:
        target = ET.SubElement(crm_config, "cluster_property_set", {"id": "cib-bootstrap-options"})
    pair = next((p for p in target.findall("nvpair") if p.get("name") == name), None)
    if pair is not None:
        pair.set("value", value)
    else:
        ET.SubElement(target, "nvpair", {"name": name, "value": value,
                                         "id": unique_id(root, f"{target.get('id')}-{name}")})


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("true", "yes", "on", "1", "y")


def in_maintenance(root: "ET.Element", element: "ET.Element") -> bool:
    """crmsh's test: the cluster property ``maintenance-mode`` is true, or every ``maintenance``
    meta attribute the resource has is true (and it has one)."""
    for nvpair in root.iterfind("configuration/crm_config/cluster_property_set/nvpair"):
        if nvpair.get("name") == "maintenance-mode" and _truthy(nvpair.get("value")):
            return True
    values = [p.get("value") for s in element.findall("meta_attributes") for p in s.findall("nvpair")
              if p.get("name") == "maintenance"]
    return bool(values) and all(v == "true" for v in values)


def _must_run_here(session: "Session", rsc: str) -> None:
    """crmsh's check before stopping (promoting, ...) by hand: the resource runs here and only here."""
    from crmsh_py.shell.levels.node import local_node

    here = local_node(session)
    located = session.run(Cmd("crm_resource").opt("--resource", rsc).flag("--locate"))
    nodes = set()
    for line in (located.stdout + located.stderr).splitlines():
        if "is running on:" in line:
            nodes.add(line.split("is running on:", 1)[1].split()[0])
    if nodes != {here}:
        raise CommandError(f"Resource {rsc} must be running on this node ({here})")


def do_action(session: "Session", call: Call) -> None:
    """``action RSC ACTION``: run the agent action here, bypassing the cluster."""
    if len(call.args) == 3 and call.args[2] == "ssh":
        raise CommandError("action ... ssh (running the action on every node) is not built: "
                           "run `crm maintenance action` on each node")
    if len(call.args) != 2:  # the action is checked below, with crmsh's reasons
        raise call.bad_usage()
    rsc, action = call.args
    if action not in ACTIONS:
        if action in OTHER_ACTIONS:
            raise CommandError(f"{action}: crm_resource cannot run it outside the cluster "
                               f"({', '.join(ACTIONS)} can)")
        raise CommandError(f"{action}: not an agent action ({', '.join((*ACTIONS, *OTHER_ACTIONS))})")
    root = read_cib(session)
    element = find_by_id(root, rsc)
    if element is None:
        raise CommandError(f"Resource not found: {rsc}")
    if element.tag not in RESOURCE_SECTION_TAGS:
        raise CommandError(f"Not a resource: {rsc}")
    if not session.force and not in_maintenance(root, element):
        raise CommandError("Not in maintenance mode.")
    if action not in ("start", "monitor"):
        _must_run_here(session, rsc)
    session.passthrough(Cmd("crm_resource").flag(ACTIONS[action]).opt("-r", rsc))


LEVEL = Level(
    name="maintenance",
    help="Maintenance mode: take the cluster or a resource out of the cluster's control, and run "
         "agent actions by hand meanwhile.",
    commands=[
        CommandSpec("on", "Enable maintenance mode (of a resource, or of the whole cluster)\n\nWith a "
                    "resource: its meta attribute `maintenance=true`; without: the cluster property "
                    "`maintenance-mode=true`.", usage="on [RSC]", handler=_onoff("true"), parse_args=True,
                    args=(Arg("resource", "resource", optional=True),), examples=("on", "on dummy")),
        CommandSpec("off", "Disable maintenance mode (of a resource, or of the whole cluster)",
                    usage="off [RSC]", handler=_onoff("false"), parse_args=True,
                    args=(Arg("resource", "resource", optional=True),), examples=("off", "off dummy")),
        CommandSpec("action", "Run a resource agent action on this node, outside the cluster\n\n"
                    "The resource must be in maintenance mode (or use -F).  Runs `crm_resource "
                    "--force-start`, `--force-stop`, `--force-check` (monitor), `--force-promote`, "
                    "`--force-demote` or `--validate` (validate-all).", usage="action RSC ACTION",
                    handler=do_action,
                    args=(Arg("resource", "resource"),
                          Arg("action", "choice", choices=tuple(ACTIONS))),
                    examples=("action dummy monitor", "-F maintenance action dummy start")),
    ],
)
