"""crmsh_py: a Python cluster shell in the tradition of Pacemaker's crm."""

__version__ = "0.1.0"
