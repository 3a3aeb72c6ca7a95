"""crmsh_py.lowlevel."""
