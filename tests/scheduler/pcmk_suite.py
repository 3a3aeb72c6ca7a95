"""Pacemaker 2.1.5's scheduler regression suite, run through our ``crm_simulate -S -x``.

The cases live outside the repository (``../shared/pacemaker-cts/scheduler`` next to the checkout, or
``$CRM_PCMK_CTS``): ``xml/NAME.xml`` is the input CIB, ``summary/NAME.summary`` what Pacemaker 2.1.5's
``crm_simulate -S -x`` printed, ``tests.tsv`` the extra arguments.  Two blocks are compared, each
whitespace-normalised and in order: the Transition Summary and the Revised Cluster Status.

Cases that still differ are listed in ``expected-failures.txt`` beside this file, one a line::

    summary/NAME  reason in one line
    revised/NAME  reason in one line

Run as a script to see the figures or to shrink the list after a fix::

    python tests/scheduler/pcmk_suite.py                 # parity figures, per category
    python tests/scheduler/pcmk_suite.py --diff NAME     # expected vs ours for one case
    python tests/scheduler/pcmk_suite.py --shrink        # drop entries that now pass
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED_FAILURES = HERE / "expected-failures.txt"
BLOCKS = {"summary": "Transition Summary:", "revised": "Revised Cluster Status:"}


def suite_dir() -> Path | None:
    """The shared suite's ``scheduler`` folder, or None where it is absent."""
    env = os.environ.get("CRM_PCMK_CTS")
    candidates = [Path(env)] if env else []
    candidates.append(HERE.parent.parent.parent / "shared" / "pacemaker-cts" / "scheduler")
    for path in candidates:
        if (path / "tests.tsv").is_file():
            return path
    return None


@dataclass(frozen=True)
class Case:
    """One regression case: its name, Pacemaker's description and the extra ``crm_simulate`` args."""

    name: str
    description: str
    extra: tuple[str, ...]

    def xml(self, base: Path) -> Path:
        return base / "xml" / f"{self.name}.xml"

    def expected(self, base: Path) -> str:
        return (base / "summary" / f"{self.name}.summary").read_text(encoding="utf-8")


