#!/usr/bin/env bash
# Private, loopback-only Postgres 15, RabbitMQ 3.10 and Redis 7 for development and the integration tests, with
# throwaway credentials (mselab/mselab). Nothing touches the system services: own data folders, ports, node name,
# Erlang distribution and epmd ports.
#
#   scripts/services.sh start [postgres|rabbitmq|redis ...]   start (all three by default); a service that already
#                                                             answers on its port is left alone
#   scripts/services.sh stop  [names ...]                      stop; data survives a stop/start (Redis: append-only file)
#   scripts/services.sh env                                    export lines for the tests (eval "$(... env)")
#   scripts/services.sh apphost-env                            export lines for `dotnet run --project AppHost` on them
#   scripts/services.sh vhost NAME                             RabbitMQ vhost NAME with full rights for mselab
#   scripts/services.sh prune-vhosts                           delete every RabbitMQ vhost but "/" (the tests' own, left
#                                                             by earlier runs: a restart recovers each, and 333 of them
#                                                             took the broker past its 60 s start)
#   scripts/services.sh lab-net                                print the lab network's addresses (below)
#
# The lab network: as root, start also puts a bridge "mselab0" (10.231.0.1/16) in this namespace, and each server
# listens on its own address there as well as on loopback: Postgres 10.231.0.2, RabbitMQ 10.231.0.3, Redis 10.231.0.4,
# same ports. Hosts in network namespaces on that bridge (tests/MseLab.Cluster.Tests, `mselab bench failover`,
# scripts/lab-hosts.sh) reach them there, and one server can be cut from one host alone (a route to its address). The
# bridge is private: no address outside 10.231.0.0/16, no forwarding, no route out. Not root, or no `ip`: loopback only.
#
# Base folder ${MSELAB_SERVICES_DIR:-/tmp/mselab-services}; ports MSELAB_PG_PORT (55432), MSELAB_MQ_PORT (5679),
# MSELAB_REDIS_PORT (56379). MSELAB_MQ_CONSUMER_TIMEOUT_MS sets RabbitMQ's delivery-acknowledgement timeout (unset:
# RabbitMQ's default, 30 min); it is read at broker start, so change it with stop rabbitmq + start rabbitmq.
#
# Measured on the dev machine (Debian 12, 2 cores, Postgres 15.18, RabbitMQ 3.10.8 on Erlang 25.2.3, Redis 7.0.15):
#   start: postgres 4.6 s new cluster (initdb + role), 0.8 s on existing data; rabbitmq 17.7 s first boot (incl. the
#          mselab user), 5.5-8.9 s restart (mnesia kept: durable queues and persistent messages survived); redis 0.1 s.
#   stop:  postgres 0.3 s, rabbitmq 3.6-5.3 s (rabbitmqctl shutdown waits for the node), redis 0.1 s.
#   vhost: 1.1 s (one rabbitmqctl eval, i.e. one Erlang VM start, instead of add_vhost + set_permissions).
#   consumer timeout, one delivery held unacked with consumer_timeout = 10000: RabbitMQ 3.10 checks it on the channel
#   tick (channel_tick_interval, 60000 ms by default), so with the default
#   tick the channel was closed (406 PRECONDITION_FAILED "delivery acknowledgement on channel 1 timed out") 60.0 s
#   after the delivery in all 7 timed runs, whatever the 10 s setting. This script therefore sets the tick to
#   MSELAB_MQ_CHANNEL_TICK_MS (default 1000) whenever a timeout is set: the close then came 10.0 s after the delivery
#   (5 of 5 runs). Expect setting + up to one tick.
set -euo pipefail

BASE=${MSELAB_SERVICES_DIR:-/tmp/mselab-services}
PG_PORT=${MSELAB_PG_PORT:-55432}
MQ_PORT=${MSELAB_MQ_PORT:-5679}
REDIS_PORT=${MSELAB_REDIS_PORT:-56379}
TIMEOUT=${MSELAB_SERVICES_TIMEOUT:-60}   # seconds each service gets to become ready
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ALL=(postgres rabbitmq redis)
NET_BRIDGE=mselab0
NET_GATEWAY=10.231.0.1
NET_PG=10.231.0.2
NET_MQ=10.231.0.3
NET_REDIS=10.231.0.4

if [[ $(id -u) -eq 0 ]]; then SUDO=; else SUDO=sudo; fi

