"""Issue 17 item 4: typos in commands are accepted as crmsh accepts them; names that do not exist
get a "did you mean"."""

from __future__ import annotations

import pytest
from ux_terminal import crm, crm_env, make_cluster

from crmsh_py.shell.didyoumean import close, hint
from crmsh_py.shell.registry import fuzzy_resolve


@pytest.mark.parametrize("word,candidates,expected", [
    ("dumy", ["dummy", "db", "web"], ["dummy"]),
    ("DUMMY", ["dummy", "dummy2"], ["dummy", "dummy2"]),
    ("srv3", ["srv01", "srv02"], ["srv01", "srv02"]),
    ("Dumy", ["Dummy", "dummypy", "mysql", "Stateful"], ["Dummy"]),
    ("stat", ["state", "fake", "passwd"], ["state"]),
    ("web", ["web-server", "webapp", "db"], ["web-server", "webapp"]),
    ("zzz", ["dummy", "web"], []),
    ("dummy", ["dummy"], []),  # the name itself is no suggestion
])
def test_close(word: str, candidates: list[str], expected: list[str]) -> None:
    assert sorted(close(word, candidates)) == sorted(expected)


def test_hint_wording() -> None:
    assert hint("dumy", ["dummy"]) == ' (did you mean "dummy"?)'
    assert hint("srv3", ["srv01", "srv02"]) in (' (did you mean "srv01" or "srv02"?)',
                                                 ' (did you mean "srv02" or "srv01"?)')
    assert hint("q", ["dummy"]) == ""


@pytest.mark.parametrize("level,word,name", [
    (["configure"], "primtive", "primitive"),  # crmsh: "primtive" is accepted as "primitive"
    (["configure"], "prim", "primitive"),
    (["configure"], "colocaton", "colocation"),
    (["resource"], "unmig", "clear"),  # unmigrate, an alias of clear
    ([], "stat", "status"),
    (["configure"], "p", None),  # ambiguous: primitive, property, ...
])
def test_prefixes_and_misspellings_of_commands(level: list[str], word: str, name: str | None) -> None:
    spec = fuzzy_resolve(level, word)
    assert (spec.name if spec else None) == name


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = crm_env(tmp_path_factory.mktemp("typos"))
    make_cluster(env)
    return env


@pytest.mark.parametrize("line,message", [
    ("configure primtive d9 Dummy meta target-role=Stopped", 'INFO: "primtive" is accepted as "primitive"'),
    ("stauts", 'ERROR: stauts: no such command at level root (did you mean "status"?)'),
    ("resource stop d11", 'ERROR: Resource not found: d11 (did you mean "d1"?)'),
    ("node show srv1", 'not found in the CIB (did you mean "srv01"'),
    ("resource move d1 srv3", "Node 'srv3' not found (did you mean"),
    ("configure show d1x", 'ERROR: object d1x does not exist (did you mean "d1"?)'),
    ("configure primitive p3 ocf:heartbeat:Dumy", '(did you mean "ocf:heartbeat:Dummy"'),
    ("configure primitive p3 Dummy params stat=/tmp/x", 'parameter "stat" is not known (did you mean "state"?)'),
    ("ra info ocf:pacemaker:Statefull", '(did you mean "ocf:pacemaker:Stateful"'),
    # crmsh takes the constraint and leaves the reference to crm_verify: no hint, a refused commit
    ("configure location l9 d11 100: srv01", "WARNING: l9: resource d11 does not exist"),
    # crmsh makes the group without the missing member (and commits it): exit 0
    ("configure group g9 d1 d22", "ERROR: g9 refers to missing object d22 (did you mean \"d2\"?)"),
])
def test_did_you_mean(cluster_env: dict[str, str], line: str, message: str) -> None:
    done = crm(cluster_env, line)
    assert message in done.stderr
    if "accepted" in message:
        assert done.returncode == 0
        assert crm(cluster_env, "configure delete d9").returncode == 0
    elif "refers to missing object" in message:
        assert done.returncode == 0
        assert crm(cluster_env, "configure delete g9").returncode == 0
    else:
        assert done.returncode == 1


def test_cd_to_a_misspelt_level(cluster_env: dict[str, str]) -> None:
    done = crm(cluster_env, "cd confgure")
    assert done.returncode == 1 and 'confgure: no such level (did you mean "configure"?)' in done.stderr


def test_regression_mode_keeps_crmshs_words(cluster_env: dict[str, str]) -> None:
    done = crm(cluster_env, "-R resource stop d11")
    assert done.returncode == 1 and "did you mean" not in done.stderr