def cases(base: Path) -> list[Case]:
    """Every case listed in ``tests.tsv``, in its order."""
    with open(base / "tests.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    return [Case(r[0], r[1] if len(r) > 1 else "", split_args(r[2] if len(r) > 2 else "")) for r in rows]


def split_args(text: str) -> tuple[str, ...]:
    """``tests.tsv``'s extra arguments as an argument vector.  The file flattens Pacemaker's list,
    so an option's value may hold spaces (``-t 2014-05-07 00:28:00``): words after an option's
    value that are not options themselves belong to that value."""
    out: list[str] = []
    for word in text.split():
        if len(out) >= 2 and out[-2].startswith("-") and not out[-1].startswith("-") and not word.startswith("-"):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return tuple(out)


def block(text: str, kind: str) -> list[str] | None:
    """The lines of one block (``summary`` or ``revised``), whitespace-normalised; None if absent."""
    lines = text.splitlines()
    head = BLOCKS[kind]
    if head not in lines:
        return None
    out: list[str] = []
    for line in lines[lines.index(head) + 1:]:
        if line and not line.startswith(" ") and line.endswith(":"):
            break  # the next block's heading
        if kind == "summary" and not line.strip():
            break
        out.append(" ".join(line.split()))
    while out and not out[-1]:
        out.pop()
    return out


def run_ours(case: Case, base: Path) -> str:
    """Our ``crm_simulate -S -x CASE.xml EXTRA...`` output, run in this process."""
    from crmsh_py.lowlevel.crm_simulate import run
    from crmsh_py.lowlevel.toolio import ToolIO

    out, err = io.StringIO(), io.StringIO()
    run(["-S", "-x", str(case.xml(base)), *case.extra], ToolIO(io.StringIO(), out, err, {}))
    return err.getvalue() + out.getvalue()  # warnings first: they must not run into the last block


def load_expected_failures(path: Path = EXPECTED_FAILURES) -> dict[str, str]:
    """``{"summary/NAME": reason, ...}`` from the expected-failures file."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        if not re.fullmatch(r"(summary|revised)/\S+", key) or not reason.strip():
            raise ValueError(f"{path}:{number}: expected 'summary/NAME reason' or 'revised/NAME reason'")
        entries[key] = reason.strip()
    return entries


def first_difference(expected: list[str] | None, got: list[str] | None) -> str:
    """A one-line reason: the first line where ours differs from Pacemaker's."""
    expected, got = expected or [], got or []
    for i in range(max(len(expected), len(got))):
        want = expected[i] if i < len(expected) else "(nothing)"
        have = got[i] if i < len(got) else "(nothing)"
        if want != have:
            return f"line {i + 1}: Pacemaker '{want.lstrip('* ')}', ours '{have.lstrip('* ')}'"
    return "differs"


def compare(case: Case, base: Path) -> dict[str, tuple[list[str] | None, list[str] | None]]:
    """``{kind: (expected block, our block)}`` for both blocks of one case."""
    ours = run_ours(case, base)
    want = case.expected(base)
    return {kind: (block(want, kind), block(ours, kind)) for kind in BLOCKS}


def category(name: str) -> str:
    """A rough feature category from the case name (for the per-category figures)."""
    for prefix, label in (("ticket", "ticket"), ("bundle", "bundle"), ("remote", "remote/guest"),
                          ("whitebox", "remote/guest"), ("guest", "remote/guest"), ("container", "remote/guest"),
                          ("migrate", "migrate"), ("promoted", "promotable"), ("master", "promotable"),
                          ("clone", "clone"), ("interleave", "clone"), ("notify", "clone"), ("coloc", "colocation"),
                          ("order", "order"), ("group", "group"), ("stonith", "fencing"), ("unfence", "fencing"),
                          ("suicide", "fencing"), ("utilization", "utilization"), ("placement", "utilization"),
                          ("rule", "rules"), ("template", "templates"), ("bug", "bug"), ("rec", "recovery")):
        if name.startswith(prefix):
            return label
    if "reload" in name or "params" in name:
        return "reload"
    return "other"


def parity(all_cases: list[Case], base: Path) -> dict[str, str]:
    """Run every case once and print the identical blocks, overall and per category; returns the
    failing ``kind/NAME`` keys with their first differing line."""
    failing: dict[str, str] = {}
    per_category: dict[str, list[int]] = {}
    for case in all_cases:
        counts = per_category.setdefault(category(case.name), [0, 0, 0])
        counts[0] += 1
        for i, (kind, (want, got)) in enumerate(compare(case, base).items(), 1):
            if want == got:
                counts[i] += 1
            else:
                failing[f"{kind}/{case.name}"] = first_difference(want, got)
    total = len(all_cases)
    for kind in BLOCKS:
        same = total - sum(1 for k in failing if k.startswith(kind + "/"))
        print(f"identical {kind:8} {same}/{total} ({100 * same / total:.1f}%)")
    print(f"  {'category':14} {'cases':>5} {'summary':>8} {'revised':>8}")
    for label, (n, same_s, same_r) in sorted(per_category.items(), key=lambda kv: (-kv[1][0], kv[0])):
        print(f"  {label:14} {n:5} {same_s:8} {same_r:8}")
    return failing


def _main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diff", metavar="NAME", help="show both blocks of one case, Pacemaker's and ours")
    parser.add_argument("--shrink", action="store_true", help="drop expected failures that now pass")
    parser.add_argument("--add-new", action="store_true",
                        help="also list new failures (with the first differing line as reason); use with care")
    args = parser.parse_args()
    base = suite_dir()
    if base is None:
        print("pacemaker-cts suite not found (set CRM_PCMK_CTS)", file=sys.stderr)
        return 2
    all_cases = cases(base)
    if args.diff:
        case = next(c for c in all_cases if c.name == args.diff)
        for kind, (want, got) in compare(case, base).items():
            print(f"== {kind}: Pacemaker\n" + "\n".join(want or []) + f"\n== {kind}: ours\n" + "\n".join(got or []))
        return 0
    known = load_expected_failures()
    failing = parity(all_cases, base)
    new = sorted(set(failing) - set(known))
    fixed = sorted(set(known) - set(failing))
    print(f"newly failing: {len(new)}  newly passing: {len(fixed)}")
    for key in new:
        print(f"  NEW  {key}  {failing[key]}")
    if args.shrink or args.add_new:
        keep = {k: v for k, v in known.items() if k in failing}
        if args.add_new:
            keep.update({k: failing[k] for k in new})
        header = [line for line in EXPECTED_FAILURES.read_text(encoding="utf-8").splitlines()
                  if line.startswith("#")] if EXPECTED_FAILURES.exists() else []
        body = [f"{k} {keep[k]}" for k in sorted(keep, key=lambda k: (k.split("/", 1)[1], k))]
        EXPECTED_FAILURES.write_text("\n".join(header + body) + "\n", encoding="utf-8")
        print(f"wrote {EXPECTED_FAILURES} ({len(keep)} entries)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    raise SystemExit(_main())
