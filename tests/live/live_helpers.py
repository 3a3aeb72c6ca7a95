"""Running our ``crm`` and crmsh 4.4.1 (``/usr/sbin/crm``) side by side on the live cluster.

Both see the same environment: no ``CIB_file``, detection on, and our console scripts first on
``PATH`` (as on an admin's machine where crmsh_py is installed next to crmsh), so crmsh reaches
Pacemaker through our tools' hand-over.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

CRMSH = Path("/usr/sbin/crm")
SBIN = Path("/usr/sbin")
TIMEOUT_S = 120
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\([A-Z]")


@dataclass
class Ran:
    """One command's exit code and output (ANSI colours removed)."""

    rc: int
    out: str
    err: str


def our_bindir() -> str | None:
    """The directory holding our console scripts (crm_mon, crmadmin, ...), or None."""
    found = shutil.which("crm_mon", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                          os.environ.get("PATH", "")]))
    if found is None or Path(found).parent == SBIN:
        return None
    return str(Path(found).parent)


def live_env(home: Path) -> dict[str, str]:
    """The environment an admin's shell would have on the node (nothing pointing elsewhere)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CRM_DETECT", "CIB_file", "CIB_shadow", "CRM_CLUSTER_DIR", "CRM_BACKEND", "CRM_HOST")}
    bindir = our_bindir()
    if bindir:
        env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "/usr/bin:/bin")])
    env["XDG_STATE_HOME"] = str(home / "state")
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["HOME"] = str(home)
    env["NO_COLOR"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    return env


def _run(argv: list[str], env: dict[str, str], stdin: str | None = None) -> Ran:
    try:
        done = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired:
        return Ran(124, "", f"{argv[0]}: timed out after {TIMEOUT_S}s")
    return Ran(done.returncode, _ANSI.sub("", done.stdout), _ANSI.sub("", done.stderr))


def ours(env: dict[str, str], *args: str, stdin: str | None = None) -> Ran:
    """Our ``crm`` with ``args``."""
    return _run([sys.executable, "-m", "crmsh_py.cli", *args], env, stdin)


def crmsh(env: dict[str, str], *args: str, stdin: str | None = None) -> Ran:
    """crmsh 4.4.1 with ``args``."""
    return _run([str(CRMSH), *args], env, stdin)


def tool(env: dict[str, str], *argv: str) -> Ran:
    """One of Pacemaker's own tools, by full path."""
    return _run([str(SBIN / argv[0]), *argv[1:]], env)


def cib(env: dict[str, str]) -> ET.Element:
    """The live CIB."""
    done = tool(env, "cibadmin", "-Q")
    assert done.rc == 0, done.err
    return ET.fromstring(done.out)


def status_lines(text: str) -> list[str]:
    """crm_mon text without what differs from one second to the next or between shells: clock
    lines, our ``Backend:`` header, trailing blank lines."""
    lines = [line.rstrip() for line in text.splitlines()
             if "last updated" not in line.lower() and not line.startswith("Backend: ")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def element_xml(element: ET.Element | None, rename: tuple[str, str] | None = None) -> str:
    """An element's XML, optionally with one id renamed everywhere (to compare twins)."""
    assert element is not None
    text = ET.tostring(element, encoding="unicode")
    text = re.sub(r">\s+<", "><", text).strip()
    if rename:
        text = text.replace(rename[0], rename[1])
    return text


def wait_for(predicate, timeout: float, what: str, step: float = 0.5) -> None:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until true; AssertionError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def locate(env: dict[str, str], rsc: str) -> str:
    """``crm_resource --locate`` of Pacemaker's own: where ``rsc`` runs (text)."""
    done = tool(env, "crm_resource", "--locate", "-r", rsc)
    return done.out + done.err


def running(env: dict[str, str], rsc: str) -> bool:
    """True when Pacemaker says ``rsc`` runs somewhere."""
    said = locate(env, rsc)
    return "is running" in said and "NOT" not in said


def reset(env: dict[str, str], settle) -> None:  # type: ignore[no-untyped-def]
    """Back to an empty configuration: resources stopped and gone, constraints gone, node online,
    failures cleaned up (bounded waits)."""
    root = cib(env)
    dirty = (list(root.find("configuration/resources") or ()) or list(root.find("configuration/constraints") or ())
             or root.find("configuration/nodes//nvpair[@name='standby'][@value='on']") is not None
             or root.find("status//lrm_resource") is not None)
    if not dirty:
        return
    for rsc in root.findall("configuration/resources/*"):
        tool(env, "crm_resource", "--meta", "-r", rsc.get("id", ""), "-p", "target-role", "-v", "Stopped")
    tool(env, "crm_attribute", "-t", "nodes", "-N", os.uname().nodename, "-n", "standby", "-v", "off")
    settle()
    tool(env, "cibadmin", "--replace", "-o", "constraints", "--xml-text", "<constraints/>")
    tool(env, "cibadmin", "--replace", "-o", "resources", "--xml-text", "<resources/>")
    settle()
    tool(env, "crm_resource", "--cleanup")
    settle()
