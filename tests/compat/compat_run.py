"""Running one case through a ``crm`` (crmsh 4.4.1's or ours) on its own CIB file, step by step.

Each run gets a fresh directory: a copy of the starting CIB (``CIB_file``), its own ``HOME``, XDG
dirs and shadow-CIB dir, so neither shell sees the other's state nor the host's.  ``crm -R`` echoes
every line it reads as ``.INP: LINE``; the output between two such lines is that command's output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from compat_cases import Case, Step

CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
SYSTEM_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
# Files a case reads from crmsh's test directory (its harness runs there), from where Debian's crmsh
# installs them; copied into each run's directory when present.
CASE_FILES: dict[str, tuple[Path, ...]] = {"history": (Path("/usr/share/crmsh/tests/history-test.tar.bz2"),)}
STEP_TIMEOUT_S = 180  # one crm invocation; crmsh's slowest block takes a few seconds
OURS = (sys.executable, "-c", "import sys; from crmsh_py.cli import main; sys.exit(main())")

# crmsh's harness (test/crm-interface: crm_setup, crm_mksample): options, then the sample CIB.
CRMSH_OPTIONS = "[core]\ncheck_frequency = on-verify\ncheck_mode = relaxed\n"
OUR_OPTIONS = "check-frequency: on-verify\ncheck-mode: relaxed\n"  # the same, where ours keeps them
SAMPLE = """configure
node node1
primitive p0 ocf:pacemaker:Dummy
primitive p1 ocf:pacemaker:Dummy
primitive p2 ocf:heartbeat:Delay params startdelay=2 mondelay=2 stopdelay=2
primitive p3 ocf:pacemaker:Dummy
primitive st stonith:null params hostlist=node1
clone c1 p1
clone m1 p2 meta promotable=true
op_defaults timeout=60s
commit
up
"""


@dataclass
class Command:
    """One command line of a case and what a shell printed for it."""

    text: str
    output: str


@dataclass
class Run:
    """Everything one shell did with one case: its commands in order and the final CIB text."""

    commands: list[Command]
    cib: str


def available() -> str:
    """Why the comparison cannot run here ("" when it can)."""
    if not CRMSH.is_file():
        return "crmsh 4.4.1 (/usr/sbin/crm) is not installed"
    if not CIBADMIN.is_file():
        return "Pacemaker's cibadmin is not installed"
    return ""


def _env(root: Path, cib: Path) -> dict[str, str]:
    """A clean environment confined to ``root``."""
    # A system PATH: crmsh runs Pacemaker's tools (and `crm report`) by name, and must find the
    # real ones, not the ones this project installs beside its own `crm`.
    env = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL")}
    env["PATH"] = SYSTEM_PATH
    home = root / "home"
    for sub in ("config/crm", "state", "cache", "shadow"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "config" / "crm" / "crm.conf").write_text(CRMSH_OPTIONS, encoding="utf-8")
    (home / "config" / "crmsh_py").mkdir(parents=True, exist_ok=True)
    (home / "config" / "crmsh_py" / "options.yaml").write_text(OUR_OPTIONS, encoding="utf-8")
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"), CIB_shadow_dir=str(home / "shadow"),
               CRM_CLUSTER_DIR=str(home / "state" / "cluster"), CRM_SYSLOG_SOCKET=str(home / "no-syslog"),
               CIB_file=str(cib), PYTHONUNBUFFERED="1", NO_COLOR="1", TERM="dumb", PAGER="cat",
               LC_ALL=env.get("LC_ALL", "C.UTF-8"))
    return env


def _crm(program: tuple[str, ...], args: list[str], stdin: str, env: dict[str, str], cwd: Path) -> str:
    """Run one ``crm`` with stdout and stderr merged, as crmsh's harness records them."""
    try:
        proc = subprocess.run([*program, *args], input=stdin, env=env, cwd=cwd, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=STEP_TIMEOUT_S, errors="replace", check=False)
    except subprocess.TimeoutExpired as error:
        out = error.stdout or ""
        return (out if isinstance(out, str) else out.decode(errors="replace")) + "\n<timed out>\n"
    return proc.stdout


