#!/usr/bin/env bash
# Redis with failover on this machine, from Debian's redis-server and redis-sentinel, beside (never instead of) the
# machine's Redis on 6379: a master on 127.0.0.1:6391, a replica of it on 6392, and three Sentinels on 26391..26393
# that watch the master under the name `restaurant` (quorum 2) and promote the replica when it goes away. Each has
# its own folder (config, pid file, log) under one base folder. Nothing is saved to disk: the replica holds the copy.
#
#   bash scripts/redis-sentinel.sh start     start the five and wait until the Sentinels know each other (does nothing if up)
#   bash scripts/redis-sentinel.sh status    each member, up or down with its role, and the master the Sentinels name
#   bash scripts/redis-sentinel.sh stop      stop all five and remove their folders
#   bash scripts/redis-sentinel.sh sentinels the REDIS_SENTINELS list naming the three Sentinels
#
# Settings: REDIS_SENTINEL_BASE (/tmp/restaurant-redis-sentinel), REDIS_SENTINEL_SERVER_PORTS ("6391 6392": master,
# then replica), REDIS_SENTINEL_PORTS ("26391 26392 26393"), REDIS_MASTER_NAME (restaurant),
# SENTINEL_DOWN_AFTER_MS (5000: how long the master may not answer before it is down) and
# SENTINEL_FAILOVER_TIMEOUT_MS (60000: how long one failover may take before another Sentinel tries).
set -euo pipefail

BASE=${REDIS_SENTINEL_BASE:-/tmp/restaurant-redis-sentinel}
read -r -a SERVER_PORTS <<<"${REDIS_SENTINEL_SERVER_PORTS:-6391 6392}"
read -r -a SENTINEL_PORTS <<<"${REDIS_SENTINEL_PORTS:-26391 26392 26393}"
MASTER_NAME=${REDIS_MASTER_NAME:-restaurant}
DOWN_AFTER_MS=${SENTINEL_DOWN_AFTER_MS:-5000}
FAILOVER_TIMEOUT_MS=${SENTINEL_FAILOVER_TIMEOUT_MS:-60000}
MASTER_PORT=${SERVER_PORTS[0]}
REPLICA_PORT=${SERVER_PORTS[1]}

source "$(dirname "$0")/lib.sh"

cli() { timeout 5 redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
answers() { [ "$(cli "$1" ping 2>/dev/null)" = PONG ]; }
dir_of() { echo "$BASE/$1"; }

# No persistence: a master that comes back empty is demoted by the Sentinels before anyone writes to it.
launch_server() {
  local port=$1 dir
  shift
  dir=$(dir_of "$port")
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" \
    --logfile "$dir/redis.log" --save "" --appendonly no --repl-diskless-sync-delay 0 "$@"
}

# A Sentinel rewrites its config file as it learns (replicas, other Sentinels, epochs): each has its own.
launch_sentinel() {
  local port=$1 dir
  dir=$(dir_of "$port")
  mkdir -p "$dir"
  cat >"$dir/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
daemonize yes
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
sentinel monitor $MASTER_NAME 127.0.0.1 $MASTER_PORT 2
sentinel down-after-milliseconds $MASTER_NAME $DOWN_AFTER_MS
sentinel failover-timeout $MASTER_NAME $FAILOVER_TIMEOUT_MS
sentinel parallel-syncs $MASTER_NAME 1
EOF
  redis-sentinel "$dir/sentinel.conf"
}

replica_in_sync() { cli "$REPLICA_PORT" info replication | grep -q 'master_link_status:up'; }
# A failover needs votes: each Sentinel must have heard of the other two (hello messages, every 2 s) and the replica.
sentinel_sees_all() {
  local fields
  fields=$(cli "$1" sentinel master "$MASTER_NAME" | paste -sd' ')
  [[ "$fields" == *"num-other-sentinels 2"* && "$fields" == *"num-slaves 1"* ]]
}

all_answer() {
  local port
  for port in "${SERVER_PORTS[@]}" "${SENTINEL_PORTS[@]}"; do answers "$port" || return 1; done
}

# Up means all five answer. Anything less (one left over from an earlier run, a failover's dead master) starts afresh,
# so that no empty master can come up beside a promoted replica.
start() {
  local began=$SECONDS port
  if all_answer; then echo "Redis with Sentinel already up: master $MASTER_NAME, sentinels $(sentinels)"; return; fi
  stop
  launch_server "$MASTER_PORT"
  launch_server "$REPLICA_PORT" --replicaof 127.0.0.1 "$MASTER_PORT"
  wait_until "the master to answer" 20 answers "$MASTER_PORT"
  wait_until "the replica to sync" 20 replica_in_sync
  for port in "${SENTINEL_PORTS[@]}"; do launch_sentinel "$port"; done
  for port in "${SENTINEL_PORTS[@]}"; do wait_until "Sentinel $port to see the others" 30 sentinel_sees_all "$port"; done
  echo "Redis with Sentinel up in $((SECONDS - began)) s: master $MASTER_NAME, sentinels $(sentinels)"
}

status() {
  local port role
  for port in "${SERVER_PORTS[@]}"; do
    role=$(cli "$port" info replication 2>/dev/null | sed -n 's/^role:\(.*\)\r$/\1/p' || true)
    echo "redis $port: ${role:-down}"
  done
  for port in "${SENTINEL_PORTS[@]}"; do
    if answers "$port"; then
      echo "sentinel $port: master at $(cli "$port" sentinel get-master-addr-by-name "$MASTER_NAME" | paste -sd:)"
    else
      echo "sentinel $port: down"
    fi
  done
}

# A daemon's parent is the machine's init, which may take a while to reap it: a zombie has exited.
exited() { local state; state=$(ps -o stat= -p "$1") || return 0; [[ $state == Z* ]]; }

# Stops only the processes whose pid files are ours, and only while their command line still names our port.
stop_member() {
  local port=$1 pidfile pid
  pidfile="$(dir_of "$port")/redis.pid"
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "127.0.0.1:$port\b"; then
    kill "$pid" 2>/dev/null || true
    wait_until "redis $port to stop" 10 exited "$pid"
  fi
}

stop() {
  local port
  for port in "${SENTINEL_PORTS[@]}" "${SERVER_PORTS[@]}"; do stop_member "$port"; done
  rm -rf "$BASE"
}

sentinels() {
  local port list=()
  for port in "${SENTINEL_PORTS[@]}"; do list+=("127.0.0.1:$port"); done
  (IFS=,; echo "${list[*]}")
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  sentinels) sentinels ;;
  *) echo "usage: $0 start|status|stop|sentinels" >&2; exit 64 ;;
esac
