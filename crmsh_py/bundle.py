"""Serve ``crmsh_py.*`` from one precompiled file, ``crmsh_py/_bundle.bin``, when it is there.

An installed crmsh_py carries a bundle (``setup.py`` builds it into the wheel; an editable install
or a source checkout never has one, so developers always run the normal import system).  Each of
our modules then costs one ``os.stat`` and one ``os.pread`` instead of the path finder's work
(directory cache check, ``cache_from_source``, open/fstat/read/close of the ``.pyc``, header checks).

The file: ``HEADER`` (8 bytes), the interpreter's bytecode magic (4), the seal flag (4: 1 sealed, 0
not yet), the index's length (4, little endian), the index (marshal), then the blob of marshalled
code objects.  The index is ``(cache_tag, blob_length, entries)`` and ``entries`` maps a module name to
``(offset, length, is_package, path, size, mtime_ns, cached, source_hash)``, paths relative to the
directory that holds the ``crmsh_py`` package.

Why a seal: a wheel does not carry file times (pip writes every file at install time), so the
build cannot know the ``mtime_ns`` an installed source will have.  The first process after the
install reads each source once, compares it with the hash recorded at build time and writes the
bundle again with the size and ``mtime_ns`` it saw (``crmsh_py.bundle_build.seal``); from then on,
one ``os.stat`` per module shows whether the source is still what was compiled.  A module whose
source differs (an admin's edit, before or after the seal), a bundle that cannot be read, was made
by another interpreter, or cannot be sealed (the directory is not writable), is left to the normal
import system: nothing is ever served that the installed ``.py`` would not give.

``CRMSH_PY_NO_BUNDLE=1`` in the environment switches the bundle off (for A/B measurements).
"""

import marshal
import os
import sys
from importlib.machinery import ModuleSpec, SourceFileLoader
from importlib.util import MAGIC_NUMBER
from types import CodeType, ModuleType

import _imp

HEADER = b"CRMPYBN1"
FILENAME = "_bundle.bin"
# the fixed part of the file: HEADER, the bytecode magic, the seal flag, the index's length
PREFIX = len(HEADER) + 4 + 4 + 4
SEALED = (1).to_bytes(4, "little")
UNSEALED = (0).to_bytes(4, "little")
# the key of the keyed hash (importlib's own, _imp.source_hash) that records each source's content
HASH_KEY = 0x63726D70
# one read takes the prefix and, usually, the whole index
FIRST_READ = 1 << 16

# (offset, length, is_package, path, size, mtime_ns or None before the seal, cached, source_hash)
Entry = tuple[int, int, bool, str, int, "int | None", str, bytes]
# an entry's mtime_ns before the seal, and for a module whose installed source is not the compiled one
NOT_SEALED = None


def read_prefix(fd: int) -> tuple[bytes, bool] | None:
    """The first bytes of the bundle open on ``fd`` (the prefix and usually the whole index) and
    whether it is sealed; None when it was not made for this interpreter's bytecode."""
    head = os.pread(fd, FIRST_READ, 0)
    if head[:len(HEADER)] != HEADER or head[len(HEADER):len(HEADER) + 4] != MAGIC_NUMBER:
        return None
    return head, head[len(HEADER) + 4:PREFIX - 4] == SEALED


def read_index(fd: int, head: bytes) -> tuple[int, dict[str, Entry]] | None:
    """Where the blob starts and the index's entries, when the bundle is whole and was made for
    this interpreter; else None."""
    length = int.from_bytes(head[PREFIX - 4:PREFIX], "little")
    if PREFIX + length > len(head):
        head += os.pread(fd, PREFIX + length - len(head), len(head))
    cache_tag, blob_length, entries = marshal.loads(head[PREFIX:PREFIX + length])
    if cache_tag != sys.implementation.cache_tag or os.fstat(fd).st_size != PREFIX + length + blob_length:
        return None  # another interpreter's, or truncated / grown behind our back
    return PREFIX + length, entries


