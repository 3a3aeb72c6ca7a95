"""crmsh_py.agents."""
