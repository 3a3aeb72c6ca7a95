"""What the tests share, one module per concern (importable as ``support.NAME`` from any test: the
``pythonpath`` of pytest's configuration in pyproject.toml puts ``tests/`` on the path).

- :mod:`support.ours`: run our ``crm`` and low-level tools (in-process or as a process).
- :mod:`support.reference`: run Pacemaker's and crmsh's own tools from /usr/sbin, the oracles.
- :mod:`support.bundled`: a bundled cluster to test against (create, load the demo, catch syslog).
- :mod:`support.cib_files`: CIB documents written to files for ``CIB_file``.
- :mod:`support.waiting`: wait for an event a test can observe, with a deadline only a hang reaches.
"""
