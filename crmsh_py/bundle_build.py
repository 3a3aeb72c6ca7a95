"""Write the module bundle that ``crmsh_py.bundle`` serves (its layout is described there).

``build`` runs in ``setup.py``'s ``build_py`` step over the built package, never over the source
tree; ``seal`` runs once, in the first process after the install, which ``crmsh_py.bundle`` asks.
"""

import __future__
import ast
import marshal
import os
import sys
from types import CodeType

import _imp

from crmsh_py.bundle import (
    FIELDS, FILENAME, HASH_KEY, HEADER, MAGIC_NUMBER, NOT_SEALED, PREFIX, SEALED, TAG, UNSEALED, read_layout,
    source_of,
)

# what one module is in the bundle: its name and table row, its source hash, its marshalled code
Module = tuple[str, list[int], bytes, bytes]


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


def compile_module(source: bytes, filename: str) -> CodeType:
    """A module's code as importlib compiles it (bytes: the coding cookie is honoured; no ``-O``),
    except that its statement ``from __future__ import annotations`` becomes the compiler flag it
    stands for.  The statement is a directive to the compiler and also an import at run time: it
    loads the ``__future__`` module (and binds a name nothing reads), about 0.15 ms of every
    command's start.  Without it the annotations stay strings and the lines keep their numbers."""
    return _compile_tree(source, ast.parse(source, filename), filename)


def _compile_tree(source: bytes, tree: ast.Module, filename: str) -> CodeType:
    """:func:`compile_module` of ``source``, whose syntax tree ``tree`` is at hand."""
    future = [statement for statement in tree.body
              if isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
              and [alias.name for alias in statement.names] == ["annotations"] and statement.names[0].asname is None]
    lines = source.split(b"\n")
    # only the plain one-line form, alone on its line (blanking the line must take nothing else)
    if len(future) != 1 or lines[future[0].lineno - 1].rstrip(b" \r") != b"from __future__ import annotations":
        plain: CodeType = compile(source, filename, "exec", dont_inherit=True, optimize=0)
        return plain
    lines[future[0].lineno - 1] = b""
    code: CodeType = compile(b"\n".join(lines), filename, "exec", flags=__future__.annotations.compiler_flag,
                             dont_inherit=True, optimize=0)
    return code


def _is_type_checking_block(statement: ast.stmt) -> bool:
    """``if TYPE_CHECKING:`` without an ``else`` (its imports never run)."""
    return (isinstance(statement, ast.If) and isinstance(statement.test, ast.Name)
            and statement.test.id == "TYPE_CHECKING" and not statement.orelse)


