"""Resource agents: the OCF agents bundled with crmsh_py (``ocf/resource.d/{heartbeat,pacemaker}``,
real POSIX sh scripts), agent discovery and meta-data (``catalog``, ``metadata``), the stonith
plugin catalogue and simulated fencing (``stonith``), and the process runner (``process``) that
the engine's executor (``crmsh_py.engine.executor``) uses to run an agent action.
"""
