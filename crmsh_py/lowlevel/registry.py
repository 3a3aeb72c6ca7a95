"""Which low-level tools exist and how to run one in-process.

``run_tool(["crm_resource", "-M", "-r", "dummy"], io)`` imports ``crmsh_py.lowlevel.crm_resource``
lazily (one-shots must stay cheap) and calls its ``run(args, io)`` with the arguments after the
program name.  The bundled backend uses this instead of forking.
"""

from __future__ import annotations

import os
import sys

from crmsh_py.errors import CrmError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.gc_pace import SlowCollector
from crmsh_py.lowlevel.toolio import ToolIO, refuse_non_utf8, report_error, report_os_error

# program name -> module under crmsh_py.lowlevel
TOOLS: dict[str, str] = {
    "cibadmin": "cibadmin",
    "crm_attribute": "crm_attribute",
    "crm_engine": "crm_engine",
    "crm_failcount": "crm_failcount",
    "crm_history": "crm_history",
    "crm_mon": "crm_mon",
    "crm_node": "crm_node",
    "crm_report": "crm_report",
    "crm_resource": "crm_resource",
    "crm_simulate": "crm_simulate",
    "crm_standby": "crm_standby",
    "crm_ticket": "crm_ticket",
    "crm_verify": "crm_verify",
    "crmadmin": "crmadmin",
    "stonith_admin": "stonith_admin",
}


def tool_names() -> list[str]:
    """The names of all low-level tools, sorted."""
    return sorted(TOOLS)


def run_tool(argv: list[str], io: ToolIO) -> int:
    """Run the tool named by ``argv[0]`` (a path is allowed: its basename counts) with ``argv[1:]``.

    Unknown tool → message on stderr and ``CRM_EX_NOT_INSTALLED``; a ``CrmError`` escaping the tool
    is reported like the console script would report it.
    """
    if not argv:
        io.err("run_tool: no command given")
        return exitcodes.CRM_EX_USAGE
    name = os.path.basename(argv[0])
    module_name = TOOLS.get(name)
    if module_name is None:
        io.err(f"{name}: command not found")
        return exitcodes.CRM_EX_NOT_INSTALLED
    refused = refuse_non_utf8(io, name, list(argv[1:]))
    if refused is not None:
        return refused
    try:
        with SlowCollector():  # the tool's imports and its run build many objects and free few
            qualified = f"crmsh_py.lowlevel.{module_name}"
            __import__(qualified)  # not importlib.import_module: the importlib package stays unloaded
            module = sys.modules[qualified]
            return int(module.run(list(argv[1:]), io))
    except CrmError as error:
        return report_error(io, name, error)
    except OSError as error:  # a full disk, an unwritable directory: one line, no traceback
        return report_os_error(io, name, error)
