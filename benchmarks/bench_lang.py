"""Language throughput: parse, canonical write and XML of a generated configuration.

Run: python benchmarks/bench_lang.py [--primitives 10000]

Prints statements per second for each stage and the peak RSS of this process.
Target (issue 2): >= 50,000 statements/s parse.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import config_text, statement_count  # noqa: E402


def report(primitives: int = 10_000) -> list[str]:
    """The figures as lines (run in this process: call it in a fresh one for a clean peak RSS)."""
    text = config_text(primitives)
    n = statement_count(text)

    start = time.perf_counter()
    import crmsh_py.lang as lang
    from crmsh_py.cib import xmlio

    imported = time.perf_counter() - start
    lang.parse("primitive warm ocf:heartbeat:Dummy")  # builds/loads the parser once

    start = time.perf_counter()
    elements = lang.parse(text)
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    shown = lang.write_all(elements)
    write_s = time.perf_counter() - start
    from crmsh_py.cib.model import Configuration

    start = time.perf_counter()
    xml = xmlio.configuration_to_xml(Configuration(list(elements)))
    to_xml_s = time.perf_counter() - start
    start = time.perf_counter()
    back = xmlio.configuration_from_xml(xml)
    from_xml_s = time.perf_counter() - start
    assert len(back.elements) == len(elements), "XML round trip lost elements"
    assert shown.count("\nprimitive ") + shown.startswith("primitive ") == primitives

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [f"language: {primitives} primitives, {n} statements (generate.py); one run, grammar loaded first",
             f"  import crmsh_py.lang + cib.xmlio  {imported * 1000:8.1f} ms"]
    for label, secs in (("parse", parse_s), ("write (canonical)", write_s), ("model -> XML", to_xml_s),
                        ("XML -> model", from_xml_s)):
        lines.append(f"  {label:<18} {secs:8.3f} s   {n / secs:12,.0f} statements/s")
    lines.append(f"  peak RSS           {peak:8.1f} MiB")
    lines.append("  target: parse >= 50,000 statements/s")
    return lines


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--primitives", type=int, default=10_000)
    args = parser.parse_args()
    print("\n".join(report(args.primitives)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
