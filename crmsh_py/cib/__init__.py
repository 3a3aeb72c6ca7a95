"""crmsh_py.cib."""
