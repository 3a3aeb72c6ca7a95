"""Reading the cluster's history back: logs, transition inputs, reports (used by crm_history and crm_report)."""
