"""Running scenario command lines through crmsh 4.4.1 or our shell on a CIB file, and comparing CIBs."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from levels_scenarios import normalise

CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"  # never our console scripts of the same names
TIMEOUT_S = 60


@dataclass
class Step:
    """One command line and what came of it (normalised)."""

    cmd: str
    rc: int
    out: list[str]
    err: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"cmd": self.cmd, "rc": self.rc, "out": self.out, "err": self.err}


def environment(cib: Path, home: Path) -> dict[str, str]:
    """A clean environment: the CIB file, a scratch home, no terminal."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": SYSTEM_PATH, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_STATE_HOME": str(home / ".state"), "CIB_file": str(cib), "TERM": "dumb",
            "LANG": "C.UTF-8", "CRM_SYSLOG_SOCKET": str(home / "no-syslog")}


def run_crmsh(line: str, env: dict[str, str]) -> Step:
    """``line`` through crmsh 4.4.1."""
    done = subprocess.run([str(CRMSH), *shlex.split(line)], capture_output=True, text=True, env=env,
                          timeout=TIMEOUT_S, check=False)
    return Step(line, done.returncode, normalise(done.stdout), normalise(done.stderr))


def run_ours(line: str, env: dict[str, str], backend: str) -> Step:
    """``line`` through our shell with ``backend`` (``pacemaker``: Pacemaker's tools on the file;
    ``bundled``: our own low-level tools on the same file)."""
    full = dict(env, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", "--backend", backend, *shlex.split(line)],
                          capture_output=True, text=True, env=full, timeout=TIMEOUT_S, check=False, cwd=ROOT)
    return Step(line, done.returncode, normalise(done.stdout), normalise(done.stderr))


def _canonical(element: ET.Element) -> object:
    """A comparable form of an element: attributes as a dict; children grouped by tag (the order
    between a group's meta_attributes and its members means nothing to Pacemaker, and crmsh's
    patch places them either way), order kept within a tag (members, ops, nvpairs)."""
    children = sorted(list(element), key=lambda c: c.tag)  # stable: keeps order within a tag
    return (element.tag, sorted(element.attrib.items()), [_canonical(c) for c in children])


def configuration(cib_text: str) -> object:
    """The canonical form of a CIB's ``<configuration>``."""
    conf = ET.fromstring(cib_text).find("configuration")
    assert conf is not None
    return _canonical(conf)


def configuration_xml(cib_text: str) -> str:
    """A CIB's ``<configuration>`` as indented XML (what the golden file stores)."""
    conf = ET.fromstring(cib_text).find("configuration")
    assert conf is not None
    ET.indent(conf)
    return ET.tostring(conf, encoding="unicode")


def load_golden(name: str) -> dict[str, object]:
    """A recorded scenario."""
    return json.loads((GOLDEN / f"{name}.json").read_text())
