"""``crm_resource --list-standards / --list-ocf-providers / --list-agents / --show-metadata``
(answers come from the agent catalogue)."""

from __future__ import annotations

from crmsh_py.cib.model import Agent
from crmsh_py.errors import CommandError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.rsc_common import Result, failure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping


def list_standards(env: Mapping[str, str] | None = None) -> Result:
    """The resource agent classes (``ocf``, ``lsb``, ``service``, ``stonith``, ...)."""
    from crmsh_py.agents import catalog

    return Result(out=list(catalog.list_classes(env)))


def list_providers(ra_type: str | None = None, env: Mapping[str, str] | None = None) -> Result:
    """OCF providers (of one agent type when given)."""
    from crmsh_py.agents import catalog

    return Result(out=list(catalog.list_providers(ra_type, env)))


def list_agents(spec: str, env: Mapping[str, str] | None = None) -> Result:
    """``stonith``, ``ocf``, ``ocf:heartbeat``: agent names, one a line."""
    from crmsh_py.agents import catalog

    ra_class, _, provider = spec.partition(":")
    try:
        agents = list(catalog.list_agents(ra_class, provider or None, env))
    except CommandError:
        agents = []
    if not agents:
        kind = "provider" if provider else "standard"
        return failure(exitcodes.CRM_EX_ERROR, f"No agents found for {kind} '{spec}'")
    return Result(out=agents)


def parse_agent_spec(spec: str) -> Agent | None:
    """``ocf:heartbeat:Dummy`` / ``stonith:null`` / ``lsb:foo`` → Agent (None if malformed)."""
    parts = spec.split(":")
    if len(parts) == 3 and all(parts):
        return Agent(parts[0], parts[2], parts[1])
    if len(parts) == 2 and all(parts) and parts[0] != "ocf":
        return Agent(parts[0], parts[1])
    return None


def show_metadata(spec: str, env: Mapping[str, str] | None = None) -> Result:
    """The agent's meta-data XML."""
    from crmsh_py.agents import catalog

    agent = parse_agent_spec(spec)
    if agent is None:
        return failure(exitcodes.CRM_EX_INVALID_PARAM, f"'{spec}' is not a valid agent specification")
    try:
        text = catalog.metadata(agent, env)
    except CommandError:
        return failure(exitcodes.CRM_EX_NOSUCH, f"Metadata query for {spec} failed: No such device or address")
    return Result(out=[text.rstrip("\n")])
