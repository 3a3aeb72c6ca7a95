"""Record the crmsh 4.4.1 goldens of the level scenarios (``golden/NAME.json``).

Run from the checkout, with Debian's crmsh 4.4.1 and pacemaker-cli-utils installed::

    python tests/compat_levels/record.py            # every scenario
    python tests/compat_levels/record.py node trace # some

Each golden holds the starting CIB (an empty CIB with the scenario's setup loaded by crmsh), every
command's exit code and normalised stdout/stderr as crmsh 4.4.1 printed them, and the final
``<configuration>``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from levels_run import CIBADMIN, CRMSH, GOLDEN, configuration_xml, environment, run_crmsh  # noqa: E402
from levels_scenarios import SCENARIOS  # noqa: E402


def record(name: str) -> None:
    scenario = SCENARIOS[name]
    with tempfile.TemporaryDirectory(prefix="crmsh-levels-") as tmp:
        cib = Path(tmp) / "cib.xml"
        env = environment(cib, Path(tmp) / "home")
        cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, env=env,
                                      check=True).stdout)
        setup = Path(tmp) / "setup.crm"
        setup.write_text(scenario.setup)
        loaded = subprocess.run([str(CRMSH), "-F", "configure", "load", "update", str(setup)],
                                capture_output=True, text=True, env=env, check=False)
        if loaded.returncode != 0:
            raise SystemExit(f"{name}: crmsh could not load the setup:\n{loaded.stderr}")
        start = cib.read_text()
        steps = [run_crmsh(line, env).as_dict() for line in scenario.commands]
        golden = {"recorded_from": "crmsh 4.4.1 (/usr/sbin/crm, Debian 12) by tests/compat_levels/record.py",
                  "start": start, "steps": steps, "final": configuration_xml(cib.read_text())}
    (GOLDEN / f"{name}.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(f"{name}: {len(steps)} commands recorded")


if __name__ == "__main__":
    for scenario_name in sys.argv[1:] or sorted(SCENARIOS):
        record(scenario_name)
