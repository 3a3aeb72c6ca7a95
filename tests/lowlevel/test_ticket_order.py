"""Tickets and a ticket's attributes are listed in Pacemaker's order: the walk of its string-keyed
GLib hash table (``crm_mon --tickets``, ``crm_ticket -l/-L``), neither sorted nor the CIB's order."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import shutil
from pathlib import Path

import pytest
from support.ours import tool_on as ours
from support.reference import SBIN, run_on as real

from crmsh_py.cib import dump, empty_cib
from crmsh_py.cib.pcmk_hash import hash_order, pcmk_str_hash

DATE = re.compile(r"'[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}'|\"[A-Z][a-z]{2} [^\"]*\"")


def test_orders_seen_in_pacemaker_2_1_5() -> None:
    # crm_mon --tickets after granting geo, then t2 standby, then t3 with an owner
    assert hash_order(["geo", "t2", "t3"]) == ["t3", "geo", "t2"]
    # crm_ticket -L of <ticket_state standby= expires= a= zzz= node=>
    assert hash_order(["standby", "expires", "a", "zzz", "node"]) == ["standby", "zzz", "a", "node", "expires"]
    assert hash_order(["granted", "last-granted", "owner", "standby"]) == ["granted", "standby", "last-granted", "owner"]


def _glib() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("glib-2.0")
    return ctypes.CDLL(name) if name else None


@pytest.mark.skipif(_glib() is None, reason="GLib is not installed")
def test_same_walk_as_glib_for_tables_that_grow() -> None:
    glib = _glib()
    assert glib is not None
    hash_func = ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_char_p)(lambda s: pcmk_str_hash(s.decode()))
    visit = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)
    glib.g_hash_table_new.restype = ctypes.c_void_p
    glib.g_hash_table_new.argtypes = [type(hash_func), ctypes.c_void_p]
    glib.g_hash_table_replace.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    glib.g_hash_table_foreach.argtypes = [ctypes.c_void_p, visit, ctypes.c_void_p]
    glib.g_hash_table_destroy.argtypes = [ctypes.c_void_p]
    for n in (1, 7, 8, 15, 16, 40):
        keys = [f"ticket-{i * 7919 % 1000}" for i in range(n)]
        kept = [ctypes.c_char_p(k.encode()) for k in keys]
        table = glib.g_hash_table_new(hash_func, ctypes.cast(glib.g_str_equal, ctypes.c_void_p))
        for key in kept:
            glib.g_hash_table_replace(table, key, key)
        walked: list[str] = []
        callback = visit(lambda k, v, u, into=walked: into.append(k.decode()))
        glib.g_hash_table_foreach(table, callback, None)
        glib.g_hash_table_destroy(table)
        assert hash_order(keys) == walked, n


@pytest.mark.skipif(not (SBIN / "crm_ticket").exists() or not (SBIN / "crm_mon").exists(),
                    reason="needs Pacemaker's crm_ticket and crm_mon in /usr/sbin")
def test_listings_in_pacemakers_order(tmp_path: Path) -> None:
    root = empty_cib()
    source = tmp_path / "cib.xml"
    source.write_text(dump(root))
    cibs = []
    for side in ("real", "ours"):
        path = tmp_path / side / "cib.xml"
        path.parent.mkdir()
        shutil.copy(source, path)
        cibs.append(path)
    steps = [["-t", "geo", "-g", "--force"], ["-t", "t2", "-s", "--force"], ["-t", "t3", "-S", "owner", "-v", "me"],
             ["-t", "t2", "-S", "expires", "-v", "1700000000"], ["-t", "t2", "-S", "a", "-v", "1"],
             ["-t", "t2", "-S", "zzz", "-v", "2"], ["-t", "t2", "-S", "node", "-v", "n1"]]
    for step in steps:
        assert real(["crm_ticket", *step], cibs[0])[0] == ours(["crm_ticket", *step], cibs[1])[0] == 0
    for argv in (["crm_ticket", "-l"], ["crm_ticket", "-L"], ["crm_mon", "-1", "--tickets"]):
        want, got = real(argv, cibs[0]), ours(argv, cibs[1])
        assert DATE.sub("DATE", got[1]).splitlines()[-4:] == DATE.sub("DATE", want[1]).splitlines()[-4:], argv
