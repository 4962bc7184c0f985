#!/bin/sh
# The promotion gate: runs the heartbeat once, now, as a Kubernetes Job made from the environment's heartbeat CronJob
# (same image, Secrets and query: no second copy of the pod spec to drift), waits for it, prints its one JSON line and
# exits with the heartbeat's verdict. The deploy pipeline runs it after `rollout status` and promotes only on exit 0.
#
#   scripts/promotion-gate.sh <namespace> [timeout-seconds]
#
# Exit codes: 0 heartbeat passed; 1 heartbeat failed (the JSON line says why; runbook: PersonGraphHeartbeatFailing);
#             2 usage error; 3 the gate could not run (kubectl refused, or no verdict within the timeout).
set -u

usage() {
  echo "usage: scripts/promotion-gate.sh <namespace> [timeout-seconds]   (default timeout 300)"
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  ''|-*) echo "promotion-gate: error: a namespace is required" >&2; usage >&2; exit 2 ;;
esac
namespace=$1
timeout=${2:-300}
case "$timeout" in
  ''|*[!0-9]*) echo "promotion-gate: error: timeout must be a whole number of seconds, got '$timeout'" >&2; exit 2 ;;
esac
if [ $# -gt 2 ]; then echo "promotion-gate: error: unexpected argument '$3'" >&2; usage >&2; exit 2; fi

poll=${PROMOTION_GATE_POLL_SECONDS:-5}
job="heartbeat-gate-$(date +%s)"

if ! kubectl -n "$namespace" create job --from=cronjob/person-graph-heartbeat "$job" >/dev/null; then
  echo "promotion-gate: error: could not create job $job in $namespace" >&2
  exit 3
fi
echo "promotion-gate: started job $job in $namespace, waiting up to ${timeout}s" >&2

waited=0
while :; do
  state=$(kubectl -n "$namespace" get job "$job" -o 'jsonpath={.status.succeeded}/{.status.failed}') || state=/
  case "$state" in
    [1-9]*/*) verdict=0 ;;
    */[1-9]*) verdict=1 ;;
    *) verdict= ;;
  esac
  if [ -n "$verdict" ]; then
    kubectl -n "$namespace" logs "job/$job" 2>/dev/null || echo "promotion-gate: the job's log could not be read" >&2
    if [ "$verdict" = 0 ]; then echo "promotion-gate: PASSED ($job)" >&2; else echo "promotion-gate: FAILED ($job): do not promote" >&2; fi
    exit "$verdict"
  fi
  if [ "$waited" -ge "$timeout" ]; then
    echo "promotion-gate: error: no verdict from $job after ${timeout}s: do not promote" >&2
    exit 3
  fi
  sleep "$poll"
  waited=$((waited + poll))
done
