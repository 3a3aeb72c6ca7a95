"""Differential testing of generated inputs (``compat_variants.py``) against crmsh 4.4.1.

Every variant runs through crmsh (``/usr/sbin/crm``) and through our shell, each on its own copy of
crmsh's sample CIB, in the same clean environment as the shared cases (``compat_run._env``).  For
each invocation the exit code, standard output and standard error are compared after the shared
normalisation (``compat_suite.normalise``), then the final configuration (``canonical_cib``).

    python tests/compat/fuzz.py --seed 1 --count 150 -j 2        # figures and differing variants
    python tests/compat/fuzz.py --seed 1 --count 120 --extra 0   # without the regression-case kinds
    python tests/compat/fuzz.py --seed 1 --count 150 --diff      # and each difference
    python tests/compat/fuzz.py --record                          # rewrite the suite's golden file

``CRM_COMPAT_CACHE=DIR`` keeps crmsh's runs between invocations (crmsh takes ~1 s a command).
The suite's bounded test (``test_compat_variants.py``) compares ours with crmsh's runs recorded in
``golden/variants.json`` (``--record``), so it costs only our own runs.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compat_run import CRMSH, OURS, STEP_TIMEOUT_S, _env, available, make_start_cib  # noqa: E402
import compat_suite  # noqa: E402
from compat_suite import canonical_cib, exclusions, has_traceback, normalise  # noqa: E402
from compat_variants import Invocation, Variant, generate  # noqa: E402

GOLDEN = HERE / "golden" / "variants.json"
EXPECTED = HERE / "variant-differences.txt"
SUITE_SEED = 12
SUITE_COUNT = 36


LOGGED = ("INFO: ", "WARNING: ")


@dataclass
class Outcome:
    """What one invocation did: exit code and normalised output streams.

    crmsh logs INFO and WARNING to stdout when not on a terminal, ours to stderr (stdout stays the
    command's answer; see tests/compat_levels): those lines are kept apart in ``logged`` whatever
    their stream, in order, and ``out``/``err`` hold the rest."""

    rc: int
    out: list[str]
    err: list[str]
    logged: list[str]
    traceback: bool = False


@dataclass
class VariantRun:
    """Every invocation's outcome and the final configuration."""

    outcomes: list[Outcome]
    cib: list[str]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# crmsh numbers a batch's messages only in regression mode (-R); ours always names the line
# (``ERROR: <stdin>:5: ...``): more help for the user, so the number is set aside.
_LINENO = re.compile(r"^(ERROR|WARNING|INFO): (?:<stdin>:)?\d+: ", re.M)


# a schema complaint names the line of the XML crm_verify read (``primitive (9): ...``): each
# shell lays that XML out its own way, so the number is set aside
_XML_LINE = re.compile(r"^(ERROR|WARNING): +(\w+) \(\d+\): ", re.M)


def clean(text: str, tmp: str) -> str:
    """Colours, line numbers and the run's directory out of one stream."""
    text = _LINENO.sub(r"\1: ", _ANSI.sub("", text.replace(tmp, "/TMP") if tmp else text))
    return _XML_LINE.sub(r"\1: \2 (N): ", text)


def outcome(rc: int, stdout: str, stderr: str) -> Outcome:
    """The comparable form of one invocation's raw result."""
    out, err = clean(stdout, ""), clean(stderr, "")
    excluded = exclusions("")
    lines_out, lines_err = normalise(out, excluded), normalise(err, excluded)
    logged = [line for line in lines_out + lines_err if line.startswith(LOGGED)]
    return Outcome(rc, [line for line in lines_out if not line.startswith(LOGGED)],
                   [line for line in lines_err if not line.startswith(LOGGED)], logged,
                   has_traceback(out + err))


def _invoke(program: tuple[str, ...], inv: Invocation, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """One raw run: exit code, stdout, stderr (the run's directory written as /TMP)."""
    full = {**env, **dict(inv.env)}
    try:
        proc = subprocess.run([*program, *inv.args], input=inv.stdin, env=full, cwd=cwd, text=True,
                              capture_output=True, timeout=STEP_TIMEOUT_S, errors="replace", check=False)
    except subprocess.TimeoutExpired:
        return -1, "<timed out>\n", ""
    tmp = str(cwd)
    return proc.returncode, proc.stdout.replace(tmp, "/TMP"), proc.stderr.replace(tmp, "/TMP")


@dataclass
class RawRun:
    """Every invocation's raw result and the final CIB text."""

    results: list[tuple[int, str, str]]
    cib: str

    def compared(self) -> VariantRun:
        return VariantRun([outcome(*r) for r in self.results], canonical_cib(self.cib))


def run_variant(variant: Variant, program: tuple[str, ...], start_cib: Path) -> RawRun:
    """All invocations of ``variant`` through ``program`` on a private copy of ``start_cib``."""
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{variant.name}-") as tmp:
        root = Path(tmp)
        cib = root / "cib.xml"
        shutil.copyfile(start_cib, cib)
        env = _env(root, cib)
        # both shells with their default options: crmsh reads ~/.config/crm/crm.conf (the shared
        # cases' harness writes its relaxed check-mode under $XDG_CONFIG_HOME, which crmsh 4.4.1
        # does not read without python3-xdg), so ours must not read the relaxed file either
        (root / "home" / "config" / "crmsh_py" / "options.yaml").unlink()
        results = [_invoke(program, inv, env, root) for inv in variant.invocations]
        return RawRun(results, cib.read_text(encoding="utf-8", errors="replace"))


def _key(variant: Variant) -> str:
    return hashlib.sha256(repr(variant.invocations).encode()).hexdigest()[:16]


def reference(variant: Variant, start_cib: Path, cache: Path | None) -> RawRun:
    """crmsh's run of ``variant``, from ``cache`` when there."""
    path = cache / f"fuzz-{variant.name}-{_key(variant)}.json" if cache else None
    if path is not None and path.is_file():
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    run = run_variant(variant, (str(CRMSH),), start_cib)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(to_json(run)), encoding="utf-8")
    return run


def to_json(run: RawRun) -> dict[str, object]:
    return {"results": run.results, "cib": run.cib}


def from_json(data: dict) -> RawRun:  # type: ignore[type-arg]
    return RawRun([tuple(r) for r in data["results"]], data["cib"])


def differences(variant: Variant, ref: VariantRun, ours: VariantRun) -> list[str]:
    """Each difference as ``NAME:I:what`` (I the invocation from 1; what rc/out/err) or ``NAME:cib``."""
    diffs = []
    for i, (r, o) in enumerate(zip(ref.outcomes, ours.outcomes), 1):
        for what in ("rc", "out", "err", "logged"):
            if getattr(r, what) != getattr(o, what):
                diffs.append(f"{variant.name}:{i}:{what}")
    if ref.cib != ours.cib:
        diffs.append(f"{variant.name}:cib")
    return diffs


def show_diff(variant: Variant, ref: VariantRun, ours: VariantRun) -> str:
    """A readable account of how the two runs differ."""
    lines: list[str] = []
    for i, (inv, r, o) in enumerate(zip(variant.invocations, ref.outcomes, ours.outcomes), 1):
        head = f"--- {variant.name}:{i}: crm {' '.join(inv.args)}"
        body: list[str] = []
        if r.rc != o.rc:
            body.append(f"   rc crmsh={r.rc} ours={o.rc}")
        for what in ("out", "err", "logged"):
            a, b = getattr(r, what), getattr(o, what)
            if a != b:
                body += [f"   [{what}] {d}" for d in difflib.unified_diff(a, b, "crmsh", "ours", lineterm="", n=1)]
        if body:
            lines += [head, *[f"   | {x}" for x in inv.stdin.splitlines()], *body]
    if ref.cib != ours.cib:
        lines.append(f"--- {variant.name}:cib")
        lines += [f"   {d}" for d in difflib.unified_diff(ref.cib, ours.cib, "crmsh", "ours", lineterm="", n=1)]
    return "\n".join(lines)


def load_expected() -> dict[str, str]:
    """``NAME:I:what`` / ``NAME:cib`` → reason, from ``variant-differences.txt``."""
    return compat_suite.load_expected(EXPECTED)


def main(argv: list[str] | None = None) -> int:
    """Script entry: run, compare, print figures (and diffs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SUITE_SEED)
    parser.add_argument("--count", type=int, default=SUITE_COUNT)
    parser.add_argument("--extra", type=int, default=None,
                        help="variants of crmsh's regression-case kinds after the others (default: count/4)")
    parser.add_argument("--only", nargs="*", default=[], help="variant names")
    parser.add_argument("--diff", action="store_true")
    parser.add_argument("--record", action="store_true", help="record crmsh's runs of the suite's variants")
    parser.add_argument("-j", type=int, default=2)
    args = parser.parse_args(argv)
    reason = available()
    if reason:
        print(f"skipped: {reason}")
        return 0
    if args.record:
        args.seed, args.count, args.extra = SUITE_SEED, SUITE_COUNT, 0
    extra = args.count // 4 if args.extra is None else args.extra
    variants = [v for v in generate(args.seed, args.count, extra) if not args.only or v.name in args.only]
    cache_env = os.environ.get("CRM_COMPAT_CACHE")
    cache = Path(cache_env) if cache_env else None
    folder = cache or Path(tempfile.mkdtemp(prefix="crm-fuzz-"))
    start = make_start_cib(folder)

    def both(v: Variant) -> tuple[Variant, RawRun, RawRun]:
        return v, reference(v, start, cache), run_variant(v, OURS, start)

    with ThreadPoolExecutor(max_workers=args.j) as pool:
        raw = list(pool.map(both, variants))
    results = [(v, r.compared(), o.compared()) for v, r, o in raw]
    if os.environ.get("CRM_FUZZ_OURS"):  # our raw runs, to study the differences afterwards
        mine = Path(os.environ["CRM_FUZZ_OURS"])
        mine.mkdir(parents=True, exist_ok=True)
        for v, _, o in raw:
            (mine / f"fuzz-{v.name}-{_key(v)}.json").write_text(json.dumps(to_json(o)), encoding="utf-8")
    if args.record:
        GOLDEN.parent.mkdir(exist_ok=True)
        data = {"seed": SUITE_SEED, "count": SUITE_COUNT,
                "recorded_from": subprocess.run([str(CRMSH), "--version"], capture_output=True, text=True,
                                                check=False).stdout.strip(),
                "start_cib": start.read_text(encoding="utf-8"),
                "variants": {v.name: to_json(r) for v, r, _ in raw}}
        GOLDEN.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    keys: list[str] = []
    tracebacks = []
    figures = {False: [0, 0, 0], True: [0, 0, 0]}  # extra? -> variants, differing, keys
    for v, r, o in results:
        d = differences(v, r, o)
        keys += d
        figure = figures["extra" in v.tags]
        figure[0] += 1
        figure[1] += bool(d)
        figure[2] += len(d)
        tracebacks += [f"{v.name}:{i}" for i, x in enumerate(o.outcomes, 1) if x.traceback]
        if d and args.diff:
            print(show_diff(v, r, o))
    base, more = figures[False], figures[True]
    print(f"variants: {base[0]} (seed {args.seed}); differing: {base[1]}; difference keys: {base[2]}")
    if more[0]:
        print(f"extra variants (regression-case kinds): {more[0]}; differing: {more[1]}; difference keys: {more[2]}")
    print(f"tracebacks (ours): {len(tracebacks)} {' '.join(tracebacks)}")
    print("differing:", " ".join(sorted({k.split(':')[0] for k in keys})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
