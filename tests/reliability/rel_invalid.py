"""Invalid configuration must be refused by ``crm configure load update`` (issue 13, item 9).

Each probe loads one bad file into a fresh bundled cluster and checks: exit code 1, an ``ERROR:``
message naming the problem, no traceback, the CIB's configuration unchanged, within a time bound.
Shared by tests/reliability/test_invalid_config.py (bounded sizes) and
benchmarks/bench_reliability.py (the full 10 MB line).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import rel_common

PRELUDE = "primitive d ocf:heartbeat:Dummy\n"
# name → (bad line, a word the error message must contain)
PROBES: dict[str, tuple[str, str]] = {
    "id starting with a digit": ("primitive 1bad ocf:heartbeat:Dummy", "not a valid id"),
    "id with markup": ('xml <primitive id="xi2&quot;&gt;&lt;x" class="ocf" provider="heartbeat" type="Dummy"/>',
                       "not a valid id"),
    "id with a non-name character": ("primitive ü✓资源 ocf:heartbeat:Dummy", "not a valid id"),
    "score overflow": ("location l1 d 99999999999999999999999999: srv01", "out of range"),
    "unknown agent": ("primitive n1 ocf:heartbeat:NoSuchAgent", "does this RA exist"),
    "path traversal in an agent": ("primitive n2 ocf:heartbeat:../../../../bin/sh", "invalid resource agent"),
    "traversal in a provider": ("primitive n3 ocf:../../bin:sh", "invalid resource agent"),
    "parenthesised rule": ("location l2 d rule 100: ((((#uname eq srv01))))", "parentheses"),
}
LINE_LIMIT_WORD = "the limit is"


@dataclass
class Figures:
    """What the probes found: one finding per probe that was not refused cleanly."""

    probes: int = 0
    findings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _configuration(cluster: Path) -> str:
    root = ET.parse(cluster / "cib.xml").getroot()
    config = root.find("configuration")
    return ET.tostring(config, encoding="unicode") if config is not None else ""


def probe(work: Path, name: str, text: str, must_say: str, bound_s: float) -> str:
    """Load ``text`` (after a good prelude) into a fresh cluster; "" when refused cleanly, else why not."""
    cluster = rel_common.new_cluster(work / "cluster")
    env = rel_common.base_env(cluster)
    before = _configuration(cluster)
    path = work / "bad.crm"
    path.write_text(PRELUDE + text + "\n", encoding="utf-8")
    start = time.monotonic()
    got = rel_common.run_crm(["configure", "load", "update", str(path)], env)
    took = time.monotonic() - start
    problems = []
    if got.rc != 1:
        problems.append(f"exit {got.rc}")
    if "Traceback" in got.err or "internal error" in got.err:
        problems.append("traceback")
    if must_say not in got.err:
        problems.append(f"message lacks {must_say!r}: {got.err.strip()[:200]!r}")
    if _configuration(cluster) != before:
        problems.append("the CIB changed")
    if took > bound_s:
        problems.append(f"took {took:.1f}s (bound {bound_s:.0f}s)")
    return f"{name}: {', '.join(problems)}" if problems else ""


def run_all(work: Path, long_line_bytes: int, bound_s: float) -> Figures:
    """Every probe, plus one line of ``long_line_bytes`` characters."""
    figures = Figures()
    cases = dict(PROBES)
    cases[f"{long_line_bytes:,}-character line"] = (
        'primitive big ocf:heartbeat:Dummy params fake="' + "A" * long_line_bytes + '"', LINE_LIMIT_WORD)
    for i, (name, (text, must_say)) in enumerate(cases.items()):
        start = time.monotonic()
        finding = probe(work / f"p{i}", name, text, must_say, bound_s)
        figures.seconds[name] = time.monotonic() - start
        figures.probes += 1
        if finding:
            figures.findings.append(finding)
    return figures
