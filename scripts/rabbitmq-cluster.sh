#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine, from Debian's rabbitmq-server, beside (never instead of) the machine's
# default node on 5672: nodes restaurant-1@localhost .. restaurant-3@localhost, AMQP on 127.0.0.1:5681..5683,
# distribution on 127.0.0.1:25681..25683, each with its own config, env file, data and logs under one base folder.
# Nodes 2 and 3 join node 1 (`rabbitmqctl join_cluster`); all share the rabbitmq user's Erlang cookie.
#
#   bash scripts/rabbitmq-cluster.sh start           start the three nodes and cluster them (does nothing if up)
#   bash scripts/rabbitmq-cluster.sh status          each node, up or down, and the cluster's running members
#   bash scripts/rabbitmq-cluster.sh stop-node N     kill member N's Erlang VM (as a lost machine goes away)
#   bash scripts/rabbitmq-cluster.sh start-node N    start member N again; it rejoins with its data
#   bash scripts/rabbitmq-cluster.sh stop            stop all three and remove their folders
#   bash scripts/rabbitmq-cluster.sh urls            the AMQP_URL list naming the three members
#
# Settings: RABBITMQ_CLUSTER_BASE (/var/lib/rabbitmq/restaurant-cluster), RABBITMQ_CLUSTER_PORTS ("5681 5682 5683"),
# RABBITMQ_CLUSTER_NAME (restaurant: node names are NAME-1@localhost ..). Run as root (or with sudo).
set -euo pipefail

BASE=${RABBITMQ_CLUSTER_BASE:-/var/lib/rabbitmq/restaurant-cluster}
read -r -a PORTS <<<"${RABBITMQ_CLUSTER_PORTS:-5681 5682 5683}"
NAME=${RABBITMQ_CLUSTER_NAME:-restaurant}
MEMBERS=(1 2 3)
# Erlang's port mapper, started by the first Erlang program, listens on loopback only.
export ERL_EPMD_ADDRESS=127.0.0.1
# Four Erlang VMs on two cores: schedulers that busy-wait would take the cores from each other.
ERL_ARGS="+sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}"

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)
source "$(dirname "$0")/lib.sh"
node_name() { echo "$NAME-$1@localhost"; }
amqp_port() { echo "${PORTS[$(($1 - 1))]}"; }
node_dir() { echo "$BASE/$NAME-$1"; }
ctl() { local member=$1; shift; sudo_if_needed rabbitmqctl -q -n "$(node_name "$member")" "$@"; }
is_up() { timeout 15 "${SUDO[@]}" rabbitmqctl -q -n "$(node_name "$1")" ping >/dev/null 2>&1; }

# The machine's /etc/rabbitmq may pin the default node's name and listener: each member reads its own files instead.
write_node_files() {
  local member=$1 dir
  dir=$(node_dir "$member")
  sudo_if_needed mkdir -p "$dir/mnesia" "$dir/log"
  sudo_if_needed tee "$dir/rabbitmq.conf" >/dev/null <<EOF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$member")
loopback_users.guest = true
EOF
  sudo_if_needed tee "$dir/rabbitmq-env.conf" >/dev/null <<EOF
NODENAME=$(node_name "$member")
EOF
  echo '[].' | sudo_if_needed tee "$dir/enabled_plugins" >/dev/null
  sudo_if_needed chown -R rabbitmq:rabbitmq "$BASE"
}

launch_node() {
  local member=$1 dir port
  is_up "$member" && return
  dir=$(node_dir "$member")
  port=$(amqp_port "$member")
  write_node_files "$member"
  sudo_if_needed env ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODENAME="$(node_name "$member")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT=$((port + 20000)) RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$ERL_ARGS" rabbitmq-server -detached
}

await_node() {
  wait_until "$(node_name "$1") to register" 120 is_up "$1"
  ctl "$1" await_startup --timeout 120
}

in_cluster() { ctl 1 cluster_status --formatter json | grep -q "\"$(node_name "$1")\""; }

join_node() {
  local member=$1
  in_cluster "$member" && return
  local said
  # join_cluster logs errors about the stopped application it joins from: shown only if the join fails.
  said=$({ ctl "$member" stop_app && ctl "$member" join_cluster "$(node_name 1)" && ctl "$member" start_app; } 2>&1) || {
    echo "$said" >&2
    return 1
  }
}

urls() {
  local list=() member
  for member in "${MEMBERS[@]}"; do list+=("amqp://guest:guest@127.0.0.1:$(amqp_port "$member")"); done
  (IFS=,; echo "${list[*]}")
}

start() {
  local started=$SECONDS member
  for member in "${MEMBERS[@]}"; do launch_node "$member"; done
  for member in "${MEMBERS[@]}"; do await_node "$member"; done
  join_node 2
  join_node 3
  echo "RabbitMQ cluster up in $((SECONDS - started)) s: AMQP_URL=$(urls)"
}

# A lost machine takes no leave: the member's VM is killed, not asked to stop (a graceful stop runs shutdown steps a
# lost machine never would; with them the remaining members once refused publishes until the stopped one came back).
stop_node() {
  local member=$1 pid_file pid
  pid_file="$(node_dir "$member")/mnesia/$(node_name "$member").pid"
  sudo_if_needed test -f "$pid_file" || return 0
  pid=$(sudo_if_needed cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then sudo_if_needed kill -KILL "$pid"; fi
  wait_until "$(node_name "$member") to exit" 30 sh -c "! kill -0 $pid 2>/dev/null"
  sudo_if_needed rm -f "$pid_file"
}

start_node() {
  launch_node "$1"
  await_node "$1"
}

stop() {
  local member
  for member in 3 2 1; do stop_node "$member"; done
  sudo_if_needed rm -rf "$BASE"
  echo "RabbitMQ cluster stopped and removed"
}

status() {
  local member
  for member in "${MEMBERS[@]}"; do
    if is_up "$member"; then echo "$(node_name "$member") up on 127.0.0.1:$(amqp_port "$member")"; else echo "$(node_name "$member") down"; fi
  done
  for member in "${MEMBERS[@]}"; do
    if is_up "$member"; then ctl "$member" cluster_status --formatter json | sed -n 's/.*"running_nodes":\(\[[^]]*\]\).*/running members: \1/p'; return; fi
  done
}

member_arg() {
  case ${1:-} in 1 | 2 | 3) echo "$1" ;; *) echo "name a member: 1, 2 or 3" >&2; exit 2 ;; esac
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  urls) urls ;;
  stop-node) stop_node "$(member_arg "${2:-}")" ;;
  start-node) start_node "$(member_arg "${2:-}")" ;;
  *) echo "usage: $0 start | stop | status | urls | stop-node N | start-node N" >&2; exit 2 ;;
esac
