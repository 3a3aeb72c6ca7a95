"""Opening and creating bundled clusters: which cluster the environment selects
(:func:`open_cluster`), a new cluster directory (:func:`init_cluster`), and the cluster that does
not exist yet until its first write creates it (:class:`UnbornCluster`).

(Split from :mod:`crmsh_py.engine.store`, which has the clusters themselves.)
"""

from __future__ import annotations

import os
import sys
import time

from crmsh_py import paths
from crmsh_py import xmltree as ET
from crmsh_py.engine import cib_writes, cibfile
from crmsh_py.engine.cibfile import PathName
from crmsh_py.engine.definition import ClusterDefinition, dump_definition, make_definition
from crmsh_py.engine.state_dir import dir_lock
from crmsh_py.engine.store import (
    CIB_XML,
    CLUSTER_YAML,
    LAST_GOOD,
    REPAIR_HINT,
    BundledCluster,
    Cluster,
    FileCluster,
    read_definition,
)
from crmsh_py.errors import CibFileError, CommandError
from crmsh_py.generator_context import generator_context

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import TextIO

    from crmsh_py.cluster_yaml import KnownFiles
    from crmsh_py.engine.store import Settler


class UnbornCluster(BundledCluster):
    """A bundled cluster that does not exist yet (no directory, or one without cluster files).

    Reads see the CIB the default cluster would start with (nothing is written); the first write
    (``mutate``, ``settle``, ``locked``) creates the default 2-node cluster and then proceeds as
    :class:`BundledCluster`, so a configure session read before the cluster existed commits on it.
    """

    def __init__(self, directory: PathName, env: Mapping[str, str], notice: TextIO | None = None,
                 settler: Settler | None = None) -> None:
        self.state_dir = os.fspath(directory)
        self._notice = notice
        self._born = False
        Cluster.__init__(self, os.path.join(self.state_dir, CIB_XML), make_definition("crmsh_py", ["srv01", "srv02"], "corosync",
                                                                     None), env, settler)

    def _read_cib(self) -> ET.Element:
        if not self._born:
            # what the first write will create, shown without creating it: a read creates nothing
            return initial_cib(self.definition)
        return super()._read_cib()

    def birth(self) -> None:
        """Create the default cluster now (once; a concurrent creator's cluster is used as is)."""
        if self._born:
            return
        yaml = os.path.join(self.state_dir, CLUSTER_YAML)
        if not cluster_present(self.state_dir):
            init_cluster(self.state_dir, exist_ok=True)
            (self._notice or sys.stderr).write(
                f"crm: created a 2-node cluster ({', '.join(read_definition(yaml).node_names)})"
                f" in {self.state_dir}\n")
        elif not _exists(self.cib_path):
            raise CibFileError(self.cib_path, "No such file or directory", REPAIR_HINT)
        self.definition = read_definition(yaml)
        self._born = True

    @generator_context
    def locked(self) -> Iterator[None]:
        self.birth()
        with super().locked():
            yield

    def log(self, ident: str, message: str, level: str = "info", node: str | None = None) -> None:
        if self._born:
            super().log(ident, message, level, node)


def open_cluster(env: Mapping[str, str], cluster_dir: str | os.PathLike[str] | None = None,
                 create: bool = True, notice: TextIO | None = None, settler: Settler | None = None,
                 known: KnownFiles | None = None) -> Cluster:
    """The cluster the environment selects, settling through ``settler`` (None: it only reads, or
    changes without settling; ``crmsh_py.engine.controller.open_cluster`` gives the controller's).

    ``CIB_file`` set → :class:`FileCluster` on that file (it must exist).  Otherwise the bundled
    cluster in ``cluster_dir`` / ``CRM_CLUSTER_DIR`` / the XDG state dir.  Reading never creates
    anything: when there is no cluster directory at all and ``create`` is true, an
    :class:`UnbornCluster` is returned, which creates the default 2-node cluster (srv01, srv02)
    on its first *write* (one line on ``notice``, default stderr) and refuses reads.  A directory
    that holds a cluster whose ``cib.xml`` is missing is damaged, not new: CibFileError with the
    repair hint (it is never re-initialised).  Raises CibFileError for a missing or broken cluster.
    ``known``: ``cluster.yaml`` as the caller's session read it (see :class:`BundledCluster`).
    """
    cib_file = env.get("CIB_file")
    if cib_file and cluster_dir is None:
        if not os.path.exists(cib_file):
            raise CibFileError(os.path.normpath(cib_file), "No such file or directory",
                               "create one with 'cibadmin --empty > FILE' or unset CIB_file")
        return FileCluster(cib_file, env)
    # Absolute: agents run with HA_RSCTMP under it and a different working directory.
    directory = os.path.abspath(os.fspath(cluster_dir) if cluster_dir is not None else paths.cluster_dir(env))
    if _exists(os.path.join(directory, CIB_XML)):
        return BundledCluster(directory, env, settler, known)
    if cluster_present(directory):
        raise CibFileError(os.path.join(directory, CIB_XML), "No such file or directory", REPAIR_HINT)
    if not create:
        raise CibFileError(directory, "no cluster here",
                           "create one with 'crm cluster init' or set CRM_CLUSTER_DIR")
    return UnbornCluster(directory, env, notice, settler)


