"""Serve ``crmsh_py.*`` from one precompiled file, ``crmsh_py/_bundle.bin``, when it is there.

An installed crmsh_py carries a bundle (``setup.py`` builds it into the wheel; an editable install
or a source checkout never has one, so developers always run the normal import system).  Each of
our modules then costs one ``os.stat`` and one ``os.pread`` instead of the path finder's work
(directory cache check, ``cache_from_source``, open/fstat/read/close of the ``.pyc``, header checks).

The file (``crmsh_py.bundle_build`` writes it), laid out so that a process reads only the first
few kilobytes and then the slices of the modules it imports::

    prefix   HEADER, the bytecode magic (4 bytes), the seal flag (4), TAG (32: cache tag and byte
             order), the number of modules, the names' length (4 each, little endian), the
             blob's length and the number of entries in imports (8 each)
    names    the module names, "\\n"-joined (UTF-8), padded to a multiple of 8
    table    per module FIELDS native 64-bit integers: offset and length in the blob, is_package,
             the source's size and mtime_ns (NOT_SEALED before the seal), where its entries in
             imports begin and how many there are
    imports  per module, the modules its import header names (see below), as native 64-bit
             module numbers (``~number`` for a submodule named in a ``from`` list)
    hashes   per module the 8-byte hash of its source (read only when sealing)
    blob     the marshalled code objects

A module's source is ``name.replace(".", "/")`` plus ``.py`` (``/__init__.py`` for a package) in
the directory that holds the ``crmsh_py`` package.

Why a seal: a wheel does not carry file times (pip writes every file at install time), so the
build cannot know the ``mtime_ns`` an installed source will have.  The first process after the
install reads each source once, compares it with the hash recorded at build time and writes the
bundle again with the size and ``mtime_ns`` it saw (``crmsh_py.bundle_build.seal``); from then on,
one ``os.stat`` per module shows whether the source is still what was compiled.  A module whose
source differs (an admin's edit, before or after the seal), a bundle that cannot be read, was made
by another interpreter, or cannot be sealed (the directory is not writable), is left to the normal
import system: nothing is ever served that the installed ``.py`` would not give.

Ahead of a module's body, the finder loads the modules of ours that the module's import header
(the import statements before its first other statement) names, in the header's order, each
registered in ``sys.modules`` before its own header's modules and its body run: the order the
import statements themselves would load them in, with what a module sees of a partly loaded one
in a cycle unchanged.  What it saves is the import system's per-module work (module locks, the
search of ``sys.meta_path``, spec and attribute handling in Python code), about a third of a
module's import; a command loads some seventy.  It steps aside (the statements import as usual)
while another finder comes first on ``sys.meta_path``, once ``threading`` is loaded (the import
system's module locks are what keeps two threads from running one module twice), and under
``-X importtime`` (whose report then names every module); and, within one header, from the first
module it cannot serve on.

``CRMSH_PY_NO_BUNDLE=1`` in the environment switches the bundle off (for A/B measurements).
"""

import os
import sys
from marshal import loads

# importlib's frozen halves, always loaded: the importlib package (importlib.machinery, .util) is
# not, in a venv without setuptools' .pth (and crm_simulate must not pay for it)
import _frozen_importlib
import _frozen_importlib_external
import _imp

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType, ModuleType

ModuleSpec = _frozen_importlib.ModuleSpec
SourceFileLoader = _frozen_importlib_external.SourceFileLoader
MAGIC_NUMBER = _frozen_importlib_external.MAGIC_NUMBER

HEADER = b"CRMPYBN3"
FILENAME = "_bundle.bin"
SEALED = (1).to_bytes(4, "little")
UNSEALED = (0).to_bytes(4, "little")
# the code is only good for this interpreter's cache tag; the table is native integers
TAG = f"{sys.implementation.cache_tag} {sys.byteorder}".encode().ljust(32, b"\0")
PREFIX = 8 + 4 + 4 + 32 + 4 + 4 + 8 + 8
FIELDS = 7
NOT_SEALED = -(1 << 63)
# the key of the keyed hash (importlib's own, _imp.source_hash) that records each source's content
HASH_KEY = 0x63726D70
# one read takes the prefix, the names, the table and the imports of a few hundred modules
FIRST_READ = 1 << 16
_CODE = type((lambda: None).__code__)
_new_module = type(sys)


def source_of(base: str, name: str, is_package: object) -> str:
    """The source file of module ``name`` under ``base`` (the package's parent directory and "/")."""
    return base + name.replace(".", "/") + ("/__init__.py" if is_package else ".py")


