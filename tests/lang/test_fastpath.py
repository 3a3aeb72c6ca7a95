"""The primitive shortcut (crmsh_py.lang.fastpath) gives exactly what the full parser gives.

Every text is parsed twice, once as usual and once with the shortcut switched off, and the models
(or the errors) must be identical.  Texts: the golden identity entries written on one line, and
random primitive lines mixing the usual shape with words the shortcut must leave to the parser.
"""

from __future__ import annotations

import random
import re

import pytest

import crmsh_py.lang.parser as parser_mod
from crmsh_py.errors import ParseError
from crmsh_py.lang import fastpath, parse
from lang_golden import identity_entries


def _outcome(text: str) -> object:
    try:
        return parse(text)
    except ParseError as err:
        return ("error", str(err), err.line, err.col, getattr(err, "context", None), getattr(err, "expected", None))


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = _outcome(text)
    with monkeypatch.context() as patched:
        patched.setattr(parser_mod, "primitive_line", lambda parts: None)
        slow = _outcome(text)
    return fast, slow


def _one_line(entry: str) -> str:
    return re.sub(r"\s*\\\n\s*", " ", entry).strip()


def _shortcut_count(text: str) -> int:
    return sum(fastpath.primitive_line(line.split()) is not None for line in text.splitlines() if line.strip())


def test_golden_entries_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [_one_line(e) for e in identity_entries()]
    plain = [e for e in entries if '"' not in e and "'" not in e and "\\" not in e]
    text = "\n".join(plain) + "\n"
    assert _shortcut_count(text) >= 20  # the comparison below really exercises the shortcut
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
    for entry in plain:  # one by one too: an error in one entry would hide the others
        fast, slow = _both(entry, monkeypatch)
        assert fast == slow, entry


_ODD_WORDS = ["$id=x", "description=d", "start=1", "bare", "label:", "params", "meta", "op", "op_params",
              "op_meta", "utilization", "rule", "=v", "k=", "a=b=c", "(", "x)", "@tmpl", "ocf::x", "group",
              "interval=5s", "id=o1", "depth=0", "timeout=9", "$role=Started", "on-fail=stop", "operations"]
_AGENTS = ["ocf:heartbeat:Dummy", "Dummy", "stonith:fence_xvm", "lsb:apache", "ocf:pacemaker:Stateful",
           "systemd:sshd", "ocf:Dummy"]


def _random_primitive(rng: random.Random, i: int) -> str:
    words = ["primitive", f"p{i}", rng.choice(_AGENTS)]
    for _ in range(rng.randint(0, 5)):
        section = rng.choice(["params", "meta", "utilization", "op", "op"])
        words.append(section)
        if section == "op":
            words.append(rng.choice(["start", "stop", "monitor", "promote", "migrate_to"]))
        for _ in range(rng.randint(0 if section == "op" else 1, 3)):
            pool = ["interval=10s", "timeout=20s", "role=Promoted", "depth=0", "a=1", "name2=x:y/z",
                    "OCF_CHECK_LEVEL=10", "id=op" + str(i), "on-fail=restart"]
            words.append(rng.choice(pool))
    if rng.random() < 0.3:  # something the shortcut must leave to the parser
        words.insert(rng.randint(1, len(words)), rng.choice(_ODD_WORDS))
    return " ".join(words)


@pytest.mark.parametrize("seed", range(8))
def test_random_primitives(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    lines = [_random_primitive(rng, i) for i in range(60)]
    for line in lines:
        fast, slow = _both(line, monkeypatch)
        assert fast == slow, line
    valid = [line for line in lines if not isinstance(_outcome(line), tuple)]
    mixed = [*valid[:20], "# a comment", "group g1 p0 p1", *valid[20:], "location l1 p0 100: n1"]
    text = "\n".join(mixed) + "\n"
    assert _shortcut_count(text) >= 10
    fast, slow = _both(text, monkeypatch)
    assert fast == slow


def test_error_after_shortcut_lines_is_reported_at_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("primitive a Dummy op monitor interval=10s\n# c\nprimitive b Dummy params x=1\n"
            "colocation c1 inf: a\nprimitive d Dummy meta m=1 op start id=x depth=0 timeout=1\n")
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
    assert isinstance(fast, tuple) and fast[2] in (4, 5)


def test_comments_attach_to_shortcut_elements() -> None:
    elements = parse("# first\nprimitive a Dummy\n# second\ngroup g a\n# third\nprimitive b Dummy params x=1\n")
    assert [e.comments for e in elements] == [["# first"], ["# second"], ["# third"]]
