"""Transition records: each scheduler run's input CIB kept as Pacemaker 2.1.5 keeps it.

Every time the bundled engine plans (``settle``), the CIB it planned from is saved bz2-compressed
in ``<cluster>/pengine/`` as ``pe-input-N.bz2``, or ``pe-warn-N.bz2`` when the plan had warnings
(fencing, blocked recovery) and ``pe-error-N.bz2`` when it had errors, with an ``execution-date``
attribute on ``<cib>``.  The series follow Pacemaker's rules (``pacemaker-schedulerd``):

* ``N`` is read from ``<series>.last`` (0 when missing or unreadable); after saving, ``N + 1`` is
  written back, wrapping to 0 when it reaches ``<series>-series-max``;
* ``pe-input-series-max`` defaults to 4000, ``pe-warn-series-max`` to 5000, ``pe-error-series-max``
  to -1 (unlimited); 0 saves nothing; values below -1 count as -1; a non-number means the default;
* an input identical to the previous one is not saved again (Pacemaker's "repoke": the new
  transition names the earlier file); with nothing to do, the bundled engine does not number a
  new transition for it at all.

The cluster log gets Pacemaker's lines, which ``crm history`` reads back to tie a transition to
its input::

    pacemaker-schedulerd[PID] notice: Calculated transition 12, saving inputs in /D/pengine/pe-input-12.bz2
    pacemaker-controld[PID] notice: Initiating start operation dummy_start_0 on srv02
    pacemaker-controld[PID] notice: Transition 12 (Complete=3, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source=/D/pengine/pe-input-12.bz2): Complete

Transition numbers are kept in ``pengine/transition.last`` with the digest of the last input, so
they keep increasing across commands (Pacemaker restarts them with a new DC).
"""

from __future__ import annotations

import os
import time
from crmsh_py import xmltree as ET

from crmsh_py.cib.serialize import to_bytes, to_text
from crmsh_py.engine import cibfile
from crmsh_py.engine.cibfile import PathName
from crmsh_py.engine.digest import builtin_hash
from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

_sha1 = builtin_hash("sha1")

if TYPE_CHECKING:
    from typing import Protocol

    from crmsh_py.engine.scheduler.transition import Action, Transition


if TYPE_CHECKING:  # types only: a one-shot does not import typing for them
    class Cluster(Protocol):
        """What this module needs of a cluster (``engine.store.Cluster``; not imported: no cycle)."""

        def log(self, ident: str, message: str, level: str = "info", node: str | None = None) -> None: ...

    class CibSnapshot(Protocol):
        """What this module needs of a snapshot: the ``<cib>`` element being settled."""

        root: ET.Element

PENGINE_DIR = "pengine"
STATE_FILE = "transition.last"
SCHEDULER = "pacemaker-schedulerd"
CONTROLLER = "pacemaker-controld"

# series name -> (cluster option, Pacemaker 2.1.5's default)
SERIES: dict[str, tuple[str, int]] = {
    "pe-error": ("pe-error-series-max", -1),
    "pe-warn": ("pe-warn-series-max", 5000),
    "pe-input": ("pe-input-series-max", 4000),
}
# Attributes that change without the input changing (ignored by the repoke check).
_VOLATILE = ("cib-last-written", "execution-date")


@record
class TransitionRun:
    """One numbered transition in progress: its number and where its input was saved (or None)."""

    number: int
    path: str | None
    total: int
    completed: int = 0


def pengine_dir(cluster: Cluster) -> str | None:
    """``<cluster>/pengine`` for a bundled cluster (None for a ``CIB_file`` cluster)."""
    # the store's state_dir (a str) first: its ``directory`` would import pathlib to say the same
    directory = getattr(cluster, "state_dir", None) or getattr(cluster, "directory", None)
    return os.path.join(directory, PENGINE_DIR) if directory is not None else None


def series_max(root: ET.Element, series: str) -> int:
    """The ``<series>-series-max`` cluster option read from ``root`` (default when unset or bad)."""
    option, default = SERIES[series]
    config = root.find("configuration/crm_config")
    value = None
    if config is not None:
        for nvpair in config.iter("nvpair"):
            if nvpair.get("name") == option:
                value = nvpair.get("value")
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        return default
    return max(number, -1)


def read_sequence(directory: PathName, series: str) -> int:
    """The next number of ``series`` from ``<series>.last`` (0 when missing or not a number)."""
    try:
        # digits: utf-8 reads them as ascii would, and its codec is loaded already (ascii's is not)
        text = _read_text(os.path.join(directory, f"{series}.last")).strip()
        return max(int(text), 0)
    except (OSError, ValueError):
        return 0


def write_sequence(directory: PathName, series: str, sequence: int, maximum: int) -> None:
    """Store ``sequence`` as the next number, wrapping to 0 at ``maximum`` (nothing when 0)."""
    if maximum == 0:
        return
    if maximum > 0 and sequence >= maximum:
        sequence = 0
    _write_atomic(os.path.join(directory, f"{series}.last"), str(sequence).encode("ascii"))


