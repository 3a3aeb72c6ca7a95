"""The bundled engine's scheduler: a pure, deterministic function (configuration, status) -> Transition,
held to Pacemaker 2.1.5's own regression suite (``tests/scheduler/test_pacemaker_suite.py``).

``plan`` is the only entry point; the stages live in this package's modules (see ``plan.py``).
"""

from crmsh_py.engine.scheduler.plan import plan
from crmsh_py.engine.scheduler.transition import Action, Transition

__all__ = ["plan", "Action", "Transition"]
