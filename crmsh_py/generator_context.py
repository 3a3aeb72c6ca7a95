"""``@generator_context``: a generator function that yields once, used as a context manager, as
``contextlib.contextmanager`` makes one.  contextlib imports functools and collections, about a
millisecond of every one-shot, for what the CIB store needs of it (its ``mutate`` and ``locked``).

The code before the ``yield`` runs on entering the ``with`` block, the value yielded is what
``as`` binds, and the code after it runs on leaving.  An exception raised in the block is thrown
into the generator at its ``yield``: if the generator lets it through, it propagates with its own
traceback; if the generator catches it and returns, it is suppressed.
"""

from __future__ import annotations

from crmsh_py.wrapping import wrap

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Generator
    from types import TracebackType
    from typing import Any


class GeneratorContext:
    """The context manager made of one generator."""

    __slots__ = ("_generator",)

    def __init__(self, generator: Generator[Any, None, None]) -> None:
        self._generator = generator

    def __enter__(self) -> Any:
        try:
            return next(self._generator)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool:
        if kind is None:
            try:
                next(self._generator)
            except StopIteration:
                return False
            self._generator.close()  # (its finally blocks run before the error is raised)
            raise RuntimeError("generator didn't stop")
        if error is None:
            error = kind()
        try:
            self._generator.throw(error)
        except StopIteration as stopped:
            # the generator caught the error and returned: suppressed (unless the error was a
            # StopIteration of the block's own, which comes back as this very exception)
            return stopped is not error
        except BaseException as raised:
            # the error went through the generator: let the with statement re-raise it as it was;
            # a StopIteration from the block comes back as the RuntimeError that PEP 479 wraps it in
            if raised is error or (isinstance(error, StopIteration) and raised.__cause__ is error):
                error.__traceback__ = trace
                return False
            raise
        self._generator.close()
        raise RuntimeError("generator didn't stop after throw()")


def _generator_context(function: Callable[..., Generator[Any, None, None]]) -> Callable[..., GeneratorContext]:
    def make(*args: Any, **kwargs: Any) -> GeneratorContext:
        return GeneratorContext(function(*args, **kwargs))

    wrap(make, function, update_dict=False)
    return make


if TYPE_CHECKING:  # mypy types the ``with`` statements by contextlib's signature
    from contextlib import contextmanager

    generator_context = contextmanager
else:
    generator_context = _generator_context
