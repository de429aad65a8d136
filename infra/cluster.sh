#!/usr/bin/env bash
# The cluster run:  infra/cluster.sh [--no-build]
#
# Three RabbitMQ nodes on loopback (Debian's rabbitmq-server, each started by infra/rabbitmq.sh with its own node
# name, ports and data folder under $PMH_CLUSTER_DIR; one shared Erlang cookie, the rabbitmq user's), joined into one
# cluster with rabbitmqctl join_cluster, the vhost, users, permissions and policies of
# infra/deploy/rabbitmq/definitions.template.json imported; then the distributed hub of the fault suite connected to
# all three (Pmh:Bus:ClusterNodes, quorum queues) and `Pmh.Faults --cluster` (tests/Pmh.Faults/ClusterRun.cs): node 1,
# the one the hub connects to first, killed with SIGKILL under reception and publish load, started again later.
# Prints its figures; the last line is always "cluster: N passed, N failed". The nodes are stopped on exit, whatever
# happens. PostgreSQL is the one of infra/postgres.sh (started when not running, and then stopped again).
# Internal commands (the run calls them): kill-node N, start-node N, stop-node N.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin"

CLUSTER_DIR="${PMH_CLUSTER_DIR:-/tmp/pmh-cluster}"
AMQP_BASE="${PMH_CLUSTER_PORT_BASE:-5710}"   # node N: AMQP $AMQP_BASE+N, distribution 20000+that, management 10000+that
PG_PORT="${PMH_POSTGRES_PORT:-5433}"
RESULTS="$root/TestResults/cluster"
DLL="$root/tests/Pmh.Faults/bin/Release/net10.0/Pmh.Faults.dll"
CHECKS=4

amqp_port() { echo $((AMQP_BASE + $1)); }
mgmt_port() { echo $((10000 + AMQP_BASE + $1)); }
node_name() { echo "pmhc$1@localhost"; }

# infra/rabbitmq.sh for node N: its own name, ports and folder; everything else (cookie, epmd, user) shared.
node() {
  local n=$1
  shift
  PMH_INFRA_DIR="$CLUSTER_DIR/node$n" PMH_RABBITMQ_NODE="$(node_name "$n")" PMH_RABBITMQ_PORT="$(amqp_port "$n")" \
    PMH_RABBITMQ_DIST_PORT=$((20000 + $(amqp_port "$n"))) PMH_RABBITMQ_MGMT_PORT="$(mgmt_port "$n")" \
    "$root/infra/rabbitmq.sh" "$@"
}

ctl() { rabbitmqctl -q -n "$(node_name "$1")" "${@:2}"; }

kill_node() {
  local pid_file="$CLUSTER_DIR/node$1/rabbitmq/rabbitmq.pid" pid
  [[ -s $pid_file ]] || { echo "node $1: no pid file"; return 1; }
  pid=$(<"$pid_file")
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == beam* ]] || { echo "node $1: not running"; return 1; }
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  echo "node $1 ($(node_name "$1"), pid $pid) killed"
}

# The fault suite's runner passes "kill-node 1" as one argument.
if [[ ${1:-} == *" "* ]]; then
  # shellcheck disable=SC2086
  set -- $1 "${@:2}"
fi
case "${1:-}" in
  kill-node) kill_node "$2"; exit ;;
  start-node) node "$2" start; exit ;;
  stop-node) node "$2" stop; exit ;;
  await-rejoin)
    # Node N running and a member of the cluster again, as node 2 (which stayed up) sees it; 60 s at most.
    for ((i = 0; i < 240; i++)); do
      if ctl 2 eval "lists:member('$(node_name "$2")', rabbit_nodes:all_running())." 2>/dev/null | grep -qx true; then
        exit 0
      fi
      sleep 0.25
    done
    echo "node $2 is not running in the cluster after 60 s"
    exit 1
    ;;
  --no-build | "") ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac
build=1
[[ ${1:-} == --no-build ]] && build=0

