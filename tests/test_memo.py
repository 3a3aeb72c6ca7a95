"""crmsh_py.memo stands in for functools.lru_cache: same answers, bounded, least recently used goes."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from crmsh_py.memo import memoized


@given(st.lists(st.integers(min_value=0, max_value=6), max_size=60), st.integers(min_value=1, max_value=4))
def test_calls_and_answers_are_those_of_lru_cache(keys: list[int], maxsize: int) -> None:
    ours_calls: list[int] = []
    theirs_calls: list[int] = []

    @memoized(maxsize)
    def ours(key: int) -> int:
        ours_calls.append(key)
        return key * 10

    @functools.lru_cache(maxsize=maxsize)
    def theirs(key: int) -> int:
        theirs_calls.append(key)
        return key * 10

    assert [ours(k) for k in keys] == [theirs(k) for k in keys]
    assert ours_calls == theirs_calls  # the same results were computed again: the same ones were dropped
    assert len(ours.results) <= maxsize


def test_cache_clear_and_what_the_function_says_of_itself() -> None:
    calls: list[str] = []

    @memoized(8)
    def greet(name: str) -> str:
        """Say hello."""
        calls.append(name)
        return f"hello {name}"

    assert greet("a") == greet("a") == "hello a"
    greet.cache_clear()
    assert greet("a") == "hello a"
    assert calls == ["a", "a"]
    assert (greet.__name__, greet.__doc__, greet.__wrapped__.__name__) == ("greet", "Say hello.", "greet")
