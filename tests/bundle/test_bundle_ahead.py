"""The bundle loads the modules an import header names ahead of the module's body
(crmsh_py.bundle): the same modules, in the same order, with the same attributes and the same
failures as the import statements themselves give.  Each case runs a fresh interpreter on a small
package of its own, with the bundle and without (CRMSH_PY_NO_BUNDLE=1), and compares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crmsh_py import bundle_build

ROOT = Path(__file__).resolve().parent.parent.parent

INIT = """\
import os
from crmsh_py.bundle import install
from crmsh_py.bundle_build import seal
FINDER = install(os.path.dirname(__file__), seal)
shadow = "the package's own attribute"
"""
# every module says when its body (past its import header) runs
MODULES = {
    "top.py": '"""Imports in every form, a cycle, a shadowed name, a type-only import."""\n'
              "import events\nimport apkg.sub.deep\nfrom apkg import left, shadow\n"
              "from apkg.right import VALUE as RIGHT\nfrom apkg import cyc1\n"
              "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from apkg import typeonly\n"
              "events.LOG.append(('top', RIGHT, shadow, apkg.sub.deep.VALUE))\n"
              "from apkg import late\n"
              "events.LOG.append(('top after late', late.VALUE))\n",
    "left.py": "import events\nfrom apkg import right\nevents.LOG.append(('left', right.VALUE))\nVALUE = 'left'\n",
    "right.py": "import events\nevents.LOG.append(('right',))\nVALUE = 'right'\n",
    "cyc1.py": "import events\nfrom apkg import cyc2\nevents.LOG.append(('cyc1', hasattr(cyc2, 'DONE')))\nDONE = True\n",
    "cyc2.py": "import events\nfrom apkg import cyc1\nevents.LOG.append(('cyc2', hasattr(cyc1, 'DONE')))\nDONE = True\n",
    "shadow.py": "import events\nevents.LOG.append(('shadow module',))\n",
    "typeonly.py": "import events\nevents.LOG.append(('typeonly',))\n",
    "late.py": "import events\nevents.LOG.append(('late',))\nVALUE = 'late'\n",
    "bad.py": "import events\nevents.LOG.append(('bad',))\nraise RuntimeError('bad module')\n",
    "usesbad.py": "import events\nfrom apkg import right\nfrom apkg import bad\nevents.LOG.append(('usesbad',))\n",
    "sub/__init__.py": "import events\nfrom apkg.left import VALUE\nevents.LOG.append(('sub', VALUE))\n",
    "sub/deep.py": "import events\nfrom apkg.sub import VALUE as SUB\nevents.LOG.append(('deep', SUB))\nVALUE = 'deep'\n",
}
PROBE = """\
import json, sys
pre = sys.argv[2:]
for name in pre:
    __import__(name)
import events
try:
    __import__(sys.argv[1])
    error = None
except RuntimeError as failed:
    error = str(failed)
mods = sorted(n for n in sys.modules if n.startswith("apkg"))
attrs = {n: [getattr(sys.modules[n], a, None) for a in ("__file__", "__cached__", "__package__", "__path__")]
         + [sys.modules[n].__spec__.name, sorted(k for k in vars(sys.modules[n]) if not k.startswith("__"))]
         for n in mods}
bound = {n: getattr(sys.modules[n.rpartition(".")[0]], n.rpartition(".")[2], None) is sys.modules[n]
         for n in mods if "." in n}
finder = sys.modules["apkg"].FINDER
print(json.dumps({"log": events.LOG, "error": error, "modules": mods, "attrs": attrs, "bound": bound,
                  "ahead": finder.loaded_ahead if finder is not None else None}))
