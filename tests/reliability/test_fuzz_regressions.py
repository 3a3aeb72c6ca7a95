"""Inputs the reliability fuzz found crashing code owned by another part of the project.

Kept as regression tests; a failing one means the bug is back (route it to the owner named).
"""

from __future__ import annotations

import pytest

from crmsh_py.errors import ParseError
from crmsh_py.lang import parse


# FOUND BY THE FUZZ (tests/reliability/rel_fuzz.py, shell campaign; fixed meanwhile by helper J):
# an empty quoted word made the parser index an empty string: IndexError('string index out of range') in lang/parser.py _run
# (`value[0] in _OPEN`), shown to the user as "internal error".  Owner: crmsh_py/lang (helper J).
def test_an_empty_quoted_resource_reference_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(ParseError) as caught:
        parse('order dummy "" = configuration Stopped')
    assert (caught.value.line, caught.value.col) == (1, 13)
    assert 'bad resource reference ""' in str(caught.value)


def test_an_empty_quoted_parameter_is_refused_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import rel_common as rc

    cib = tmp_path / "cib.xml"
    cib.write_text('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/>'
                   '<resources/><constraints/></configuration><status/></cib>')
    before = cib.read_bytes()
    result = rc.run_crm(["configure", "primitive", "p", "Dummy", "params", "a=b", '""'],
                        {"CIB_file": str(cib), "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock")})
    assert result.rc == 1
    assert 'parameter "" is not known' in result.err and "Traceback" not in result.err
    assert cib.read_bytes() == before


# FOUND BY THE FUZZ (tool campaign, full counts): a NUL byte in a file name raised ValueError out of
# cibadmin/crm_simulate/crm_verify (open() refuses it), and crm_simulate -O to an unwritable path
# raised OSError.  Fixed in crmsh_py/lowlevel (each now reports the file and the reason).
@pytest.mark.parametrize("argv", [["cibadmin", "--create", "-x", "\x00"], ["crm_simulate", "-S", "-x", "\x00"],
                                  ["crm_verify", "-x", "\x00"], ["cibadmin", "-C", "-x", "BINARY"],
                                  ["crm_simulate", "-S", "-x", "/dev/null", "-O", "/nonexistent/dir/out.xml"]])
def test_bad_file_names_are_reported_not_raised(argv: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    import rel_common as rc

    cib = tmp_path / "cib.xml"
    cib.write_text('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/>'
                   '<resources/><constraints/></configuration><status/></cib>')
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00 not utf-8 \x80")
    argv = [str(binary) if word == "BINARY" else word for word in argv]
    result = rc.run_tool(argv, {"CIB_file": str(cib), "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock")})
    assert result.rc != 0 and result.err.strip()
