"""Sorting with a comparison function, as ``functools.cmp_to_key`` allows, without importing
functools (and the collections it imports: a one-shot's millisecond)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _T = TypeVar("_T")


def comparison_key(compare: Callable[[_T, _T], int]) -> Callable[[_T], Any]:
    """A ``key`` for ``sorted`` and ``list.sort`` that orders items as ``compare(a, b)`` does
    (negative: ``a`` first).  Sorting only asks "less than", so that is all the key answers."""

    class Key:
        __slots__ = ("item",)

        def __init__(self, item: _T) -> None:
            self.item = item

        def __lt__(self, other: Key) -> bool:
            return compare(self.item, other.item) < 0

    return Key
