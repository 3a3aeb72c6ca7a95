"""Differential testing of our scheduler against Pacemaker 2.1.5's ``crm_simulate -S -x`` on variants.

Variants come from ``variants.py`` (the shared regression CIBs, one mutation each, seeded).  For each,
both tools run on the same file with the case's extra arguments; the Transition Summary and the
Revised Cluster Status are compared as the suite harness compares them.  Differences are grouped by
the mutation and by the first differing line's action words, which is usually enough to tell the
rule behind them apart.

    python tests/scheduler/differential.py --seed 1 --count 300          # figures and groups
    python tests/scheduler/differential.py --seed 1 --count 300 --extended  # the later mutation kinds too
    python tests/scheduler/differential.py --seed 1 --count 300 --show 5  # plus 5 examples a group
    python tests/scheduler/differential.py --seed 1 --only 1-17-...       # one variant, both blocks
    python tests/scheduler/differential.py --seed 1 --count 300 --save DIR  # keep the differing CIBs
    python tests/scheduler/differential.py --suite            # the bounded set the test suite runs
    python tests/scheduler/differential.py --suite --shrink   # drop listed differences that are gone

The test suite (``test_differential.py``) runs a fixed, small set: ``SUITE_SEED``/``SUITE_COUNT``
over every shared case; the variants that still differ are listed in ``differential-expected.txt``
(``IDENT reason``), a list that only shrinks, as ``expected-failures.txt`` does for the suite.

Pacemaker's tool writes a temporary shadow CIB; ``CIB_shadow_dir`` puts it in a private temporary
folder, so nothing under /var/lib/pacemaker is touched.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from pcmk_suite import BLOCKS, block, cases, first_difference, load_expected_failures, suite_dir
from variants import EXTENDED_MUTATIONS, MUTATIONS, Variant, generate

PACEMAKER_CRM_SIMULATE = Path("/usr/sbin/crm_simulate")
EXPECTED = Path(__file__).resolve().parent / "differential-expected.txt"
SUITE_SEED = 12
SUITE_COUNT = 32
TIMEOUT_S = 60  # only a hang reaches this


class Result(NamedTuple):
    """One variant's comparison: ``reason`` is empty when both tools agree; ``skipped`` when
    Pacemaker's tool rejected the variant (then it tells nothing)."""

    variant: Variant
    reason: str
    signature: str
    skipped: bool = False


def base_cases(base: Path) -> dict[str, tuple[str, ...]]:
    """``{case: extra args}`` of the suite cases whose both blocks already match Pacemaker's, so a
    difference on a variant comes from the mutation."""
    failing = {key.split("/", 1)[1] for key in load_expected_failures()}
    return {c.name: c.extra for c in cases(base) if c.name not in failing}


def suite_variants(base: Path) -> tuple[list[Variant], dict[str, tuple[str, ...]]]:
    """The bounded set the test suite compares, and every case's extra arguments.  Drawn from all
    shared cases (failing ones too), so that fixing a case never reshuffles the set."""
    extras = {c.name: c.extra for c in cases(base)}
    return generate(base / "xml", list(extras), SUITE_SEED, SUITE_COUNT), extras


def load_expected(path: Path = EXPECTED) -> dict[str, str]:
    """``{variant id: reason}`` from the expected-differences list."""
    out: dict[str, str] = {}
    if path.exists():
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if line and not line.startswith("#"):
                ident, _, reason = line.partition(" ")
                out[ident] = reason.strip()
    return out


def ours(path: Path, extra: tuple[str, ...]) -> str:
    """Our ``crm_simulate -S -x PATH EXTRA`` output (warnings first), run in this process."""
    from crmsh_py.lowlevel.crm_simulate import run
    from crmsh_py.lowlevel.toolio import ToolIO

    out, err = io.StringIO(), io.StringIO()
    run(["-S", "-x", str(path), *extra], ToolIO(io.StringIO(), out, err, {}))
    return err.getvalue() + out.getvalue()


