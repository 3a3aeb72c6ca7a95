"""The crm configuration language: ``parse`` (text -> model) and ``write`` (model -> text).

Submodules are imported on first use so that ``import crmsh_py.lang`` stays cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any
    from crmsh_py.cib.model import Element
    from crmsh_py.lang.values import ProviderResolver

__all__ = ["parse", "write", "write_all", "DISPLAY_ORDER"]


def parse(text: str, source: str = "", providers: "ProviderResolver | None" = None) -> list["Element"]:
    """Parse crm configuration text into model elements (see :mod:`crmsh_py.lang.parser`);
    ``providers`` chooses the provider of an OCF agent named without one."""
    from crmsh_py.lang.parser import parse as _parse

    return _parse(text, source, providers)


def __getattr__(name: str) -> Any:
    # The writer lives in its own module, loaded only when asked for.
    if name in ("write", "write_all", "DISPLAY_ORDER"):
        from crmsh_py.lang import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
