"""The module bundle (crmsh_py.bundle) on a small package of its own: served, sealed, and every way
it must step aside for the normal import system.  Each case runs a fresh interpreter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crmsh_py import bundle, bundle_build

ROOT = Path(__file__).resolve().parent.parent.parent

INIT = """\
import os
from crmsh_py.bundle import install
from crmsh_py.bundle_build import seal
FINDER = install(os.path.dirname(__file__), seal)
"""
LEAF = """\
VALUE = "leaf"


def fail(x):
    y = x + 1
    raise RuntimeError(f"failed at {y}")
"""
LAZY = """\
def __getattr__(name):
    if name == "late":
        return "computed"
    raise AttributeError(name)
"""
MAIN = """\
import sys
print("main of", __name__, __spec__.name, file=sys.stdout)
"""
# what a probe prints: per module, who loaded it and the attributes the import system sets
PROBE = """\
import importlib, json, sys
names = sys.argv[1:]
out = {}
for name in names:
    m = importlib.import_module(name)
    out[name] = {"loader": type(m.__loader__).__name__, "file": m.__file__, "cached": m.__cached__,
                 "origin": m.__spec__.origin, "path": getattr(m, "__path__", None),
                 "value": getattr(m, "VALUE", None)}
print(json.dumps(out))
"""
MODULES = ["bpkg", "bpkg.leaf", "bpkg.sub", "bpkg.sub.deep", "bpkg.lazy"]


def make_package(where: Path) -> Path:
    """A package ``bpkg`` (with a subpackage and a data file) and its fresh, unsealed bundle."""
    package = where / "bpkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text(INIT)
    (package / "leaf.py").write_text(LEAF)
    (package / "lazy.py").write_text(LAZY)
    (package / "main.py").write_text(MAIN)
    (package / "sub" / "__init__.py").write_text("VALUE = 'sub'\n")
    (package / "sub" / "deep.py").write_text("from bpkg.leaf import VALUE as LEAF\nVALUE = 'deep ' + LEAF\n")
    (package / "sub" / "data.txt").write_text("some data\n")
    bundle_build.build(str(package))
    return package


def run(where: Path, code: str, *args: str, env: dict[str, str] | None = None,
        flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter with ``where`` and the checkout on its path, running ``code``."""
    full_env = dict(os.environ, PYTHONPATH=f"{where}{os.pathsep}{ROOT}", PYTHONDONTWRITEBYTECODE="1")
    full_env.pop("CRMSH_PY_NO_BUNDLE", None)
    full_env.pop("PYTHONPYCACHEPREFIX", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, *flags, "-c", code, *args], capture_output=True, text=True,
                          env=full_env, cwd=where, timeout=60, check=False)


def probe(where: Path, env: dict[str, str] | None = None, flags: tuple[str, ...] = ()) -> dict[str, dict[str, object]]:
    """Who loaded each of MODULES, and its attributes."""
    done = run(where, PROBE, *MODULES, env=env, flags=flags)
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def loaders(found: dict[str, dict[str, object]]) -> dict[str, object]:
    return {name: attributes["loader"] for name, attributes in found.items()}


def sealed(package: Path) -> bool:
    with open(package / bundle.FILENAME, "rb") as handle:
        found = bundle.read_layout(handle.fileno())
    assert found is not None
    return found[1].sealed


