"""Run a benchmark against crmsh_py as a user installs it: ``pip install .`` into a fresh venv.

Run: python benchmarks/installed.py [--python /usr/bin/python3] bench_oneshot.py [its options...]

A development checkout runs an editable install in whatever interpreter is at hand; start-up figures
taken there measure the editable finder (a meta-path hook every import goes through) and every
``.pth`` file of that interpreter's site-packages as much as crmsh_py.  This script builds a venv
from ``--python`` (default: this interpreter), installs the current tree into it the regular way
(pip byte-compiles the modules), runs the named script of ``benchmarks/`` with the venv's python, so
its ``bin_path`` finds the venv's console scripts and its floor is ``python -I -c pass`` of the
same venv, and deletes the venv afterwards (``--keep`` leaves it).  Nothing is reused between runs:
each run installs the tree as it is now.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def build_venv(python: str, where: Path) -> Path:
    """A venv at ``where`` made by ``python`` with the current tree installed (not editable);
    returns its python."""
    subprocess.run([python, "-m", "venv", str(where)], check=True)
    venv_python = where / "bin" / "python"
    subprocess.run([str(venv_python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True, stdout=subprocess.DEVNULL)
    # the first process after an install seals the module bundle (crmsh_py/bundle.py): do it here,
    # so that every timed run is one a user gets from then on
    subprocess.run([str(venv_python), "-c", "import crmsh_py"], check=True, cwd=where)
    return venv_python


def main() -> int:
    """Build the venv, run the benchmark in it, return its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter to build the venv from (default: this one)")
    parser.add_argument("--keep", action="store_true", help="leave the venv and print where it is")
    parser.add_argument("script", help="a benchmark of benchmarks/, e.g. bench_oneshot.py")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the benchmark's own options")
    options = parser.parse_args()
    script = HERE / options.script
    if not script.is_file():
        parser.error(f"no benchmark {options.script!r} in {HERE}")
    where = Path(tempfile.mkdtemp(prefix="crmsh-py-venv-"))
    try:
        venv_python = build_venv(options.python, where / "venv")
        version, finder = subprocess.run(
            [str(venv_python), "-c", "import sys, crmsh_py; print(sys.version.split()[0], type(sys.meta_path[0]).__name__)"],
            capture_output=True, text=True, check=True, cwd=where).stdout.split()
        bundle = "in use" if finder == "BundleFinder" else "not in use"
        print(f"crmsh_py installed with pip install . in a fresh venv of {options.python} (Python {version}); "
              f"module bundle {bundle}", flush=True)
        return subprocess.run([str(venv_python), str(script), *options.args], check=False).returncode
    except subprocess.CalledProcessError as error:
        print(f"installed.py: building the venv failed: {error}", file=sys.stderr)
        return 1
    finally:
        if options.keep:
            print(f"venv kept in {where / 'venv'}")
        else:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
