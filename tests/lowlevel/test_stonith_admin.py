"""stonith_admin: device listings, metadata, fencing a simulated node, history, bad arguments."""

from __future__ import annotations

from pathlib import Path

from support.cib_files import DEMO_RUNNING, write_cib
from support.ours import tool_on as ours

WITH_FENCE = DEMO_RUNNING.replace(
    "</resources>",
    '<primitive id="fence" class="stonith" type="null"><instance_attributes id="fence-instance_attributes">'
    '<nvpair id="fence-instance_attributes-hostlist" name="hostlist" value="srv01 srv02"/>'
    "</instance_attributes></primitive></resources>")


def test_list_installed_and_metadata() -> None:
    rc, out, _ = ours(["stonith_admin", "-I"])
    lines = out.splitlines()
    assert rc == 0 and " null" in lines and lines[-1] == f"{len(lines) - 1} fence devices found"
    rc, out, _ = ours(["stonith_admin", "-M", "-a", "null"])
    assert rc == 0 and "<resource-agent" in out
    assert ours(["stonith_admin", "-M", "-a", "nosuchplugin"])[0] == 105


def test_registered_devices_and_targets(tmp_path: Path) -> None:
    cib = write_cib(tmp_path, WITH_FENCE)
    assert ours(["stonith_admin", "-L"], cib)[1] == " fence\n1 fence device found\n"
    assert ours(["stonith_admin", "-l", "srv02"], cib)[1] == " fence\n1 fence device found\n"
    assert ours(["stonith_admin", "-l", "srv09"], cib)[1] == "0 fence devices found\n"


def test_bad_arguments() -> None:
    assert ours(["stonith_admin", "--bogus"]) == (64, "", "stonith_admin: Unknown option --bogus\n")
    assert ours(["stonith_admin"])[0] == 64
    assert ours(["stonith_admin", "-M"])[0] == 64


def test_reboot_and_history_on_the_bundled_cluster(tmp_path: Path) -> None:
    from crmsh_py.engine.controller import init_cluster, open_cluster

    cluster = init_cluster(tmp_path / "c")
    with cluster.mutate("test", settle=False) as snap:
        import xml.etree.ElementTree as ET

        snap.section("resources").append(ET.fromstring(
            '<primitive id="fence" class="stonith" type="null"><instance_attributes id="f-ia">'
            '<nvpair id="f-ia-h" name="hostlist" value="srv01 srv02"/></instance_attributes></primitive>'))
    env = {"CRM_CLUSTER_DIR": str(tmp_path / "c")}
    rc, out, err = ours(["stonith_admin", "-B", "srv02"], None, **env)
    assert (rc, err) == (0, "")
    history = ours(["stonith_admin", "-H", "srv02"], None, **env)[1]
    assert history.startswith("reboot of srv02 successful: delegate=")
    assert ours(["stonith_admin", "-B", "srv09"], None, **env)[0] == 105
    assert open_cluster(env).read().root is not None
