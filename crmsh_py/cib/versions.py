"""A CIB's version: ``(admin_epoch, epoch, num_updates)``, the one reader of those attributes.

Pacemaker compares versions in this order (a CIB with a higher ``admin_epoch`` wins whatever its
``epoch``); a configuration change raises ``epoch`` and resets ``num_updates``.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

Version = tuple[int, int, int]


def version_of(root: ET.Element) -> Version:
    """``(admin_epoch, epoch, num_updates)`` of a ``<cib>`` element (missing or unreadable: 0)."""
    def number(name: str) -> int:
        try:
            return int(root.get(name, "0"))
        except ValueError:
            return 0

    return number("admin_epoch"), number("epoch"), number("num_updates")


def next_version(version: Version) -> Version:
    """The version a configuration change leads to: epoch + 1, ``num_updates`` back to 0."""
    return version[0], version[1] + 1, 0
