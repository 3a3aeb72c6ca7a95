# The Dummy agent's behaviour, shared by ocf:heartbeat:Dummy and ocf:pacemaker:Dummy.
# The sourcing script sets DUMMY_OCF_VERSION (1.0 or 1.1) before calling dummy_main.

dummy_meta_data() {
    cat <<END
<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Dummy" version="1.0">
<version>${DUMMY_OCF_VERSION}</version>

<longdesc lang="en">
A resource that only records whether it runs: start writes a state file, stop removes
it, monitor looks for it.  It can be told to be slow (op_sleep) or to fail its start on
one node (fail_start_on), which makes it the agent of choice for trying out a cluster.
</longdesc>
<shortdesc lang="en">Example stateless resource agent</shortdesc>

<parameters>
<parameter name="state" unique="1">
<longdesc lang="en">
Path of the file that records that the resource runs.  The default lives in the
node's resource state directory.
</longdesc>
<shortdesc lang="en">State file</shortdesc>
<content type="string" default="\${HA_RSCTMP}/Dummy-\${OCF_RESOURCE_INSTANCE}.state" />
</parameter>

<parameter name="fake" unique="0" reloadable="1">
<longdesc lang="en">
A parameter without any effect; change it to try out a reload.
</longdesc>
<shortdesc lang="en">Fake attribute that can be changed to cause a reload</shortdesc>
<content type="string" default="dummy" />
</parameter>

<parameter name="op_sleep" unique="0" reloadable="1">
<longdesc lang="en">
Seconds every action sleeps before doing its work (a whole or decimal number).
</longdesc>
<shortdesc lang="en">Operation sleep duration in seconds</shortdesc>
<content type="string" default="0" />
</parameter>

<parameter name="fail_start_on" unique="0" reloadable="1">
<longdesc lang="en">
Name of a node on which every start fails with a generic error.
</longdesc>
<shortdesc lang="en">Node on which start fails</shortdesc>
<content type="string" default="" />
</parameter>

<parameter name="passwd" unique="0" reloadable="1">
<longdesc lang="en">
A fake secret: it is never used nor printed, which lets one check that secrets stay out
of the logs.
</longdesc>
<shortdesc lang="en">Password</shortdesc>
<content type="string" default="" />
</parameter>
</parameters>

<actions>
<action name="start"        timeout="20s" />
<action name="stop"         timeout="20s" />
<action name="monitor"      timeout="20s" interval="10s" depth="0" />
<action name="reload"       timeout="20s" />
<action name="reload-agent" timeout="20s" />
<action name="migrate_to"   timeout="20s" />
<action name="migrate_from" timeout="20s" />
<action name="meta-data"    timeout="5s" />
<action name="validate-all" timeout="20s" />
</actions>
</resource-agent>
END
}

dummy_state_file() {
    printf '%s' "${OCF_RESKEY_state:-$HA_RSCTMP/Dummy-$OCF_RESOURCE_INSTANCE.state}"
}

dummy_monitor() {
    if ocf_state_read "$(dummy_state_file)" >/dev/null; then
        return $OCF_SUCCESS
    fi
    return $OCF_NOT_RUNNING
}

dummy_start() {
    if [ -n "${OCF_RESKEY_fail_start_on:-}" ] && [ "$OCF_RESKEY_fail_start_on" = "$(ocf_node)" ]; then
        ocf_log err "start fails on $(ocf_node) as configured (fail_start_on)"
        return $OCF_ERR_GENERIC
    fi
    dummy_monitor && return $OCF_SUCCESS
    ocf_state_write "$(dummy_state_file)" started
}

dummy_stop() {
    ocf_state_remove "$(dummy_state_file)"
}

dummy_validate() {
    case "${OCF_RESKEY_op_sleep:-0}" in
        ''|*[!0-9.]*|*.*.*)
            ocf_log err "op_sleep must be a number of seconds, not '$OCF_RESKEY_op_sleep'"
            return $OCF_ERR_CONFIGURED ;;
    esac
    return $OCF_SUCCESS
}

dummy_main() {
    case "$__OCF_ACTION" in
        meta-data) dummy_meta_data; return $OCF_SUCCESS ;;
        usage|help) echo "usage: ${0##*/} {start|stop|monitor|migrate_to|migrate_from|reload|reload-agent|meta-data|validate-all}"
                    return $OCF_SUCCESS ;;
    esac
    dummy_validate || return $?
    ocf_op_sleep
    case "$__OCF_ACTION" in
        start) dummy_start ;;
        stop) dummy_stop ;;
        monitor|status) dummy_monitor ;;
        migrate_to)
            ocf_log info "migrating $OCF_RESOURCE_INSTANCE to ${OCF_RESKEY_CRM_meta_migrate_target:-?}"
            dummy_stop ;;
        migrate_from)
            ocf_log info "migrating $OCF_RESOURCE_INSTANCE from ${OCF_RESKEY_CRM_meta_migrate_source:-?}"
            dummy_start ;;
        reload|reload-agent) return $OCF_SUCCESS ;;
        validate-all) return $OCF_SUCCESS ;;
        *) echo "usage: ${0##*/} {start|stop|monitor|migrate_to|migrate_from|reload|reload-agent|meta-data|validate-all}" >&2
           return $OCF_ERR_UNIMPLEMENTED ;;
    esac
}
