"""``show`` hides secret values; a text without any name the globs could match is returned as it is
without running the substitution, and that shortcut never changes what is shown."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py.shell import obscure

WORDS = ["passwd", "password", "pass", "pw", "secret", "=", '"', " ", "x", "a b", "\\", "<nvpair ", 'name="',
         'value="', '"/>', "\n", "params "]
GLOBS = ["passw*", "*pass*", "p?ss*", "[pq]assw*", "", "none", "secret", "pass", "*"]


def _full_text(text: str, patterns: tuple[str, ...]) -> str:
    def repl(match: re.Match[str]) -> str:
        if obscure._hidden(match.group("name"), patterns):
            return f'{match.group("name")}="{obscure.HIDDEN}"'
        return match.group(0)

    return re.sub(obscure._TEXT_PAIR, repl, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map("".join),
       st.lists(st.sampled_from(GLOBS), min_size=1, max_size=3).map(tuple))
def test_the_shortcut_shows_what_the_substitution_would(text: str, patterns: tuple[str, ...]) -> None:
    assert obscure.obscure_text(text, patterns) == _full_text(text, patterns)


def test_secrets_are_hidden_and_the_rest_left_alone() -> None:
    text = 'primitive db Dummy \\\n\tparams passwd=secret user=admin'
    assert obscure.obscure_text(text) == 'primitive db Dummy \\\n\tparams passwd="******" user=admin'
    assert obscure.obscure_text("primitive d Dummy params state=/tmp/x") == "primitive d Dummy params state=/tmp/x"
    xml = '<nvpair id="p" name="password" value="s3"/><nvpair name="user" value="u"/>'
    assert obscure.obscure_xml(xml) == '<nvpair id="p" name="password" value="******"/><nvpair name="user" value="u"/>'
