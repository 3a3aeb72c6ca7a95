"""crmsh_py.shell.levels."""
