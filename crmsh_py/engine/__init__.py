"""crmsh_py.engine."""
