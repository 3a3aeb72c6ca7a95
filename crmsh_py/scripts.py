"""What each installed command runs: the table behind the scripts in ``bin/``.

The commands are installed as plain scripts (setup.py installs ``bin/``), not as entry points: the
wrapper pip writes for an entry point imports ``re`` to tidy ``sys.argv[0]`` on Windows, and ``re``
with the ``enum`` it loads costs a one-shot about 5 ms of CPU, as much as its own work.  Each script
is two lines calling :func:`run` with its own name (``tests/test_scripts.py`` holds ``bin/`` and
this table to each other).
"""

import sys

#: command -> (module, function): the function returns the exit status, or ends the process itself
COMMANDS: dict[str, tuple[str, str]] = {
    "crm": ("crmsh_py.cli", "console"),
    "crm_resource": ("crmsh_py.lowlevel.launch", "crm_resource"),
    "crm_mon": ("crmsh_py.lowlevel.launch", "crm_mon"),
    "crmadmin": ("crmsh_py.lowlevel.launch", "crmadmin"),
    "cibadmin": ("crmsh_py.lowlevel.launch", "cibadmin"),
    "crm_attribute": ("crmsh_py.lowlevel.launch", "crm_attribute"),
    "crm_failcount": ("crmsh_py.lowlevel.launch", "crm_failcount"),
    "crm_standby": ("crmsh_py.lowlevel.launch", "crm_standby"),
    "crm_node": ("crmsh_py.lowlevel.launch", "crm_node"),
    "crm_verify": ("crmsh_py.lowlevel.launch", "crm_verify"),
    "stonith_admin": ("crmsh_py.lowlevel.launch", "stonith_admin"),
    "crm_simulate": ("crmsh_py.lowlevel.launch", "crm_simulate_console"),
    "crm_ticket": ("crmsh_py.lowlevel.launch", "crm_ticket"),
    "crm_engine": ("crmsh_py.lowlevel.crm_engine", "main"),
    "crm_history": ("crmsh_py.lowlevel.crm_history", "main"),
    "crm_report": ("crmsh_py.lowlevel.crm_report", "main"),
}


def run(command: str) -> None:
    """Run ``command``'s function and exit with its status."""
    module, function = COMMANDS[command]
    # __import__ rather than importlib.import_module: importlib is one more import per command
    __import__(module)
    sys.exit(getattr(sys.modules[module], function)())
