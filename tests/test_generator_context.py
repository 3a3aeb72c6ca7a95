"""crmsh_py.generator_context behaves as contextlib.contextmanager for what a with statement sees:
the value bound, the code run on leaving, and which exceptions propagate, get suppressed or
replaced; crmsh_py.sorting.comparison_key sorts as functools.cmp_to_key does."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsh_py.generator_context import _generator_context
from crmsh_py.sorting import comparison_key


def _with(decorate: Callable[..., Callable[..., contextlib.AbstractContextManager[str]]], body: str,
          generator: str) -> list[str]:
    """What happens, step by step, for one combination of a with block and a generator."""
    seen: list[str] = []

    def gen() -> Iterator[str]:
        seen.append("enter")
        if generator == "no-yield":
            return
        try:
            yield "value"
        except KeyError:
            seen.append("caught")
            if generator == "swallow":
                return
            if generator == "replace":
                raise ValueError("replaced") from None
            if generator == "yield-again":
                yield "again"
            raise
        finally:
            seen.append("finally")
        if generator == "yield-again":
            yield "again"

    manager = decorate(gen)
    try:
        with manager() as bound:
            seen.append(f"bound {bound}")
            if body == "raise":
                raise KeyError("k")
            if body == "stop":
                raise StopIteration("s")
    except BaseException as error:  # noqa: BLE001 - the outcome is what is compared
        seen.append(f"raised {type(error).__name__} {error}")
    else:
        seen.append("done")
    return seen


@pytest.mark.parametrize("body", ["pass", "raise", "stop"])
@pytest.mark.parametrize("generator", ["plain", "swallow", "replace", "yield-again", "no-yield"])
def test_a_with_statement_sees_what_contextmanager_gives(body: str, generator: str) -> None:
    assert _with(_generator_context, body, generator) == _with(contextlib.contextmanager, body, generator)


def test_the_traceback_of_an_error_that_goes_through_is_the_blocks() -> None:
    @_generator_context
    def manager() -> Iterator[None]:
        yield

    def fail() -> None:
        with manager():
            raise KeyError("k")

    with pytest.raises(KeyError) as caught:
        fail()
    assert caught.traceback[-1].name == "fail"
    assert manager.__name__ == "manager"


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3))))
def test_comparison_key_sorts_as_cmp_to_key(items: list[tuple[int, int]]) -> None:
    def compare(a: tuple[int, int], b: tuple[int, int]) -> int:
        return (a[0] > b[0]) - (a[0] < b[0]) or (b[1] > a[1]) - (b[1] < a[1])

    assert sorted(items, key=comparison_key(compare)) == sorted(items, key=functools.cmp_to_key(compare))
