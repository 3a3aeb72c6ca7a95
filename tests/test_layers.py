"""The import contract: layers only import downwards, and no module takes part in an import cycle.

Every import counts, including those inside functions (they hide cycles from the interpreter, not
from a reader).  What is broken today is listed in ``layers-known-violations.txt`` beside this file;
the list only shrinks: a new upward import or cycle fails, and so does a listed one that is gone.

    python tests/test_layers.py        # print the import figures and today's violations
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crmsh_py"
KNOWN = Path(__file__).resolve().parent / "layers-known-violations.txt"

# Which top-level parts of crmsh_py each part may import (DESIGN.md's layers, bottom up).
ALLOWED: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "grammar": frozenset(),
    "cib": frozenset({"errors"}),
    "lang": frozenset({"errors", "cib", "grammar"}),
    "agents": frozenset({"errors", "cib"}),
    "engine": frozenset({"errors", "cib", "lang", "agents"}),
    # displays read the CIB's status through the engine's own readers (one reader, one meaning)
    "render": frozenset({"errors", "cib", "lang", "agents", "engine"}),
    "lowlevel": frozenset({"errors", "cib", "lang", "agents", "engine"}),
    "backends": frozenset({"errors", "cib", "lowlevel"}),
    "session": frozenset({"errors", "cib", "lang", "backends", "render"}),
    # the shell changes the cluster only through low-level commands run by a backend
    "shell": frozenset({"errors", "cib", "lang", "agents", "render", "backends", "session"}),
    "cli": frozenset({"errors", "session", "shell", "backends", "render"}),
}
# crmsh_py.records (the cheap replacement for @dataclass), crmsh_py.tempfiles and
# crmsh_py.process_exit (how a console script ends) and crmsh_py.collector (switching the cycle
# collector back on) sit below everything, and so do crmsh_py.xmltree (the XML element API),
# crmsh_py.sorting, crmsh_py.generator_context, crmsh_py.memo and crmsh_py.wrapping (functools and
# contextlib without their imports)
BELOW_ALL = ("records", "tempfiles", "process_exit", "collector", "bundle", "bundle_build", "xmltree", "sorting",
             "generator_context", "memo", "wrapping")
ALLOWED = {part: allowed | set(BELOW_ALL) for part, allowed in ALLOWED.items()} | {
    name: frozenset() for name in BELOW_ALL} | {
    # the functools stand-ins share what functools.wraps does
    name: frozenset({"wrapping"}) for name in ("collector", "generator_context", "memo")}
# crmsh_py.scripts, what the installed commands run, imports nothing of ours by name: it hands over to
# the command's module with __import__
ALLOWED["scripts"] = frozenset()
# crmsh_py.bundle serves the installed package's modules (crmsh_py/__init__ starts it); its builder
# (run by setup.py, and by __init__ to seal a fresh install) writes the format it defines
ALLOWED["bundle_build"] = frozenset({"bundle"})

# Below everything, any part may use them: crmsh_py.paths (the user's directories, the cluster
# directory), crmsh_py.invocation (invocation logging and secret masking, which uses paths) and
# crmsh_py.cluster_yaml (reading cluster.yaml's text: invocation logging names the first node)
ALLOWED = {part: allowed | {"paths", "invocation", "cluster_yaml"} for part, allowed in ALLOWED.items()} | {
    "paths": frozenset(), "invocation": frozenset({"paths", "cluster_yaml", "xmltree"}), "cluster_yaml": frozenset()}

# Single modules allowed one more part: the low-level tools whose job is display may render.
EXTRA: dict[str, frozenset[str]] = {
    "crmsh_py.lowlevel.crm_mon": frozenset({"render"}),
    "crmsh_py.lowlevel.crm_simulate": frozenset({"render"}),
}


# A part that reaches another through one module only (its entry point), never the others: the
# low-level tools use the engine through its facade, so the engine can change behind it.
ENTRY_POINTS: dict[tuple[str, str], str] = {("lowlevel", "engine"): "crmsh_py.engine.facade"}


def module_name(path: Path) -> str:
    """``crmsh_py/shell/repl.py`` -> ``crmsh_py.shell.repl`` (a package is its ``__init__``)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(current: str, is_package: bool, node: ast.ImportFrom, modules: set[str]) -> list[str]:
    base = current.split(".") if is_package else current.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    # "from pkg import mod" depends on pkg.mod alone when that is a module, else on pkg itself.
    return [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]


def import_graph() -> dict[str, set[str]]:
    """Module -> the crmsh_py modules it imports anywhere in its body."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                candidates = _resolve(name, path.name == "__init__.py", node, set(files))
            else:
                continue
            for candidate in candidates:
                # the longest known module that the imported name lies in
                parts = candidate.split(".")
                while parts and ".".join(parts) not in files:
                    parts.pop()
                if parts and ".".join(parts) != name:
                    targets.add(".".join(parts))
        graph[name] = targets
    return graph


def layer(module: str) -> str:
    """The top-level part a module belongs to (``crmsh_py.shell.repl`` -> ``shell``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "errors"


def upward_imports(graph: dict[str, set[str]]) -> set[str]:
    """``importer -> imported`` pairs that break ALLOWED."""
    out = set()
    for src, targets in graph.items():
        for dst in targets:
            a, b = layer(src), layer(dst)
            allowed = ALLOWED.get(a, frozenset()) | EXTRA.get(src, frozenset())
            if a != b and b not in allowed and dst != "crmsh_py":
                out.add(f"{src} -> {dst}")
    return out


def around_entry_points(graph: dict[str, set[str]]) -> set[str]:
    """``importer -> imported`` pairs that pass by the entry point ENTRY_POINTS names."""
    return {f"{src} -> {dst}" for src, targets in graph.items() for dst in targets
            if ENTRY_POINTS.get((layer(src), layer(dst)), dst) != dst}


def cycles(graph: dict[str, set[str]]) -> set[str]:
    """Each strongly connected component of more than one module, as ``a <-> b <-> c`` (sorted)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[str] = set()
    counter = [0]

    def visit(start: str) -> None:
        # iterative Tarjan: the graph is small but recursion depth is not ours to spend
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(" <-> ".join(sorted(component)))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def violations() -> set[str]:
    """Today's upward imports and cycles, one string each."""
    graph = import_graph()
    return ({f"upward {v}" for v in upward_imports(graph)} | {f"cycle {c}" for c in cycles(graph)}
            | {f"around {v}" for v in around_entry_points(graph)})


def known() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines() if KNOWN.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_no_new_upward_imports_or_cycles() -> None:
    new = sorted(violations() - known())
    assert not new, "imports against the layers (see tests/test_layers.py ALLOWED, ENTRY_POINTS):\n" + "\n".join(new)


def test_known_violations_list_only_shrinks() -> None:
    gone = sorted(known() - violations())
    assert not gone, "fixed: remove these lines from tests/layers-known-violations.txt:\n" + "\n".join(gone)


def test_every_part_has_a_layer() -> None:
    parts = {layer(m) for m in import_graph()}
    assert parts <= set(ALLOWED) | {"errors"}, f"no layer rule for {sorted(parts - set(ALLOWED))}"


if __name__ == "__main__":
    graph = import_graph()
    edges = sum(len(t) for t in graph.values())
    print(f"{len(graph)} modules, {edges} internal imports")
    up, cyc, around = upward_imports(graph), cycles(graph), around_entry_points(graph)
    print(f"upward imports: {len(up)}; cycles: {len(cyc)}; imports around an entry point: {len(around)}")
    for line in sorted(violations()):
        print(line)
    sys.exit(0)
