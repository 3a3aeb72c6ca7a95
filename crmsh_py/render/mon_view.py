"""The view the status displays print: the engine's status view (:mod:`crmsh_py.engine.status_view`),
named here for the displays and the shell, which read the engine through the render layer."""

from __future__ import annotations

from crmsh_py.engine.status_view_records import ClusterView as ClusterView
from crmsh_py.engine.status_view_records import NodeView as NodeView
from crmsh_py.engine.status_view_records import OpView as OpView
from crmsh_py.engine.status_view_records import ResourceView as ResourceView
from crmsh_py.engine.status_view import build_view as build_view
from crmsh_py.engine.status_view import fail_counts as fail_counts
from crmsh_py.engine.status_view import fold_role as fold_role
