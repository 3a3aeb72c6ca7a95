"""The cluster store: where a cluster lives on disk and how its CIB is read and changed safely.

Two kinds of cluster share one interface (:class:`Cluster`):

- the **bundled cluster**: a state directory (``$XDG_STATE_HOME/crmsh_py/cluster`` by default;
  ``CRM_CLUSTER_DIR`` or an explicit directory overrides) holding ``cluster.yaml``, ``cib.xml``,
  ``lock``, ``nodes/<name>/rsctmp``, ``ha-log`` and ``fencing-history.json``.  Every mutation
  settles the cluster (schedule, run agents, record status) through the *settler* it was opened
  with: the store only reads, locks, detects changes and writes; settling is the controller's
  (:mod:`crmsh_py.engine.controller`, which opens clusters with its settler), so the store imports
  nothing that runs the cluster.
- a **file cluster** (``CIB_file`` set): Pacemaker's offline mode.  A mutation only rewrites the
  file (epoch bumped), no agent runs, status is left as it is.

Typical use by a tool (through the controller, which gives the cluster its settler)::

    cluster = controller.open_cluster(io.env, notice=io.stderr)
    snap = cluster.read()                 # no lock: a consistent snapshot (writes are atomic)
    snap.configuration, snap.status, snap.epoch, snap.root
    with cluster.mutate("crm_attribute") as snap:
        edit(snap.root)                   # raise to abort: nothing is written
    # on exit: epoch/num_updates bumped, cluster settled, CIB written atomically, lock released

Concurrency: one ``fcntl.flock`` serialises mutations (bundled: the ``lock`` file; file cluster:
the file's directory), so concurrent invocations never lose each other's change.  Writes go to a
temp file in the same directory, fsync, rename, fsync the directory; stray temp files from a crash
are removed by the next mutation.
"""

from __future__ import annotations

import fcntl
import os
from crmsh_py import xmltree as ET

from crmsh_py.generator_context import generator_context
from crmsh_py.cib.attr_names import invalid_nvpair_names
from crmsh_py.engine import cib_writes, cibfile
from crmsh_py.engine.cibfile import PathName
from crmsh_py.engine.state_dir import LOCK_FILE, check_state_dir, open_private
from crmsh_py.engine.definition import ClusterDefinition, load_definition
from crmsh_py.invocation import cluster_log
from crmsh_py.errors import CibFileError
from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path
    from typing import Protocol

    from crmsh_py.cib.model import Configuration
    from crmsh_py.cluster_yaml import KnownFiles
    from crmsh_py.engine.status import ClusterStatus

CLUSTER_YAML = "cluster.yaml"
CIB_XML = "cib.xml"
HA_LOG = "ha-log"
FENCING_HISTORY = "fencing-history.json"
LAST_GOOD = "cib.xml.last-good"
SETTLE_PENDING = "settle.pending"
REPAIR_HINT = "run 'crm cluster repair' (README: Recovering a broken cluster directory)"


@record
class CibSnapshot:
    """A loaded CIB.  ``root`` is the whole ``<cib>`` element; edit it inside ``Cluster.mutate``.

    ``configuration`` and ``status`` are computed from ``root`` on each access (so they reflect
    edits); keep the result in a local variable when you need it several times.
    """

    root: ET.Element
    definition: ClusterDefinition
    path: PathName
    offline: bool = False

    @property
    def configuration(self) -> "Configuration":
        """The configuration section as the model (``crmsh_py.cib.xmlio``)."""
        from crmsh_py.cib import xmlio

        return xmlio.configuration_from_xml(self.section("configuration"))

    @property
    def status(self) -> "ClusterStatus":
        """The status section as ``ClusterStatus`` (membership flags resolved, DC from ``dc-uuid``)."""
        from crmsh_py.engine import status_xml

        return status_xml.status_from_cib(self.root, self.definition)

    @property
    def epoch(self) -> tuple[int, int, int]:
        """``(admin_epoch, epoch, num_updates)``: the CIB version, compared in this order."""
        from crmsh_py.cib.versions import version_of  # here: a one-shot's change never asks

        return version_of(self.root)

    def section(self, name: str) -> ET.Element:
        """``configuration`` or ``status`` or a configuration child (``resources``, ``crm_config``,
        ``nodes``, ``constraints``, ``rsc_defaults``, ``op_defaults``...), created when missing."""
        return cibfile.section(self.root, name)


