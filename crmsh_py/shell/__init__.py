"""crmsh_py.shell."""
