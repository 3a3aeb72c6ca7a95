"""Memoised functions, as ``functools.lru_cache`` gives them, without importing functools (and
the collections it imports: a millisecond of every one-shot that runs an agent).

A memo holds at most ``maxsize`` results keyed by the positional arguments (hashable, as with
``lru_cache``); when full, the result least recently stored or used goes.  ``cache_clear()``
empties it.  Two threads asking at once may both compute a result (as with ``lru_cache``): the
memoised functions here are pure reads of files and processes, so either answer is the same.
"""

from __future__ import annotations

from crmsh_py.wrapping import wrap

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Generic, TypeVar

    _R = TypeVar("_R")
else:
    class Generic:  # run time stand-in: Memo[...] in annotations only
        def __class_getitem__(cls, item: object) -> type:
            return cls

    _R = object


class Memo(Generic[_R]):
    """``function`` with its results kept (see the module docstring)."""

    def __init__(self, function: Callable[..., _R], maxsize: int) -> None:
        self.function = function
        self.maxsize = max(maxsize, 1)
        self.results: dict[tuple[Any, ...], _R] = {}
        wrap(self, function, update_dict=False)

    def __call__(self, *args: Any) -> _R:
        results = self.results
        try:
            value = results.pop(args)  # (re-inserted below: the most recently used comes last)
        except KeyError:
            value = self.function(*args)
            if len(results) >= self.maxsize:
                try:
                    del results[next(iter(results))]
                except (StopIteration, KeyError, RuntimeError):  # another thread emptied it meanwhile
                    pass
        results[args] = value
        return value

    def cache_clear(self) -> None:
        """Forget every result."""
        self.results.clear()


def memoized(maxsize: int) -> Callable[[Callable[..., _R]], Memo[_R]]:
    """``@memoized(maxsize)``: the decorated function's results are kept (``functools.lru_cache``
    for positional arguments)."""
    return lambda function: Memo(function, maxsize)
