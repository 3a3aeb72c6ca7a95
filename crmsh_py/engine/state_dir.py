"""A cluster directory's files as the store opens them: never through a planted link, never in a
directory others may write to, and the ``lock`` file that serialises changes and creation.

(Split from :mod:`crmsh_py.engine.store`, which uses these for every read and write.)
"""

from __future__ import annotations

import errno
import fcntl
import os

from crmsh_py.engine import cibfile
from crmsh_py.engine.cibfile import PathName
from crmsh_py.errors import CibFileError
from crmsh_py.generator_context import generator_context

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterator

LOCK_FILE = "lock"


def open_private(path: PathName, flags: int) -> int:
    """``os.open`` of a state file that must be the file itself, never a link planted in its place
    (``O_NOFOLLOW``); created 0600.  CibFileError when it is a symbolic link or not permitted."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise CibFileError(str(path), "is a symbolic link; refusing to follow it",
                               "remove the link (someone may have planted it)") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise CibFileError(str(path), cibfile.PERMISSION_DENIED, cibfile.PERMISSION_HINT) from None
        raise


def check_state_dir(directory: PathName, tighten: bool = True) -> None:
    """Refuse a cluster directory that others may write to (they could plant links or files);
    with ``tighten`` (writers only: a read changes nothing), make one that others may read (the
    CIB holds secrets) at most 0750."""
    try:
        st = os.stat(directory)
    except OSError:
        return  # reported by whoever opens a file in it
    mode = st.st_mode & 0o777
    if mode & 0o022:
        raise CibFileError(str(directory), f"is writable by others (mode {mode:04o}); refusing to use it",
                           f"chmod go-w {directory} (and check nothing was planted in it)")
    if tighten and mode & 0o027 and st.st_uid == os.geteuid():
        try:
            os.chmod(directory, mode & 0o750)
        except OSError:
            pass


@generator_context
def dir_lock(directory: PathName) -> Iterator[None]:
    """Lock used while creating a cluster (the same ``lock`` file mutations use)."""
    check_state_dir(directory)
    fd = open_private(os.path.join(directory, LOCK_FILE), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