def split_inputs(step: Step, output: str) -> list[Command]:
    """The output of one step cut into its commands (``.INP:`` lines mark where each starts)."""
    if step.kind == "single":
        return [Command(" ".join(step.words), output)]
    commands: list[Command] = []
    prelude: list[str] = []
    for line in output.splitlines():
        if line.startswith(".INP:"):
            commands.append(Command(line[5:].strip(), ""))
        elif commands:
            commands[-1].output += line + "\n"
        else:
            prelude.append(line)
    if commands and prelude:
        commands[0].output = "\n".join(prelude) + "\n" + commands[0].output
    # Lines the shell never echoed (it stopped early) still count, with no output.
    echoed = len(commands)
    for text in step.stdin().splitlines()[echoed:]:
        commands.append(Command(text, "<not read>\n" if not commands else ""))
    if not commands:
        commands.append(Command("<no input>", output))
    return commands


def missing_files(case: str) -> list[Path]:
    """The files ``case`` reads that are not installed here."""
    return [path for path in CASE_FILES.get(case, ()) if not path.is_file()]


def _hook(case: Case, which: str, program: tuple[str, ...], env: dict[str, str], root: Path) -> None:
    """crmsh's harness runs ``CASE.pre``/``CASE.post`` in its directory, output discarded; here they
    run in the case's directory with the shell under test as ``crm``."""
    if case.folder is None or not (case.folder / f"{case.name}.{which}").is_file():
        return
    bin_dir = root / "bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "crm"
    wrapper.write_text("#!/bin/sh\nexec " + " ".join(f"'{word}'" for word in program) + ' "$@"\n',
                       encoding="utf-8")
    wrapper.chmod(0o755)
    script = case.folder / f"{case.name}.{which}"
    subprocess.run(["/bin/sh", str(script)], env={**env, "PATH": f"{bin_dir}:{SYSTEM_PATH}"}, cwd=root,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=STEP_TIMEOUT_S, check=False)


def run_case(case: Case, program: tuple[str, ...], start_cib: Path) -> Run:
    """Run every step of ``case`` through ``program`` on a private copy of ``start_cib``."""
    with tempfile.TemporaryDirectory(prefix=f"compat-{case.name}-") as tmp:
        root = Path(tmp)
        cib = root / "cib.xml"
        shutil.copyfile(start_cib, cib)
        env = _env(root, cib)
        for path in CASE_FILES.get(case.name, ()):
            if path.is_file():
                shutil.copyfile(path, root / path.name)
        _hook(case, "pre", program, env, root)
        commands: list[Command] = []
        for step in case.steps:
            step_env = env
            if step.kind == "filesession":  # crmsh: a throw-away copy of the CIB
                scratch = root / "filesession.xml"
                shutil.copyfile(cib, scratch)
                step_env = {**env, "CIB_file": str(scratch)}
            args = ["-R", *step.words]
            output = _crm(program, args, step.stdin(), step_env, root)
            commands.extend(split_inputs(step, output.replace(tmp, "/TMP")))
        _hook(case, "post", program, env, root)
        return Run(commands, cib.read_text(encoding="utf-8", errors="replace"))


def make_start_cib(folder: Path) -> Path:
    """crmsh's sample CIB (crm_mksample), built once by crmsh on an empty CIB; returns its path."""
    cib = folder / "start-cib.xml"
    if cib.is_file():
        return cib
    empty = subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout
    cib.write_text(empty, encoding="utf-8")
    env = _env(folder, cib)
    subprocess.run([str(CRMSH)], input=SAMPLE, env=env, cwd=folder, capture_output=True, text=True,
                   timeout=STEP_TIMEOUT_S, check=False)
    return cib


def _crmsh_version() -> str:
    try:
        return subprocess.run([str(CRMSH), "--version"], capture_output=True, text=True, timeout=60,
                              check=False).stdout.strip()
    except OSError:
        return "unknown"


def reference_run(case: Case, start_cib: Path, cache_dir: Path | None) -> Run:
    """crmsh's run of ``case``; kept in ``cache_dir`` (keyed by the case, sample and crmsh version)."""
    if cache_dir is None:
        return run_case(case, (str(CRMSH),), start_cib)
    key = hashlib.sha256(repr((case, start_cib.read_text(encoding="utf-8"), _crmsh_version(),
                               SYSTEM_PATH)).encode())
    path = cache_dir / f"{case.name}-{key.hexdigest()[:16]}.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return Run([Command(**c) for c in data["commands"]], data["cib"])
    run = run_case(case, (str(CRMSH),), start_cib)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"commands": [vars(c) for c in run.commands], "cib": run.cib}), encoding="utf-8")
    return run
