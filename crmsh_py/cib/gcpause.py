"""Pausing Python's cycle collector while a large CIB is built, converted or written.

Converting, diffing and serialising a 10,000-primitive configuration makes millions of small,
acyclic objects (ElementTree elements, model records, strings).  Every 700 allocations the
collector runs, and its full passes walk the ever larger heap: a ``configure load update`` of
10,000 primitives spent a third of its time there.  None of these objects form cycles, so nothing
is left behind by pausing the collector for the duration of one such step; it is switched back on
afterwards (and a nested pause leaves the outer one in charge), so a long REPL session still
collects between commands.
"""

from __future__ import annotations

import functools
import gc

from crmsh_py.collector import resume
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])


@contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off inside the block, back as it was afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            resume()  # without a pass over what the step left (crmsh_py.collector)


def without_gc(func: _F) -> _F:
    """``func`` run with the cycle collector paused (see :func:`paused`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if collecting:
                resume()  # without a pass over what the step left (crmsh_py.collector)

    return wrapper  # type: ignore[return-value]
