"""Temporary files without the ``tempfile`` module.

``tempfile`` imports ``shutil`` (and ``bz2``, ``lzma`` behind it) and ``random``: several
milliseconds of every command that writes the CIB or runs an agent, for two system calls.  These
helpers make the same files (0600, created exclusively, never following a planted link) with
``os`` alone, and fall back on ``tempfile`` itself when the quick way is not available.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import BinaryIO

_ATTEMPTS = 100  # a clash of 48 random bits is never expected; bounded anyway


def make_temp_file(directory: str | os.PathLike[str], prefix: str, suffix: str = "") -> tuple[int, str]:
    """A new empty file ``DIRECTORY/PREFIX<random>SUFFIX``, mode 0600, opened read-write: its
    descriptor and path (as ``tempfile.mkstemp``)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _attempt in range(_ATTEMPTS):
        name = os.path.join(os.fspath(directory), f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {os.fspath(directory)}")


def anonymous_file() -> BinaryIO:
    """A read-write file with no name, gone when closed (as ``tempfile.TemporaryFile``)."""
    directory = os.environ.get("TMPDIR") or os.environ.get("TEMP") or os.environ.get("TMP") or "/tmp"
    try:
        fd = os.open(directory, os.O_RDWR | os.O_TMPFILE | os.O_CLOEXEC, 0o600)
    except (OSError, AttributeError):  # no O_TMPFILE here (file system, kernel) or no such directory
        import tempfile

        return tempfile.TemporaryFile()
    return os.fdopen(fd, "w+b")