def classify(transition: Transition) -> str:
    """The series a plan's input belongs to: warnings when it fences or leaves recovery blocked
    (Pacemaker warns when it schedules fencing), errors when the plan reported configuration
    ``errors`` (stonith-enabled without a device: Pacemaker's "Resource start-up disabled")."""
    if transition.errors:
        return "pe-error"
    if transition.fencing or transition.blocked:
        return "pe-warn"
    return "pe-input"


def input_digest(root: ET.Element) -> str:
    """A digest of the scheduler input that ignores write timestamps and layout: the white space
    between tags (indentation) does not count.  One serialisation per section, no re-parse: this
    runs on every settle."""
    attrs = {k: v for k, v in root.attrib.items() if k not in _VOLATILE}
    head = repr(sorted(attrs.items())).encode("utf-8")
    body = b"".join(cibfile.without_layout(to_bytes(child)) for child in root)
    return str(_sha1(head + body).hexdigest())


def begin(cluster: Cluster, snap: CibSnapshot, transition: Transition) -> TransitionRun | None:
    """Number the transition just planned from ``snap``, save its input, log it; None when the
    cluster has no directory, or when nothing is to be done for an input already recorded."""
    directory = pengine_dir(cluster)
    if directory is None:
        return None
    actions = len(transition.actions)
    digest = input_digest(snap.root)
    last_number, last_digest, last_path = _read_state(directory)
    repoke = digest == last_digest
    if repoke and not actions:
        return None
    number = last_number + 1
    series = classify(transition)
    maximum = series_max(snap.root, series)
    path: str | None = None
    if repoke:  # the same input again (re-planned after an aborted action): not saved twice
        path = last_path or None
    elif maximum != 0:
        sequence = read_sequence(directory, series)
        path = os.path.join(directory, f"{series}-{sequence}.bz2")
        save_input(path, snap.root)
        write_sequence(directory, series, sequence + 1, maximum)
    _write_state(directory, number, digest, path)
    where = f", saving inputs in {path}" if path is not None else ""
    for text in getattr(transition, "errors", None) or ():
        cluster.log(SCHEDULER, text, "error")  # as Pacemaker's scheduler reports them, before the plan
    if series == "pe-error":
        cluster.log(SCHEDULER, f"Calculated transition {number} (with errors){where}", "error")
    elif series == "pe-warn":
        cluster.log(SCHEDULER, f"Calculated transition {number} (with warnings){where}", "warning")
    else:
        cluster.log(SCHEDULER, f"Calculated transition {number}{where}", "notice")
    return TransitionRun(number, path, actions)


def initiating(cluster: Cluster, run: TransitionRun | None, action: Action) -> None:
    """Log the controller's ``Initiating <task> operation <key> on <node>`` for one action."""
    if run is None or action.task in ("fence", "cancel"):
        return
    key = f"{action.rsc_id}_{action.task}_{action.interval_ms}"
    cluster.log(CONTROLLER, f"Initiating {action.task} operation {key} on {action.node}", "notice")


def finish(cluster: Cluster, run: TransitionRun | None, completed: int, aborted: bool) -> None:
    """Log ``Transition N (Complete=..., Source=...): Complete`` (or ``Stopped`` when aborted)."""
    if run is None:
        return
    skipped = max(run.total - completed, 0) if aborted else 0
    incomplete = 0 if aborted else max(run.total - completed, 0)
    source = str(run.path) if run.path is not None else "(null)"
    state = "Stopped" if aborted else "Complete"
    cluster.log(CONTROLLER, f"Transition {run.number} (Complete={completed}, Pending=0, Fired=0, "
                f"Skipped={skipped}, Incomplete={incomplete}, Source={source}): {state}", "notice")


def save_input(path: PathName, root: ET.Element) -> None:
    """Write ``root`` bz2-compressed to ``path`` with ``execution-date`` set (crash-safe)."""
    # here: a transition that saves nothing does not need it; the C compressor itself, not the bz2
    # module, which also loads its file classes (_compression, threading's RLock) for no use here
    from _bz2 import BZ2Compressor

    copy = ET.Element(root.tag, dict(root.attrib))
    copy.extend(list(root))
    copy.set("execution-date", str(int(time.time())))
    data = to_text(copy).encode("utf-8")
    compressor = BZ2Compressor(6)  # what bz2.compress(data, 6) does, byte for byte
    _write_atomic(path, compressor.compress(data) + compressor.flush())


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _read_state(directory: str) -> tuple[int, str, str]:
    """``(last transition number, digest of its input, where the input was saved or "")``."""
    try:
        words = _read_text(os.path.join(directory, STATE_FILE)).strip().split(" ", 2)
        return int(words[0]), words[1] if len(words) > 1 else "", words[2] if len(words) > 2 else ""
    except (OSError, ValueError):
        return -1, "", ""  # no transition yet: the first one is 0, as with a new DC


def _write_state(directory: str, number: int, digest: str, path: str | None) -> None:
    _write_atomic(os.path.join(directory, STATE_FILE), f"{number} {digest} {path or ''}".rstrip().encode("utf-8") + b"\n")


def _write_atomic(path: PathName, data: bytes) -> None:
    directory, name = os.path.split(os.fspath(path))
    if directory:
        os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)
