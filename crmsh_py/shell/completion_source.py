"""Completion data read from the session's cluster, through the backend, quietly and cached.

One instance serves one prompt line (the REPL makes a new one after every command), so what it
offers follows the cluster as it changes.  Reads never print ``.EXT`` lines: completing is not a
command.  Any failure yields no candidates rather than an error while typing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmsh_py.agents.metadata import AgentInfo
    from crmsh_py.render.mon_view import ClusterView
    from crmsh_py.session import Session


class AgentCache:
    """What the agents are (their lists and parsed meta-data), kept across prompt lines."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], list[str]] = {}
        self.infos: dict[str, "AgentInfo | None"] = {}


_RESOURCE_TAGS = frozenset(("primitive", "group", "clone", "master", "bundle"))


class SessionSource:
    """A :class:`crmsh_py.shell.completion.CompletionSource` over a live session."""

    def __init__(self, session: "Session", agents: "AgentCache | None" = None) -> None:
        self.session = session
        # Agent lists and meta-data do not change with commands: the REPL keeps one AgentCache
        # for the whole session, so that only the first look-up of each pays for crm_resource.
        cache = agents if agents is not None else AgentCache()
        self._lists = cache.lists
        self._agents = cache.infos

    def _lines(self, *argv: str) -> list[str]:
        if argv not in self._lists:
            result = self.session.backend.run(list(argv))
            self._lists[argv] = [w.strip() for w in result.stdout.splitlines() if w.strip()] if result.ok else []
        return self._lists[argv]

    @cached_property
    def _root(self) -> ET.Element | None:
        from crmsh_py.cib import load

        result = self.session.backend.run(["cibadmin", "-Q"])
        if not result.ok:
            return None
        try:
            return load(result.stdout)
        except Exception:  # noqa: BLE001
            return None

    @cached_property
    def _view(self) -> "ClusterView | None":
        if self._root is None:
            return None
        from crmsh_py.render.mon_view import build_view

        return build_view(self._root)

    def warm(self) -> None:
        """Read what completion most often needs (the CIB, its status view, the nodes), so that the
        first Tab after a command finds it ready: the REPL calls this in the background."""
        self._view  # noqa: B018 - reading the property fills the cache
        self.nodes()

    def resources(self, state: str | None = None) -> list[str]:
        """Top-level and child resource ids; stopped ones for ``start``, running ones for ``stop``."""
        if state is None and self._root is not None and "_view" not in self.__dict__:
            # every id, straight from the configuration: no need to resolve the status for that
            section = self._root.find("configuration/resources")
            return [x.get("id", "") for x in section.iter() if x is not section and x.get("id")
                    and x.tag in _RESOURCE_TAGS] if section is not None else []
        view = self._view
        if view is None:
            return []
        out: list[str] = []
        stack = list(view.resources)
        while stack:
            res = stack.pop(0)
            if state is None or (state == "running") == res.active:
                out.append(res.id)
            stack.extend(res.children)
        return out

    def nodes(self) -> list[str]:
        """Node names from the configuration and the status section."""
        if self._root is None:
            return []
        names = [n.get("uname", "") for n in self._root.iter("node")]
        names += [n.get("uname", "") for n in self._root.iter("node_state")]
        return [n for n in dict.fromkeys(names) if n]

    def ra_classes(self) -> list[str]:
        """``crm_resource --list-standards``."""
        return self._lines("crm_resource", "--list-standards")

    def providers(self) -> list[str]:
        """``crm_resource --list-ocf-providers``."""
        return self._lines("crm_resource", "--list-ocf-providers")

    def agents(self, ra_class: str, provider: str | None = None) -> list[str]:
        """``crm_resource --list-agents CLASS[:PROVIDER]``."""
        spec = f"{ra_class}:{provider}" if provider else ra_class
        return self._lines("crm_resource", f"--list-agents={spec}")

    def agent_info(self, agent: str) -> "AgentInfo | None":
        """The agent's meta-data (``crm_resource --show-metadata AGENT``), parsed; None when unknown."""
        from crmsh_py.agents.metadata import parse_metadata
        from crmsh_py.shell.levels.ra import qualify

        if agent not in self._agents:
            self._agents[agent] = None
            result = self.session.backend.run(["crm_resource", f"--show-metadata={qualify(agent)}"])
            if result.ok:
                try:
                    self._agents[agent] = parse_metadata(result.stdout, agent)
                except Exception:  # noqa: BLE001
                    pass
        return self._agents[agent]

    def agent_params(self, agent: str) -> list[str]:
        """Parameter names from the agent's meta-data."""
        info = self.agent_info(agent)
        return [p.name for p in info.parameters] if info is not None else []

    def shadows(self) -> list[str]:
        """Shadow CIB files in the cluster directory."""
        from crmsh_py.shell.levels.cib import shadow_names

        return shadow_names(self.session)

    def elements(self) -> list[str]:
        """Element ids: the working copy's when configure holds one, else the CIB's."""
        if self.session.working is not None:
            from crmsh_py.shell.levels.configure_state import effective_id

            return [effective_id(e) for e in self.session.working.elements]
        if self._root is None:
            return []
        section = self._root.find("configuration")
        if section is None:
            return []
        return [x.get("id", "") for part in section for x in part if x.get("id")]