say() { echo "$*"; }
fail() { echo "services.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# Waits until "$@" succeeds, up to $TIMEOUT seconds; on timeout prints the tail of the log $2 and fails.
wait_for() {
  local name=$1 log=$2; shift 2
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "services.sh: $name did not become ready within $TIMEOUT s; last lines of $log:" >&2
      tail -n 20 "$log" >&2 2>/dev/null || echo "(no log)" >&2
      exit 1
    fi
    sleep 0.1
  done
}

ensure_packages() {
  local need=()
  [[ -n "$(pg_bin)" ]] || need+=(postgresql)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || need+=(rabbitmq-server)
  command -v redis-server >/dev/null || need+=(redis-server)
  ((${#need[@]})) || return 0
  say "installing ${need[*]} (apt-get)"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
}

# ---------------------------------------------------------------- the lab network (see the top)
net_able() { [[ $(id -u) -eq 0 ]] && command -v ip >/dev/null; }
net_up() { [[ $(ip -o addr show dev "$NET_BRIDGE" 2>/dev/null) == *" $NET_REDIS/"* ]]; }   # no grep -q: pipefail and SIGPIPE

start_net() {
  net_able || return 0
  if net_up; then return; fi
  ip link show "$NET_BRIDGE" >/dev/null 2>&1 || ip link add "$NET_BRIDGE" type bridge
  local a
  for a in $NET_GATEWAY $NET_PG $NET_MQ $NET_REDIS; do
    ip addr replace "$a/16" dev "$NET_BRIDGE"
  done
  ip link set "$NET_BRIDGE" up
  say "lab network: bridge $NET_BRIDGE, servers at $NET_PG (postgres), $NET_MQ (rabbitmq), $NET_REDIS (redis)"
}

# The servers as hosts on the lab network reach them (the tests' MSELAB_NET_* variables).
net_env() {
  echo "export MSELAB_NET_BRIDGE=$NET_BRIDGE"
  echo "export MSELAB_NET_POSTGRES='Host=$NET_PG;Port=$PG_PORT;Database=mselab;Username=mselab;Password=mselab'"
  echo "export MSELAB_NET_RABBITMQ='amqp://mselab:mselab@$NET_MQ:$MQ_PORT/'"
  echo "export MSELAB_NET_REDIS='$NET_REDIS:$REDIS_PORT'"
}

# A server that was started before the lab network was: it is left alone, and the hosts there cannot reach it.
note_off_net() {
  if net_up && ! port_open "$2" "$3"; then
    say "$1: note: it listens on loopback only (started before the lab network); hosts in namespaces cannot reach it: 'stop $1' then 'start'"
  fi
}

# The addresses a server listens on: loopback, and its lab-network address when the bridge is up.
listen_on() { if net_up; then echo "127.0.0.1 $1"; else echo 127.0.0.1; fi; }

# ---------------------------------------------------------------- Postgres: private cluster in $BASE/postgres
PG_DIR=$BASE/postgres
PG_DATA=$PG_DIR/data
PG_LOG=$PG_DIR/server.log
PG_SOCK=$PG_DIR/socket

pg_bin() { ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
# The server refuses to run as root: as root, run it (and its tools) as the postgres user.
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_admin() { as_pg "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres "$@"; }
pg_ready() {
  "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" &&
    PGPASSWORD=mselab "$(pg_bin)/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U mselab -d mselab -c 'SELECT 1'
}

start_postgres() {
  if port_open "$PG_PORT"; then say "postgres: already running on 127.0.0.1:$PG_PORT"; note_off_net postgres "$PG_PORT" "$NET_PG"; return; fi
  local t0 bin fresh=
  t0=$(now); bin=$(pg_bin)
  mkdir -p "$PG_DIR"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$PG_DIR"; fi
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    fresh=1
    # Local socket: trust (only the postgres user reaches the private socket folder); TCP: passwords.
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"$PG_DIR/initdb.log" 2>&1 ||
      { tail -n 20 "$PG_DIR/initdb.log" >&2; fail "postgres: initdb failed"; }
  fi
  as_pg mkdir -p "$PG_SOCK"
  # Hosts on the lab network log in with passwords, as on loopback.
  grep -q "10.231.0.0/16" "$PG_DATA/pg_hba.conf" ||
    echo "host all all 10.231.0.0/16 scram-sha-256" | as_pg tee -a "$PG_DATA/pg_hba.conf" >/dev/null
  local listen; listen=$(listen_on "$NET_PG")
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -s \
    -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=${listen// /,} -c fsync=off -c max_connections=300" start >/dev/null 2>&1 ||
    { tail -n 20 "$PG_LOG" >&2; fail "postgres: pg_ctl start failed (log $PG_LOG)"; }
  wait_for postgres "$PG_LOG" "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
  if [[ -n $fresh ]]; then
    pg_admin -c "CREATE ROLE mselab LOGIN CREATEDB PASSWORD 'mselab'" -c "CREATE DATABASE mselab OWNER mselab" >/dev/null
  fi
  wait_for postgres "$PG_LOG" pg_ready
  say "postgres: started on ${listen// /, }:$PG_PORT ($(since "$t0")${fresh:+, new cluster})"
}

stop_postgres() {
  if [[ ! -s $PG_DATA/postmaster.pid ]]; then say "postgres: not running"; return; fi
  local t0; t0=$(now)
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -s -w stop >/dev/null
  say "postgres: stopped ($(since "$t0"))"
}

# ---------------------------------------------------------------- RabbitMQ: private node in $BASE/rabbitmq
MQ_DIR=$BASE/rabbitmq
MQ_NODE=mselab@localhost
MQ_LOG=$MQ_DIR/log/$MQ_NODE.log
EPMD_PORT=${MSELAB_EPMD_PORT:-4370}

# The environment of the private node, for the server and every CLI call alike. The Erlang schedulers do not busy-wait
# (+sbwt none): this broker shares a small machine with the database and the workers, and spinning would take their CPU. The /usr/lib/rabbitmq/bin scripts run
# as the calling user (the /usr/sbin wrappers would switch to 'rabbitmq' and its cookie); HOME holds a private cookie.
mq_env() {
  export HOME=$MQ_DIR/home RABBITMQ_NODENAME=$MQ_NODE RABBITMQ_DIST_PORT=$((MQ_PORT + 20000)) ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE=$MQ_DIR/mnesia RABBITMQ_LOG_BASE=$MQ_DIR/log \
    RABBITMQ_CONFIG_FILE=$MQ_DIR/rabbitmq.conf RABBITMQ_ADVANCED_CONFIG_FILE=$MQ_DIR/advanced.config \
    RABBITMQ_CONF_ENV_FILE=$MQ_DIR/rabbitmq-env.conf RABBITMQ_ENABLED_PLUGINS_FILE=$MQ_DIR/enabled_plugins \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}
mqctl() { (mq_env && /usr/lib/rabbitmq/bin/rabbitmqctl -q "$@"); }

start_rabbitmq() {
  if port_open "$MQ_PORT"; then
    local running
    running=$(sed -n 's/^consumer_timeout = //p' "$MQ_DIR/rabbitmq.conf" 2>/dev/null || true)
    say "rabbitmq: already running on 127.0.0.1:$MQ_PORT"
    note_off_net rabbitmq "$MQ_PORT" "$NET_MQ"
    if [[ ${MSELAB_MQ_CONSUMER_TIMEOUT_MS:-} != "$running" ]]; then
      say "rabbitmq: note: it runs with consumer_timeout ${running:-default} (set at its start), not ${MSELAB_MQ_CONSUMER_TIMEOUT_MS:-default}; 'stop rabbitmq' then 'start' to change it"
    fi
    return
  fi
  local t0; t0=$(now)
  mkdir -p "$MQ_DIR/home" "$MQ_DIR/log" "$MQ_DIR/mnesia"
  : >"$MQ_DIR/rabbitmq-env.conf"
  [[ -f $MQ_DIR/enabled_plugins ]] || echo '[].' >"$MQ_DIR/enabled_plugins"
  {
    echo "# written by scripts/services.sh at each start"
    echo "loopback_users = none"
    local i=0 a
    for a in $(listen_on "$NET_MQ"); do i=$((i + 1)); echo "listeners.tcp.$i = $a:$MQ_PORT"; done
    if [[ -n ${MSELAB_MQ_CONSUMER_TIMEOUT_MS:-} ]]; then echo "consumer_timeout = $MSELAB_MQ_CONSUMER_TIMEOUT_MS"; fi
  } >"$MQ_DIR/rabbitmq.conf"
  # RabbitMQ checks the timeout on the channel tick, every 60 s by default, so a 10 s timeout closed the channel 60 s
  # after the delivery; with a timeout set, tick every MSELAB_MQ_CHANNEL_TICK_MS (default 1000) so that it holds.
  if [[ -n ${MSELAB_MQ_CONSUMER_TIMEOUT_MS:-} ]]; then
    echo "[{rabbit, [{channel_tick_interval, ${MSELAB_MQ_CHANNEL_TICK_MS:-1000}}]}]." >"$MQ_DIR/advanced.config"
  else
    rm -f "$MQ_DIR/advanced.config"
  fi
  (mq_env && /usr/lib/rabbitmq/bin/rabbitmq-server -detached) >>"$MQ_DIR/log/detached.log" 2>&1
  wait_for rabbitmq "$MQ_LOG" port_open "$MQ_PORT"
  if [[ ! -f $MQ_DIR/users-done ]]; then
    # One CLI call (each costs an Erlang VM start): user mselab, administrator, full rights on /. Idempotent.
    mqctl eval '
      U = <<"mselab">>,
      case rabbit_auth_backend_internal:lookup_user(U) of
        {ok, _} -> ok;
        _ -> ok = rabbit_auth_backend_internal:add_user(U, U, <<"services.sh">>)
      end,
      ok = rabbit_auth_backend_internal:set_tags(U, [administrator], <<"services.sh">>),
      ok = rabbit_auth_backend_internal:set_permissions(U, <<"/">>, <<".*">>, <<".*">>, <<".*">>, <<"services.sh">>).' >/dev/null
    touch "$MQ_DIR/users-done"
  fi
  say "rabbitmq: started on $(listen_on "$NET_MQ" | sed 's/ /, /'):$MQ_PORT ($(since "$t0")${MSELAB_MQ_CONSUMER_TIMEOUT_MS:+, consumer_timeout $MSELAB_MQ_CONSUMER_TIMEOUT_MS ms})"
}

stop_rabbitmq() {
  if ! port_open "$MQ_PORT" && ! mqctl ping >/dev/null 2>&1; then say "rabbitmq: not running"; return; fi
  local t0; t0=$(now)
  mqctl shutdown >/dev/null 2>&1 || true   # waits for the node to exit
  # epmd outlives the node; this one is private (own port), so kill it.
  (mq_env && for _ in 1 2 3 4 5 6 7 8; do epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 && break; sleep 0.25; done) || true
  say "rabbitmq: stopped ($(since "$t0"))"
}

vhost() {
  local name=${1:?usage: services.sh vhost NAME}
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || fail "vhost: '$name' must be letters, digits, '.', '_' or '-'"
  # One CLI call instead of add_vhost + set_permissions (each call starts an Erlang VM, ~1 s).
  mqctl eval "
    V = <<\"$name\">>,
    case rabbit_vhost:exists(V) of
      true -> ok;
      false -> ok = rabbit_vhost:add(V, <<\"services.sh\">>)
    end,
    ok = rabbit_auth_backend_internal:set_permissions(<<\"mselab\">>, V, <<\".*\">>, <<\".*\">>, <<\".*\">>, <<\"services.sh\">>)." >/dev/null
}

# Every vhost but the default one, deleted in one CLI call: the tests create one per lab and leave them; a broker restart
# recovers every vhost's message stores, so they pile up into minutes. Only between test runs (a running test's vhost goes too).
prune_vhosts() {
  port_open "$MQ_PORT" || { say "rabbitmq: not running; no vhost to prune"; return; }
  local t0 n; t0=$(now)
  n=$(mqctl eval "
    Gone = [V || V <- rabbit_vhost:list_names(), V =/= <<\"/\">>],
    [ok = rabbit_vhost:delete(V, <<\"services.sh\">>) || V <- Gone],
    length(Gone).")
  say "rabbitmq: deleted $n vhosts ($(since "$t0"))"
}

# ---------------------------------------------------------------- Redis: no persistence
# Redis keeps Orleans cluster membership: an append-only file carries it across a stop/start, as a lab server would.
REDIS_DIR=$BASE/redis
REDIS_LOG=$REDIS_DIR/redis.log

start_redis() {
  if port_open "$REDIS_PORT"; then say "redis: already running on 127.0.0.1:$REDIS_PORT"; note_off_net redis "$REDIS_PORT" "$NET_REDIS"; return; fi
  local t0; t0=$(now)
  mkdir -p "$REDIS_DIR"
  # Protected mode would refuse the lab network's hosts (no password here); the bind list is what keeps it private.
  redis-server --bind $(listen_on "$NET_REDIS") --port "$REDIS_PORT" --protected-mode no --daemonize yes --dir "$REDIS_DIR" \
    --logfile "$REDIS_LOG" --pidfile "$REDIS_DIR/redis.pid" --save '' --appendonly yes --appendfsync everysec >/dev/null ||
    { tail -n 20 "$REDIS_LOG" >&2; fail "redis: redis-server failed"; }
  wait_for redis "$REDIS_LOG" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
  say "redis: started on $(listen_on "$NET_REDIS" | sed 's/ /, /'):$REDIS_PORT ($(since "$t0"))"
}

stop_redis() {
  if ! port_open "$REDIS_PORT"; then say "redis: not running"; return; fi
  local t0; t0=$(now)
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 10))
  while port_open "$REDIS_PORT" && ((SECONDS < deadline)); do sleep 0.05; done
  say "redis: stopped ($(since "$t0"))"
}

# ---------------------------------------------------------------- commands
names() {
  if (($# == 0)); then echo "${ALL[@]}"; return; fi
  for n in "$@"; do
    case $n in postgres | rabbitmq | redis) echo "$n" ;; *) fail "unknown service '$n' (postgres, rabbitmq, redis)" ;; esac
  done
}

command=${1:-}
shift || true
case $command in
  start)
    mkdir -p "$BASE" && chmod 755 "$BASE"   # the postgres user must reach its folder
    ensure_packages
    start_net
    for n in $(names "$@"); do "start_$n"; done
    ;;
  stop)
    for n in $(names "$@"); do "stop_$n"; done
    ;;
  env)
    echo "export MSELAB_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Database=mselab;Username=mselab;Password=mselab'"
    echo "export MSELAB_TEST_POSTGRES_ADMIN='Host=127.0.0.1;Port=$PG_PORT;Database=mselab;Username=mselab;Password=mselab'"
    echo "export MSELAB_TEST_RABBITMQ='amqp://mselab:mselab@127.0.0.1:$MQ_PORT/'"
    echo "export MSELAB_TEST_REDIS='127.0.0.1:$REDIS_PORT'"
    echo "export MSELAB_SERVICES_SCRIPT='$SELF'"
    if net_up; then net_env; else echo "unset MSELAB_NET_BRIDGE MSELAB_NET_POSTGRES MSELAB_NET_RABBITMQ MSELAB_NET_REDIS"; fi
    # The ack timeout the broker was started with (what the tests can rely on), not what this shell asks for.
    timeout_ms=$(sed -n 's/^consumer_timeout = //p' "$MQ_DIR/rabbitmq.conf" 2>/dev/null || true)
    if [[ -n $timeout_ms ]]; then echo "export MSELAB_MQ_CONSUMER_TIMEOUT_MS=$timeout_ms"; else echo "unset MSELAB_MQ_CONSUMER_TIMEOUT_MS"; fi
    ;;
  apphost-env)
    # The AppHost's existing-servers mode (README, "AppHost and observability"): database 'lab' (the migration service
    # creates it), the broker's default vhost, and Redis.
    echo "export ConnectionStrings__results='Host=127.0.0.1;Port=$PG_PORT;Database=lab;Username=mselab;Password=mselab'"
    echo "export ConnectionStrings__messaging='amqp://mselab:mselab@127.0.0.1:$MQ_PORT/'"
    echo "export ConnectionStrings__membership='127.0.0.1:$REDIS_PORT'"
    ;;
  vhost)
    vhost "$@"
    ;;
  prune-vhosts)
    prune_vhosts
    ;;
  lab-net)
    net_up || fail "lab-net: no lab network (bridge $NET_BRIDGE); it needs root and iproute2 at 'start'"
    net_env
    ;;
  *)
    echo "usage: services.sh start|stop [postgres|rabbitmq|redis ...] | env | apphost-env | vhost NAME | prune-vhosts | lab-net" >&2
    exit 2
    ;;
esac