mkdir -p "$root/TestResults"
pg_started=0
cleanup() {
  local n
  for n in 3 2 1; do
    node "$n" stop >/dev/null 2>&1 || true
  done
  ((pg_started)) && { infra/postgres.sh stop >/dev/null 2>&1 || true; }
  rm -rf "$CLUSTER_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

give_up() {
  echo "cluster.sh: $*"
  echo "cluster: 0 passed, $CHECKS failed"
  exit 1
}

t0=$SECONDS
rm -rf "$CLUSTER_DIR"
# The three nodes start side by side (epmd and the cookie are shared; everything else is the node's own).
pids=()
for n in 1 2 3; do
  node "$n" start >"$CLUSTER_DIR.node$n.log" 2>&1 &
  pids+=($!)
done
for n in 1 2 3; do
  wait "${pids[$((n - 1))]}" || { cat "$CLUSTER_DIR.node$n.log"; give_up "node $n did not start"; }
done
rm -f "$CLUSTER_DIR".node?.log
for n in 2 3; do
  { ctl "$n" stop_app && ctl "$n" join_cluster "$(node_name 1)" && ctl "$n" start_app; } >>"$CLUSTER_DIR/join.log" 2>&1 ||
    give_up "node $n could not join node 1"
done
running=$(ctl 1 eval 'length(rabbit_nodes:all_running()).' 2>/dev/null || echo 0)
[[ $running == 3 ]] || give_up "the cluster has $running running nodes, not 3"

# The deployment's definitions, with passwords of this run.
password=$(openssl rand -hex 16)
PMH_HUB_PASSWORD=$password PMH_MONITOR_PASSWORD=$(openssl rand -hex 16) PMH_ADMIN_PASSWORD=$(openssl rand -hex 16) \
  infra/deploy/rabbitmq/render-definitions.sh >"$CLUSTER_DIR/definitions.json"
chmod a+r "$CLUSTER_DIR/definitions.json"
ctl 1 import_definitions "$CLUSTER_DIR/definitions.json" >/dev/null || give_up "the definitions were not imported"
echo "cluster: nodes $(node_name 1) :$(amqp_port 1), $(node_name 2) :$(amqp_port 2), $(node_name 3) :$(amqp_port 3) joined and definitions imported in $((SECONDS - t0)) s"

if ! infra/postgres.sh status >/dev/null 2>&1; then
  infra/postgres.sh start >/dev/null || give_up "PostgreSQL did not start"
  pg_started=1
fi
if ((build)); then
  dotnet build tests/Pmh.Faults -c Release -v quiet -nologo >"$root/TestResults/cluster-build.log" 2>&1 ||
    { tail -n 30 "$root/TestResults/cluster-build.log"; give_up "the build failed"; }
fi
[[ -f $DLL ]] || give_up "$DLL is missing (run without --no-build)"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export PMH_FAULTS_RABBITMQ="amqp://pmh-hub:$password@127.0.0.1:$(amqp_port 1)/pmh"
export PMH_CLUSTER_NODES="127.0.0.1:$(amqp_port 2),127.0.0.1:$(amqp_port 3)"
export PMH_CLUSTER_MANAGEMENT="http://pmh-hub:$password@127.0.0.1:$(mgmt_port 2)/,http://pmh-hub:$password@127.0.0.1:$(mgmt_port 3)/"
# The gateway's dead-letter endpoints and queue gauges read a node that stays up.
export PMH_FAULTS_RABBITMQ_MANAGEMENT="http://pmh-hub:$password@127.0.0.1:$(mgmt_port 2)/"
export PMH_TEST_POSTGRES="${PMH_TEST_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=pmh;Password=pmh;Database=pmh}"
export PMH_FAULTS_INFRA="$root/infra"
export PMH_FAULTS_LOGS="$RESULTS"
rc=0
timeout --signal=TERM --kill-after=30s 6m dotnet "$DLL" --cluster | tee "$RESULTS/output.txt" || rc=$?
last="$(tail -n 1 "$RESULTS/output.txt")"
[[ $last =~ ^cluster:\ [0-9]+\ passed,\ [0-9]+\ failed$ ]] || give_up "the run ended without its summary (exit $rc); process logs in $RESULTS"
echo "cluster.sh took $((SECONDS - t0)) s"
echo "$last"
exit "$rc"
