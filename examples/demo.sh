#!/usr/bin/env bash
# The reference demo (OSC 2011 Kansai, Pacemaker 1.0.11 on Heartbeat) on the bundled cluster, then
# what the demo's audience asked for: monitor failure and failover, standby, fencing, a live
# migration (and a reload), and a ticket-bound resource failing over from one site to another.
#
#   bash examples/demo.sh [CLUSTER_DIR]
#
# Runs in a fresh cluster directory (default: a new temp dir) and stops its engine daemon on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CRM_CLUSTER_DIR="${1:-$(mktemp -d)/cluster}"
export NO_COLOR=1
step() { printf '\n### %s\n' "$*"; }
show() { printf '[root@srv01 ~]# %s\n' "$*"; "$@"; }
trap 'crm cluster stop >/dev/null 2>&1 || true' EXIT

step "A two-node Heartbeat-era cluster: srv01, srv02"
crm cluster init --name demo --stack Heartbeat --version 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87
show crm configure load update "$here/demo.crm"
show crm_mon -1

step "Move, and what the log says"
show crm -R resource move dummy srv02 force
grep -h "Invoked: crm" "$CRM_CLUSTER_DIR/ha-log" | tail -2
show crm -R resource unmove dummy
grep -h "Invoked: crm" "$CRM_CLUSTER_DIR/ha-log" | tail -2
show crm_mon -1 | tail -1
show crmadmin -D

step "The stonith plugins"
show crm ra list stonith | head -7

step "Time passes: the engine daemon runs the recurring monitor"
show crm cluster start
# Make the monitor interval short for the demo: 2s instead of 10s.
crm configure load update - <<'CRM'
primitive dummy ocf:heartbeat:Dummy \
    op start interval="0s" timeout="120s" on-fail="restart" \
    op monitor interval="2s" timeout="120s" on-fail="restart" \
    op stop interval="0s" timeout="120s" on-fail="stop"
CRM
node=$(crm_resource -W -r dummy | awk '{print $NF}')
echo "dummy runs on $node; removing its state file behind the cluster's back"
rm -f "$CRM_CLUSTER_DIR/nodes/$node/rsctmp/"*dummy*
for _ in $(seq 1 20); do
    crm_mon -1 -f | grep -q "fail-count=1" && break
    sleep 0.5
done
show crm_mon -1 -f
show crm resource cleanup dummy

step "Standby moves it away"
now=$(crm_resource -W -r dummy | awk '{print $NF}')
show crm node standby "$now"
show crm_mon -1
show crm node online "$now"

step "Fencing without hardware: a node fails, gets fenced, rejoins"
crm configure load update - <<'CRM'
primitive st-ssh stonith:external/ssh params hostlist="srv01 srv02"
property stonith-enabled=true
CRM
victim=$(crm_resource -W -r dummy | awk '{print $NF}')
show crm cluster inject node-fail "$victim"
show crm_mon -1
show stonith_admin --history "$victim"

step "Live migration: a virtual machine changes node without a restart"
show crm cluster inject node-up "$victim"
crm configure load update - <<'CRM'
primitive vm ocf:heartbeat:Dummy params fake=1 meta allow-migrate=true \
    op monitor interval=10s timeout=20s
CRM
from=$(crm_resource -W -r vm | awk '{print $NF}')
to=$([ "$from" = srv01 ] && echo srv02 || echo srv01)
show crm -R resource move vm "$to" force
grep -h "operation for vm" "$CRM_CLUSTER_DIR/ha-log" | grep -E "migrate_(to|from)|stop" | tail -3
show crm_mon -1 | grep vm
echo "A parameter the agent can reload is applied in place:"
show crm resource param vm set fake 2
grep -h "operation for vm" "$CRM_CLUSTER_DIR/ha-log" | tail -2
show crm resource unmove vm

step "Geo tickets: a resource runs at the site that holds its ticket"
site_b="$(dirname "$CRM_CLUSTER_DIR")/site-b"
at_site_b() { CRM_CLUSTER_DIR="$site_b" "$@"; }
at_site_b crm cluster init --name site-b --nodes srv03,srv04 >/dev/null 2>&1
crm configure load update - <<'CRM'
primitive web ocf:heartbeat:Dummy op monitor interval=10s timeout=20s
rsc_ticket web-needs-geo geo: web loss-policy=stop
CRM
at_site_b crm configure load update - <<'CRM'
property stonith-enabled=false
primitive web ocf:heartbeat:Dummy op monitor interval=10s timeout=20s
rsc_ticket web-needs-geo geo: web loss-policy=stop
CRM
show crm -F -R site ticket grant geo
show crm_mon -1 -r | grep web
echo "Site A loses the ticket: web stops there (loss-policy=stop) ..."
show crm -F site ticket revoke geo
show crm site ticket show geo
show crm_mon -1 -r | grep web
echo "... and site B, granted the ticket, starts it:"
show at_site_b crm -F site ticket grant geo
show at_site_b crm_mon -1 -r | grep web
show at_site_b crm_ticket -l
show crm cluster stop
