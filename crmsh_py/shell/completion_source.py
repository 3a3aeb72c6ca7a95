"""Completion data read from the session's cluster, through the backend, quietly and cached.

One instance serves one prompt line (the REPL makes a new one after every command), so what it
offers follows the cluster as it changes.  Reads never print ``.EXT`` lines: completing is not a
command.  Any failure yields no candidates rather than an error while typing.
"""

from __future__ import annotations

import os
from crmsh_py import xmltree as ET
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.agents.metadata import AgentInfo
    from crmsh_py.shell.completion_cib import CibSections
    from crmsh_py.render.mon_view import ClusterView
    from crmsh_py.session import Session


T = TypeVar("T")
FileKey = tuple[str, int, int, int, int]  # path, inode, mtime and ctime (ns), size


def local_cib_file(backend: object) -> Path | None:
    """The ``CIB_file`` that Pacemaker's tools read on this machine, for completion to parse
    itself: ``cibadmin -Q`` would print that file's content after a process start and a
    re-serialisation (most of a Tab on a big CIB).  None for a remote node, a shadow CIB or a
    compressed file (Pacemaker's tools read ``.bz2``): those still ask ``cibadmin``."""
    env = getattr(backend, "env", None) or {}
    if getattr(backend, "where", None) != "local" or env.get("CIB_shadow"):
        return None
    name = env.get("CIB_file", "")
    return Path(name) if name and not name.endswith(".bz2") else None


class CibCache:
    """The CIB read for the last completion (its text, what was read from it: the scans of
    :mod:`crmsh_py.shell.completion_state`, or the parse and the status view when those cannot
    tell), kept while its file is unchanged.

    A REPL holds one across lines: the first Tab after a command that changed nothing (the common
    case) then costs a ``stat``, not a read of the whole CIB; after a change, a section whose text
    is the same keeps what was read from it (:class:`crmsh_py.shell.completion_cib.CibSections`).  The key is the file's inode,
    modification and change times and size: every write of the CIB is a rename onto a new inode
    or at least a new change time, so a change always shows.  Backends that cannot name the
    file (Pacemaker's on a live cluster or over SSH) are never cached.
    """

    def __init__(self) -> None:
        self.key: FileKey | None = None
        self.sections: CibSections | None = None  # the text, its sections parsed as asked for
        self.root: ET.Element | None = None
        self.view: ClusterView | None = None


class AgentCache:
    """What the agents are (their lists and parsed meta-data), kept across prompt lines."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], list[str]] = {}
        self.infos: dict[str, "AgentInfo | None"] = {}


_RESOURCE_TAGS = frozenset(("primitive", "group", "clone", "master", "bundle"))


class SessionSource:
    """A :class:`crmsh_py.shell.completion.CompletionSource` over a live session."""

    def __init__(self, session: "Session", cache: CibCache | None = None,
                 agents: "AgentCache | None" = None) -> None:
        self.session = session
        self._cache = cache if cache is not None else CibCache()
        # Agent lists and meta-data do not change with commands: the REPL keeps one AgentCache
        # for the whole session, so that only the first look-up of each pays for crm_resource.
        agent_cache = agents if agents is not None else AgentCache()
        self._lists = agent_cache.lists
        self._agents = agent_cache.infos

    def _lines(self, *argv: str) -> list[str]:
        if argv not in self._lists:
            result = self.session.backend.run(list(argv))
            self._lists[argv] = [w.strip() for w in result.stdout.splitlines() if w.strip()] if result.ok else []
        return self._lists[argv]

    @cached_property
    def _cib(self) -> CibSections | None:
        """The CIB's text, cut into sections; a section unchanged since the last read keeps its
        parse (:mod:`crmsh_py.shell.completion_cib`)."""
        from crmsh_py.shell.completion_cib import CibSections

        key = self._file_key()
        if key is not None and key == self._cache.key and self._cache.sections is not None:
            return self._cache.sections
        sections: CibSections | None
        try:
            if key is not None:  # the file the tools read: no copy through cibadmin
                sections = CibSections(Path(key[0]).read_text(encoding="utf-8"), key[0], self._cache.sections)
            else:
                result = self.session.backend.run(["cibadmin", "-Q"])
                sections = CibSections(result.stdout, "<cib>", self._cache.sections) if result.ok else None
        except Exception:  # noqa: BLE001 - completion must never break typing
            sections = None
        self._cache.key, self._cache.sections, self._cache.root, self._cache.view = key, sections, None, None
        return sections

    @cached_property
    def _root(self) -> ET.Element | None:
        sections = self._cib
        if sections is None:
            return None
        if self._cache.sections is sections and self._cache.root is not None:
            return self._cache.root
        try:
            root = sections.root()
        except Exception:  # noqa: BLE001 - malformed XML: no candidates
            return None
        if self._cache.sections is sections:
            self._cache.root = root
        return root

    @cached_property
    def _configuration(self) -> ET.Element | None:
        """The configuration section alone (the status is not parsed for it)."""
        if "_root" in self.__dict__:
            root = self._root
            return root.find("configuration") if root is not None else None
        sections = self._cib
        try:
            return sections.configuration() if sections is not None else None
        except Exception:  # noqa: BLE001 - malformed XML: no candidates
            return None

    def _file_key(self) -> FileKey | None:
        finder = getattr(self.session.backend, "cib_file", None)
        path = finder() if finder is not None else local_cib_file(self.session.backend)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        # ctime too: no tool can set it back, so even an in-place rewrite of the same size shows
        return str(path), stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size

    @cached_property
    def _view(self) -> ClusterView | None:
        root = self._root
        if root is None:
            return None
        if self._cache.view is not None and self._cache.root is root:
            return self._cache.view
        from crmsh_py.render.mon_view import build_view

        view = build_view(root)
        if self._cache.root is root:
            self._cache.view = view
        return view

    def _quick(self, read: Callable[[CibSections], T | None]) -> T | None:
        """What :mod:`crmsh_py.shell.completion_state` reads from the CIB's text without parsing
        all of it; None when it cannot (then the whole CIB is parsed and viewed)."""
        sections = self._cib
        if sections is None:
            return None
        try:
            return read(sections)
        except Exception:  # noqa: BLE001 - completion must never break typing: try the view
            return None

    def warm(self) -> None:
        """Read what completion most often needs (the resources and whether they run, the
        nodes), so that the first Tab after a command finds it ready: the REPL calls this in the
        background."""
        from crmsh_py.shell.completion_state import resource_states

        if self._quick(resource_states) is None:
            self._view  # noqa: B018 - reading the property fills the cache
        self.nodes()

    def resources(self, state: str | None = None) -> list[str]:
        """Top-level and child resource ids; stopped ones for ``start``, running ones for ``stop``."""
        from crmsh_py.shell import completion_state

        if "_view" not in self.__dict__:
            if state is None:
                ids = self._quick(completion_state.resource_ids)
                if ids is not None:
                    return ids
            else:
                states = self._quick(completion_state.resource_states)
                if states is not None:
                    return [rsc for rsc, running in states.items() if running == (state == "running")]
        if state is None and "_view" not in self.__dict__:
            # every id, straight from the configuration: no need to read the status for that
            config = self._configuration
            section = config.find("resources") if config is not None else None
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
        from crmsh_py.shell.completion_state import node_names

        quick = self._quick(node_names)
        if quick is not None:
            return quick
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
        from crmsh_py.shell.completion_state import element_ids

        quick = self._quick(element_ids)
        if quick is not None:
            return quick
        section = self._configuration
        if section is None:
            return []
        return [x.get("id", "") for part in section for x in part if x.get("id")]
