"""``--output json|yaml``: every command's data follows its schema in docs/schemas; text stays the default."""

from __future__ import annotations

import json

import pytest
from hist_helpers import STONITH, cluster_env, crm, sh
from schema_check import validate


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A cluster with a stonith device (password), a move, a failure and a fencing behind it."""
    d = tmp_path_factory.mktemp("json") / "c"
    environment = cluster_env(d, STONITH)
    assert sh(["crm", "resource", "move", "dummy", "srv02", "force"], environment).rc == 0
    assert sh(["crm_engine", "inject", "op", "dummy_monitor_10000@srv02=1"], environment).rc == 0
    assert sh(["crm_engine", "inject", "node-fail", "srv01"], environment).rc == 0
    return environment


def _json(env: dict[str, str], *words: str) -> object:
    result = crm(["--output", "json", *words], env)
    assert result.rc == 0, result.err
    return json.loads(result.out)


def test_status(env: dict[str, str]) -> None:
    data = _json(env, "status")
    validate(data, "status")
    assert [n["name"] for n in data["nodes"]] == ["srv01", "srv02"]  # type: ignore[index]
    assert {r["id"] for r in data["resources"]} == {"dummy", "st"}  # type: ignore[index]
    assert crm(["status"], env).out.startswith("Cluster Summary:")  # text stays the default


def test_configure_show_masks_passwords(env: dict[str, str]) -> None:
    data = _json(env, "configure", "show")
    validate(data, "configure-show")
    st = next(e for e in data if e["id"] == "st")  # type: ignore[union-attr]
    assert st["type"] == "primitive" and "secret123" not in st["text"] and "passwd=" in st["text"]
    assert any(e["type"] == "location" and e["id"] == "cli-prefer-dummy" for e in data)  # type: ignore[union-attr]


def test_resource_status(env: dict[str, str]) -> None:
    data = _json(env, "resource", "status")
    validate(data, "resource-status")
    one = _json(env, "resource", "status", "dummy")
    validate(one, "resource-status")
    assert [r["id"] for r in one] == ["dummy"]  # type: ignore[union-attr]
    bad = crm(["--output", "json", "resource", "status", "nope"], env)
    assert bad.rc == 1 and "no such resource: nope" in bad.err


def test_resource_locate(env: dict[str, str]) -> None:
    data = _json(env, "resource", "locate", "dummy")
    validate(data, "resource-locate")
    text = crm(["resource", "locate", "st"], env)
    st = _json(env, "resource", "locate", "st")
    validate(st, "resource-locate")
    assert st[0]["running"] is ("is running on" in text.out + text.err)  # type: ignore[index]
    assert data[0]["resource"] == "dummy"  # type: ignore[index]
    if data[0]["running"]:  # type: ignore[index]
        assert data[0]["nodes"][0]["node"] in ("srv01", "srv02")  # type: ignore[index]


def test_resource_scores(env: dict[str, str]) -> None:
    data = _json(env, "resource", "scores")
    validate(data, "resource-scores")
    assert {(s["resource"], s["node"]) for s in data} >= {("dummy", "srv01"), ("dummy", "srv02")}  # type: ignore[union-attr]


def test_node_show(env: dict[str, str]) -> None:
    data = _json(env, "node", "show")
    validate(data, "node-show")
    assert [n["name"] for n in data] == ["srv01", "srv02"]  # type: ignore[union-attr]
    assert crm(["--output", "json", "node", "show", "srv09"], env).rc == 1


def test_ra_info(env: dict[str, str]) -> None:
    data = _json(env, "ra", "info", "ocf:heartbeat:Dummy")
    validate(data, "ra-info")
    assert data["agent"] == "ocf:heartbeat:Dummy" and any(p["name"] == "state" for p in data["parameters"])  # type: ignore[index]


def test_history_events(env: dict[str, str]) -> None:
    data = _json(env, "history", "events")
    validate(data, "history-events")
    kinds = {e["kind"] for e in data}  # type: ignore[union-attr]
    assert {"resource", "node", "fencing"} <= kinds
    for words in (("history", "resource", "dummy"), ("history", "node", "srv01")):
        validate(_json(env, *words), "history-events")


def test_history_commands(env: dict[str, str]) -> None:
    data = _json(env, "history", "commands")
    validate(data, "history-commands")
    typed = [c["command"] for c in data["commands"]]  # type: ignore[index]
    assert "crm resource move dummy srv02 force" in typed
    assert "crm_engine inject node-fail srv01" in typed


def test_yaml_is_the_same_data(env: dict[str, str]) -> None:
    yaml = pytest.importorskip("yaml")
    as_yaml = yaml.safe_load(crm(["--output", "yaml", "node", "show"], env).out)
    assert as_yaml == _json(env, "node", "show")
    bad = crm(["--output", "xml", "status"], env)
    assert bad.rc == 1 and "output must be text, json or yaml, not 'xml'" in bad.err
