"""Console-script entry points of the low-level tools: hand over first, import the tool after.

A tool module imports our engine (CIB store, scheduler, renderers); on a real cluster none of that
is needed, because the process becomes Pacemaker's own tool.  So the entry points live here: each
chooses the backend (``crmsh_py.lowlevel.handover``, a few file reads) and only when the answer is
the bundled engine imports the tool and runs it.  crmsh calling our ``cibadmin`` on a live node
then pays an interpreter start, not our engine's imports.
"""

from __future__ import annotations

import sys


def _launch(tool: str, module: str) -> int:
    from crmsh_py.lowlevel.handover import hand_over

    handed = hand_over(tool, sys.argv[1:])
    if handed is not None:
        return handed
    from crmsh_py.lowlevel.toolio import console_main

    # The tool's own main() would choose the backend again (and repeat the notice saying why).
    # __import__ rather than importlib.import_module: importlib is one more import for every tool.
    name = f"crmsh_py.lowlevel.{module}"
    __import__(name)
    return console_main(tool, sys.modules[name].run, backend_chosen=True)


def cibadmin() -> int:
    """``cibadmin``."""
    return _launch("cibadmin", "cibadmin")


def crm_attribute() -> int:
    """``crm_attribute``."""
    return _launch("crm_attribute", "crm_attribute")


def crm_failcount() -> int:
    """``crm_failcount``."""
    return _launch("crm_failcount", "crm_failcount")


def crm_mon() -> int:
    """``crm_mon``."""
    return _launch("crm_mon", "crm_mon")


def crm_node() -> int:
    """``crm_node``."""
    return _launch("crm_node", "crm_node")


def crm_resource() -> int:
    """``crm_resource``."""
    return _launch("crm_resource", "crm_resource")


def crm_simulate() -> int:
    """``crm_simulate``."""
    import gc

    # A simulation builds many objects and frees few before the process ends: at the default
    # pace (a collection every 700 allocations) the cyclic collector takes ~5 % of a suite case
    # finding nothing, and even at 10,000 a first collection walks every object the imports made
    # (1-2 ms of a ~40 ms case, 11 ms of the largest, with the same peak memory: nothing is
    # cyclic garbage).  A first generation of 100,000 still collects (memory stays bounded);
    # most suite cases end before it fills.
    gc.set_threshold(100_000, 20, 20)
    return _launch("crm_simulate", "crm_simulate")


def crm_simulate_console() -> None:
    """The ``crm_simulate`` console script: :func:`crm_simulate`, then the process ends without the
    interpreter's teardown (``crmsh_py.process_exit``: a tenth of a small case's time)."""
    rc = crm_simulate()
    from crmsh_py.process_exit import finish

    finish(rc)


def crm_standby() -> int:
    """``crm_standby``."""
    return _launch("crm_standby", "crm_standby")


def crm_verify() -> int:
    """``crm_verify``."""
    return _launch("crm_verify", "crm_verify")


def crmadmin() -> int:
    """``crmadmin``."""
    return _launch("crmadmin", "crmadmin")


def stonith_admin() -> int:
    """``stonith_admin``."""
    return _launch("stonith_admin", "stonith_admin")


def crm_ticket() -> int:
    """``crm_ticket``."""
    return _launch("crm_ticket", "crm_ticket")
