"""An OCF agent named without its provider: the parser's caller chooses the provider; parsing
itself reads no agent directories (``lang`` stays below ``agents``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crmsh_py.agents.catalog import ocf_provider
from crmsh_py.cib.model import Primitive
from crmsh_py.lang import parse


def _agent(text: str, **kwargs: object) -> str:
    [element] = parse(text, **kwargs)  # type: ignore[arg-type]
    assert isinstance(element, Primitive)
    return str(element.agent)


@pytest.mark.parametrize("text", ["primitive p Stateful", "primitive p ocf:Stateful",
                                  "primitive p Stateful op monitor interval=10s role=Promoted"])
def test_a_bare_ocf_type_is_heartbeat_when_the_caller_names_no_resolver(text: str) -> None:
    assert _agent(text) == "ocf:heartbeat:Stateful"


@pytest.mark.parametrize("text", ["primitive p Stateful",  # the one-line shortcut
                                  "primitive p Stateful meta target-role=Stopped",
                                  "rsc_template t Stateful"])
def test_the_callers_resolver_chooses_the_provider(text: str) -> None:
    seen: list[str] = []

    def resolver(ra_type: str) -> str:
        seen.append(ra_type)
        return "acme"

    [element] = parse(text, providers=resolver)
    assert isinstance(element, Primitive) and str(element.agent) == "ocf:acme:Stateful"
    assert seen == ["Stateful"]


@pytest.mark.parametrize("text, agent", [("primitive p ocf:pacemaker:Dummy", "ocf:pacemaker:Dummy"),
                                         ("primitive p lsb:apache", "lsb:apache"),
                                         ("primitive p stonith:fence_xvm", "stonith:fence_xvm")])
def test_named_providers_and_other_classes_are_not_asked_about(text: str, agent: str) -> None:
    assert _agent(text, providers=lambda ra_type: pytest.fail(f"asked about {ra_type}")) == agent


@pytest.fixture
def acme_agent(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An OCF type only a made-up provider has (on ``CRM_OCF_PATH``), whatever the host has."""
    agent = tmp_path / "resource.d" / "acme" / "UxOnlyAcme"
    agent.parent.mkdir(parents=True)
    agent.write_text("#!/bin/sh\nexit 0\n")
    agent.chmod(0o755)
    monkeypatch.setenv("CRM_OCF_PATH", str(tmp_path / "resource.d"))
    ocf_provider.cache_clear()
    yield "UxOnlyAcme"
    ocf_provider.cache_clear()


def test_the_catalogue_chooses_the_provider_that_has_the_type(acme_agent: str) -> None:
    assert ocf_provider("Dummy") == "heartbeat"  # both bundled providers have it: heartbeat first
    assert ocf_provider(acme_agent) == "acme"  # only acme has it
    assert ocf_provider("NoSuchAgentAnywhere") == "heartbeat"  # nobody has it: crmsh's default
    assert _agent(f"primitive p {acme_agent}", providers=ocf_provider) == f"ocf:acme:{acme_agent}"