"""


def make_package(where: Path) -> Path:
    package = where / "apkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text(INIT)
    for name, text in MODULES.items():
        (package / name).write_text(text)
    (where / "events.py").write_text("LOG = []\n")
    bundle_build.build(str(package))
    return package


def probe(where: Path, module: str, *first: str, bundle: bool = True, flags: tuple[str, ...] = (),
          env: dict[str, str] | None = None) -> dict[str, object]:
    full_env = dict(os.environ, PYTHONPATH=f"{where}{os.pathsep}{ROOT}", PYTHONDONTWRITEBYTECODE="1")
    for name in ("CRMSH_PY_NO_BUNDLE", "PYTHONPYCACHEPREFIX", "PYTHONPROFILEIMPORTTIME"):
        full_env.pop(name, None)
    if not bundle:
        full_env["CRMSH_PY_NO_BUNDLE"] = "1"
    full_env.update(env or {})
    # -S: this development interpreter's site (.pth files) loads threading and puts a finder first
    done = subprocess.run([sys.executable, "-S", *flags, "-c", PROBE, module, *first], capture_output=True, text=True,
                          env=full_env, cwd=where, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_header_loaded_ahead_gives_what_the_import_statements_give(tmp_path: Path) -> None:
    make_package(tmp_path)
    probe(tmp_path, "apkg")  # seals the bundle
    served = probe(tmp_path, "apkg.top")
    normal = probe(tmp_path, "apkg.top", bundle=False)
    assert served.pop("ahead") >= 6  # type: ignore[operator]  # left, right, sub, deep, cyc1, cyc2 at least
    assert normal.pop("ahead") is None
    assert served == normal
    log = normal["log"]
    assert log[:3] == [["right"], ["left", "right"], ["sub", "left"]]  # type: ignore[index]
    assert ["cyc2", False] in log and ["cyc1", True] in log  # type: ignore[operator]  # the cycle as Python runs it
    assert log[-3:] == [["top", "right", "the package's own attribute", "deep"], ["late"],  # type: ignore[index]
                        ["top after late", "late"]]
    modules = normal["modules"]
    assert "apkg.shadow" not in modules and "apkg.typeonly" not in modules  # type: ignore[operator]


def test_a_failing_module_fails_the_same_and_is_not_left_imported(tmp_path: Path) -> None:
    make_package(tmp_path)
    probe(tmp_path, "apkg")
    served = probe(tmp_path, "apkg.usesbad")
    normal = probe(tmp_path, "apkg.usesbad", bundle=False)
    served.pop("ahead")
    normal.pop("ahead")
    assert served == normal
    assert normal["error"] == "bad module"
    assert normal["modules"] == ["apkg", "apkg.right"]


def test_a_module_edited_after_the_seal_is_imported_from_its_source(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    probe(tmp_path, "apkg")
    (package / "right.py").write_text("import events\nevents.LOG.append(('right edited',))\nVALUE = 'edited'\n")
    served = probe(tmp_path, "apkg.top")
    served.pop("ahead")
    normal = probe(tmp_path, "apkg.top", bundle=False)
    normal.pop("ahead")
    assert served == normal
    assert served["log"][:2] == [["right edited"], ["left", "edited"]]  # type: ignore[index]


def test_nothing_is_loaded_ahead_with_threads_or_an_import_time_report(tmp_path: Path) -> None:
    make_package(tmp_path)
    probe(tmp_path, "apkg")
    assert probe(tmp_path, "apkg.top")["ahead"] != 0
    assert probe(tmp_path, "apkg.top", "threading")["ahead"] == 0
    assert probe(tmp_path, "apkg.top", flags=("-X", "importtime"))["ahead"] == 0
    assert probe(tmp_path, "apkg.top", env={"PYTHONPROFILEIMPORTTIME": "1"})["ahead"] == 0


def test_the_header_is_read_up_to_the_first_statement_that_runs_anything(tmp_path: Path) -> None:
    import ast

    source = ('"""Doc."""\nfrom __future__ import annotations\nimport os\nimport p.a\nfrom p import b, c\n'
              "from p.d import name\nX: int = 1\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n    import p.e\n"
              "from . import f\nimport p.g\n")
    known = {"p", "p.a", "p.b", "p.d", "p.e", "p.f", "p.g"}
    assert bundle_build.header_imports(ast.parse(source), "p", known) == [
        ("p", False), ("p.a", False), ("p.b", True), ("p.d", False)]
    call = "import p.a\nprint()\nimport p.g\n"
    assert bundle_build.header_imports(ast.parse(call), "p", known) == [("p", False), ("p.a", False)]


def test_garbled_header_entries_are_not_believed(tmp_path: Path) -> None:
    from crmsh_py import bundle

    package = make_package(tmp_path)
    probe(tmp_path, "apkg")
    normal = probe(tmp_path, "apkg.top", bundle=False)
    normal.pop("ahead")
    path = package / bundle.FILENAME
    data = bytearray(path.read_bytes())
    with open(path, "rb") as handle:
        found = bundle.read_layout(handle.fileno())
    assert found is not None
    layout = found[1]
    # every entry names a module past the last (or its complement), and every row's entries
    # start before the list or run past its end
    for at in range(layout.imports_start, layout.hashes_start, 8):
        value = 1 << 40 if (at // 8) % 2 else ~(1 << 40)
        data[at:at + 8] = value.to_bytes(8, sys.byteorder, signed=True)
    for number in range(layout.count):
        row = layout.table_start + 8 * bundle.FIELDS * number
        data[row + 40:row + 56] = ((-7 if number % 2 else 1 << 50).to_bytes(8, sys.byteorder, signed=True)
                                   + (1 << 50).to_bytes(8, sys.byteorder, signed=True))
    path.write_bytes(bytes(data))
    served = probe(tmp_path, "apkg.top")
    served.pop("ahead")
    assert served == normal
