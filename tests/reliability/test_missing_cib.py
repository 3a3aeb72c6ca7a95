"""Issue 13 item 4 (and issue 11's "a read-only command never creates state"): a missing cib.xml is
damage to report and repair, never a reason to re-initialise; on a machine without any cluster,
read-only commands create nothing and the first write creates the default cluster."""

from __future__ import annotations

from pathlib import Path

import rel_common as rc
import rel_probes


def test_missing_cib_is_reported_not_reinitialised(tmp_path: Path) -> None:
    assert rel_probes.probe_missing_cib(tmp_path, rounds=1) == []


def test_the_crm_mon_error_names_the_file_and_the_repair(cluster_dir: Path, env: dict[str, str]) -> None:
    (cluster_dir / "cib.xml").unlink()
    result = rc.run_tool(["crm_mon", "-1"], env)
    assert result.rc == 78
    assert result.err == (f"crm_mon: {cluster_dir / 'cib.xml'}: No such file or directory\n"
                          "  run 'crm cluster repair' (README: Recovering a broken cluster directory)\n")
    assert not (cluster_dir / "cib.xml").exists()


def test_read_only_commands_show_the_default_cluster_without_creating_it(tmp_path: Path) -> None:
    env = rc.base_env(tmp_path / "nothing" / "cluster")
    result = rc.run_tool(["crmadmin", "-D"], env)
    assert result.rc == 0 and "srv02" in result.out
    assert not (tmp_path / "nothing").exists()


def test_the_interactive_shell_start_creates_only_a_missing_cluster(tmp_path: Path) -> None:
    import pytest

    import io

    from crmsh_py.backends.bundled import BundledBackend
    from crmsh_py.errors import CibFileError

    fresh = tmp_path / "fresh" / "cluster"
    err = io.StringIO()
    BundledBackend(rc.base_env(fresh)).ensure_cluster(err)  # what the REPL does as it starts
    assert (fresh / "cib.xml").exists() and "created a 2-node cluster" in err.getvalue()
    (fresh / "cib.xml").unlink()
    with pytest.raises(CibFileError, match="crm cluster repair"):
        BundledBackend(rc.base_env(fresh)).ensure_cluster(err)
    assert not (fresh / "cib.xml").exists()
