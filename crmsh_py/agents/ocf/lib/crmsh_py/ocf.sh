# Shared shell functions for crmsh_py's bundled OCF agents (POSIX sh).
#
# Sourced by the agents as "${0%/*}/../../lib/crmsh_py/ocf.sh", so an agent works whatever
# OCF_ROOT says.  Everything here is simulation-friendly: no agent touches real system state
# beyond files under HA_RSCTMP (or an explicit "state" parameter).

OCF_SUCCESS=0
OCF_ERR_GENERIC=1
OCF_ERR_ARGS=2
OCF_ERR_UNIMPLEMENTED=3
OCF_ERR_PERM=4
OCF_ERR_INSTALLED=5
OCF_ERR_CONFIGURED=6
OCF_NOT_RUNNING=7
OCF_RUNNING_PROMOTED=8
OCF_FAILED_PROMOTED=9

: "${HA_RSCTMP:=/run/resource-agents}"
: "${OCF_RESOURCE_INSTANCE:=default}"

__OCF_ACTION="${1:-}"

# The node this action runs on: the engine tells us, a hand-run agent falls back to uname.
ocf_node() {
    if [ -n "${OCF_RESKEY_CRM_meta_on_node:-}" ]; then
        printf '%s' "$OCF_RESKEY_CRM_meta_on_node"
    else
        uname -n
    fi
}

# Messages go to stderr; the executor captures them as the operation's output.
ocf_log() {
    _lvl=$1
    shift
    printf '%s: %s: %s\n' "${0##*/}" "$_lvl" "$*" >&2
}

ocf_is_probe() {
    [ "$__OCF_ACTION" = "monitor" ] && [ "${OCF_RESKEY_CRM_meta_interval:-0}" = "0" ]
}

# Report a node attribute to the engine (the bundled stand-in for attrd_updater/crm_attribute).
# An empty value asks the engine to delete the attribute.
crm_sim_attr() {
    if [ -n "${CRM_SIM_ATTRS:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >>"$CRM_SIM_ATTRS"
    fi
}

# Name of the promotion score attribute, as crm_master names it: anonymous clone instances
# ("rsc:0") share the clone's score, globally unique ones keep their own.
ocf_promotion_attr() {
    _inst=$OCF_RESOURCE_INSTANCE
    case "${OCF_RESKEY_CRM_meta_globally_unique:-false}" in
        true|yes|1) ;;
        *) _inst=${_inst%%:*} ;;
    esac
    printf 'master-%s' "$_inst"
}

# Sleep for "op_sleep" seconds when asked: lets tests make an action outlast its timeout.
ocf_op_sleep() {
    if [ -n "${OCF_RESKEY_op_sleep:-}" ] && [ "$OCF_RESKEY_op_sleep" != "0" ]; then
        sleep "$OCF_RESKEY_op_sleep"
    fi
}

# State files hold "<word> <node>".  Many simulated nodes share one machine, so a shared path
# (say state=/tmp/d.state) must still look node-local: a file written by another node reads as
# "not running here".
ocf_state_write() {
    _dir=${1%/*}
    [ "$_dir" = "$1" ] || mkdir -p "$_dir" || return $OCF_ERR_PERM
    printf '%s %s\n' "$2" "$(ocf_node)" >"$1" || return $OCF_ERR_PERM
}

# Prints the state word when the file exists and belongs to this node; fails otherwise.
ocf_state_read() {
    [ -f "$1" ] || return 1
    read -r _word _node <"$1" || true
    if [ -n "$_node" ] && [ "$_node" != "$(ocf_node)" ]; then
        return 1
    fi
    printf '%s' "${_word:-started}"
}

ocf_state_remove() {
    if [ -f "$1" ] && ocf_state_read "$1" >/dev/null; then
        rm -f "$1" || return $OCF_ERR_PERM
    fi
    return 0
}

# RA tracing as ocf-shellfuncs does it (crm resource trace sets the op parameter trace_ra=1):
# the action's shell trace goes to TRACE_DIR/TYPE/INSTANCE.ACTION.DATE, TRACE_DIR being the op
# parameter trace_dir or $HA_VARLIB/trace_ra.  POSIX sh has no separate trace descriptor, so the
# action's stderr goes there too, as ocf-shellfuncs does under a shell other than bash.
ocf_start_trace() {
    case "${OCF_TRACE_RA:-${OCF_RESKEY_trace_ra:-}}" in
        1|yes|true|on|YES|TRUE|ON|y|Y) ;;
        *) return 0 ;;
    esac
    [ -n "$__OCF_ACTION" ] || return 0
    _trc_dir="${OCF_RESKEY_trace_dir:-${HA_VARLIB:-/var/lib/heartbeat}/trace_ra}/${OCF_RESOURCE_TYPE:-${0##*/}}"
    mkdir -p "$_trc_dir" 2>/dev/null || return 0
    _trc_file="$_trc_dir/$OCF_RESOURCE_INSTANCE.$__OCF_ACTION.$(date +%F.%T)"
    : >"$_trc_file" 2>/dev/null || return 0
    exec 2>>"$_trc_file"
    set -x
}
ocf_start_trace
