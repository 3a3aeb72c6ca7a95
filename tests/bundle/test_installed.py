"""crmsh_py as ``pip install .`` installs it: its modules come from the bundle, and everything a
user runs behaves as without it (``CRMSH_PY_NO_BUNDLE=1``).

One venv per session (``installed``): a copy of the tree (so the checkout gets no ``build/``) is
installed into a venv without pip or dependencies of its own; a ``.pth`` file lends it this
interpreter's site-packages (pip, setuptools for the build, lark, rich...).  Tests that damage the
installed package put it back as it was, times included.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crmsh_py.bundle import read_layout

ROOT = Path(__file__).resolve().parent.parent.parent
SUITE = ROOT.parent / "shared" / "pacemaker-cts" / "scheduler" / "xml"
TREE_FILES = ("pyproject.toml", "setup.py", "README.md", "LICENSE")

pytestmark = [pytest.mark.slow]


class Installed:
    """The venv, where crmsh_py sits in it, and how to run its programs."""

    def __init__(self, venv: Path, package: Path, work: Path) -> None:
        self.venv = venv
        self.package = package
        self.work = work

    def env(self, bundle: bool = True) -> dict[str, str]:
        env = dict(os.environ, CRM_CLUSTER_DIR=str(self.work / "cluster"), CRM_BACKEND="bundled")
        for name in ("PYTHONPATH", "PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE", "CRMSH_PY_NO_BUNDLE"):
            env.pop(name, None)
        if not bundle:
            env["CRMSH_PY_NO_BUNDLE"] = "1"
        return env

    def run(self, program: str, *args: str, bundle: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / program), *args], capture_output=True, text=True,
                              env=self.env(bundle), cwd=self.work, timeout=120, check=False)

    def python(self, code: str, *args: str, bundle: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("python", "-c", code, *args, bundle=bundle)


def _lent_paths() -> list[str]:
    """This interpreter's site-packages directories (they hold pip and crmsh_py's dependencies)."""
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(p for p in paths if os.path.isdir(p))


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """crmsh_py installed from a copy of this tree by pip, in a venv of its own."""
    work = tmp_path_factory.mktemp("installed")
    tree = work / "tree"
    shutil.copytree(ROOT / "crmsh_py", tree / "crmsh_py",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_bundle.bin*"))
    shutil.copytree(ROOT / "bin", tree / "bin")
    for name in TREE_FILES:
        shutil.copy2(ROOT / name, tree / name)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "_lent_site_packages.pth").write_text("".join(f"{p}\n" for p in _lent_paths()))
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir",
                           "--disable-pip-version-check", str(tree)],
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        pytest.fail(f"pip install . failed:\n{done.stdout}\n{done.stderr}")
    package = Path(site) / "crmsh_py"
    installed = Installed(venv, package, work)
    # pip installs the bundle as built; the first process seals it with the installed files' times
    assert not sealed(package / "_bundle.bin")
    assert installed.run("crm", "--version").returncode == 0
    assert sealed(package / "_bundle.bin")
    return installed


def sealed(path: Path) -> bool:
    with open(path, "rb") as handle:
        found = read_layout(handle.fileno())
    assert found is not None
    return found[1].sealed


@contextmanager
def kept(path: Path) -> Iterator[bytes]:
    """The file's content; afterwards the file as it was, content and times."""
    content, stat = path.read_bytes(), path.stat()
    try:
        yield content
    finally:
        path.write_bytes(content)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


# per module a run loads: who loaded it and what the import system set
PROBE = """\
import json, sys
import crmsh_py.cli, crmsh_py.lowlevel.crm_simulate, crmsh_py.shell.levels.configure
out = {name: {"loader": type(m.__loader__).__name__, "file": m.__file__, "cached": m.__cached__,
              "origin": m.__spec__.origin, "path": getattr(m, "__path__", None)}
       for name, m in sorted(sys.modules.items()) if name.startswith("crmsh_py")}
print(json.dumps(out))
"""


def probe(installed: Installed, bundle: bool = True) -> dict[str, dict[str, object]]:
    done = installed.python(PROBE, bundle=bundle)
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_modules_come_from_the_bundle_with_the_attributes_of_a_normal_import(installed: Installed) -> None:
    served, normal = probe(installed), probe(installed, bundle=False)
    loaders = {name: attributes.pop("loader") for name, attributes in served.items()}
    # crmsh_py and the bundle's own module start the bundle; every other module comes from it
    assert {name for name, loader in loaders.items() if loader != "BundleFinder"} == {"crmsh_py", "crmsh_py.bundle"}
    del served["crmsh_py.bundle"]
    assert {attributes.pop("loader") for attributes in normal.values()} == {"SourceFileLoader"}
    assert served == normal
    assert served["crmsh_py.cli"]["file"] == str(installed.package / "cli.py")
    assert served["crmsh_py.shell"]["path"] == [str(installed.package / "shell")]


