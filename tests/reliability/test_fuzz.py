"""Bad input: bounded fuzz of the configuration language, every low-level tool's argv and crm
command lines (a few hundred inputs each here; benchmarks/bench_reliability.py runs ≥ 100,000)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rel_fuzz
from crmsh_py.errors import ParseError
from crmsh_py.lang import parse

_WORD = st.sampled_from(rel_fuzz.LANG_WORDS + rel_fuzz.JUNK) | st.text(max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORD, min_size=1, max_size=12), st.sampled_from([" ", "", " \\\n\t", "\n"]))
def test_the_language_raises_only_parse_errors(words: list[str], glue: str) -> None:
    try:
        parse(glue.join(words))
    except ParseError as error:
        assert str(error).strip()


def _explain(figures: rel_fuzz.FuzzFigures) -> str:
    return "\n".join(figures.findings[:10])


def test_random_configuration_text() -> None:
    figures = rel_fuzz.fuzz_language(1500)
    assert figures.ok, _explain(figures)
    assert figures.errors > 0  # the generator does produce bad input


def test_random_tool_argv(tmp_path: Path) -> None:
    figures = rel_fuzz.fuzz_tools(tmp_path, 600)
    assert figures.ok, _explain(figures)
    assert figures.errors > 100


def test_random_crm_command_lines(tmp_path: Path) -> None:
    figures = rel_fuzz.fuzz_shell(tmp_path, 300)
    assert figures.ok, _explain(figures)
    assert figures.errors > 50


# Found by the fuzz: `crm_engine` without a command used to exit 64 with its usage on stdout and
# nothing on stderr (every failing tool must say what is wrong on stderr).
def test_random_crm_engine_argv(tmp_path: Path) -> None:
    figures = rel_fuzz.fuzz_crm_engine(tmp_path, 60)
    assert figures.ok, _explain(figures)