def pacemaker(path: Path, extra: tuple[str, ...], shadow_dir: Path) -> tuple[int, str]:
    """Pacemaker's ``crm_simulate -S -x PATH EXTRA``: exit code and standard output."""
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "LC_ALL": "C", "CIB_shadow_dir": str(shadow_dir)}
    done = subprocess.run([str(PACEMAKER_CRM_SIMULATE), "-S", "-x", str(path), *extra], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    return done.returncode, done.stdout


def _verb(line: str) -> str:
    words = line.lstrip("* ").split()
    return words[0] if words else "(nothing)"


def signature(kind: str, want: list[str] | None, got: list[str] | None) -> str:
    """A coarse cause: which block, and the action words of the first differing lines."""
    want, got = want or [], got or []
    for i in range(max(len(want), len(got))):
        a = want[i] if i < len(want) else "(nothing)"
        b = got[i] if i < len(got) else "(nothing)"
        if a != b:
            if kind == "revised":
                return "revised"
            va, vb = _verb(a), _verb(b)
            if va == vb and a.split("(")[0] == b.split("(")[0]:
                detail = "reason" if "due to" in a + b and a.split(")")[0] == b.split(")")[0] else "where"
                return f"summary {va}: {detail}"
            return f"summary {va} vs {vb}"
    return kind


def compare(variant: Variant, extra: tuple[str, ...], work: Path) -> Result:
    """Run both tools on one variant and compare their blocks."""
    path = work / f"{variant.ident}.xml"
    path.write_text(variant.xml, encoding="utf-8")
    try:
        rc, theirs = pacemaker(path, extra, work)
        if rc != 0:
            return Result(variant, f"Pacemaker's crm_simulate exit {rc}", "skipped", skipped=True)
        mine = ours(path, extra)
        for kind in BLOCKS:
            want, got = block(theirs, kind), block(mine, kind)
            if want != got:
                return Result(variant, f"{kind} {first_difference(want, got)}", signature(kind, want, got))
        return Result(variant, "", "")
    finally:
        path.unlink(missing_ok=True)


def run_variants(variants: list[Variant], extras: dict[str, tuple[str, ...]]) -> list[Result]:
    """Compare every variant, in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="sched-diff-") as tmp:
        return [compare(v, extras[v.case], Path(tmp)) for v in variants]


def report(results: list[Result], show: int) -> None:
    """Print the figures and the differences grouped by mutation and signature, biggest first."""
    ran = [r for r in results if not r.skipped]
    differing = [r for r in ran if r.reason]
    print(f"variants {len(results)}, compared {len(ran)}, skipped {len(results) - len(ran)}, "
          f"differing {len(differing)}")
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in differing:
        groups[(r.variant.mutation, r.signature)].append(r)
    for (mutation, sig), members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{len(members):4}  {mutation:20} {sig}")
        for r in members[:show]:
            print(f"        {r.variant.ident}: {r.variant.description}\n          {r.reason}")


def _main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--kinds", nargs="*", choices=sorted({**MUTATIONS, **EXTENDED_MUTATIONS}),
                        help="only these mutations")
    parser.add_argument("--extended", action="store_true",
                        help="draw from the later mutation kinds too (another set than the default's)")
    parser.add_argument("--show", type=int, default=2, help="examples printed per group")
    parser.add_argument("--only", help="one variant id: print both tools' blocks")
    parser.add_argument("--save", type=Path, help="write the differing variants' CIBs to this folder")
    parser.add_argument("--suite", action="store_true", help="the test suite's bounded set (SUITE_SEED/COUNT)")
    parser.add_argument("--shrink", action="store_true", help="with --suite: drop listed differences that are gone")
    parser.add_argument("--add-new", action="store_true",
                        help="with --suite: also list new differences (only after a change of the generator)")
    args = parser.parse_args()
    base = suite_dir()
    if base is None or not PACEMAKER_CRM_SIMULATE.exists():
        print("needs ../shared/pacemaker-cts and /usr/sbin/crm_simulate", file=sys.stderr)
        return 2
    if args.suite:
        return _suite(base, args.shrink, args.add_new, args.show)
    extras = base_cases(base)
    variants = generate(base / "xml", list(extras), args.seed, args.count, args.kinds, args.extended)
    if args.only:
        variant = next(v for v in variants if v.ident == args.only)
        with tempfile.TemporaryDirectory(prefix="sched-diff-") as tmp:
            path = Path(tmp) / "cib.xml"
            path.write_text(variant.xml, encoding="utf-8")
            theirs = pacemaker(path, extras[variant.case], Path(tmp))[1]
            mine = ours(path, extras[variant.case])
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{variant.ident}.xml").write_text(variant.xml, encoding="utf-8")
        print(variant.description)
        for kind in BLOCKS:
            print(f"== {kind}: Pacemaker\n" + "\n".join(block(theirs, kind) or [])
                  + f"\n== {kind}: ours\n" + "\n".join(block(mine, kind) or []))
        return 0
    results = run_variants(variants, extras)
    report(results, args.show)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for r in results:
            if r.reason and not r.skipped:
                (args.save / f"{r.variant.ident}.xml").write_text(r.variant.xml, encoding="utf-8")
    return 0


def _suite(base: Path, shrink: bool, add_new: bool, show: int) -> int:
    variants, extras = suite_variants(base)
    results = run_variants(variants, extras)
    report(results, show)
    known = load_expected()
    differing = {r.variant.ident: r.reason for r in results if r.reason and not r.skipped}
    new = sorted(set(differing) - set(known))
    gone = sorted(set(known) - set(differing))
    print(f"listed {len(known)}, newly differing {len(new)}, no longer differing {len(gone)}")
    for ident in new:
        print(f"  NEW  {ident}  {differing[ident]}")
    if shrink or add_new:
        keep = {k: v for k, v in known.items() if k in differing}
        if add_new:
            keep.update({k: differing[k] for k in new})
        header = [line for line in EXPECTED.read_text(encoding="utf-8").splitlines()
                  if line.startswith("#")] if EXPECTED.exists() else []
        EXPECTED.write_text("\n".join(header + [f"{k} {keep[k]}" for k in sorted(keep)]) + "\n", encoding="utf-8")
        print(f"wrote {EXPECTED} ({len(keep)} entries)")
    return 0


if __name__ == "__main__":
    sys.path.append(str(Path(__file__).resolve().parent.parent.parent))  # after PYTHONPATH: another tree can be measured
    raise SystemExit(_main())