class Layout:
    """Where the parts of a bundle lie, from its prefix."""

    # plain classes here: crmsh_py.records would be one more import before the bundle serves any

    __slots__ = ("sealed", "count", "names_end", "table_start", "imports_start", "hashes_start", "blob_start",
                 "size")

    def __init__(self, prefix: bytes) -> None:
        self.sealed = prefix[12:16] == SEALED
        self.count = int.from_bytes(prefix[48:52], "little")
        names_length = int.from_bytes(prefix[52:56], "little")
        self.names_end = PREFIX + names_length
        self.table_start = PREFIX + (names_length + 7) // 8 * 8
        self.imports_start = self.table_start + 8 * FIELDS * self.count
        self.hashes_start = self.imports_start + 8 * int.from_bytes(prefix[64:72], "little")
        self.blob_start = self.hashes_start + 8 * self.count
        self.size = self.blob_start + int.from_bytes(prefix[56:64], "little")


def read_layout(fd: int) -> tuple[bytes, Layout] | None:
    """The bundle's first bytes (through its imports) and layout, when it was made for this
    interpreter and is whole (neither truncated nor grown); else None."""
    head = os.pread(fd, FIRST_READ, 0)
    if head[:8] != HEADER or head[8:12] != MAGIC_NUMBER or head[16:48] != TAG:
        return None
    layout = Layout(head)
    if os.fstat(fd).st_size != layout.size:
        return None
    if len(head) < layout.hashes_start:
        head += os.pread(fd, layout.hashes_start - len(head), len(head))
    return head, layout


