#!/bin/sh
# Count the definitions of the concepts issue 15 item 3 wants in one home (see house-order.md).
# Usage: sh docs/house-order-concepts.sh [CHECKOUT]   (default: this one)
d="${1:-$(dirname "$0")/..}/crmsh_py"
c() { printf '%-44s %s\n' "$1" "$(grep -rnE --include=*.py "$2" "$d" | wc -l)"; }
c "boolean readers and true-word sets"          '^def (is_true|_true|_flag)\(|^(TRUE_WORDS|_TRUE) = '
c "INFINITY constants"                          '^INFINITY = '
c "RESOURCE_TAGS constants"                     '^RESOURCE_TAGS = '
c "OP_ATTRIBUTES (schema) constants"            '^OP_ATTRIBUTES = '
c "XDG base-directory lookups"                  '(env|environ)\.get\("XDG_(STATE|CONFIG|CACHE)_HOME"\)'
c "cluster-directory lookups"                   '^def (default_cluster_dir|_env_cluster_dir|cluster_dir)\('
printf '%-44s %s\n' "modules building or applying CIB patches" \
    "$(grep -rlE --include=*.py '^def (apply_patch|build_patchset)\(|^def patch\(configuration' "$d" | wc -l)"
c "CIB version readers"                         '^def (versions|version_of|_epoch)\(|= \(int\([a-z]+\.get\("admin_epoch"'
c "cluster.yaml readers outside its home"       '^def read_definition\(|-\\s\*name:'
c "interval->ms unit tables"                    '^ *(_UNITS?_MS|_FACTOR|_MS|units)(: [^=]+)? = \{'
c "models of an agent parameter"                '^class \w*Param(eter)?(Info)?\b'
