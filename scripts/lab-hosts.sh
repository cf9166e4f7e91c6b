#!/usr/bin/env bash
# Hosts by hand: network namespaces on the lab network (bridge mselab0 of `scripts/services.sh start`, as root), each
# with its own address, reaching the servers and each other. They stay until `down`. The work is done by
# `mselab bench hosts` (the same code as the tests' and `mselab bench failover`'s hosts); this script only calls it.
#
#   scripts/lab-hosts.sh up N                      make hosts mselab-dev-h1..N (prints number, namespace, address)
#   scripts/lab-hosts.sh list                      hosts, addresses, cut or up, servers blocked
#   scripts/lab-hosts.sh cut K | heal K            host K's link down (nothing in or out) | up again
#   scripts/lab-hosts.sh block K SERVER            drop what host K sends to postgres|rabbitmq|redis (unblock K SERVER undoes it)
#   scripts/lab-hosts.sh exec K CMD [ARGS...]      run CMD on host K, e.g. a worker advertising the host's address:
#       scripts/lab-hosts.sh exec 1 ./mselab-worker --profile lab-net.json --host h1 --advertise 10.231.N.1
#   scripts/lab-hosts.sh down                      remove the hosts with every process on them
#
# MSELAB_LAB_HOSTS_OWNER (default dev) names another set of hosts; MSELAB_CLI the mselab program (default ./mselab).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${MSELAB_CLI:-$root/mselab}"
owner=(--owner "${MSELAB_LAB_HOSTS_OWNER:-dev}")
[[ $# -ge 1 ]] || { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
verb="$1"; shift
case "$verb" in
  -h|--help|help) exec "$cli" bench hosts --help ;;
  exec)
    [[ $# -ge 2 ]] || { echo "usage: lab-hosts.sh exec K CMD [ARGS...]" >&2; exit 2; }
    host="$1"; shift
    exec "$cli" bench hosts exec "$host" "$(printf '%q ' "$@")" "${owner[@]}" ;;
  *) exec "$cli" bench hosts "$verb" "$@" "${owner[@]}" ;;
esac
