"""The build steps pyproject.toml cannot express: the precompiled module bundle (crmsh_py.bundle),
and the commands as the plain scripts of bin/ (crmsh_py/scripts.py says why).

Everything else about the package is declared in pyproject.toml.
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithBundle(build_py):
    """build_py, then compile the built package into crmsh_py/_bundle.bin (never in the source
    tree, never for an editable install: there the normal import system must run)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        try:
            from crmsh_py.bundle_build import build
        finally:
            sys.path.pop(0)
        built = build(os.path.join(os.path.abspath(self.build_lib), "crmsh_py"))
        self.announce(f"wrote the module bundle {built}", level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """The built files, the bundle among them."""
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs.append(os.path.join(self.build_lib, "crmsh_py", "_bundle.bin"))
        return outputs


HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = sorted(f"bin/{name}" for name in os.listdir(os.path.join(HERE, "bin")))

setup(cmdclass={"build_py": BuildWithBundle}, scripts=SCRIPTS)
