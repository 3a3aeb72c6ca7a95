"""Fakes of our own interfaces for the shell tests: a recording backend (and output access), a
completion source."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crmsh_py.backends.base import RunResult
from crmsh_py.cib import dump, empty_cib
from crmsh_py.session import Session


class FakeBackend:
    """Records every argv; answers ``cibadmin -Q``/``--replace``/``--patch`` from an in-memory CIB."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.stdins: list[str | None] = []
        self.cib = empty_cib()
        for name in ("srv01", "srv02"):
            ET.SubElement(self.cib.find("configuration/nodes"), "node", {"id": str(len(self.cib.find("configuration/nodes")) + 1), "uname": name})
        self.responses: dict[tuple[str, ...], RunResult] = {}
        self.verify_rc = 0

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        self.calls.append(list(argv))
        self.stdins.append(stdin)
        key = tuple(argv)
        if key in self.responses:
            return self.responses[key]
        if argv in (["cibadmin", "-Q"], ["cibadmin", "-Ql"]):
            return RunResult(0, dump(self.cib), "")
        if argv[:2] == ["cibadmin", "--replace"]:
            from crmsh_py.cib import load

            new = load(stdin or "", "stdin", root_tag=None)
            if new.tag == "cib":  # a versioned replace: checked against the CIB's version
                if (int(new.get("admin_epoch", "0")), int(new.get("epoch", "0"))) < \
                        (int(self.cib.get("admin_epoch", "0")), int(self.cib.get("epoch", "0"))):
                    return RunResult(103, "", "Call failed: Update was older than existing configuration\n")
                new = new.find("configuration")
            old = self.cib.find("configuration")
            self.cib.remove(old)
            self.cib.insert(0, new)
            self.cib.set("epoch", str(int(self.cib.get("epoch", "0")) + 1))
            return RunResult(0, "", "")
        if argv[:2] in (["cibadmin", "--patch"], ["cibadmin", "-p"]):
            from crmsh_py.cib import load
            from crmsh_py.cib.patch import PatchError, PatchVersionError, apply_patch

            try:
                apply_patch(self.cib, load(stdin or "", "stdin", root_tag="diff"))
            except PatchVersionError as error:
                return RunResult(103 if error.older else 1, "", f"Call failed: {error}\n")
            except PatchError as error:
                return RunResult(1, "", f"Call failed: {error}\n")
            self.cib.set("epoch", str(int(self.cib.get("epoch", "0")) + 1))
            self.cib.set("num_updates", "0")
            return RunResult(0, "", "")
        if argv[0] == "crm_verify":
            return RunResult(self.verify_rc, "", "crm_verify: errors found" if self.verify_rc else "")
        if argv == ["crm_node", "-n"]:
            return RunResult(0, "srv01\n", "")
        return RunResult(0, "", "")

    def tools(self) -> list[str]:
        """The argv of every call, joined, for compact assertions."""
        return [" ".join(c) for c in self.calls]



def output(session: Session) -> str:
    return session.out.getvalue()  # type: ignore[attr-defined]


class FakeSource:
    """A completion source (``shell.completion_source``'s interface) over a small fixed cluster."""

    def resources(self, state: str | None = None) -> list[str]:
        table = {"running": ["web"], "stopped": ["db"], None: ["db", "web", "g1"]}
        return table[state]

    def nodes(self) -> list[str]:
        return ["srv01", "srv02"]

    def ra_classes(self) -> list[str]:
        return ["lsb", "ocf", "service", "stonith", "systemd"]

    def providers(self) -> list[str]:
        return ["heartbeat", "pacemaker"]

    def agents(self, ra_class: str, provider: str | None = None) -> list[str]:
        if ra_class == "stonith":
            return ["external/ssh", "external/ipmi", "meatware", "null", "ssh"]
        return {"heartbeat": ["Dummy", "IPaddr2"], "pacemaker": ["Dummy", "Stateful"]}.get(provider or "", ["Dummy"])

    def agent_params(self, agent: str) -> list[str]:
        return ["state", "fake"] if agent.endswith("Dummy") else []

    def shadows(self) -> list[str]:
        return ["test", "trial"]

    def elements(self) -> list[str]:
        return ["db", "web", "g1", "cib-bootstrap-options"]
