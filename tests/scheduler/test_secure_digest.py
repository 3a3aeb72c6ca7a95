"""Masked private parameters (``op-secure-digest``) do not count as a definition change."""

from __future__ import annotations

from crmsh_py.engine import digest
from crmsh_py.engine.scheduler.secure_digest import is_fence_param, only_private_changed
from crmsh_py.engine.status import OpRecord


def _op(secure: str | None, feature_set: str) -> OpRecord:
    return OpRecord("start", 0, 0, 5, op_digest="0" * 32, secure_params=" passwd ", secure_digest=secure,
                    feature_set=feature_set)


def test_old_layout_ignores_private_and_fencing_parameters() -> None:
    params = {"ipaddr": "10.0.0.1", "passwd": "****", "pcmk_host_list": "n1", "login": "admin"}
    secure = digest.op_digest({"ipaddr": "10.0.0.1", "login": "admin"})
    assert only_private_changed(_op(secure, "3.0.10"), params, params, 20000, fence_device=True)
    # a real change of a public parameter still counts
    changed = {**params, "ipaddr": "10.0.0.2"}
    assert not only_private_changed(_op(secure, "3.0.10"), changed, changed, 20000, fence_device=True)


def test_new_layout_keeps_fencing_parameters() -> None:
    params = {"ipaddr": "10.0.0.1", "passwd": "****", "pcmk_host_list": "n1"}
    secure = digest.op_digest({"ipaddr": "10.0.0.1", "pcmk_host_list": "n1"})
    assert only_private_changed(_op(secure, "3.16.2"), params, params, 20000, fence_device=True)
    assert not only_private_changed(_op(None, "3.16.2"), params, params, 20000, fence_device=True)


def test_fence_parameter_names() -> None:
    assert is_fence_param("pcmk_reboot_action") and is_fence_param("pcmk_off_timeout")
    assert is_fence_param("provides") and not is_fence_param("pcmk_foo") and not is_fence_param("passwd")
