"""crmsh_py.lang."""