class BundleFinder:
    """A ``sys.meta_path`` finder and loader for the modules of one bundle."""

    def __init__(self, fd: int, base: str, head: bytes, layout: Layout) -> None:
        self.fd = fd
        self.base = base
        self.blob_start = layout.blob_start
        self.blob_length = layout.size - layout.blob_start
        names = head[PREFIX:layout.names_end].decode().split("\n")
        self.names = names
        self.numbers = dict(zip(names, range(len(names))))
        self.table = memoryview(head)[layout.table_start:layout.imports_start].cast("q")
        self.imports = memoryview(head)[layout.imports_start:layout.hashes_start].cast("q")
        if len(names) != layout.count or len(self.table) != FIELDS * layout.count:
            raise ValueError("the bundle's index does not hold together")
        # -X importtime reports each module the import system loads: loading ahead would hide ours
        self.ahead = not ("importtime" in sys._xoptions
                          or (not sys.flags.ignore_environment and os.environ.get("PYTHONPROFILEIMPORTTIME")))
        self.loaded_ahead = 0  # how many modules were loaded ahead of an import statement
        # where importlib keeps a module's .pyc (its __cached__), worked out as cache_from_source
        # does: beside the source, or under PYTHONPYCACHEPREFIX the source's absolute directory
        # without its leading "/"; None (the spec asks importlib) for any other case
        self.cache_tag: str | None = sys.implementation.cache_tag
        prefix = sys.pycache_prefix
        if prefix is None:
            self.pyc_root, self.pyc_skip, self.pyc_dir = "", 0, "/__pycache__/"
        elif base.startswith("/") and not base.startswith("//"):
            self.pyc_root, self.pyc_skip, self.pyc_dir = prefix.rstrip("/") + "/", 1, "/"
        else:
            self.cache_tag = None

    def find_spec(self, name: str, path: object = None, target: object = None) -> "ModuleSpec | None":
        """A spec served from the bundle when ``name`` is ours and its source is unchanged."""
        number = self.numbers.get(name)
        if number is None:
            return None
        at = FIELDS * number
        table = self.table
        is_package = table[at + 2]
        origin = source_of(self.base, name, is_package)
        try:
            stat = os.stat(origin)
        except OSError:
            return None
        if stat.st_mtime_ns != table[at + 4] or stat.st_size != table[at + 3]:
            return None  # edited since the seal: the normal import system compiles the source
        # a loader by protocol: importlib.abc.Loader as a base would cost importlib.abc's import
        spec = ModuleSpec(name, self, origin=origin, loader_state=number)  # type: ignore[arg-type]
        spec.has_location = True
        directory, _, file = origin.rpartition("/")
        if self.cache_tag is not None:
            spec.cached = f"{self.pyc_root}{directory[self.pyc_skip:]}{self.pyc_dir}{file[:-3]}.{self.cache_tag}.pyc"
        if is_package:
            spec.submodule_search_locations = [directory]
        return spec

    def create_module(self, spec: "ModuleSpec") -> None:
        """The default module object."""
        return None

    def exec_module(self, module: "ModuleType") -> None:
        """Run the module's code in its namespace (the modules its import header names first)."""
        spec = module.__spec__
        number = spec.loader_state  # type: ignore[union-attr]
        code = self._code(module.__name__, number, spec.origin)  # type: ignore[union-attr,arg-type]
        if self.ahead and "threading" not in sys.modules and sys.meta_path[0] is self:
            self._load_header_of(number)
        exec(code, module.__dict__)

    def _load_header_of(self, number: int) -> None:
        """Load the modules the import header of module ``number`` names, in order, as its import
        statements would; stop at the first one this finder cannot serve (a statement imports it)."""
        table, names, modules = self.table, self.names, sys.modules
        start = table[FIELDS * number + 5]
        for entry in self.imports[start:start + table[FIELDS * number + 6]]:
            named_in_from_list = entry < 0
            if named_in_from_list:
                entry = ~entry
            if entry >= len(names):
                return  # a garbled entry (checked here, not for every entry at start-up)
            name = names[entry]
            if name in modules:
                continue
            parent_name, _, child = name.rpartition(".")
            parent = modules.get(parent_name)
            if parent is None:
                return
            # `from package import name` imports the submodule only when the package has no such
            # attribute (importlib's _handle_fromlist asks the same question)
            if named_in_from_list and hasattr(parent, child):
                continue
            if not self._load_ahead(entry, name, parent_name, parent, child):
                return

    def _load_ahead(self, number: int, name: str, parent_name: str, parent: "ModuleType", child: str) -> bool:
        """Load module ``number`` as the import system would (the same module attributes, in
        ``sys.modules`` while its header's modules and its body run, out of it again if the body
        fails, bound on its package); False when this finder does not serve it."""
        spec = self.find_spec(name)
        if spec is None:
            return False
        module = _new_module(name)
        module.__loader__ = self  # type: ignore[assignment]
        module.__package__ = name if spec.submodule_search_locations is not None else parent_name
        module.__spec__ = spec
        if spec.submodule_search_locations is not None:
            module.__path__ = spec.submodule_search_locations
        module.__file__ = spec.origin
        if spec.cached is not None:
            module.__cached__ = spec.cached  # type: ignore[attr-defined]
        code = self._code(name, number, spec.origin)  # type: ignore[arg-type]
        modules = sys.modules
        spec._initializing = True  # type: ignore[attr-defined]
        modules[name] = module
        try:
            self._load_header_of(number)
            exec(code, module.__dict__)
        except BaseException:
            modules.pop(name, None)
            raise
        finally:
            spec._initializing = False  # type: ignore[attr-defined]
        setattr(parent, child, modules[name])
        self.loaded_ahead += 1
        return True

    def _code(self, name: str, number: int, origin: str) -> "CodeType":
        """The module's code object from the bundle; from its source when the bundle fails us."""
        offset, length = self.table[FIELDS * number], self.table[FIELDS * number + 1]
        code = None
        if 0 <= offset <= offset + length <= self.blob_length:  # a garbled table may ask for anything
            try:
                code = loads(os.pread(self.fd, length, self.blob_start + offset))
            except Exception:  # unreadable, or not marshal data
                pass
        # the code must be this module's: its file name ends as the module's path does (the blob was
        # garbled, or the descriptor was closed and its number reused, or the table points astray)
        if type(code) is not _CODE or not code.co_filename.endswith(origin[len(self.base):]):
            return SourceFileLoader(name, origin).get_code(name)  # type: ignore[return-value]
        # tracebacks must name the installed file: the seal compiled that name in (then this costs
        # one comparison), unless the package has moved since
        _imp._fix_co_filename(code, origin)  # type: ignore[attr-defined]
        return code

    def get_code(self, name: str) -> "CodeType":
        """The module's code object (``python -m`` runs it through this)."""
        return self._code(name, self.numbers[name], self.get_filename(name))

    def get_source(self, name: str) -> str | None:
        """The module's source text, as the normal loader gives it (for linecache, inspect, pdb)."""
        return SourceFileLoader(name, self.get_filename(name)).get_source(name)

    def is_package(self, name: str) -> bool:
        """Whether ``name`` is a package."""
        return bool(self.table[FIELDS * self.numbers[name] + 2])

    def get_filename(self, name: str) -> str:
        """The module's source file."""
        return source_of(self.base, name, self.is_package(name))

    def get_resource_reader(self, name: str) -> object:
        """Package data is read from the package's directory, as for a normal install."""
        from importlib.readers import FileReader

        return FileReader(SourceFileLoader(name, self.get_filename(name)))


def install(package_dir: str, seal: "Callable[[str, str], bool]") -> BundleFinder | None:
    """Put the bundle of the package in ``package_dir`` first on ``sys.meta_path``; None (and the
    normal import system) when there is none, it is unusable, or it is switched off.  A bundle
    not sealed yet is sealed first by ``seal(bundle path, directory holding the package + "/")``."""
    if os.environ.get("CRMSH_PY_NO_BUNDLE") or sys.flags.optimize:
        return None  # -O wants code without asserts: the bundle holds unoptimised code
    path = package_dir + "/" + FILENAME
    base = os.path.dirname(package_dir) + "/"
    # at most twice: the second time reads the bundle the first one sealed
    for attempt in range(2):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            found = read_layout(fd)
        except Exception:  # any damage at all: the normal import system serves every module
            found = None
        if found is not None and found[1].sealed:
            try:
                finder = BundleFinder(fd, base, *found)
            except Exception:
                found = None
            else:
                sys.meta_path.insert(0, finder)
                return finder
        os.close(fd)
        if found is None or attempt or not os.access(package_dir, os.W_OK) or not seal(path, base):
            return None
    return None
