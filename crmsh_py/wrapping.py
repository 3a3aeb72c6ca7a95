"""What ``functools.wraps`` does, without importing functools (and the collections it imports:
a millisecond of a one-shot).  Used by the stand-ins below every layer (crmsh_py.collector,
crmsh_py.generator_context, crmsh_py.memo)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from typing import Any

# functools.WRAPPER_ASSIGNMENTS, less __annotations__ (none of ours needs it, and reading it
# evaluates nothing here: it would only be copied)
ASSIGNED = ("__module__", "__name__", "__qualname__", "__doc__")


def wrap(wrapper: Any, wrapped: object, update_dict: bool = True) -> None:
    """Give ``wrapper`` the identity of ``wrapped``: its module, names and docstring, its
    ``__dict__`` entries (``update_dict``) and ``__wrapped__``."""
    for name in ASSIGNED:
        setattr(wrapper, name, getattr(wrapped, name, None))
    if update_dict:
        wrapper.__dict__.update(getattr(wrapped, "__dict__", {}))
    wrapper.__wrapped__ = wrapped
