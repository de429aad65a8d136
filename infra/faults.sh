#!/usr/bin/env bash
# The fault suite:  infra/faults.sh [--no-build] [--only N[,N...]]
#
# Starts the distributed hub (gateway+identity, subsidy, audit, vaccination+maternal-child: four Pmh.Host
# processes) on loopback, on RabbitMQ with a vhost of its own and PostgreSQL with databases of its own, and runs
# the six faults of tests/Pmh.Faults (README "Fault suite"): it stops and starts the broker and PostgreSQL
# (infra/rabbitmq.sh, infra/postgres.sh), cuts the audit database off, kills processes. Uses the servers of
# PMH_RABBITMQ_PORT / PMH_POSTGRES_PORT (5673 / 5433, as infra/test.sh) and starts them when they are not running
# (and then stops them again). --no-build: use the Release build already there (`dotnet test` of the solution does not build this program, so
# infra/test.sh lets it build: incremental, the hub itself is built by then).
# The last line printed is always "faults: N passed, N failed"; exits non-zero when a scenario failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1
only=
while (($#)); do
  case "$1" in
    --no-build) build=0 ;;
    --only)
      [[ $# -ge 2 && $2 =~ ^[1-6](,[1-6])*$ ]] || {
        echo "usage: $0 [--no-build] [--only N[,N...]] (N in 1-6)" >&2
        exit 2
      }
      only=$2
      shift
      ;;
    *)
      echo "usage: $0 [--no-build] [--only N[,N...]] (N in 1-6)" >&2
      exit 2
      ;;
  esac
  shift
done

export PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin"
RABBIT_PORT="${PMH_RABBITMQ_PORT:-5673}"
PG_PORT="${PMH_POSTGRES_PORT:-5433}"
NODE="${PMH_RABBITMQ_NODE:-pmh@localhost}"
RESULTS="$root/TestResults/faults"
VHOST="pmh-faults-$$"
DLL="$root/tests/Pmh.Faults/bin/Release/net10.0/Pmh.Faults.dll"
if [[ -n $only ]]; then
  selected=$(tr ',' '\n' <<<"$only" | sort -u | wc -l)
else
  selected=6
fi

mkdir -p "$root/TestResults"
started=()
vhost_made=0
cleanup() {
  if ((vhost_made)); then
    rabbitmqctl -q -n "$NODE" delete_vhost "$VHOST" >/dev/null 2>&1 || true
  fi
  local server
  for server in "${started[@]}"; do
    "infra/$server.sh" stop >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# The summary line, when the suite could not print its own.
give_up() {
  echo "faults.sh: $*"
  echo "faults: 0 passed, $selected failed"
  exit 1
}

if ! infra/rabbitmq.sh status >/dev/null 2>&1; then
  infra/rabbitmq.sh start || give_up "RabbitMQ did not start"
  started+=(rabbitmq)
fi
if ! infra/postgres.sh status >/dev/null 2>&1; then
  infra/postgres.sh start || give_up "PostgreSQL did not start"
  started+=(postgres)
fi

rabbitmqctl -q -n "$NODE" add_vhost "$VHOST" >/dev/null || give_up "could not add the vhost $VHOST"
vhost_made=1
rabbitmqctl -q -n "$NODE" set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null ||
  give_up "could not give guest the vhost $VHOST"

if ((build)); then
  dotnet build tests/Pmh.Faults -c Release -v quiet -nologo >"$root/TestResults/faults-build.log" 2>&1 ||
    {
      tail -n 30 "$root/TestResults/faults-build.log"
      give_up "the build failed"
    }
fi
[[ -f $DLL ]] || give_up "$DLL is missing (run without --no-build)"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export PMH_FAULTS_RABBITMQ="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/$VHOST"
# The management API (HTTP, port as infra/rabbitmq.sh gives it) the operator's dead-letter endpoints read.
export PMH_FAULTS_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:${PMH_RABBITMQ_MGMT_PORT:-15673}/"
export PMH_TEST_POSTGRES="${PMH_TEST_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=pmh;Password=pmh;Database=pmh}"
export PMH_FAULTS_INFRA="$root/infra"
export PMH_FAULTS_LOGS="$RESULTS"

args=()
[[ -z $only ]] || args=(--only "$only")
rc=0
# A hung suite must not hold CI for ever; the suite itself stays under 8 minutes.
timeout --signal=TERM --kill-after=30s 15m dotnet "$DLL" "${args[@]}" | tee "$RESULTS/output.txt" || rc=$?
last="$(tail -n 1 "$RESULTS/output.txt")"
if ! [[ $last =~ ^faults:\ [0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
  give_up "the suite ended without its summary (exit $rc); process logs in $RESULTS"
fi
exit "$rc"