def header_imports(tree: ast.Module, package: str, known: set[str]) -> list[tuple[str, bool]]:
    """The modules of ``known`` that a module's import header loads, in the order its import
    statements load them: ``(name, named in a from list)``.

    The header is the module's statements up to the first one that could run anything else: its
    docstring, import statements, constant assignments (``TYPE_CHECKING = False``) and
    ``if TYPE_CHECKING:`` blocks.  ``import a.b.c`` loads ``a``, ``a.b`` and ``a.b.c``;
    ``from a.b import c`` loads ``a`` and ``a.b``, then ``a.b.c`` if that is a module (and the
    package has no attribute ``c`` by then: the loader asks).  Only absolute imports of modules
    under ``package`` count; others are left to the statements, in their place."""
    found: list[tuple[str, bool]] = []

    def chain(dotted: str) -> None:
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            found.append((".".join(parts[:end]), False))

    for position, statement in enumerate(tree.body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name.split(".")[0] == package:
                    chain(alias.name)
        elif isinstance(statement, ast.ImportFrom):
            if statement.level:
                break  # relative: left to the statement (none of ours has one)
            module = statement.module or ""
            if module.split(".")[0] == package:
                chain(module)
                found.extend((f"{module}.{alias.name}", True) for alias in statement.names)
        elif (position == 0 and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
              or isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(statement.value, ast.Constant)
              or _is_type_checking_block(statement)):
            continue
        else:
            break
    ordered: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for name, from_list in found:
        if name in known and name not in seen:
            seen.add(name)
            ordered.append((name, from_list))
    return ordered


def write(path: str, sealed: bool, modules: list[Module], imports: list[int]) -> None:
    """Write a bundle file atomically (a temp file renamed into place); ``imports`` is the flat list
    of module numbers the rows' import entries point into."""
    names = "\n".join(name for name, _, _, _ in modules).encode()
    blob_length = sum(len(code) for _, _, _, code in modules)
    prefix = (HEADER + MAGIC_NUMBER + (SEALED if sealed else UNSEALED) + TAG
              + len(modules).to_bytes(4, "little") + len(names).to_bytes(4, "little")
              + blob_length.to_bytes(8, "little") + len(imports).to_bytes(8, "little"))
    assert len(prefix) == PREFIX
    table = b"".join(value.to_bytes(8, sys.byteorder, signed=True) for _, row, _, _ in modules for value in row)
    table += b"".join(entry.to_bytes(8, sys.byteorder, signed=True) for entry in imports)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as out:
            out.write(prefix + names + b"\0" * (-len(names) % 8) + table)
            out.write(b"".join(source_hash for _, _, source_hash, _ in modules))
            for _, _, _, code in modules:
                out.write(code)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def build(package_dir: str) -> str:
    """Compile every module of the package in ``package_dir`` into ``package_dir/_bundle.bin``
    (not yet sealed); returns the file's path."""
    root = os.path.dirname(package_dir)
    found = _modules(package_dir)
    numbers = {name: number for number, (name, _, _) in enumerate(found)}
    package = os.path.basename(package_dir)
    modules: list[Module] = []
    imports: list[int] = []
    offset = 0
    for name, rel, is_package in found:
        with open(os.path.join(root, rel), "rb") as handle:
            source = handle.read()
        tree = ast.parse(source, rel)
        code = marshal.dumps(_compile_tree(source, tree, rel))
        header = [~numbers[dep] if from_list else numbers[dep]
                  for dep, from_list in header_imports(tree, package, set(numbers)) if dep != name]
        row = [offset, len(code), int(is_package), len(source), NOT_SEALED, len(imports), len(header)]
        assert len(row) == FIELDS
        imports += header
        modules.append((name, row, _imp.source_hash(HASH_KEY, source), code))
        offset += len(code)
    path = os.path.join(package_dir, FILENAME)
    write(path, False, modules, imports)
    return path


def _observed(source_path: str, size: int, source_hash: bytes) -> int:
    """The mtime_ns of an installed source whose content is the one compiled; else NOT_SEALED."""
    try:
        with open(source_path, "rb") as handle:
            before = os.fstat(handle.fileno())
            source = handle.read()
        after = os.stat(source_path)
    except OSError:
        return NOT_SEALED
    if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size):
        return NOT_SEALED  # written while we read it
    if len(source) != size or _imp.source_hash(HASH_KEY, source) != source_hash:
        return NOT_SEALED
    return after.st_mtime_ns


def seal(path: str, base: str) -> bool:
    """Record in the bundle at ``path`` the mtime_ns of each installed source (``base`` is the
    package's parent directory and "/") that is still the one compiled, and give its code that
    file's name (tracebacks name it); False when the bundle cannot be read or written."""
    try:
        with open(path, "rb") as handle:
            found = read_layout(handle.fileno())
            if found is None:
                return False
            _, layout = found
            handle.seek(0)
            data = handle.read()
        names = data[PREFIX:layout.names_end].decode().split("\n")
        table = memoryview(data)[layout.table_start:layout.imports_start].cast("q")
        imports = list(memoryview(data)[layout.imports_start:layout.hashes_start].cast("q"))
        modules: list[Module] = []
        offset = 0
        for number, name in enumerate(names):
            row = list(table[FIELDS * number:FIELDS * (number + 1)])
            source_hash = data[layout.hashes_start + 8 * number:layout.hashes_start + 8 * (number + 1)]
            source = source_of(base, name, row[2])
            code = marshal.loads(data[layout.blob_start + row[0]:layout.blob_start + row[0] + row[1]])
            _imp._fix_co_filename(code, source)  # type: ignore[attr-defined]
            marshalled = marshal.dumps(code)
            row[0], row[1], row[4] = offset, len(marshalled), _observed(source, row[3], source_hash)
            modules.append((name, row, source_hash, marshalled))
            offset += len(marshalled)
        write(path, True, modules, imports)
    except (OSError, ValueError, TypeError, EOFError):
        return False
    return True
