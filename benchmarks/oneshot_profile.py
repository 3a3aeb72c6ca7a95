"""Where a one-shot's time goes: the top entries of ``python -X importtime`` (self time per module)
and of ``cProfile`` (self time per function), so that a regression in the one-shot table shows
where it came from.

Run: python benchmarks/oneshot_profile.py crm configure show
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path


def import_profile(argv: Sequence[str], env: Mapping[str, str], top: int = 10, runs: int = 3) -> list[str]:
    """The ``top`` modules by self import time (µs) of the console script ``argv``, each module's
    least time over ``runs`` runs (one run on a shared machine mostly shows who was preempted),
    with the total import time and the number of modules imported."""
    best: dict[str, tuple[int, int]] = {}
    for _run in range(max(runs, 1)):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _VISIBLE_IMPORTS, *argv], env=dict(env),
                              capture_output=True, text=True, check=False)
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            _label, self_text, cumulative_text, module = _fields(line)
            module = module.strip()
            seen = best.get(module)
            if seen is None or int(self_text) < seen[0]:
                best[module] = (int(self_text), int(cumulative_text))
    rows = [(own, cumulative, module) for module, (own, cumulative) in best.items()]
    total = sum(row[0] for row in rows)
    lines = [f"  imports: {len(rows)} modules, {total / 1000:.1f} ms self time in all (least of {runs} runs each); "
             f"top {top} by self time:"]
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"    {self_us / 1000:7.2f} ms  (cumulative {cumulative_us / 1000:7.2f})  {name}")
    return lines


# -X importtime lists only imports made through the interpreter's own import path (import
# statements, __import__): crmsh_py imports its levels, tools and actions by name with __import__
# (tests/shell/test_oneshot_imports.py checks that importlib is not loaded), so every module shows.
# The console script is run as the interpreter runs a script, without runpy (which would import
# modules of its own into the profile).
_VISIBLE_IMPORTS = """\
import sys
sys.argv = sys.argv[1:]
with open(sys.argv[0], encoding="utf-8") as _script:  # as the interpreter runs a script (runpy would
    _code = compile(_script.read(), sys.argv[0], "exec")  # import typing & co. of its own)
exec(_code, {"__name__": "__main__", "__file__": sys.argv[0], "__builtins__": __builtins__})
"""


def _fields(line: str) -> tuple[str, str, str, str]:
    """``import time:  self |  cumulative | name`` -> its parts."""
    head, cumulative, name = line.split("|", 2)
    return "", head.replace("import time:", "").strip(), cumulative.strip(), name


# ``python -m cProfile -o FILE`` writes FILE when the script returns; a console script of ours ends
# with os._exit (crmsh_py.process_exit: no interpreter teardown), so the profile is written on
# the way out instead.
_PROFILED = """\
import cProfile, os, sys
_out, sys.argv = sys.argv[1], sys.argv[2:]
_profile, _exit = cProfile.Profile(), os._exit
def _written(code):
    _profile.disable()
    _profile.dump_stats(_out)
    _exit(code)
os._exit = _written
with open(sys.argv[0], encoding="utf-8") as _script:
    _code = compile(_script.read(), sys.argv[0], "exec")
_profile.enable()
try:
    exec(_code, {"__name__": "__main__", "__file__": sys.argv[0], "__builtins__": __builtins__})
finally:
    _profile.disable()
    _profile.dump_stats(_out)
"""


def function_profile(argv: Sequence[str], env: Mapping[str, str], top: int = 10) -> list[str]:
    """The ``top`` functions by self time (cProfile) of one run of the console script ``argv``."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as work:
        out = os.path.join(work, "profile")
        script = str(argv[0])
        subprocess.run([sys.executable, "-c", _PROFILED, out, script, *argv[1:]], env=dict(env),
                       capture_output=True, text=True, check=False)
        if not os.path.exists(out):
            return ["  (no profile)"]
        stats = pstats.Stats(out)
        entries = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
        total = stats.total_tt  # type: ignore[attr-defined]
        lines = [f"  functions: {total * 1000:.1f} ms in all (under cProfile); top {top} by self time:"]
        for (filename, lineno, function), (_cc, calls, self_s, _cum, _callers) in entries[:top]:
            where = _short(filename)
            lines.append(f"    {self_s * 1000:7.2f} ms  {calls:6d} calls  {where}:{lineno}({function})")
        return lines


def _short(filename: str) -> str:
    """A path shortened to what identifies it (package-relative, or the stdlib module)."""
    if filename.startswith("<"):
        return filename
    parts = Path(filename).parts
    for anchor in ("crmsh_py", "site-packages"):
        if anchor in parts:
            index = parts.index(anchor)
            return "/".join(parts[index + (1 if anchor == "site-packages" else 0):])
    return "/".join(parts[-2:])


def main() -> int:
    """Print both profiles of the console script named on the command line."""
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    argv = [os.path.join(os.path.dirname(sys.executable), sys.argv[1]), *sys.argv[2:]]
    env = dict(os.environ)
    print("\n".join(import_profile(argv, env) + function_profile(argv, env)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
