"""Completion in configure element lines offers what the language takes: its words come from the
language's own tables (crmsh_py.lang.keywords), so each offered word parses where it was offered."""

from __future__ import annotations

import subprocess
import sys

from support.fakes import FakeSource

from crmsh_py.lang import parse
from crmsh_py.shell.completion import suggest


def _offered(line: str) -> list[str]:
    return suggest(FakeSource(), ["configure"], line)


def test_every_order_kind_offered_parses() -> None:
    kinds = _offered("order o1 ")
    assert {"Mandatory:", "Optional:", "Serialize:"} <= set(kinds)
    for kind in kinds:
        parse(f"order o1 {kind} db web")


def test_every_rule_operator_offered_parses() -> None:
    operators = _offered("location l1 db rule #uname ")
    assert {"eq", "ne", "lt", "gt", "lte", "gte"} <= set(operators)
    for op in operators:
        parse(f"location l1 db rule #uname {op} srv01")


def test_every_rule_join_and_unary_operator_offered_parses() -> None:
    joins = _offered("location l1 db rule #uname eq srv01 ")
    assert {"and", "or"} <= set(joins)
    for join in set(joins) - {"rule"}:
        parse(f"location l1 db rule #uname eq srv01 {join} #uname eq srv02")
    unary = set(_offered("location l1 db rule ")) & {"defined", "not_defined"}
    assert unary == {"defined", "not_defined"}
    for op in unary:
        parse(f"location l1 db rule {op} pingd")


def test_every_set_option_offered_parses() -> None:
    values = {"sequential=": "false", "require-all=": "false", "action=": "start", "role=": "Started"}
    options = [o for o in _offered("colocation c1 inf: ( db web ") if o.endswith("=")]
    assert set(options) == set(values)
    for option in options:
        parse(f"colocation c1 inf: ( db web {option}{values[option]} ) g1")


def test_every_section_offered_after_a_primitive_parses() -> None:
    sample = {"params": "params a=1", "meta": "meta target-role=Stopped", "utilization": "utilization cpu=1",
              "op": "op monitor interval=10s"}
    sections = _offered("primitive p1 Dummy ")
    assert set(sections) == set(sample)
    for section in sections:
        parse(f"primitive p1 Dummy {sample[section]}")


def test_op_roles_offered_are_the_current_names() -> None:
    assert _offered("primitive p1 Dummy op monitor role=") == [
        "role=Promoted", "role=Started", "role=Stopped", "role=Unpromoted"]


def test_completion_reads_the_tables_without_loading_the_parser() -> None:
    probe = "import sys, crmsh_py.shell.completion; print('lark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"


def test_element_completers_are_for_the_languages_statements() -> None:
    from crmsh_py.lang.keywords import KEYWORDS
    from crmsh_py.shell.completion import ELEMENT_COMPLETERS

    assert set(ELEMENT_COMPLETERS) <= set(KEYWORDS)
