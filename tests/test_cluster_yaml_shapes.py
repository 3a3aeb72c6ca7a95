"""cluster.yaml's fast reader tells scalars and lines apart with string methods; these are the
regular expressions it used before (and that define the subset of YAML it reads), checked against
it on arbitrary text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py import cluster_yaml

SHAPES = {
    cluster_yaml._is_int: r"^-?(?:0|[1-9][0-9]*)$",
    cluster_yaml._is_float: r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$",
    cluster_yaml._is_uuid: r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
    cluster_yaml._is_word: r"^[A-Za-z][A-Za-z0-9_.-]*$",
    cluster_yaml._is_version: r"^[0-9][0-9.]*-[A-Za-z0-9_.-]*[A-Za-z][A-Za-z0-9_.-]*$",
}
LINE = r"^( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$"
CHARS = list("0123456789abcdefxyzABZ_.-: '\"é٣²\t")
texts = st.text(alphabet=st.sampled_from(CHARS), max_size=14)
uuids = st.uuids().map(str)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(texts, uuids, uuids.map(str.upper), st.from_regex(r"[0-9][0-9.]{0,4}-[a-z0-9_.-]{0,5}", fullmatch=True)))
def test_scalar_shapes_are_the_regular_expressions(text: str) -> None:
    for shape, pattern in SHAPES.items():
        assert shape(text) == bool(re.match(pattern, text)), (shape.__name__, text)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(texts, st.from_regex(r" {0,3}(- )?[a-z_][a-z0-9_]{0,3}:( .{0,4})?", fullmatch=True)))
def test_line_shape_is_the_regular_expression(line: str) -> None:
    match = re.match(LINE, line)
    expected = None if match is None else (len(match.group(1)), bool(match.group(2)), match.group(3), match.group(4))
    assert cluster_yaml._split_line(line) == expected