def test_the_programs_work_and_say_the_same_as_without_the_bundle(installed: Installed) -> None:
    version = installed.run("crm", "--version")
    assert (version.returncode, version.stdout) == (0, "crmsh_py 0.1.0\n"), version.stderr
    load = installed.run("crm", "configure", "load", "update", str(ROOT / "examples" / "demo.crm"))
    assert load.returncode == 0, load.stderr
    shown = installed.run("crm", "configure", "show")
    assert shown.returncode == 0 and "primitive dummy Dummy" in shown.stdout, shown.stderr
    assert installed.run("crm", "configure", "show", bundle=False).stdout == shown.stdout
    module = installed.run("python", "-m", "crmsh_py.cli", "--version")
    assert (module.returncode, module.stdout) == (0, "crmsh_py 0.1.0\n"), module.stderr


def _imported(installed: Installed, *argv: str) -> set[str]:
    """The modules a run of an installed command imports (``PYTHONPROFILEIMPORTTIME``'s list)."""
    env = dict(installed.env(), PYTHONPROFILEIMPORTTIME="1")
    done = subprocess.run([str(installed.venv / "bin" / argv[0]), *argv[1:]], capture_output=True, text=True,
                          env=env, cwd=installed.work, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_the_commands_are_plain_scripts_that_load_no_regular_expressions(installed: Installed) -> None:
    from crmsh_py.scripts import COMMANDS

    for name in COMMANDS:
        first = (installed.venv / "bin" / name).read_text().splitlines()[0]
        assert first == f"#!{installed.venv / 'bin' / 'python'}" or first.startswith(f"#!{installed.venv}/bin/python"), first
    assert installed.run("crm", "configure", "load", "update", str(ROOT / "examples" / "demo.crm")).returncode == 0
    for argv in (["crm", "--version"], ["crm", "configure", "show"], ["crm", "status"]):
        imported = _imported(installed, *argv)
        assert "crmsh_py.cli" in imported  # the profile did list the command's imports
        # pip's entry-point wrapper would import re first; xmltree keeps ElementTree (and re) away
        assert not imported & {"re", "enum", "xml.etree.ElementTree"}, argv


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"the shared Pacemaker suite is not at {SUITE}")
def test_crm_simulate_gives_the_same_transition_with_and_without_the_bundle(installed: Installed) -> None:
    case = str(SUITE / "11-a-then-bm-b-move-a-clone-starting.xml")
    served = installed.run("crm_simulate", "-S", "-x", case)
    assert served.returncode == 0 and "Transition Summary" in served.stdout, served.stderr
    assert installed.run("crm_simulate", "-S", "-x", case, bundle=False).stdout == served.stdout


def test_an_edit_to_an_installed_module_is_what_runs(installed: Installed) -> None:
    errors = installed.package / "errors.py"
    code = "import crmsh_py.errors as e; print(type(e.__loader__).__name__, getattr(e, 'EDITED', None))"
    with kept(errors) as original:
        errors.write_bytes(original + b"\nEDITED = 'by an admin'\n")
        assert installed.python(code).stdout == "SourceFileLoader by an admin\n"
    # the original back, as it was sealed: served from the bundle again
    assert installed.python(code).stdout == "BundleFinder None\n"


def test_a_truncated_bundle_is_not_used(installed: Installed) -> None:
    with kept(installed.package / "_bundle.bin") as original:
        (installed.package / "_bundle.bin").write_bytes(original[:len(original) // 2])
        found = probe(installed)
        assert {attributes["loader"] for attributes in found.values()} == {"SourceFileLoader"}
        assert installed.run("crm", "--version").stdout == "crmsh_py 0.1.0\n"


def test_a_traceback_names_the_installed_file_and_line(installed: Installed) -> None:
    code = "import crmsh_py.lang as lang\nlang.parse(5)\n"
    served, normal = installed.python(code), installed.python(code, bundle=False)
    assert served.returncode == 1 and served.stderr == normal.stderr
    assert f'File "{installed.package / "lang" / "parser.py"}", line' in served.stderr
