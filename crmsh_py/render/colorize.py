"""crmsh's colours as plain ANSI sequences: configuration text, cluster status, the prompt.

Pure functions of text (no rich, no terminal): whether to colour at all is decided elsewhere
(:func:`crmsh_py.render.theme.use_color`).  The configuration palette follows crmsh's colour
scheme: keywords yellow, ids normal, attribute names cyan, values red, resource references green,
scores magenta; ``options colorscheme K,I,N,V,R,S`` changes the six colours in that order.
"""

from __future__ import annotations

import re

from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

RESET = "\x1b[0m"
COLORS: dict[str, str] = {
    "black": "30", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35",
    "cyan": "36", "white": "37", "normal": "", "bold": "1", "dim": "2", "underline": "4",
}
ROLES = ("keyword", "identifier", "attr_name", "attr_value", "resource_reference", "score")
DEFAULT_SCHEME = "yellow,normal,cyan,red,green,magenta"


def sgr(color: str) -> str:
    """The escape sequence that starts ``color`` (``red``, ``bold green``, ``normal``); '' for normal."""
    codes = [COLORS[word] for word in color.replace("-", " ").split() if COLORS.get(word)]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def paint(text: str, color: str) -> str:
    """``text`` in ``color`` (unchanged for ``normal`` or empty text)."""
    start = sgr(color)
    return f"{start}{text}{RESET}" if start and text else text


def valid_scheme(value: str) -> bool:
    """A colour list crmsh's ``colorscheme`` takes: up to six known colours, comma-separated."""
    parts = [p.strip() for p in value.split(",")]
    return 0 < len(parts) <= len(ROLES) and all(
        p and all(w in COLORS for w in p.replace("-", " ").split()) for p in parts)


@record(frozen=True)
class Palette:
    """The six configuration colours, by role."""

    colors: dict[str, str]

    @classmethod
    def from_scheme(cls, scheme: str) -> "Palette":
        """A palette from ``colorscheme`` (a colour list; anything else gives crmsh's default)."""
        chosen = scheme if "," in scheme and valid_scheme(scheme) else DEFAULT_SCHEME
        parts = [p.strip() for p in chosen.split(",")]
        defaults = DEFAULT_SCHEME.split(",")
        return cls({role: (parts[i] if i < len(parts) else defaults[i]) for i, role in enumerate(ROLES)})

    def __call__(self, role: str, text: str) -> str:
        return paint(text, self.colors.get(role, "normal"))


# ---------------------------------------------------------------------- configuration text

ELEMENT_WORDS = frozenset((
    "node", "primitive", "group", "clone", "ms", "master", "rsc_template", "bundle", "location",
    "colocation", "collocation", "order", "rsc_ticket", "property", "rsc_defaults", "op_defaults",
    "fencing_topology", "role", "user", "acl_target", "acl_group", "tag", "alert"))
SECTION_WORDS = frozenset((
    "params", "meta", "utilization", "op", "attributes", "rule", "and", "or", "not", "date",
    "docker", "rkt", "podman", "network", "storage", "primitive", "port-mapping", "storage-mapping",
    "to", "select", "op_params", "op_meta", "read", "write", "deny"))
# element kind -> how many words after the id are resource references (None: all of them)
REFERENCES: dict[str, int | None] = {"group": None, "clone": 1, "ms": 1, "master": 1, "location": 1,
                                     "colocation": None, "collocation": None, "order": None,
                                     "rsc_ticket": None, "tag": None}
_SCORE = re.compile(r"^([+-]?(inf|INFINITY|infinity|\d+)|Mandatory|Optional|Serialize):$")
_TOKEN = re.compile(r"\s+|\S+")


def _word(word: str, kind: str, position: int, refs_left: list[int | None], pal: Palette) -> str:
    """One word of a configuration line, coloured by what it is."""
    if position == 0 and kind:
        return pal("keyword", word)
    if position == 1 and kind:
        return pal("identifier", word)
    if word in SECTION_WORDS and (position > 1 or not kind):
        refs_left[0] = 0  # references end where a section begins
        return pal("keyword", word)
    if _SCORE.match(word):
        return pal("score", word[:-1]) + ":"
    if "=" in word and not word.startswith("="):
        name, _, value = word.partition("=")
        return pal("attr_name", name) + "=" + pal("attr_value", value)
    if kind in REFERENCES and refs_left[0] != 0 and word not in ("\\", "(", ")", "[", "]"):
        if refs_left[0] is not None:
            refs_left[0] -= 1
        return pal("resource_reference", word)
    return word


def color_config(text: str, scheme: str = DEFAULT_SCHEME) -> str:
    """crm configuration text (``configure show``) coloured as crmsh colours it."""
    pal = Palette.from_scheme(scheme)
    out: list[str] = []
    kind = ""
    refs_left: list[int | None] = [0]
    for line in text.split("\n"):
        if line.startswith("#") or not line.strip():
            out.append(line)
            continue
        continued = line[:1].isspace()
        if not continued:
            first = line.split(None, 1)[0]
            kind = first if first in ELEMENT_WORDS else ""
            refs_left = [REFERENCES.get(kind, 0)]
        position = 2 if continued else 0  # a continuation line starts inside the element
        parts: list[str] = []
        for token in _TOKEN.findall(line):
            if token.isspace():
                parts.append(token)
                continue
            parts.append(_word(token, kind, position, refs_left, pal))
            position += 1
        out.append("".join(parts))
    return "\n".join(out)


# ---------------------------------------------------------------------- status text

_STATUS_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(FAILED|Failed|Stopped|OFFLINE|UNCLEAN|[Ff]enced|blocked)\b"), "red"),
    (re.compile(r"\b(Started|Promoted|Unpromoted|Master|Slave|Online)\b"), "green"),
    (re.compile(r"\b(standby|Standby|maintenance|Maintenance|unmanaged|disabled|pending|Pending)\b"),
     "yellow"),
)


def _painter(color: str) -> Callable[[re.Match[str]], str]:
    return lambda match: paint(match.group(0), color)


def color_status(text: str) -> str:
    """crm_mon text with states coloured: running green, stopped/failed red, standby/maintenance yellow."""
    def line_colors(line: str) -> str:
        for pattern, color in _STATUS_RULES:
            line = pattern.sub(_painter(color), line)
        return line

    return "\n".join(line_colors(line) for line in text.split("\n"))


def color_prompt(prompt: str) -> str:
    """The prompt in bold green, as crmsh shows it."""
    return paint(prompt, "bold green")


COLORIZERS: dict[str, Callable[[str, str], str]] = {
    "config": color_config,
    "status": lambda text, scheme: color_status(text),
    "plain": lambda text, scheme: text,
}
