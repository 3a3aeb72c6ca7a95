"""Python's cycle collector around allocation-heavy steps: the one home of that policy.

Parsing, writing, converting or handing over a whole CIB, or reading a history, makes a great many
small acyclic objects (ElementTree elements, model records, strings): collector passes over an
ever larger heap only cost time there, a third of a 10,000-primitive ``configure load update``.
:class:`paused` switches the collector off for such a step and back on afterwards (a nested pause
leaves the outer one in charge), so a long REPL session still collects between commands.

Switching it back on with a plain ``gc.enable()`` would owe a pass over everything the step
allocated and kept (the CIB, the model, every module imported meanwhile), which finds nothing:
2-4 ms of a one-shot ``crm resource move``.  :func:`resume` first moves every object into the
oldest generation (``gc.freeze()`` then ``gc.unfreeze()``: two list splices, no scan); the next
full pass still frees any cycle among them, so memory stays bounded.

A one-shot process collects at a slower pace (:data:`ONESHOT_THRESHOLD`): its imports and the CIB
it reads live until it exits.  Below every layer: it imports nothing of ours.
"""

from __future__ import annotations

import gc

from crmsh_py.wrapping import wrap

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])

#: first-generation threshold while a one-shot or a low-level tool runs (the interpreter's is 700)
ONESHOT_THRESHOLD = 10_000


def resume() -> None:
    """Enable the cycle collector without a pass over what was allocated while it was off."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()


class paused:  # noqa: N801 - used as a function: ``with paused():``
    """``with paused():`` runs its block with the collector off, then :func:`resume` (only when
    it was on when the block began)."""

    def __enter__(self) -> None:
        self._collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._collecting:
            resume()


def without_gc(func: _F) -> _F:
    """``func`` run inside :class:`paused`."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paused():
            return func(*args, **kwargs)

    wrap(wrapper, func)
    return wrapper  # type: ignore[return-value]
