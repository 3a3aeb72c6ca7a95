"""Issue 15 item 6: the hand-compiled LALR loop (crmsh_py.lang.parser) against Lark's own LALR parser
(benchmarks/lark_native.py: same words, same contextual terminals, transformer inline).

Run: python benchmarks/bench_lark_native.py [--primitives 10000] [--oneshot 1000] [--runs 5]

Prints, for both: parse throughput in one process (best of ``--runs``, alternating), the same with
the one-line-primitive shortcut off (the LALR loop alone), the parser's build time in a fresh
interpreter (Lark's table cache warm: what a one-shot pays), and the median wall time of one-shot
``crm configure load update`` / ``configure show`` of ``--oneshot`` primitives on a bundled cluster.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import config_text, statement_count  # noqa: E402
from measure import python_env  # noqa: E402

# a one-shot crm whose configure parser is the hand loop ("hand") or Lark's own ("lark"); the rest
# of the start-up is the same for both
WRAPPER = """import sys
sys.path.insert(0, {here!r})
import crmsh_py.lang as lang
if sys.argv[1] == "lark":
    def parse(text, source=""):
        from lark_native import parse_native
        return parse_native(text, source)
    lang.parse = parse
from crmsh_py.cli import main
sys.exit(main(sys.argv[2:]))
"""
BUILD = """import sys, time
sys.path.insert(0, {here!r})
start = time.perf_counter()
if sys.argv[1] == "lark":
    from lark_native import native_parser
    native_parser()
else:
    from crmsh_py.lang.tables import tables
    tables()
print(time.perf_counter() - start)
"""


def best(runs: int, call) -> float:  # type: ignore[no-untyped-def]
    """The shortest of ``runs`` timed calls (seconds)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(primitives: int, runs: int) -> list[str]:
    """Throughput of both parsers in this process, with and without the primitive shortcut."""
    from lark_native import _Feed, native_parser, parse_native

    from crmsh_py.lang.lexing import split_words
    from crmsh_py.lang.parser import _run, parse
    from crmsh_py.lang.tables import tables

    text = config_text(primitives)
    n = statement_count(text)
    assert parse(text) == parse_native(text), "the two parsers disagree"
    hand = lark = hand_loop = lark_loop = float("inf")
    for _ in range(runs):  # alternate, so that both see the same machine load
        hand = min(hand, best(1, lambda: parse(text)))
        lark = min(lark, best(1, lambda: parse_native(text)))

        def hand_only() -> None:
            _run(tables(), split_words(text, "", None).words)

        def lark_only() -> None:
            _Feed.words = split_words(text, "", None).words
            native_parser().parse("")

        hand_loop = min(hand_loop, best(1, hand_only))
        lark_loop = min(lark_loop, best(1, lark_only))
    return [f"parse, {primitives} primitives ({n} statements), best of {runs}:",
            f"  with the shortcut  hand {hand:7.3f} s ({n / hand:9,.0f}/s)   lark {lark:7.3f} s ({n / lark:9,.0f}/s)"
            f"   lark/hand {lark / hand:5.2f}",
            f"  LALR loop alone    hand {hand_loop:7.3f} s ({n / hand_loop:9,.0f}/s)   lark {lark_loop:7.3f} s"
            f" ({n / lark_loop:9,.0f}/s)   lark/hand {lark_loop / hand_loop:5.2f}"]


def fresh(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run (must succeed)."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def one_shots(primitives: int, runs: int) -> list[str]:
    """Parser build in a fresh interpreter, and one-shot load update / show, medians of ``runs``."""
    work = Path(tempfile.mkdtemp(prefix="bench-lark-"))
    env = python_env(str(work))
    env.update(XDG_STATE_HOME=str(work / "state"), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "nosock"), CRM_DETECT="off")
    env.pop("CIB_file", None)
    conf = work / "load.crm"
    conf.write_text(config_text(primitives))
    build = {"hand": [], "lark": []}  # type: dict[str, list[float]]
    load = {"hand": [], "lark": []}  # type: dict[str, list[float]]
    show = {"hand": [], "lark": []}  # type: dict[str, list[float]]
    code = BUILD.format(here=str(HERE))
    wrapper = WRAPPER.format(here=str(HERE))
    for kind in ("hand", "lark"):  # warm Lark's table cache and the byte-code caches
        subprocess.run([sys.executable, "-c", code, kind], env=env, check=True, capture_output=True)
    for n in range(runs):
        for kind in ("hand", "lark"):
            done = subprocess.run([sys.executable, "-c", code, kind], env=env, check=True, capture_output=True,
                                  text=True)
            build[kind].append(float(done.stdout))
            cluster = dict(env, CRM_CLUSTER_DIR=str(work / f"{kind}-{n}"))
            load[kind].append(fresh([sys.executable, "-c", wrapper, kind, "--backend", "bundled", "configure",
                                     "load", "update", str(conf)], cluster))
            show[kind].append(fresh([sys.executable, "-c", wrapper, kind, "--backend", "bundled", "configure",
                                     "show"], cluster))
    lines = [f"one-shot, {primitives} primitives, median of {runs} (fresh interpreters, caches warm):"]
    for label, series in (("parser build", build), ("configure load update", load), ("configure show", show)):
        hand, lark = statistics.median(series["hand"]), statistics.median(series["lark"])
        lines.append(f"  {label:<22} hand {hand * 1000:8.1f} ms   lark {lark * 1000:8.1f} ms   lark/hand {lark / hand:5.2f}")
    return lines


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--primitives", type=int, default=10_000)
    parser.add_argument("--oneshot", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(in_process(args.primitives, args.runs)))
    print("\n".join(one_shots(args.oneshot, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
