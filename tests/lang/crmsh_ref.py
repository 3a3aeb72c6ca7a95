"""Run the reference crmsh (Debian's crmsh 4.4.1, /usr/sbin/crm) offline on a scratch CIB.

Used by the comparison tests and by ``golden/regenerate.py``.  The reference tools are called by
absolute path with a PATH that cannot reach our own console scripts of the same names.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CRM = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
STAGE_SEPARATOR = "\n---\n"


def available() -> bool:
    """True when the reference crmsh and cibadmin are installed."""
    return CRM.exists() and CIBADMIN.exists()


@dataclass
class CrmshResult:
    """What crmsh made of a configuration: its ``configure show`` text and the CIB XML."""

    ok: bool
    show: str
    cib_xml: str
    errors: str


def load_and_show(text: str, timeout: float = 60.0) -> CrmshResult:
    """Load ``text`` (stages separated by a ``---`` line, loaded one after another so later
    stages may refer to ids of earlier ones) into an empty CIB with ``crm -F configure load
    update`` and return ``configure show`` and the resulting CIB."""
    with tempfile.TemporaryDirectory(prefix="crmsh-ref-") as tmp:
        cib = Path(tmp) / "cib.xml"
        env = dict(os.environ, PATH="/usr/sbin:/usr/bin:/bin", TERM="dumb", NO_COLOR="1", CIB_file=str(cib))
        empty = subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, env=env, timeout=timeout)
        cib.write_text(empty.stdout)
        errors = ""
        ok = True
        for index, stage in enumerate(text.split(STAGE_SEPARATOR)):
            source = Path(tmp) / f"stage{index}.crm"
            source.write_text(stage)
            run = subprocess.run([str(CRM), "-F", "configure", "load", "update", str(source)],
                                 capture_output=True, text=True, env=env, timeout=timeout)
            if run.returncode != 0:
                ok = False
                errors += run.stderr
                break
        show = subprocess.run([str(CRM), "configure", "show"], capture_output=True, text=True, env=env, timeout=timeout)
        return CrmshResult(ok, show.stdout, cib.read_text(), errors)


def split_entries(show: str) -> list[str]:
    """Split ``configure show`` text into elements (comments stay with the element below)."""
    entries: list[str] = []
    pending: list[str] = []
    current: list[str] | None = None
    lines = show.splitlines()
    for number, line in enumerate(lines):
        continued = number > 0 and lines[number - 1].endswith("\\")
        if continued and current is not None:
            current.append(line)
            continue
        if line.startswith("#"):
            if current is not None:
                entries.append("\n".join(current))
                current = None
            pending.append(line)
            continue
        if not line.strip():
            continue
        if current is not None:
            entries.append("\n".join(current))
        current = [*pending, line]
        pending = []
    if current is not None:
        entries.append("\n".join(current))
    return entries


def configuration_section(cib_xml: str) -> str:
    """The ``<configuration>`` element of a CIB document, as text."""
    start = cib_xml.index("<configuration>")
    end = cib_xml.index("</configuration>") + len("</configuration>")
    return cib_xml[start:end]
