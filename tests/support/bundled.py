"""A bundled cluster to test against.

- ``make_cluster(path, monkeypatch)``: a fresh default 2-node cluster in ``path``, selected with
  ``CRM_CLUSTER_DIR``; returns the BundledCluster.
- ``load_demo(cluster)``: the reference demo's configuration (``DEMO_CONFIGURATION``) loaded.
- ``cluster_env(directory, config=DEMO)``: a fresh cluster loaded with crm text (``DEMO``,
  ``STONITH``: the demo in the shell's language) and the environment that selects it.
- ``SyslogCatcher``: binds a unix datagram socket at a temp path, sets ``CRM_SYSLOG_SOCKET``,
  ``lines()`` returns what arrived so far (non-blocking, bounded).
"""

from __future__ import annotations

import os
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

from support.ours import crm

DEMO_CONFIGURATION = """<configuration>
  <crm_config>
    <cluster_property_set id="cib-bootstrap-options">
      <nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="ignore"/>
      <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
      <nvpair id="cib-bootstrap-options-startup-fencing" name="startup-fencing" value="false"/>
    </cluster_property_set>
  </crm_config>
  <nodes/>
  <resources>
    <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
      <operations>
        <op id="dummy-start-0s" name="start" interval="0s" timeout="120s" on-fail="restart"/>
        <op id="dummy-monitor-10s" name="monitor" interval="10s" timeout="120s" on-fail="restart"/>
        <op id="dummy-stop-0s" name="stop" interval="0s" timeout="120s" on-fail="stop"/>
      </operations>
    </primitive>
  </resources>
  <constraints/>
  <rsc_defaults>
    <meta_attributes id="rsc-options">
      <nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="INFINITY"/>
      <nvpair id="rsc-options-migration-threshold" name="migration-threshold" value="1"/>
    </meta_attributes>
  </rsc_defaults>
</configuration>"""


def make_cluster(path: Path, monkeypatch) -> "object":  # type: ignore[no-untyped-def]
    """Create the default cluster in ``path`` and select it through ``CRM_CLUSTER_DIR``."""
    from crmsh_py.engine.controller import init_cluster

    monkeypatch.setenv("CRM_CLUSTER_DIR", str(path))
    return init_cluster(path)


def load_demo(cluster) -> None:  # type: ignore[no-untyped-def]
    """Put the demo configuration (properties, dummy, rsc_defaults) into ``cluster`` and settle."""
    with cluster.mutate("cibadmin") as snap:
        new = ET.fromstring(DEMO_CONFIGURATION)
        configuration = snap.section("configuration")
        props = configuration.find("crm_config/cluster_property_set")
        props.extend(list(new.find("crm_config/cluster_property_set")))
        for tag in ("resources", "rsc_defaults"):
            old = configuration.find(tag)
            if old is not None:
                configuration.remove(old)
            configuration.append(new.find(tag))


class SyslogCatcher:
    """A unix datagram socket standing in for /dev/log."""

    def __init__(self, path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.setblocking(False)
        monkeypatch.setenv("CRM_SYSLOG_SOCKET", str(path))

    def lines(self, limit: int = 1000) -> list[str]:
        """Every datagram received so far, decoded."""
        out: list[str] = []
        for _ in range(limit):
            try:
                out.append(self.sock.recv(65536).decode("utf-8", "replace"))
            except BlockingIOError:
                break
        return out

    def close(self) -> None:
        self.sock.close()


DEMO = """property no-quorum-policy=ignore stonith-enabled=false startup-fencing=false
rsc_defaults resource-stickiness=INFINITY migration-threshold=1
primitive dummy ocf:heartbeat:Dummy \\
    op start interval=0s timeout=120s on-fail=restart \\
    op monitor interval=10s timeout=120s on-fail=restart \\
    op stop interval=0s timeout=120s on-fail=stop
"""
STONITH = DEMO.replace("stonith-enabled=false", "stonith-enabled=true") + \
    'primitive st stonith:external/ssh params hostlist="srv01 srv02" passwd=secret123\n'


def cluster_env(directory: Path, config: str = DEMO) -> dict[str, str]:
    """A fresh 2-node bundled cluster in ``directory`` loaded with ``config``; its environment."""
    from crmsh_py.engine.controller import init_cluster

    env = {k: v for k, v in os.environ.items() if k not in ("CIB_file", "CRM_SYSLOG_SOCKET")}
    env.update({"CRM_CLUSTER_DIR": str(directory), "NO_COLOR": "1", "CRM_SYSLOG_SOCKET": str(directory / "none"),
                "XDG_CACHE_HOME": str(directory.parent / "xdg-cache"),
                "XDG_CONFIG_HOME": str(directory.parent / "xdg-config")})
    init_cluster(directory)
    source = directory / "setup.crm"
    source.write_text(config, encoding="utf-8")
    result = crm(["configure", "load", "update", str(source)], env)
    assert result.rc == 0, result.err
    return env