if TYPE_CHECKING:  # types only: a one-shot does not import typing for them
    class SettleOutcome(Protocol):
        """What the store needs to know of a settle (``engine.settle.SettleReport`` is one)."""

        @property
        def changed(self) -> bool:
            """The settle changed the CIB (it must be written)."""

        @property
        def settled(self) -> bool:
            """The settle finished (False: work was postponed to a later settle)."""

    #: runs the cluster to a stable state, editing the snapshot in place, while the caller holds the
    #: lock: ``settler(cluster, snap, tool)`` (the controller's is ``engine.settle.settle_snapshot``)
    Settler = Callable[["Cluster", "CibSnapshot", str], SettleOutcome]


class Cluster:
    """Common interface of the bundled cluster and the ``CIB_file`` cluster.

    The store works on file names as ``str`` (``cib_path``; the bundled cluster's ``state_dir``)
    with ``os.path``: ``pathlib`` and the ``urllib.parse`` and ``ipaddress`` it imports cost a
    one-shot some milliseconds.  ``path`` (and ``BundledCluster.directory``) give them as
    ``pathlib.Path`` to the callers that want one.
    """

    kind: str = "abstract"
    #: True when no agent runs and no settling happens (``CIB_file``)
    offline: bool = False

    def __init__(self, path: PathName, definition: ClusterDefinition, env: Mapping[str, str],
                 settler: Settler | None = None) -> None:
        self.cib_path = os.fspath(path)
        self.definition = definition
        self.env = dict(env)
        self.settler = settler

    @property
    def path(self) -> Path:
        """The CIB file."""
        from pathlib import Path

        return Path(self.cib_path)

    # -- reading -------------------------------------------------------------------------
    def read(self) -> CibSnapshot:
        """Load the current CIB without taking the lock (writes are atomic renames)."""
        return CibSnapshot(self._read_cib(), self._definition_for_read(), self.cib_path, self.offline)

    def _definition_for_read(self) -> ClusterDefinition:
        return self.definition

    def _read_cib(self) -> ET.Element:
        return cibfile.read_cib(self.cib_path)

    def _write_cib(self, root: ET.Element) -> None:
        cibfile.write_cib_atomic(self.cib_path, root)

    # -- changing --------------------------------------------------------------------------
    @generator_context
    def mutate(self, tool: str, settle: bool = True) -> Iterator[CibSnapshot]:
        """Lock, load, let the caller edit ``snap.root``, bump versions, settle, write, unlock.

        A configuration change bumps ``epoch`` (``num_updates`` reset to 0); a status-only change
        bumps ``num_updates``; no change writes nothing.  An exception from the caller aborts
        the mutation with the CIB untouched.  ``settle=False`` skips running the cluster.
        """
        with self.locked():
            snap = CibSnapshot(self._read_cib(), self._definition_for_read(), self.cib_path, self.offline)
            before_cfg = cibfile.snapshot(snap.section("configuration"))
            before_status = cibfile.snapshot(snap.section("status"))
            before_attrs = cib_writes.config_attributes(snap.root)
            before_epoch = int(snap.root.get("epoch", "0"))
            before_bad = invalid_nvpair_names(snap.root.find("configuration"))
            before_dups = cib_writes.duplicate_ids(snap.root.find("configuration"))
            yield snap
            changed = False
            raised = int(snap.root.get("epoch", "0") or 0) > before_epoch  # replace/bump set it
            if raised or not cibfile.unchanged_since(before_cfg, snap.section("configuration")) or \
                    cib_writes.config_attributes(snap.root) != before_attrs:
                cib_writes.refuse_new_bad_names(snap.root, before_bad)
                cib_writes.refuse_new_duplicate_ids(snap.root, before_dups)
                if raised:
                    snap.root.set("num_updates", "0")
                else:
                    cibfile.bump_epoch(snap.root)
                self._stamp(snap.root, tool)
                changed = True
            elif not cibfile.unchanged_since(before_status, snap.section("status")):
                cibfile.bump_updates(snap.root)
                changed = True
            if settle and not self.offline:
                report = self._settle_locked(snap, tool)
                changed = changed or report.changed
            if changed:
                self._write_cib(snap.root)

    def settle(self, tool: str = "crmd") -> SettleOutcome | None:
        """Re-run the scheduler and execute its actions (bundled cluster only; None offline)."""
        if self.offline:
            return None
        with self.locked():
            snap = CibSnapshot(self._read_cib(), self.definition, self.cib_path, self.offline)
            report = self._settle_locked(snap, tool)
            if report.changed:
                self._write_cib(snap.root)
            return report

    def _settle_locked(self, snap: CibSnapshot, tool: str) -> SettleOutcome:
        if self.settler is None:
            # a programming error, not a user's: settling needs the controller
            raise RuntimeError(f"{self.path}: opened without a settler; open it with crmsh_py.engine.controller")
        return self.settler(self, snap, tool)

    def _stamp(self, root: ET.Element, tool: str) -> None:
        """Record who changed the CIB (overridden by the bundled cluster; CIB_file leaves it)."""

    @generator_context
    def locked(self) -> Iterator[None]:
        """Hold the cluster's exclusive lock (re-entrant use is not supported)."""
        raise NotImplementedError

    # -- facts -----------------------------------------------------------------------------
    def local_node(self) -> str | None:
        """The node the tools run "on": the first node of the definition (None if there is none)."""
        names = self._definition_for_read().node_names
        return names[0] if names else None

    def log(self, ident: str, message: str, level: str = "info", node: str | None = None) -> None:
        """Write an engine event to the cluster log (no-op for a file cluster)."""


