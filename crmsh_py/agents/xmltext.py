"""XML text and attribute escaping for the meta-data we generate.

The standard library's ``xml.sax.saxutils`` has these two functions, but importing it pulls in
``urllib.request`` → ``http.client`` → ``email``/``ssl`` (about 30 ms), which every command that
touches the executor would pay.  Same results, no imports.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped for XML character data (like ``saxutils.escape``)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``text`` escaped and quoted as an XML attribute value (like ``saxutils.quoteattr``):
    double quotes unless the value holds ``"`` and no ``'``."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        if "'" in text:
            return '"' + text.replace('"', "&quot;") + '"'
        return "'" + text + "'"
    return '"' + text + '"'
