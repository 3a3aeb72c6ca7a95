"""Semantic styles in one place, and the decision whether to colour at all.

rich is imported only when colour is actually used (a terminal without ``NO_COLOR``), so one-shots
piped into files or scripts never pay for it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TextIO

STYLES: dict[str, str] = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "caret": "bold red",
    "prompt": "bold",
    "keyword": "bold blue",
    "id": "bold",
    "ext": "dim",
}


def scheme_from_options(options: Mapping[str, str]) -> str:
    """The colour choice the user options make: crmsh's ``output`` (``color.style``: plain,
    color, color-always) decides, then our ``colorscheme`` (auto, always, off)."""
    style = options.get("output", "color")
    if "plain" in style:
        return "off"
    if "color-always" in style:
        return "always"
    return options.get("colorscheme", "auto")


def use_color(stream: TextIO, env: Mapping[str, str], scheme: str = "auto") -> bool:
    """Colour only on a terminal, never with ``NO_COLOR`` set, and as the colour scheme option says."""
    if env.get("NO_COLOR") is not None or scheme in ("off", "none", "plain", "no"):
        return False
    if scheme in ("on", "always"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console(stream: TextIO) -> Any:
    """A rich Console writing to ``stream`` with our theme (imports rich); for callers that have
    decided with ``use_color`` that colour is wanted, so it colours whatever the stream is."""
    from rich.console import Console
    from rich.theme import Theme

    # emoji=False: ":heartbeat:" in an agent name or a user's line must print as typed, never as 💓
    return Console(file=stream, theme=Theme(STYLES), highlight=False, soft_wrap=True, emoji=False,
                   force_terminal=True, no_color=False)