class BundledCluster(Cluster):
    """The bundled simulated cluster in a state directory."""

    kind = "bundled"
    offline = False

    def __init__(self, directory: PathName, env: Mapping[str, str], settler: Settler | None = None,
                 known: KnownFiles | None = None) -> None:
        # known: cluster.yaml as the session running this read it (crmsh_py.cluster_yaml.KnownFiles)
        self.state_dir = os.fspath(directory)
        check_state_dir(self.state_dir, tighten=False)
        try:
            definition = read_definition(os.path.join(self.state_dir, CLUSTER_YAML), known)
        except CibFileError as error:
            if cibfile.is_permission_problem(error):
                raise
            raise CibFileError(error.path, error.text, REPAIR_HINT) from None
        super().__init__(os.path.join(self.state_dir, CIB_XML), definition, env, settler)

    @property
    def directory(self) -> Path:
        """The state directory."""
        from pathlib import Path

        return Path(self.state_dir)

    def _read_cib(self) -> ET.Element:
        try:
            return cibfile.read_cib(self.cib_path)
        except CibFileError as error:
            if cibfile.is_permission_problem(error):
                raise
            raise CibFileError(error.path, error.text, REPAIR_HINT) from None

    def _write_cib(self, root: ET.Element) -> None:
        # the version being replaced was read (and parsed) under the lock: keep it for repairs
        cibfile.write_cib_atomic(self.cib_path, root, previous=os.path.join(self.state_dir, LAST_GOOD), private=True)

    def _settle_locked(self, snap: CibSnapshot, tool: str) -> SettleOutcome:
        report = super()._settle_locked(snap, tool)
        # work postponed (a resource that keeps failing): the daemon settles again while this exists
        marker = os.path.join(self.state_dir, SETTLE_PENDING)
        if not report.settled:
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666))  # touch
        elif os.path.exists(marker):
            try:
                os.unlink(marker)
            except FileNotFoundError:
                pass
        return report

    @property
    def settle_pending(self) -> bool:
        """True when the last settle postponed work (see :mod:`crmsh_py.engine.settle`)."""
        return os.path.exists(os.path.join(self.state_dir, SETTLE_PENDING))

    @generator_context
    def locked(self) -> Iterator[None]:
        from crmsh_py.engine.attr_files import remove_stale_attr_files

        check_state_dir(self.state_dir)
        fd = open_private(os.path.join(self.state_dir, LOCK_FILE), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            cibfile.remove_stray_temp_files(self.cib_path)
            remove_stale_attr_files(os.path.join(self.state_dir, "nodes"))
            yield
        finally:
            os.close(fd)  # closing releases the flock

    def _stamp(self, root: ET.Element, tool: str) -> None:
        root.set("cib-last-written", cib_writes.ctime())
        root.set("update-origin", self.local_node() or "")
        root.set("update-client", tool)
        root.set("update-user", cib_writes.user())

    def rsctmp(self, node: str) -> Path:
        """The agent state directory (``HA_RSCTMP``) of ``node``, created if missing."""
        from pathlib import Path

        return Path(self.agent_state_dir(node))

    def agent_state_dir(self, node: str) -> str:
        """:meth:`rsctmp` as a string (what running an agent uses: that path goes without pathlib)."""
        path = os.path.join(self.state_dir, "nodes", node, "rsctmp")
        os.makedirs(path, exist_ok=True)
        return path

    def log(self, ident: str, message: str, level: str = "info", node: str | None = None) -> None:
        cluster_log(self.state_dir, ident, message, level=level, node=node or self.local_node())

    @property
    def fencing_history_path(self) -> Path:
        """Where fencing.py keeps the fencing history (JSON)."""
        return self.directory / FENCING_HISTORY


class FileCluster(Cluster):
    """Pacemaker's ``CIB_file`` offline mode: read and rewrite one CIB file, run nothing."""

    kind = "file"
    offline = True

    def __init__(self, path: PathName, env: Mapping[str, str]) -> None:
        # A CIB_file that is a symbolic link is written through (as Pacemaker does): the link
        # stays, its target gets the new version (atomically, in the target's directory).
        super().__init__(os.path.realpath(path), ClusterDefinition(name="", nodes=[], stack="unknown",
                                                                  version="unknown"), env)
        self.directory = None

    def _definition_for_read(self) -> ClusterDefinition:
        # Nodes come from the file's own <nodes> section; there is no cluster.yaml.
        try:
            root = cibfile.read_cib(self.cib_path)
        except CibFileError:
            return self.definition
        return cibfile.definition_from_cib(root)

    @generator_context
    def locked(self) -> Iterator[None]:
        # Lock the directory, not the file: the file is replaced by rename on every write.
        fd = os.open(os.path.dirname(self.cib_path), os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            cibfile.remove_stray_temp_files(self.cib_path)
            yield
        finally:
            os.close(fd)

    def local_node(self) -> str | None:
        return None


def read_definition(path: PathName, known: KnownFiles | None = None) -> ClusterDefinition:
    """Load ``cluster.yaml`` (CibFileError when missing or malformed), through ``known`` when
    given (the reading a session shares: the file is read and parsed once while it is unchanged)."""
    from crmsh_py.cluster_yaml import KnownFiles

    name = os.fspath(path)
    try:
        text, fast = (known if known is not None else KnownFiles()).read(name)
    except FileNotFoundError:
        raise CibFileError(str(path), "missing",
                           "recreate the cluster with 'crm cluster init' (or remove the directory)") from None
    except PermissionError:
        raise CibFileError(str(path), cibfile.PERMISSION_DENIED, cibfile.PERMISSION_HINT) from None
    except OSError as exc:
        raise CibFileError(str(path), exc.strerror or str(exc), "check the file's permissions") from None
    return load_definition(text, name, fast)


__all__ = ["BundledCluster", "CibSnapshot", "Cluster", "FileCluster", "read_definition"]
