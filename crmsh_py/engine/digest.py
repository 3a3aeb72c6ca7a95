"""Pacemaker's operation digests (``op-digest`` on ``lrm_rsc_op``).

Pacemaker's scheduler compares the digest recorded with each operation in the status section
with one it computes from the current configuration; a missing or different digest means "the
parameters changed" and it plans a restart (or a re-armed monitor).  So that Pacemaker's own
tools (``crm_simulate -S -x our-cib.xml``) see our running resources as up to date, we record the
digest the way its controller does:

- the input is a ``<parameters .../>`` element whose attributes are the resource's instance
  parameters plus the operation's own ``op_params``; every ``CRM_meta_*`` entry is dropped except
  ``CRM_meta_timeout`` (in milliseconds) of a recurring operation;
- attributes sorted by name, serialised as one unformatted element, with one space before and a
  newline after (the "v1" digest layout), then MD5 in lower-case hex.

Verified against ``crm_resource --digests`` (Pacemaker 2.1.5): an empty parameter set digests to
``f2317cad3d54cec5d7d7aa7d0bf35cf8``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

# Characters libxml2 escapes inside attribute values.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
# Attributes Pacemaker removes before digesting (besides every CRM_meta_*).
_FILTERED = frozenset(("id", "crm_feature_set", "op-digest", "on_node", "on_node_uuid", "pcmk_external_ip"))


def builtin_hash(name: str) -> Callable[[bytes], Any]:
    """CPython's own ``md5``/``sha1`` (module ``_md5``/``_sha1``): loading OpenSSL through hashlib
    costs a one-shot more than the digests it makes; hashlib's where the interpreter lacks them.
    These digests identify content (Pacemaker's format, our inputs), never secure anything."""
    try:
        __import__(f"_{name}")  # not importlib.import_module: the importlib package stays unloaded
        return getattr(sys.modules[f"_{name}"], name)  # type: ignore[no-any-return]
    except ImportError:  # pragma: no cover - an interpreter built without it
        import functools
        import hashlib

        return functools.partial(hashlib.new, name, usedforsecurity=False)


_md5 = builtin_hash("md5")


def _escape(value: str) -> str:
    if not any(c in value for c in _ESCAPES):
        return value
    return "".join(_ESCAPES.get(c, c) for c in value)


def op_digest(params: Mapping[str, str], interval_ms: int = 0, timeout_ms: int = 0) -> str:
    """The ``op-digest`` of an operation run with ``params`` (instance + op parameters).

    ``timeout_ms`` only counts for recurring operations (``interval_ms`` > 0), as in Pacemaker.
    """
    kept = {k: v for k, v in params.items() if not k.startswith("CRM_meta_") and k not in _FILTERED}
    if interval_ms and timeout_ms:
        kept["CRM_meta_timeout"] = str(timeout_ms)
    attrs = "".join(f' {name}="{_escape(kept[name])}"' for name in sorted(kept))
    text = f" <parameters{attrs}/>\n"
    return str(_md5(text.encode("utf-8")).hexdigest())  # noqa: S324 - Pacemaker's format, not security


def op_parameters(params: Mapping[str, str], ops: Iterable[Any], task: str, interval_ms: int,
                  interval_of: Any) -> dict[str, str]:
    """Instance parameters plus the ``op_params`` of the configured op matching ``task``/``interval_ms``
    (``interval_of`` turns an op's interval text into milliseconds)."""
    own: dict[str, str] = {}
    for op in ops:
        if op.name == task and interval_of(op.interval) == interval_ms:
            for attr_set in op.attr_sets:
                if attr_set.kind in ("params", "op_params"):  # op_params: the model's name for them
                    for pair in attr_set.nvpairs:
                        if pair.value is not None:
                            own.setdefault(pair.name, pair.value)
            break
    # the op's own parameters override the resource's (Pacemaker adds them last)
    return {**params, **own}
