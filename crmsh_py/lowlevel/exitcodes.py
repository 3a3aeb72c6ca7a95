"""Pacemaker's exit codes (``crm_exit_t``) and their texts, as ``crm_error -X -l`` lists them.

Low-level tools return these; the crm shell itself uses 0/1.
"""

from __future__ import annotations

CRM_EX_OK = 0
CRM_EX_ERROR = 1
CRM_EX_INVALID_PARAM = 2
CRM_EX_UNIMPLEMENT_FEATURE = 3
CRM_EX_INSUFFICIENT_PRIV = 4
CRM_EX_NOT_INSTALLED = 5
CRM_EX_NOT_CONFIGURED = 6
CRM_EX_NOT_RUNNING = 7
CRM_EX_PROMOTED = 8
CRM_EX_FAILED_PROMOTED = 9
CRM_EX_USAGE = 64
CRM_EX_DATAERR = 65
CRM_EX_NOINPUT = 66
CRM_EX_NOUSER = 67
CRM_EX_NOHOST = 68
CRM_EX_UNAVAILABLE = 69
CRM_EX_SOFTWARE = 70
CRM_EX_OSERR = 71
CRM_EX_OSFILE = 72
CRM_EX_CANTCREAT = 73
CRM_EX_IOERR = 74
CRM_EX_TEMPFAIL = 75
CRM_EX_PROTOCOL = 76
CRM_EX_NOPERM = 77
CRM_EX_CONFIG = 78
CRM_EX_FATAL = 100
CRM_EX_PANIC = 101
CRM_EX_DISCONNECT = 102
CRM_EX_OLD = 103
CRM_EX_DIGEST = 104
CRM_EX_NOSUCH = 105
CRM_EX_QUORUM = 106
CRM_EX_UNSAFE = 107
CRM_EX_EXISTS = 108
CRM_EX_MULTIPLE = 109
CRM_EX_EXPIRED = 110
CRM_EX_NOT_YET_IN_EFFECT = 111
CRM_EX_INDETERMINATE = 112
CRM_EX_UNSATISFIED = 113
CRM_EX_TIMEOUT = 124
CRM_EX_DEGRADED = 190
CRM_EX_DEGRADED_PROMOTED = 191
CRM_EX_NONE = 193

EXIT_TEXTS: dict[int, str] = {
    0: "OK",
    1: "Error occurred",
    2: "Invalid parameter",
    3: "Unimplemented",
    4: "Insufficient privileges",
    5: "Not installed",
    6: "Not configured",
    7: "Not running",
    8: "Promoted",
    9: "Failed in promoted role",
    64: "Incorrect usage",
    65: "Invalid data given",
    66: "Input file not available",
    67: "User does not exist",
    68: "Host does not exist",
    69: "Necessary service unavailable",
    70: "Internal software bug",
    71: "Operating system error occurred",
    72: "System file not available",
    73: "Cannot create output file",
    74: "I/O error occurred",
    75: "Temporary failure, try again",
    76: "Protocol violated",
    77: "Insufficient privileges",
    78: "Invalid configuration",
    100: "Fatal error occurred, will not respawn",
    101: "System panic required",
    102: "Not connected",
    103: "Update was older than existing configuration",
    104: "Digest mismatch",
    105: "No such object",
    106: "Quorum required",
    107: "Operation not safe",
    108: "Requested item already exists",
    109: "Multiple items match request",
    110: "Requested item has expired",
    111: "Requested item is not yet in effect",
    112: "Could not determine status",
    113: "Not applicable under current conditions",
    124: "Timeout occurred",
    190: "Service is active but might fail soon",
    191: "Service is promoted but might fail soon",
    193: "No exit status available",
}


def exit_text(code: int) -> str:
    """The human text of an exit code (``crm_error -X CODE``); unknown codes get a generic text."""
    return EXIT_TEXTS.get(code, f"Unknown exit status {code}")