def _exists(path: PathName) -> bool:
    """``path.exists()``, except that a permission problem is reported as such (not as absence)."""
    try:
        os.stat(path)
        return True
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return False
    except PermissionError:
        raise CibFileError(str(path), cibfile.PERMISSION_DENIED, cibfile.PERMISSION_HINT) from None


#: files whose presence means a cluster lives (or lived) in a directory
_CLUSTER_FILES = (CIB_XML, CLUSTER_YAML, LAST_GOOD)


def cluster_present(directory: PathName) -> bool:
    """True when ``directory`` holds (what is left of) a cluster: never to be re-initialised."""
    return any(_exists(os.path.join(directory, name)) for name in _CLUSTER_FILES)


def ensure_cluster(env: Mapping[str, str], cluster_dir: str | os.PathLike[str] | None = None,
                   notice: TextIO | None = None) -> None:
    """Create the default cluster when there is none at all (the interactive shell's start on a
    fresh machine); an existing cluster, even a damaged one, is left as it is."""
    cluster = open_cluster({k: v for k, v in env.items() if k != "CIB_file"}, cluster_dir, notice=notice)
    if isinstance(cluster, UnbornCluster):
        cluster.birth()


def init_cluster(directory: str | os.PathLike[str], name: str = "crmsh_py",
                 nodes: list[str] | tuple[str, ...] = ("srv01", "srv02"), stack: str = "corosync",
                 version: str | None = None, exist_ok: bool = False,
                 settler: Settler | None = None) -> BundledCluster:
    """Create a cluster directory: ``cluster.yaml``, a CIB with all nodes online and a DC, state dirs;
    the cluster returned settles through ``settler``.

    ``exist_ok=False`` refuses to overwrite an existing cluster (CommandError).  The DC of a new
    cluster is chosen by :func:`crmsh_py.engine.membership.elect_dc` (all nodes join together).
    """
    from pathlib import Path  # creating a cluster is rare: the one-shot path does without pathlib

    directory = Path(directory)
    if (directory / CIB_XML).exists() and not exist_ok:
        raise CommandError(f"a cluster already exists in {directory}")
    fresh = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    if fresh or not any(directory.iterdir()):
        os.chmod(directory, 0o700)  # the CIB holds secrets (Pacemaker: 0750 hacluster:haclient)
    with dir_lock(directory):
        if (directory / CIB_XML).exists():  # another process created it meanwhile
            return BundledCluster(directory, {}, settler)
        definition = make_definition(name, list(nodes), stack, version)
        cibfile.write_text_atomic(directory / CLUSTER_YAML, dump_definition(definition))
        for node in definition.nodes:
            (directory / "nodes" / node.name / "rsctmp").mkdir(parents=True, exist_ok=True)
        cibfile.write_cib_atomic(directory / CIB_XML, initial_cib(definition))
    cluster = BundledCluster(directory, {}, settler)
    cluster.log("pacemakerd", f"Cluster {name} created with nodes {' '.join(definition.node_names)}")
    return cluster


def initial_cib(definition: ClusterDefinition) -> ET.Element:
    """The CIB of a new cluster: all nodes online (joined together), a DC, empty configuration."""
    from crmsh_py.engine import membership

    root = cibfile.new_cluster_cib(definition)
    membership.start_all(root, definition, int(time.time()))
    root.set("cib-last-written", cib_writes.ctime())
    root.set("update-origin", definition.node_names[0] if definition.nodes else "")
    root.set("update-client", "crmd")
    root.set("update-user", "hacluster")
    return root
