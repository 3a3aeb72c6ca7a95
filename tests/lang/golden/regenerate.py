"""Regenerate the golden files from the reference crmsh (run by hand: python tests/lang/golden/regenerate.py).

- identity_source.crm -> crmsh -> crmsh_show.crm (whole show), crmsh_config.xml (CIB
  configuration), identity.crm (the show text, one element per entry, blank-line separated).
- pairs_input.crm -> crmsh -> pairs.crm: each input element and crmsh's canonical form of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from crmsh_ref import available, configuration_section, load_and_show, split_entries  # noqa: E402

PAIR_SEPARATOR = "===="
ARROW = "----"


def element_key(entry: str) -> tuple[str, str]:
    """(keyword, id) of a one-element crm text (comments skipped)."""
    line = next(x for x in entry.splitlines() if not x.startswith("#"))
    words = line.split()
    if words[0] in ("property", "rsc_defaults", "op_defaults"):
        second = words[1] if len(words) > 1 else ""
        if second.startswith("$id="):
            return words[0], second[4:]
        return words[0], "" if "=" in second else second.rstrip(":")
    return words[0], words[1].rstrip(":")


def main() -> int:
    if not available():
        print("reference crmsh not installed", file=sys.stderr)
        return 1
    result = load_and_show((HERE / "identity_source.crm").read_text())
    if not result.ok:
        print(result.errors, file=sys.stderr)
        return 1
    (HERE / "crmsh_show.crm").write_text(result.show)
    (HERE / "crmsh_config.xml").write_text(configuration_section(result.cib_xml) + "\n")
    (HERE / "identity.crm").write_text("\n\n".join(split_entries(result.show)) + "\n")

    inputs = [x for x in (HERE / "pairs_input.crm").read_text().splitlines() if x.strip()]
    result = load_and_show("\n".join(inputs) + "\n")
    if not result.ok:
        print(result.errors, file=sys.stderr)
        return 1
    shown = {element_key(e): e for e in split_entries(result.show)}
    blocks = []
    for line in inputs:
        key = element_key(line)
        if key[0] == "property" and key[1] == "":
            key = ("property", "cib-bootstrap-options")
        elif key[0] == "rsc_defaults" and key[1] == "":
            key = ("rsc_defaults", "rsc-options")
        elif key[0] == "op_defaults" and key[1] == "":
            key = ("op_defaults", "op-options")
        if key[1].startswith("base"):
            continue  # scaffolding the other inputs refer to
        blocks.append(f"{line}\n{ARROW}\n{shown[key]}")
    (HERE / "pairs.crm").write_text(f"\n{PAIR_SEPARATOR}\n".join(blocks) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
