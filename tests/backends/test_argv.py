"""The low-level argv builder: what runs vs. what -R shows."""

from crmsh_py.backends.argv import Cmd, quote


def test_move_display_matches_the_demo() -> None:
    cmd = Cmd("crm_resource").flag("-M").opt("-r", "dummy").long("--node", "srv02").flag("--force")
    assert cmd.display() == "crm_resource -M -r 'dummy' --node='srv02' --force"
    assert cmd.argv() == ["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"]


def test_user_values_with_quotes_are_escaped_for_display_only() -> None:
    cmd = Cmd("crm_attribute").opt("-v", "it's")
    assert cmd.display() == "crm_attribute -v 'it'\\''s'"
    assert cmd.argv() == ["crm_attribute", "-v", "it's"]
    assert quote("a b") == "'a b'"


def test_positional_values_are_quoted() -> None:
    assert Cmd("crm_node").arg("srv01").display() == "crm_node 'srv01'"
