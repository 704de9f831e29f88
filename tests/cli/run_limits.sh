#!/usr/bin/env bash
# Checks --max-sim-time and --timeout: the run stops after the current sample, writes a
# report with "status": "partial" and a partial_reason that names the limit, marks every
# row of the CSV tables partial in their status column, and exits 1.
# Usage: run_limits.sh RPUSIM WORKDIR OUTDIR CASE
#   CASE  functional-sim-time  functional-timeout  timing-sim-time  timing-timeout
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/script_setup.sh"
report="${out}/report.json"
tables="${out}/tables"

# Runs rpusim run with the given arguments and checks the exit code and the report.
# $1: expected partial_reason (a grep -E pattern), the rest: arguments.
expect_partial() {
  local reason="$1"
  shift
  local code=0
  "${rpusim}" run -q "$@" --report "${report}" --csv "${tables}" >"${out}/run.log" 2>&1 ||
    code=$?
  cat "${out}/run.log"
  [[ ${code} -eq 1 ]] || fail "exit code ${code}, expected 1 for a partial run"
  [[ -f "${report}" ]] || fail "no report written"
  grep -q '"status": "partial"' "${report}" || fail "report status is not partial"
  grep -Eq "\"partial_reason\": \"${reason}\"" "${report}" ||
    fail "partial_reason does not match '${reason}': $(grep partial_reason "${report}")"
  local table
  for table in layers.csv components.csv; do
    [[ -f "${tables}/${table}" ]] || fail "no ${table} written"
    head -n1 "${tables}/${table}" | grep -q ',status$' || fail "${table} has no status column"
    [[ $(tail -n +2 "${tables}/${table}" | wc -l) -gt 0 ]] || fail "${table} has no rows"
    if tail -n +2 "${tables}/${table}" | grep -vq ',partial$'; then
      fail "${table} has a row not marked partial: $(tail -n +2 "${tables}/${table}" | grep -v ',partial$' | head -n1)"
    fi
  done
}

# Prints the value of a numeric report key given as "section" "key".
value() {
  grep -A200 "\"$1\": {" "${report}" | grep -m1 "\"$2\":" | sed 's/.*: //; s/,$//'
}

paper=(-c configs/paper-mnist.yaml --set run.epochs=1 --set run.test_samples=100)
headline=(-c configs/headline.yaml --set timing.samples=1000000)

case "${case_name}" in
  functional-sim-time)
    # One training sample of configs/paper-mnist.yaml takes 2.5 us of simulated time
    # (timing.per_sample_s in its report), so 1 ms stops the first epoch early.
    expect_partial "simulated time reached the limit of 1 ms \\(run.max_sim_time_ns\\)" \
      "${paper[@]}" --max-sim-time 1ms
    trained=$(value workload samples)
    ((trained > 0 && trained < 8000)) || fail "${trained} samples trained, expected 1 to 7999"
    # Stopped after the sample that crossed 1 ms: within one sample's time beyond the limit.
    simulated=$(value timing simulated_time_s)
    awk -v t="${simulated}" 'BEGIN { exit !(t >= 0.001 && t < 0.00101) }' ||
      fail "simulated_time_s = ${simulated}, expected 1 ms up to one more sample"
    ;;
  functional-timeout)
    expect_partial "wall time reached the limit of 1 s \\(run.timeout_s\\)" \
      -c configs/paper-mnist.yaml --timeout 1
    ;;
  timing-sim-time)
    expect_partial "simulated time reached the limit of 5 ms \\(run.max_sim_time_ns\\)" \
      "${headline[@]}" --max-sim-time 5ms
    ;;
  timing-timeout)
    expect_partial "wall time reached the limit of 1 s \\(run.timeout_s\\)" \
      "${headline[@]}" --timeout 1
    ;;
  *)
    fail "unknown case '${case_name}'"
    ;;
esac
echo "PASS: ${case_name}"