def test_first_import_seals_and_every_module_comes_from_the_bundle(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    assert not sealed(package)
    found = probe(tmp_path)
    assert sealed(package)
    # the package itself ran before the finder existed; every module after it comes from the bundle
    assert loaders(found) == {"bpkg": "SourceFileLoader", "bpkg.leaf": "BundleFinder", "bpkg.sub": "BundleFinder",
                              "bpkg.sub.deep": "BundleFinder", "bpkg.lazy": "BundleFinder"}
    assert found["bpkg.sub.deep"]["value"] == "deep leaf"
    assert probe(tmp_path) == found  # the sealed bundle serves the next process the same way


def test_processes_that_seal_at_once_all_get_their_modules(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", PYTHONDONTWRITEBYTECODE="1")
    env.pop("CRMSH_PY_NO_BUNDLE", None)
    runs = [subprocess.Popen([sys.executable, "-c", PROBE, *MODULES], env=env, cwd=tmp_path, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    for process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert json.loads(out)["bpkg.sub.deep"]["value"] == "deep leaf"
    assert sealed(package)
    assert sorted(p.name for p in package.iterdir() if p.name.startswith(bundle.FILENAME)) == [bundle.FILENAME]
    assert set(loaders(probe(tmp_path)).values()) == {"SourceFileLoader", "BundleFinder"}


def test_modules_have_the_attributes_the_normal_import_system_gives(tmp_path: Path) -> None:
    make_package(tmp_path)
    served = probe(tmp_path)
    normal = probe(tmp_path, env={"CRMSH_PY_NO_BUNDLE": "1"})
    assert set(loaders(normal).values()) == {"SourceFileLoader"}
    for name in MODULES:
        del served[name]["loader"], normal[name]["loader"]
    assert served == normal
    assert served["bpkg.sub"]["path"] == [str(tmp_path / "bpkg" / "sub")]


@pytest.mark.parametrize("suffix", ["", "/", "//"])
def test_with_a_pycache_prefix_cached_is_where_importlib_puts_it(tmp_path: Path, suffix: str) -> None:
    make_package(tmp_path)
    prefix = {"PYTHONPYCACHEPREFIX": str(tmp_path / "prefix") + suffix}
    served, normal = probe(tmp_path, env=prefix), probe(tmp_path, env={**prefix, "CRMSH_PY_NO_BUNDLE": "1"})
    assert loaders(served)["bpkg.leaf"] == "BundleFinder"
    for name in MODULES:
        assert served[name]["cached"] == normal[name]["cached"]
    assert str(served["bpkg.leaf"]["cached"]).startswith(str(tmp_path / "prefix"))


def test_a_source_edited_after_the_seal_is_what_runs(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    probe(tmp_path)  # seals
    leaf = package / "leaf.py"
    # same size, so only the time tells the edit apart
    leaf.write_text(LEAF.replace('"leaf"', '"LEAF"'))
    os.utime(leaf, ns=(leaf.stat().st_atime_ns, leaf.stat().st_mtime_ns + 1_000_000_000))
    found = probe(tmp_path)
    assert (found["bpkg.leaf"]["loader"], found["bpkg.leaf"]["value"]) == ("SourceFileLoader", "LEAF")
    assert found["bpkg.sub.deep"] == {**found["bpkg.sub.deep"], "loader": "BundleFinder", "value": "deep LEAF"}


def test_a_source_edited_before_the_seal_is_what_runs(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    (package / "sub" / "__init__.py").write_text("VALUE = 'SUB'\n")
    found = probe(tmp_path)
    assert (found["bpkg.sub"]["loader"], found["bpkg.sub"]["value"]) == ("SourceFileLoader", "SUB")
    assert found["bpkg.leaf"]["loader"] == "BundleFinder"
    # the seal left the edited module out for good: even its original text now runs from source
    (package / "sub" / "__init__.py").write_text("VALUE = 'sub'\n")
    assert probe(tmp_path)["bpkg.sub"]["loader"] == "SourceFileLoader"


def test_a_deleted_source_is_not_served(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    probe(tmp_path)
    (package / "lazy.py").unlink()
    done = run(tmp_path, "import bpkg.lazy")
    assert done.returncode == 1 and "No module named 'bpkg.lazy'" in done.stderr


@pytest.mark.parametrize("damage", ["truncated", "grown", "garbage index", "garbage blob", "other magic", "empty"])
def test_a_damaged_bundle_leaves_every_module_to_the_normal_import_system(tmp_path: Path, damage: str) -> None:
    package = make_package(tmp_path)
    probe(tmp_path)
    path = package / bundle.FILENAME
    data = path.read_bytes()
    with open(path, "rb") as handle:
        found = bundle.read_layout(handle.fileno())
    assert found is not None
    start, end = bundle.PREFIX, found[1].blob_start
    damaged = {
        "truncated": data[:-10],
        "grown": data + b"\0",
        "garbage index": data[:start] + b"\xff" * (end - start) + data[end:],
        "garbage blob": data[:end] + b"\xfe" * (len(data) - end),
        "other magic": data[:8] + b"\0\0\r\n" + data[12:],
        "empty": b"",
    }[damage]
    path.write_bytes(damaged)
    found = probe(tmp_path)
    values = {name: attributes["value"] for name, attributes in found.items()}
    assert values == {"bpkg": None, "bpkg.leaf": "leaf", "bpkg.sub": "sub", "bpkg.sub.deep": "deep leaf",
                      "bpkg.lazy": None}
    # a blob that cannot be unmarshalled is found module by module: the source is compiled instead
    if damage != "garbage blob":
        assert set(loaders(found).values()) == {"SourceFileLoader"}


@pytest.mark.parametrize("astray", ["another module's code", "past the end", "before the start", "huge"])
def test_a_table_that_points_astray_is_not_believed(tmp_path: Path, astray: str) -> None:
    package = make_package(tmp_path)
    probe(tmp_path)
    path = package / bundle.FILENAME
    data = bytearray(path.read_bytes())
    with open(path, "rb") as handle:
        found = bundle.read_layout(handle.fileno())
    assert found is not None
    head, layout = found
    names = head[bundle.PREFIX:layout.names_end].decode().split("\n")
    rows = {name: layout.table_start + 8 * bundle.FIELDS * number for number, name in enumerate(names)}
    leaf = rows["bpkg.leaf"]
    # bpkg.leaf's offset and length in the blob
    data[leaf:leaf + 16] = {
        "another module's code": data[rows["bpkg.lazy"]:rows["bpkg.lazy"] + 16],
        "past the end": (len(data)).to_bytes(8, sys.byteorder) + (100).to_bytes(8, sys.byteorder),
        "before the start": (-(1 << 40)).to_bytes(8, sys.byteorder, signed=True) + (100).to_bytes(8, sys.byteorder),
        "huge": (0).to_bytes(8, sys.byteorder) + (1 << 62).to_bytes(8, sys.byteorder),
    }[astray]
    path.write_bytes(bytes(data))
    found_after = probe(tmp_path)
    assert found_after["bpkg.leaf"]["value"] == "leaf"
    assert run(tmp_path, "import bpkg.leaf; print(bpkg.leaf.fail.__name__)").stdout == "fail\n"


def test_tracebacks_name_the_installed_file_and_line(tmp_path: Path) -> None:
    make_package(tmp_path)
    code = "import bpkg.leaf, traceback\ntry:\n    bpkg.leaf.fail(1)\nexcept RuntimeError:\n    traceback.print_exc()\n"
    served = run(tmp_path, code)
    normal = run(tmp_path, code, env={"CRMSH_PY_NO_BUNDLE": "1"})
    assert served.stderr == normal.stderr
    assert f'File "{tmp_path / "bpkg" / "leaf.py"}", line 6, in fail' in served.stderr
    assert 'raise RuntimeError(f"failed at {y}")' in served.stderr


def test_a_moved_package_still_names_its_files_in_tracebacks(tmp_path: Path) -> None:
    make_package(tmp_path / "first")
    probe(tmp_path / "first")  # sealed: the code now carries the first place's file names
    moved = tmp_path / "second"
    shutil.copytree(tmp_path / "first", moved)  # copy2 keeps the times: the seal holds
    code = "import bpkg.leaf, traceback\ntry:\n    bpkg.leaf.fail(1)\nexcept RuntimeError:\n    traceback.print_exc()\n"
    assert loaders(probe(moved))["bpkg.leaf"] == "BundleFinder"
    assert f'File "{moved / "bpkg" / "leaf.py"}", line 6, in fail' in run(moved, code).stderr


def test_python_dash_m_runs_a_module_of_the_bundle(tmp_path: Path) -> None:
    make_package(tmp_path)
    probe(tmp_path)
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}")
    env.pop("CRMSH_PY_NO_BUNDLE", None)
    done = subprocess.run([sys.executable, "-m", "bpkg.main"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (0, "main of __main__ bpkg.main\n"), done.stderr
    code = "import bpkg, runpy, sys; print(type(sys.modules['bpkg'].FINDER).__name__)"
    assert run(tmp_path, code).stdout == "BundleFinder\n"


def test_package_data_lazy_attributes_and_source_still_work(tmp_path: Path) -> None:
    make_package(tmp_path)
    code = textwrap.dedent("""\
        import importlib.resources, inspect
        import bpkg.sub, bpkg.lazy, bpkg.leaf
        print(type(bpkg.sub.__loader__).__name__)
        print(importlib.resources.files("bpkg.sub").joinpath("data.txt").read_text().strip())
        print(sorted(p.name for p in importlib.resources.files("bpkg.sub").iterdir() if p.name != "__pycache__"))
        print(bpkg.lazy.late)
        print(inspect.getsource(bpkg.leaf.fail).splitlines()[0])
        """)
    done = run(tmp_path, code)
    assert done.stdout.splitlines() == ["BundleFinder", "some data", "['__init__.py', 'data.txt', 'deep.py']",
                                        "computed", "def fail(x):"], done.stderr


@pytest.mark.parametrize("how", ["CRMSH_PY_NO_BUNDLE", "-O"])
def test_switched_off(tmp_path: Path, how: str) -> None:
    make_package(tmp_path)
    if how == "-O":
        found = probe(tmp_path, flags=("-O",))
    else:
        found = probe(tmp_path, env={how: "1"})
    assert set(loaders(found).values()) == {"SourceFileLoader"}
    assert not sealed(tmp_path / "bpkg")


def test_a_bundle_that_cannot_be_sealed_is_not_used(tmp_path: Path) -> None:
    make_package(tmp_path)
    # as a user without write access to site-packages: os.access says no (root would pass any chmod)
    code = "import os; os.access = lambda *a, **k: False\n" + PROBE
    done = run(tmp_path, code, *MODULES)
    assert set(loaders(json.loads(done.stdout)).values()) == {"SourceFileLoader"}, done.stderr
    assert not sealed(tmp_path / "bpkg")


def test_the_bundle_is_never_in_the_source_tree() -> None:
    assert not (ROOT / "crmsh_py" / bundle.FILENAME).exists()


def _code_objects(code: object) -> list[object]:
    """``code`` and every code object nested in it, depth first."""
    found = [code]
    for const in getattr(code, "co_consts", ()):
        if hasattr(const, "co_code"):
            found += _code_objects(const)
    return found


def test_the_future_import_becomes_a_compiler_flag_and_nothing_else_changes() -> None:
    # every module of the package: the bundle's code runs the same instructions at the same lines
    # as importlib's, except the module body's run-time import of __future__
    package = ROOT / "crmsh_py"
    stripped = 0
    for path in sorted(package.rglob("*.py")):
        source = path.read_bytes()
        ours = bundle_build.compile_module(source, str(path))
        normal = compile(source, str(path), "exec", dont_inherit=True, optimize=0)
        if b"\nfrom __future__ import annotations\n" in source:
            assert "__future__" in normal.co_names and "__future__" not in ours.co_names, path
            stripped += 1
        for mine, theirs in list(zip(_code_objects(ours), _code_objects(normal)))[1:]:
            assert (mine.co_name, mine.co_firstlineno, mine.co_code, list(mine.co_lines()), mine.co_flags) == (
                theirs.co_name, theirs.co_firstlineno, theirs.co_code, list(theirs.co_lines()), theirs.co_flags), path
        assert len(_code_objects(ours)) == len(_code_objects(normal)), path
    assert stripped > 100


def test_annotations_stay_strings_and_other_forms_are_compiled_as_they_are() -> None:
    source = b'"""Doc."""\n\nfrom __future__ import annotations\n\n\ndef f(x: Undefined) -> int:\n    return 1\n'
    namespace: dict[str, object] = {}
    exec(bundle_build.compile_module(source, "m.py"), namespace)
    assert namespace["f"].__annotations__ == {"x": "Undefined", "return": "int"}  # type: ignore[attr-defined]
    assert namespace["__doc__"] == "Doc."
    assert "annotations" not in namespace
    # a future import that shares its line, names more features, or is renamed: compiled unchanged
    for other in (b"from __future__ import annotations; import os\n",
                  b"from __future__ import annotations, generator_stop\n",
                  b"from __future__ import annotations as a\n",
                  b'TEXT = """\nfrom __future__ import annotations\n"""\n'):
        code = bundle_build.compile_module(other, "m.py")
        assert code.co_code == compile(other, "m.py", "exec", dont_inherit=True).co_code, other