class BundleFinder:
    """A ``sys.meta_path`` finder and loader for the modules of one bundle."""

    def __init__(self, fd: int, base: str, blob_start: int, entries: dict[str, Entry]) -> None:
        self.fd = fd
        self.base = base
        self.blob_start = blob_start
        self.entries = entries
        # with PYTHONPYCACHEPREFIX the .pyc paths are not ours to precompute: the spec works them out
        self.cached_known = sys.pycache_prefix is None

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        """A spec served from the bundle when ``name`` is ours and its source is unchanged."""
        entry = self.entries.get(name)
        if entry is None:
            return None
        origin = self.base + entry[3]
        try:
            stat = os.stat(origin)
        except OSError:
            return None
        if stat.st_mtime_ns != entry[5] or stat.st_size != entry[4]:
            return None  # edited since the seal: the normal import system compiles the source
        # a loader by protocol: importlib.abc.Loader as a base would cost importlib.abc's import
        spec = ModuleSpec(name, self, origin=origin, is_package=entry[2])  # type: ignore[arg-type]
        spec.has_location = True
        if self.cached_known:
            spec.cached = self.base + entry[6]
        if entry[2]:
            spec.submodule_search_locations = [origin.rpartition("/")[0]]
        return spec

    def create_module(self, spec: ModuleSpec) -> None:
        """The default module object."""
        return None

    def exec_module(self, module: ModuleType) -> None:
        """Run the module's code in its namespace."""
        exec(self.get_code(module.__name__), module.__dict__)

    def get_code(self, name: str) -> CodeType:
        """The module's code object from the bundle; from its source when the bundle fails us."""
        entry = self.entries[name]
        origin = self.base + entry[3]
        try:
            data = os.pread(self.fd, entry[1], self.blob_start + entry[0])
            code = marshal.loads(data)
        except (OSError, EOFError, ValueError, TypeError):
            code = None
        if type(code) is not CodeType:
            return SourceFileLoader(name, origin).get_code(name)  # type: ignore[return-value]
        # the build compiled the code with its relative path; tracebacks must name the installed file
        _imp._fix_co_filename(code, origin)  # type: ignore[attr-defined]
        return code

    def get_source(self, name: str) -> str | None:
        """The module's source text, as the normal loader gives it (for linecache, inspect, pdb)."""
        return SourceFileLoader(name, self.base + self.entries[name][3]).get_source(name)

    def is_package(self, name: str) -> bool:
        """Whether ``name`` is a package."""
        return self.entries[name][2]

    def get_filename(self, name: str) -> str:
        """The module's source file."""
        return self.base + self.entries[name][3]

    def get_resource_reader(self, name: str) -> object:
        """Package data is read from the package's directory, as for a normal install."""
        from importlib.readers import FileReader

        return FileReader(SourceFileLoader(name, self.get_filename(name)))


def install(package_dir: str) -> BundleFinder | None:
    """Put the bundle of the package in ``package_dir`` first on ``sys.meta_path``; None (and the
    normal import system) when there is none, it is unusable, or it is switched off."""
    if os.environ.get("CRMSH_PY_NO_BUNDLE") or sys.flags.optimize:
        return None  # -O wants code without asserts: the bundle holds unoptimised code
    path = os.path.join(package_dir, FILENAME)
    # at most twice: the second time reads the bundle the first one sealed
    for attempt in range(2):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            prefix = read_prefix(fd)
            index = read_index(fd, prefix[0]) if prefix is not None and prefix[1] else None
        except Exception:  # any damage at all: the normal import system serves every module
            prefix = index = None
        if index is not None:
            finder = BundleFinder(fd, os.path.dirname(package_dir) + "/", index[0], index[1])
            sys.meta_path.insert(0, finder)
            return finder
        os.close(fd)
        if prefix is None or prefix[1] or attempt or not _seal(path, package_dir):
            return None
    return None


def _seal(path: str, package_dir: str) -> bool:
    """Seal a freshly installed bundle (see the module's docstring); False when it cannot be."""
    return os.access(package_dir, os.W_OK) and seal(path, os.path.dirname(package_dir))


def write(path: str, sealed: bool, entries: dict[str, Entry], blob: bytes) -> None:
    """Write a bundle file atomically (a temp file renamed into place)."""
    index = marshal.dumps((sys.implementation.cache_tag, len(blob), entries))
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as out:
            out.write(HEADER + MAGIC_NUMBER + (SEALED if sealed else UNSEALED)
                      + len(index).to_bytes(4, "little") + index)
            out.write(blob)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def _observed(root: str, entry: Entry) -> tuple[int, int] | None:
    """The size and mtime_ns of the entry's installed source when its content is the one compiled."""
    source_path = os.path.join(root, entry[3])
    try:
        with open(source_path, "rb") as handle:
            before = os.fstat(handle.fileno())
            source = handle.read()
        after = os.stat(source_path)
    except OSError:
        return None
    if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size):
        return None  # written while we read it
    if len(source) != entry[4] or _imp.source_hash(HASH_KEY, source) != entry[7]:
        return None
    return after.st_size, after.st_mtime_ns


def seal(path: str, root: str) -> bool:
    """Record in the bundle at ``path`` the size and mtime_ns of each installed source (under
    ``root``) that is still the one compiled; False when the bundle cannot be read or written."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if data[:len(HEADER)] != HEADER or data[len(HEADER):len(HEADER) + 4] != MAGIC_NUMBER:
            return False
        length = int.from_bytes(data[PREFIX - 4:PREFIX], "little")
        cache_tag, blob_length, entries = marshal.loads(data[PREFIX:PREFIX + length])
        blob = data[PREFIX + length:]
        if cache_tag != sys.implementation.cache_tag or len(blob) != blob_length:
            return False
        sealed: dict[str, Entry] = {}
        for name, entry in entries.items():
            seen = _observed(root, entry)
            size, mtime_ns = seen if seen is not None else (entry[4], NOT_SEALED)
            sealed[name] = (*entry[:4], size, mtime_ns, *entry[6:])
        write(path, True, sealed, blob)
    except (OSError, EOFError, ValueError, TypeError):
        return False
    return True
