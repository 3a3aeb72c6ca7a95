"""Build the module bundle that ``crmsh_py.bundle`` serves (and seals after the install).

``build`` runs in ``setup.py``'s ``build_py`` step over the built package, never over the source tree.
"""

import marshal
import os
import sys

import _imp

from crmsh_py.bundle import FILENAME, HASH_KEY, NOT_SEALED, Entry, write


def _modules(package_dir: str) -> list[tuple[str, str, bool]]:
    """``(module name, path relative to the package's parent, is_package)`` of every module of the
    package in ``package_dir``, sorted; directories without ``__init__.py`` are not packages."""
    root = os.path.dirname(package_dir)
    found = []
    for directory, dirs, files in os.walk(package_dir):
        if "__init__.py" not in files:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        package = os.path.relpath(directory, root).replace(os.sep, ".")
        for file in sorted(files):
            if file.endswith(".py"):
                rel = os.path.relpath(os.path.join(directory, file), root).replace(os.sep, "/")
                is_package = file == "__init__.py"
                name = package if is_package else f"{package}.{file[:-3]}"
                found.append((name, rel, is_package))
    return sorted(found)


def _cached(rel: str) -> str:
    """Where the normal import system keeps the bytecode of ``rel`` (without a pycache prefix)."""
    directory, _, file = rel.rpartition("/")
    return f"{directory}/__pycache__/{file[:-3]}.{sys.implementation.cache_tag}.pyc"


def build(package_dir: str) -> str:
    """Compile every module of the package in ``package_dir`` into ``package_dir/_bundle.bin``
    (not yet sealed); returns the file's path."""
    root = os.path.dirname(package_dir)
    entries: dict[str, Entry] = {}
    blob = bytearray()
    for name, rel, is_package in _modules(package_dir):
        with open(os.path.join(root, rel), "rb") as handle:
            source = handle.read()
        # as importlib compiles a source (bytes: the coding cookie is honoured), without -O
        code = marshal.dumps(compile(source, rel, "exec", dont_inherit=True, optimize=0))
        entries[name] = (len(blob), len(code), is_package, rel, len(source), NOT_SEALED, _cached(rel),
                         _imp.source_hash(HASH_KEY, source))
        blob += code
    path = os.path.join(package_dir, FILENAME)
    write(path, False, entries, bytes(blob))
    return path
