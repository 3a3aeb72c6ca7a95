"""What the engine records and runs for reloads and live migrations, as Pacemaker's controller does.

- An agent *can reload* when its meta-data offers ``reload-agent`` (OCF 1.1) or, before that,
  ``reload``.  One-shot operations of such agents get ``op-force-restart`` (the parameters a reload
  cannot change: not ``reloadable`` in OCF 1.1, ``unique`` with a legacy ``reload``) and
  ``op-restart-digest`` (the digest of those parameters as set); the scheduler then plans a reload
  instead of a restart when only other parameters change.
- The scheduler's ``reload-agent`` action runs the agent's ``reload-agent`` (or legacy ``reload``)
  and is recorded as a start, so the new digests replace the old ones.
- ``migrate_to``/``migrate_from`` get ``CRM_meta_migrate_source``/``_target`` and record both ends.
"""

from __future__ import annotations

from crmsh_py.cib.model import Agent
from crmsh_py.engine import digest
from crmsh_py.memo import memoized
from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping


@record(frozen=True)
class ReloadCaps:
    """An agent's reload support: the agent action to run (None: cannot reload) and the
    parameters a reload cannot change."""

    action: str | None
    force_restart: tuple[str, ...] = ()


@memoized(256)
def _caps_from_metadata(text: str) -> ReloadCaps:
    from crmsh_py.agents.metadata import parse_metadata
    from crmsh_py.errors import CommandError

    try:
        info = parse_metadata(text)
    except CommandError:
        return ReloadCaps(None)
    actions = {a.name for a in info.actions}
    version = info.version.split(".")
    modern = len(version) >= 2 and version[0].isdigit() and version[1].isdigit() and \
        (int(version[0]), int(version[1])) >= (1, 1)
    if modern and "reload-agent" in actions:
        return ReloadCaps("reload-agent", tuple(sorted(p.name for p in info.parameters if not p.reloadable)))
    if "reload" in actions:
        return ReloadCaps("reload", tuple(sorted(p.name for p in info.parameters if p.unique)))
    return ReloadCaps(None)


def reload_caps(agent: Agent, env: Mapping[str, str] | None = None) -> ReloadCaps:
    """``agent``'s reload support (no support when its meta-data cannot be read)."""
    from crmsh_py.agents import catalog
    from crmsh_py.errors import CommandError

    if agent.ra_class != "ocf":
        return ReloadCaps(None)
    try:
        return _caps_from_metadata(catalog.metadata(agent, env))
    except (CommandError, OSError):
        return ReloadCaps(None)


def force_restart_text(names: tuple[str, ...]) -> str:
    """``op-force-restart`` as Pacemaker writes it (`` a  b  c ``)."""
    return " " + "  ".join(names) + " " if names else ""


def restart_digests(caps: ReloadCaps, params: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(``op-restart-digest``, ``op-force-restart``) for a one-shot op run with ``params``, or
    (None, None) when the agent cannot reload."""
    if caps.action is None:
        return None, None
    kept = {name: params[name] for name in caps.force_restart if name in params}
    return digest.op_digest(kept), force_restart_text(caps.force_restart)


def agent_action(task: str, caps: ReloadCaps) -> str:
    """The agent action for a scheduler task (``reload-agent`` maps to what the agent offers)."""
    if task == "reload-agent":
        return caps.action or "reload"
    return task


def migration_meta(action: object) -> dict[str, str]:
    """``migrate_source``/``migrate_target`` meta for a migration action (empty otherwise)."""
    source = getattr(action, "migrate_source", "") or ""
    target = getattr(action, "migrate_target", "") or ""
    if not (source and target):
        return {}
    return {"migrate_source": source, "migrate_target": target}
