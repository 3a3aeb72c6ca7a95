# A simulated container runtime, shared by the bundled ocf:heartbeat:docker, podman and rkt agents.
#
# Nothing is pulled or run: start records "<image> <node>" in $HA_RSCTMP/<runtime>-<instance>
# (HA_RSCTMP is per node), monitor checks that record, stop removes it.  The sourcing script sets
# CONTAINER_RUNTIME before calling container_main.

container_meta_data() {
    cat <<END
<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="${CONTAINER_RUNTIME}" version="1.0">
<version>1.0</version>

<longdesc lang="en">
Manages a container of a bundle.  This bundled version simulates the container: it records
which node runs it and with which image instead of asking a container runtime.
</longdesc>
<shortdesc lang="en">${CONTAINER_RUNTIME} container (simulated)</shortdesc>

<parameters>
<parameter name="image" unique="0" required="1">
<longdesc lang="en">The image the container runs.</longdesc>
<shortdesc lang="en">Container image</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="name" unique="0">
<longdesc lang="en">The container's name (the resource id by default).</longdesc>
<shortdesc lang="en">Container name</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="run_opts" unique="0">
<longdesc lang="en">Options a real runtime would get when it starts the container.</longdesc>
<shortdesc lang="en">Run options</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="run_cmd" unique="0">
<longdesc lang="en">The command a real runtime would run in the container.</longdesc>
<shortdesc lang="en">Run command</shortdesc>
<content type="string" default="" />
</parameter>
</parameters>

<actions>
<action name="start"        timeout="90s" />
<action name="stop"         timeout="90s" />
<action name="monitor"      timeout="30s" interval="30s" depth="0" />
<action name="meta-data"    timeout="5s" />
<action name="validate-all" timeout="30s" />
</actions>
</resource-agent>
END
}

container_record() {
    printf '%s' "$HA_RSCTMP/${CONTAINER_RUNTIME}-${OCF_RESOURCE_INSTANCE}"
}

container_main() {
    USAGE="usage: ${0##*/} {start|stop|status|monitor|meta-data|validate-all}"
    case "$__OCF_ACTION" in
        meta-data) container_meta_data; exit $OCF_SUCCESS ;;
        usage|help) echo "$USAGE"; exit $OCF_SUCCESS ;;
    esac
    if [ -z "${OCF_RESKEY_image:-}" ] && ! ocf_is_probe && [ "$__OCF_ACTION" != stop ]; then
        ocf_log err "the image parameter is mandatory"
        exit $OCF_ERR_CONFIGURED
    fi
    case "$__OCF_ACTION" in
        start)
            [ -f "$(container_record)" ] && exit $OCF_SUCCESS
            mkdir -p "$HA_RSCTMP" || exit $OCF_ERR_PERM
            printf '%s %s\n' "$OCF_RESKEY_image" "$(ocf_node)" >"$(container_record)" || exit $OCF_ERR_PERM ;;
        stop)
            rm -f "$(container_record)" || exit $OCF_ERR_PERM ;;
        monitor|status)
            [ -f "$(container_record)" ] || exit $OCF_NOT_RUNNING ;;
        validate-all) true ;;
        *) echo "$USAGE" >&2; exit $OCF_ERR_UNIMPLEMENTED ;;
    esac
    exit $OCF_SUCCESS
}
