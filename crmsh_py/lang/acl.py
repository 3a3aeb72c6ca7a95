"""crmsh's ACL xpath shortcuts (``meta:rsc:attr``, ``status``, ``cib``, ...).

In crm text an ACL rule may name a well-known part of the CIB by a shortcut instead of an
xpath; crmsh stores the expanded xpath in the CIB and, when showing, turns an xpath that
matches a shortcut back into it.  Both directions live here so the parser and the writer agree.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    import re

# Shortcut -> xpath pieces; each ``@@`` is one argument.  The pieces are cumulative: a shortcut
# may be used with only its first arguments (``meta:rsc`` covers all meta attributes of rsc).
# Dict order matters: the first matching shortcut wins when showing.
SHORTCUTS: dict[str, tuple[str, ...]] = {
    "meta": ("//primitive[@id='@@']/meta_attributes", "/nvpair[@name='@@']"),
    "params": ("//primitive[@id='@@']/instance_attributes", "/nvpair[@name='@@']"),
    "utilization": ("//primitive[@id='@@']/utilization",),
    "location": ("//rsc_location[@id='cli-prefer-@@' and @rsc='@@']",),
    "property": ("//crm_config/cluster_property_set", "/nvpair[@name='@@']"),
    "nodeattr": ("//nodes/node/instance_attributes", "/nvpair[@name='@@']"),
    "nodeutil": ("//nodes/node/utilization", "[@uname='@@']"),
    "node": ("//nodes/node", "[@uname='@@']"),
    "status": ("/cib/status",),
    "cib": ("/cib",),
}

_ARG = r"([a-zA-Z_][a-zA-Z0-9_.-]*)"


def _pattern(pieces: tuple[str, ...]) -> re.Pattern[str]:
    import re  # (only when an ACL xpath is shown: re and enum cost a one-shot ~5 ms)

    escaped = [re.escape(p).replace("@@", _ARG) for p in pieces]
    return re.compile("".join(escaped) + "$")


def expand(name: str, args: list[str]) -> str | None:
    """The xpath for shortcut ``name`` with ``args`` (``meta``, ``["d1", "target-role"]``), or
    None if ``name`` is not a shortcut.  Missing arguments drop the pieces that need them."""
    pieces = SHORTCUTS.get(name)
    if pieces is None:
        return None
    out: list[str] = []
    remaining = list(args)
    last = ""
    for piece in pieces:
        needed = piece.count("@@")
        if needed and not remaining:
            break
        text = piece
        for _ in range(needed):
            # A piece with two placeholders (location) reuses the one argument it was given.
            last = remaining.pop(0) if remaining else last
            text = text.replace("@@", last, 1)
        out.append(text)
    return "".join(out)


def find_shortcut(xpath: str) -> tuple[str, list[str]] | None:
    """``(shortcut, args)`` when ``xpath`` is one crmsh shows as a shortcut, else None.

    Like crmsh, only the first captured argument of each piece is kept.
    """
    for name, pieces in SHORTCUTS.items():
        for count in range(1, len(pieces) + 1):
            match = _pattern(pieces[:count]).match(xpath)
            if match:
                return name, list(match.groups()[:count])
    return None


def show_xpath(xpath: str) -> str:
    """``xpath:"..."`` or the shortcut form (``meta:d1:target-role``, ``status``)."""
    from crmsh_py.lang.quoting import quote

    found = find_shortcut(xpath)
    if found is None:
        return f"xpath:{quote(xpath)}"
    name, args = found
    return ":".join([name, *args]) if args else name
