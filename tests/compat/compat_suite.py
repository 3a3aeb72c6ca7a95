"""crmsh 4.4.1's regression cases replayed through crmsh and through our shell, compared.

The cases live outside the repository (``../shared/crmsh-testcases`` next to the checkout, or
``$CRM_CRMSH_TESTCASES``); see ``compat_cases.py`` for how a case file reads.  Each case runs through
both shells, each on its own copy of the same starting CIB file.  Compared:

- every command's output, after normalising what is not behaviour: crmsh's ``.EXT`` lines (which
  low-level tools a shell calls is its own business), the tracebacks crmsh prints in regression mode,
  epochs, dates, temporary paths, blanks;
- the final CIB's configuration (elements, attributes and ids; epochs and the status section aside).

Known differences are listed in ``expected-differences.txt`` beside this file, one a line::

    CASE:N   reason in one line        (command N of CASE, counted from 1)
    CASE:cib reason in one line        (the final CIB)

The list only shrinks: a listed entry that now matches fails as well as a new difference.

    python tests/compat/compat_suite.py                  # figures: same output N/M, same CIB, tracebacks
    python tests/compat/compat_suite.py --diff CASE      # each differing command of CASE, both outputs
    python tests/compat/compat_suite.py --shrink         # drop entries that now match
    python tests/compat/compat_suite.py --write-expected # list every current difference (a reason each)

``CRM_COMPAT_CACHE=DIR`` keeps crmsh's runs on disk between invocations (crmsh takes ~1 s a command).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compat_cases import Case, load_cases  # noqa: E402
from compat_run import (CASE_FILES, OURS, available, make_start_cib, missing_files, reference_run,  # noqa: E402
                         run_case)

EXPECTED = HERE / "expected-differences.txt"
DEFAULT_REASON = "not yet examined"

_TRACEBACK = "Traceback (most recent call last)"
_DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                   r"+\d+ \d\d:\d\d:\d\d \d{4}\b")
_ISO = re.compile(r"\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d|Z)?")
_VOLATILE = re.compile(r'\b(epoch|num_updates|cib-last-written|update-origin|update-client|update-user'
                       r'|have-quorum|dc-uuid|execution-date|crm_feature_set)="[^"]*"')
_TMP = re.compile(r"/tmp/[\w./-]+")
_PID = re.compile(r"\[\d+\]")
# Ours names the input in a batch's messages (``ERROR: <stdin>:5: ...``) where crmsh -R gives the
# line alone (``ERROR: 5: ...``): a difference on purpose, so the name is set aside.
_TAG = re.compile(r"^(\s*)<([\w:-]+)((?:\s+[\w:-]+=\"[^\"]*\")*)\s*(/?)>$")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_WHERE = re.compile(r"^(ERROR|WARNING|INFO): <stdin>:(\d+): ")


_REQUIRED = ("crm_config", "nodes", "resources", "constraints")
# Cases not compared, with the reason (shown by the script and as pytest skips): those whose files
# (crmsh's sample report for ``history``) are not installed here.
SKIPPED: dict[str, str] = {
    case: f"needs {', '.join(str(p) for p in missing)} (installed with Debian's crmsh)"
    for case in CASE_FILES if (missing := missing_files(case))
}


def suite_dir() -> Path | None:
    """The shared crmsh test cases, or None where they are absent."""
    env = os.environ.get("CRM_CRMSH_TESTCASES")
    candidates = [Path(env)] if env else []
    candidates.append(HERE.parent.parent.parent / "shared" / "crmsh-testcases")
    for path in candidates:
        if (path / "basicset").is_file():
            return path
    return None


def skip_reason() -> str:
    """Why the suite cannot run here ("" when it can)."""
    if suite_dir() is None:
        return "../shared/crmsh-testcases is absent (set CRM_CRMSH_TESTCASES)"
    return available()


def _drop_tracebacks(lines: list[str]) -> list[str]:
    """crmsh prints a traceback for every failed command in regression mode; the message follows."""
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(_TRACEBACK):
            inside = True
            continue
        if inside:
            if line.startswith(" "):
                continue
            inside = False
            continue  # the exception line itself (crmsh logs the message again as ERROR:)
        out.append(line)
    return out


def _xml_tag(line: str) -> str:
    """An XML start or empty tag with its attributes sorted (their order means nothing in XML)."""
    m = _TAG.match(line)
    if not m:
        return line
    attrs = " ".join(f'{k}="{v}"' for k, v in sorted(_ATTR.findall(m.group(3))))
    return f"{m.group(1)}<{m.group(2)}{' ' + attrs if attrs else ''}{m.group(4)}>"


def exclusions(case: str) -> list[re.Pattern[str]]:
    """crmsh's own harness drops output lines matching ``common.excl`` and ``CASE.excl`` (noise of
    the environment, such as crm_verify's lack-of-quorum warning on an offline CIB); so do we."""
    base = suite_dir()
    patterns: list[re.Pattern[str]] = []
    for name in ("common.excl", f"{case}.excl"):
        path = base / name if base is not None else None
        if path is not None and path.is_file():
            patterns += [re.compile(p) for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return patterns


def normalise(output: str, excluded: list[re.Pattern[str]] | None = None) -> list[str]:
    """The lines of a command's output that are behaviour, in a comparable form."""
    lines = _drop_tracebacks(output.splitlines())
    out = []
    for line in lines:
        if line.startswith(".EXT ") or line.startswith(".SETENV"):
            continue
        if excluded and any(p.search(line) for p in excluded):
            continue
        line = _xml_tag(_WHERE.sub(r"\1: \2: ", line))
        line = _VOLATILE.sub(lambda m: f'{m.group(1)}="*"', line)
        line = _DATE.sub("DATE", _ISO.sub("DATE", line))
        line = _PID.sub("[PID]", _TMP.sub("/TMP/x", line))
        line = " ".join(line.split())
        if line:
            out.append(line)
    return out


def has_traceback(output: str) -> bool:
    """Whether our shell let an internal error reach the user."""
    return _TRACEBACK in output or "internal error:" in output


def canonical_cib(text: str) -> list[str]:
    """The configuration section as sorted-attribute lines, one element a line, indented by depth."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        return [f"<unparsable CIB: {error}>"]
    config = root.find("configuration")
    if config is None:
        return ["<no configuration>"]
    lines = [f"cib validate-with={root.get('validate-with')}"]

    for section in list(config):  # an empty optional section means the same as none
        if section.tag not in _REQUIRED and len(section) == 0 and not section.attrib:
            config.remove(section)
    config[:] = sorted(config, key=lambda section: section.tag)  # the sections' order means nothing

    def walk(elem: ET.Element, depth: int) -> None:
        # children of different kinds in any order mean the same (a clone's meta_attributes before
        # or after its primitive); the order among children of one kind is kept
        elem[:] = sorted(elem, key=lambda child: str(child.tag))
        attrs = " ".join(f'{k}="{v}"' for k, v in sorted(elem.attrib.items()))
        lines.append("  " * depth + f"{elem.tag} {attrs}".rstrip())
        for child in elem:
            if isinstance(child.tag, str):
                walk(child, depth + 1)

    walk(config, 0)
    return lines


@dataclass
class Result:
    """The comparison of one case."""

    case: str
    texts: list[str]  # every command, in order
    same: list[bool]
    ref: list[list[str]]
    ours: list[list[str]]
    cib_same: bool
    cib_ref: list[str]
    cib_ours: list[str]
    tracebacks: list[int]  # command numbers (from 1) where ours showed a traceback
    seconds_ref: float
    seconds_ours: float

    def differing(self) -> set[str]:
        """The keys (``CASE:N``, ``CASE:cib``) that differ."""
        keys = {f"{self.case}:{i}" for i, ok in enumerate(self.same, 1) if not ok}
        if not self.cib_same:
            keys.add(f"{self.case}:cib")
        return keys


def compare(case: Case, start_cib: Path, cache: Path | None) -> Result:
    """Run ``case`` through both shells and compare."""
    def timed(run, *args):  # type: ignore[no-untyped-def]
        start = time.monotonic()
        return run(*args), time.monotonic() - start

    # both shells at once: each works on its own copy, and crmsh's run is the long one
    with ThreadPoolExecutor(max_workers=2) as pool:
        ref_job = pool.submit(timed, reference_run, case, start_cib, cache)
        ours_job = pool.submit(timed, run_case, case, OURS, start_cib)
        (ref, seconds_ref), (ours, seconds_ours) = ref_job.result(), ours_job.result()
    texts, same, refs, mine, tracebacks = [], [], [], [], []
    excluded = exclusions(case.name)
    for i in range(max(len(ref.commands), len(ours.commands))):
        r = ref.commands[i] if i < len(ref.commands) else None
        o = ours.commands[i] if i < len(ours.commands) else None
        texts.append((r or o).text if (r or o) else "")
        rn = normalise(r.output, excluded) if r else ["<missing>"]
        on = normalise(o.output, excluded) if o else ["<missing>"]
        refs.append(rn)
        mine.append(on)
        same.append(rn == on and r is not None and o is not None and r.text == o.text)
        if o is not None and has_traceback(o.output):
            tracebacks.append(i + 1)
    cr, co = canonical_cib(ref.cib), canonical_cib(ours.cib)
    return Result(case.name, texts, same, refs, mine, cr == co, cr, co, tracebacks, seconds_ref, seconds_ours)


def load_expected(path: Path = EXPECTED) -> dict[str, str]:
    """``CASE:N`` / ``CASE:cib`` → reason, from an expected-differences list (``KEY reason`` lines,
    ``#`` comments)."""
    out: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                out[key] = reason.strip()
    return out


def write_expected(entries: dict[str, str], texts: dict[str, str]) -> None:
    """Rewrite the expected-differences file (sorted by case, then command number)."""
    def order(key: str) -> tuple[str, int]:
        case, _, n = key.rpartition(":")
        return case, int(n) if n.isdigit() else 10**6

    header = ("# Differences from crmsh 4.4.1 still expected (tests/compat/compat_suite.py); only shrinks.\n"
              "# CASE:N (command N of CASE) or CASE:cib (final CIB), then the reason.\n")
    body = "".join(f"{k} {entries[k]}\n" for k in sorted(entries, key=order))
    EXPECTED.write_text(header + body, encoding="utf-8")


def run_all(cases: list[Case], cache: Path | None, workers: int = 2) -> list[Result]:
    """Compare every case; cases run in parallel threads (the work is in subprocesses)."""
    base = suite_dir()
    assert base is not None
    folder = Path(cache) if cache else Path(os.environ.get("TMPDIR", "/tmp")) / f"crm-compat-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    start = make_start_cib(folder)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda c: compare(c, start, cache), cases))


def figures(results: list[Result]) -> str:
    """The headline figures."""
    total = sum(len(r.same) for r in results)
    same = sum(sum(r.same) for r in results)
    cibs = sum(r.cib_same for r in results)
    tbs = sum(len(r.tracebacks) for r in results)
    lines = [f"{r.case:14} same output {sum(r.same):3}/{len(r.same):3}  CIB {'same' if r.cib_same else 'DIFFERS'}"
             f"  tracebacks {len(r.tracebacks)}  crmsh {r.seconds_ref:5.1f}s ours {r.seconds_ours:5.1f}s"
             for r in results]
    pct = 100.0 * same / total if total else 0.0
    lines.append(f"commands with the same output: {same}/{total} ({pct:.1f}%)")
    lines.append(f"cases with the same final CIB: {cibs}/{len(results)}")
    lines.append(f"tracebacks: {tbs}")
    return "\n".join(lines)


def _show_diff(result: Result, only: set[str] | None = None) -> None:
    import difflib

    for i, ok in enumerate(result.same, 1):
        key = f"{result.case}:{i}"
        if ok or (only is not None and key not in only):
            continue
        print(f"--- {key}: {result.texts[i - 1]}")
        for line in difflib.unified_diff(result.ref[i - 1], result.ours[i - 1], "crmsh", "ours", lineterm="", n=2):
            print("   " + line)
    if not result.cib_same:
        print(f"--- {result.case}:cib")
        for line in difflib.unified_diff(result.cib_ref, result.cib_ours, "crmsh", "ours", lineterm="", n=1):
            print("   " + line)


def main(argv: list[str] | None = None) -> int:
    """Script entry: print the figures, a case's differences, or maintain the expected file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--diff", action="store_true", help="show each differing command")
    parser.add_argument("--new", action="store_true", help="with --diff: only differences not listed")
    parser.add_argument("--shrink", action="store_true", help="drop expected entries that now match")
    parser.add_argument("--write-expected", action="store_true", help="list every current difference")
    parser.add_argument("-j", type=int, default=2, help="cases run in parallel (default 2)")
    args = parser.parse_args(argv)
    reason = skip_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    base = suite_dir()
    assert base is not None
    cases = [c for c in load_cases(base) if (not args.cases and c.name not in SKIPPED) or c.name in args.cases]
    for name, why in SKIPPED.items():
        if not args.cases:
            print(f"not compared: {name}: {why}")
    cache_env = os.environ.get("CRM_COMPAT_CACHE")
    t0 = time.monotonic()
    results = run_all(cases, Path(cache_env) if cache_env else None, args.j)
    known = load_expected()
    differing = set().union(*(r.differing() for r in results)) if results else set()
    if args.diff:
        for r in results:
            _show_diff(r, (differing - set(known)) if args.new else None)
    print(figures(results))
    print(f"wall time: {time.monotonic() - t0:.1f}s")
    names = {r.case for r in results}
    in_scope = {k: v for k, v in known.items() if k.rpartition(":")[0] in names}
    new = sorted(differing - set(in_scope))
    fixed = sorted(set(in_scope) - differing)
    print(f"new differences: {len(new)} {' '.join(new[:20])}")
    print(f"listed but now the same: {len(fixed)} {' '.join(fixed[:20])}")
    if args.shrink or args.write_expected:
        kept = {k: v for k, v in known.items() if k.rpartition(":")[0] not in names or k in differing}
        if args.write_expected:
            for key in new:
                kept[key] = DEFAULT_REASON
        write_expected(kept, {})
    return 0


if __name__ == "__main__":
    sys.exit(main())
