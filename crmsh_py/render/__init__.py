"""crmsh_py.render."""
