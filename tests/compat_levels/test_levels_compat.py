"""Our shell against crmsh 4.4.1 on the levels other than configure (goldens recorded from crmsh).

Every scenario of ``levels_scenarios.py`` runs through our ``crm`` on a copy of the recorded
starting CIB file, once with Pacemaker's own tools on the file and once with our bundled tools on
it.  Each command must give crmsh's exit code, stderr lines, ``.EXT`` lines (in order) and other
stdout lines (in order; crmsh prints a tool's output before its own buffered ``.EXT`` line, so the
two kinds are compared separately); the final configuration must be crmsh's.  Regenerate the
goldens with ``python tests/compat_levels/record.py`` (needs crmsh 4.4.1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from levels_run import CIBADMIN, Step, configuration, environment, load_golden, run_ours
from levels_scenarios import SCENARIOS, UNORDERED

BACKENDS = ("pacemaker", "bundled")


def _kinds(step: Step | dict[str, object]) -> dict[str, list[str]]:
    """A step's output by kind.  crmsh logs INFO and WARNING to stdout when it is not a terminal,
    we to stderr (stdout stays the command's answer): those lines are compared whatever the
    stream.  crmsh prints a tool's output before its own buffered ``.EXT`` line, so ``.EXT`` lines
    and the other stdout lines are compared apart, each in order."""
    out = list(step.out if isinstance(step, Step) else step["out"])  # type: ignore[arg-type]
    err = list(step.err if isinstance(step, Step) else step["err"])  # type: ignore[arg-type]
    logged = ("INFO: ", "WARNING: ")
    return {
        ".EXT lines": [line for line in out if line.startswith(".EXT ")],
        "INFO/WARNING": [line for line in out + err if line.startswith(logged)],
        "stdout": [line for line in out if not line.startswith((".EXT ", *logged))],
        "stderr": [line for line in err if not line.startswith(logged)],
    }


def _mismatch(ours: Step, theirs: dict[str, object]) -> str | None:
    if ours.rc != theirs["rc"]:
        return f"exit code {ours.rc}, crmsh {theirs['rc']}"
    mine, reference = _kinds(ours), _kinds(theirs)
    if any(str(theirs["cmd"]).lstrip("-FwR ").startswith(u) for u in UNORDERED):
        mine["stdout"], reference["stdout"] = sorted(mine["stdout"]), sorted(reference["stdout"])
    for kind, lines in mine.items():
        if lines != reference[kind]:
            return f"{kind} {lines!r}, crmsh {reference[kind]!r}"
    return None


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_crmsh(name: str, backend: str, tmp_path: Path) -> None:
    if backend == "pacemaker" and not CIBADMIN.exists():
        pytest.skip("Pacemaker's tools are not installed (apt-get install pacemaker-cli-utils)")
    scenario = SCENARIOS[name]
    golden = load_golden(name)
    steps = golden["steps"]
    assert [s["cmd"] for s in steps] == list(scenario.commands), "golden out of date: run record.py"
    cib = tmp_path / "cib.xml"
    cib.write_text(str(golden["start"]))
    env = environment(cib, tmp_path / "home")
    problems = []
    for theirs in steps:
        ours = run_ours(str(theirs["cmd"]), env, backend)
        if theirs["cmd"] in scenario.differs:
            continue
        problem = _mismatch(ours, theirs)
        if problem:
            problems.append(f"{theirs['cmd']}: {problem}")
    assert problems == [], "\n".join(problems)
    assert configuration(cib.read_text()) == configuration(f"<cib>{golden['final']}</cib>")
