"""crmsh_py.backends."""
