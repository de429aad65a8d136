#!/usr/bin/env bash
# Runs every test against real, private RabbitMQ and PostgreSQL servers
# (started here when not already running, and then stopped on exit whatever happens), then the fuzzers
# (tests/Pmh.Fuzz, bounded), the fault suite (infra/faults.sh) on them and the cluster run (infra/cluster.sh). Extra arguments go to `dotnet test`. The last
# line printed is always "N passed, N failed" (+ ", N skipped" when some were
# skipped), summed over the .trx files, the fuzz targets, the fault suite's scenarios and the cluster run's checks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

RABBIT_PORT="${PMH_RABBITMQ_PORT:-5673}"
RABBIT_MGMT_PORT="${PMH_RABBITMQ_MGMT_PORT:-15673}"
PG_PORT="${PMH_POSTGRES_PORT:-5433}"
RESULTS="$root/TestResults"
# .NET 10's `dotnet new sln` writes .slnx; accept either.
SOLUTION=Pmh.sln
[[ -e $SOLUTION || ! -e Pmh.slnx ]] || SOLUTION=Pmh.slnx

# Only the servers this run started are stopped at its end: a developer's servers that were already running (the
# benchmarks', another terminal's) are left as they were.
started_rabbitmq=yes
started_postgres=yes
infra/rabbitmq.sh status >/dev/null 2>&1 && started_rabbitmq=no
infra/postgres.sh status >/dev/null 2>&1 && started_postgres=no
stop_servers() {
  if [[ $started_rabbitmq == yes ]]; then infra/rabbitmq.sh stop || true; fi
  if [[ $started_postgres == yes ]]; then infra/postgres.sh stop || true; fi
}
trap stop_servers EXIT
# Make signals a normal exit so that the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

infra/postgres.sh start
infra/rabbitmq.sh start

# The browser tests (tests/Pmh.Browser.Tests) drive Debian's Chromium (Playwright cannot download its own here);
# without it they report themselves skipped.
if [[ ! -x "${PMH_CHROMIUM:-/usr/bin/chromium}" ]]; then
  (
    # shellcheck source=infra/lib.sh
    source infra/lib.sh
    log "chromium: not installed; installing it from apt"
    apt_install chromium
  ) || echo "test.sh: chromium could not be installed; the browser tests will be skipped"
fi

export PMH_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
export PMH_TEST_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:$RABBIT_MGMT_PORT/"
export PMH_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=pmh;Password=pmh;Database=pmh"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# A failing test run must still be summed up: capture, don't abort.
rc=0
dotnet test "$SOLUTION" -c Release --logger trx --results-directory "$RESULTS" "$@" || rc=$?

# The fuzzers (tests/Pmh.Fuzz: the CSV reader and the card certificate parser), each for a bounded time
# (PMH_FUZZ_SECONDS, default 20) from its corpus with a fixed seed. Its last line is "fuzz: N passed, N failed",
# one count per target; a finding is printed with its input as base64 and saved under TestResults/fuzz.
fuzz_passed=0
fuzz_failed=0
fuzz_rc=0
fuzz_targets=2
if dotnet build tests/Pmh.Fuzz -c Release -v quiet -nologo >"$RESULTS/fuzz-build.log" 2>&1; then
  timeout --signal=TERM --kill-after=30s 5m dotnet tests/Pmh.Fuzz/bin/Release/net10.0/Pmh.Fuzz.dll \
    --seconds "${PMH_FUZZ_SECONDS:-20}" --out "$RESULTS/fuzz" | tee "$RESULTS/fuzz.txt" || fuzz_rc=$?
else
  fuzz_rc=1
  tail -n 30 "$RESULTS/fuzz-build.log"
  echo "fuzz: the build failed" >"$RESULTS/fuzz.txt"
fi
if [[ "$(tail -n 1 "$RESULTS/fuzz.txt")" =~ ^fuzz:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  fuzz_passed=${BASH_REMATCH[1]}
  fuzz_failed=${BASH_REMATCH[2]}
else
  fuzz_failed=$fuzz_targets
fi

# The fault suite (infra/faults.sh: the distributed hub against broker and database outages, kills, a poison
# message) on the same servers, built by the dotnet test above. Its last line is "faults: N passed, N failed".
faults_passed=0
faults_failed=0
faults_rc=0
infra/faults.sh | tee "$RESULTS/faults.txt" || faults_rc=$?
if [[ "$(tail -n 1 "$RESULTS/faults.txt")" =~ ^faults:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  faults_passed=${BASH_REMATCH[1]}
  faults_failed=${BASH_REMATCH[2]}
else
  faults_failed=6
fi

# The cluster run (infra/cluster.sh: three RabbitMQ nodes of its own, one killed under load), on the same PostgreSQL,
# with the Pmh.Faults build of the fault suite. Its last line is "cluster: N passed, N failed".
cluster_passed=0
cluster_failed=0
cluster_rc=0
infra/cluster.sh --no-build | tee "$RESULTS/cluster.txt" || cluster_rc=$?
if [[ "$(tail -n 1 "$RESULTS/cluster.txt")" =~ ^cluster:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  cluster_passed=${BASH_REMATCH[1]}
  cluster_failed=${BASH_REMATCH[2]}
else
  cluster_failed=4
fi

# Stop now rather than in the trap, so that nothing prints after the summary.
stop_servers
trap - EXIT INT TERM HUP

# Sum <Counters .../> over every .trx (one per test project); error/timeout/aborted
# are counted as failures.
mapfile -t trx < <(find "$RESULTS" -type f -name '*.trx' | sort)
read -r passed failed skipped < <(
  if ((${#trx[@]})); then grep -ho '<Counters [^>]*>' "${trx[@]}" || true; fi |
    awk '
      function attr(s, name) {
        if (match(s, " " name "=\"[0-9]+\"")) return substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0
        return 0
      }
      {
        passed = attr($0, "passed")
        failed = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
        p += passed
        f += failed
        # The trx logger leaves skipped tests out of executed and notExecuted alike: they are the rest of total.
        rest = attr($0, "total") - passed - failed
        s += rest > 0 ? rest : 0
      }
      END { printf "%d %d %d\n", p, f, s }'
)

passed=$((passed + faults_passed + fuzz_passed + cluster_passed))
failed=$((failed + faults_failed + fuzz_failed + cluster_failed))

status=0
if ((fuzz_rc != 0)); then
  echo "test.sh: the fuzzers exited $fuzz_rc ($fuzz_failed of $((fuzz_passed + fuzz_failed)) targets failed; see $RESULTS/fuzz.txt)"
  status=1
fi
if ((faults_rc != 0)); then
  echo "test.sh: the fault suite exited $faults_rc ($faults_failed of $((faults_passed + faults_failed)) scenarios failed)"
  status=1
fi
if ((cluster_rc != 0)); then
  echo "test.sh: the cluster run exited $cluster_rc ($cluster_failed of $((cluster_passed + cluster_failed)) checks failed; see $RESULTS/cluster.txt)"
  status=1
fi
if ((${#trx[@]} == 0)); then
  echo "test.sh: no .trx file in $RESULTS (build failure?); dotnet test exited $rc"
  status=1
elif ((rc != 0)); then
  echo "test.sh: dotnet test exited $rc"
  status=1
fi
((failed == 0)) || status=1

summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo "$summary"
exit "$status"
