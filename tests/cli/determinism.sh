#!/usr/bin/env bash
# Checks that outputs depend on the configuration and seed alone. Two runs that differ only
# in what must not matter must give byte-identical CSV tables and JSON reports. The JSON
# comparison leaves out keys that measure the machine (wall time, peak memory) and the
# setting that differs.
# Usage: determinism.sh RPUSIM WORKDIR OUTDIR CASE
#   CASE  repeat          the same functional run twice (JSON and CSV)
#         quantum         run.quantum_ns = 1 against 100000, functional run
#         timing-quantum  the same for a timing-only run, and a repeat of it
#         sweep-jobs      a four-point sweep with --jobs 1 against --jobs 2
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/script_setup.sh"

# Runs rpusim run with the arguments after LABEL, writing LABEL.json and LABEL/ (CSV).
run() {
  local label="$1"
  shift
  "${rpusim}" run -q "$@" --report "${out}/${label}.json" --csv "${out}/${label}" \
    >"${out}/${label}.log" 2>&1 || fail "${label} run exited $?: $(cat "${out}/${label}.log")"
}

# Compares two JSON reports line by line, leaving out lines that match the regex $3.
same_json() {
  local ignore="wall|peak_resident${3:+|$3}"
  diff <(grep -vE "${ignore}" "$1") <(grep -vE "${ignore}" "$2") >"${out}/json.diff" ||
    fail "$1 and $2 differ (lines matching '${ignore}' left out):
$(cat "${out}/json.diff")"
}

same_csv() {
  local table
  for table in layers.csv components.csv; do
    cmp "$1/${table}" "$2/${table}" || fail "$1/${table} and $2/${table} differ"
  done
}

small=(-c configs/paper-mnist.yaml --seed 5 --set run.epochs=2 --set run.train_samples=200
       --set run.test_samples=100)
timing=(-c configs/timing-mnist-cnn.yaml --seed 5 --set timing.samples=200)

case "${case_name}" in
  repeat)
    run first "${small[@]}"
    run second "${small[@]}"
    same_json "${out}/first.json" "${out}/second.json"
    same_csv "${out}/first" "${out}/second"
    ;;
  quantum)
    run fine "${small[@]}" --set run.quantum_ns=1
    run coarse "${small[@]}" --set run.quantum_ns=100000
    same_json "${out}/fine.json" "${out}/coarse.json" "run.quantum_ns"
    same_csv "${out}/fine" "${out}/coarse"
    ;;
  timing-quantum)
    run first "${timing[@]}"
    run second "${timing[@]}"
    same_json "${out}/first.json" "${out}/second.json"
    same_csv "${out}/first" "${out}/second"
    run coarse "${timing[@]}" --set run.quantum_ns=100000
    same_json "${out}/first.json" "${out}/coarse.json" "run.quantum_ns"
    same_csv "${out}/first" "${out}/coarse"
    ;;
  sweep-jobs)
    study=tests/cli/fixtures/four-point-study.yaml
    for jobs in 1 2; do
      "${rpusim}" sweep --study "${study}" --out "${out}/jobs${jobs}" --jobs "${jobs}" --no-plots \
        2>"${out}/jobs${jobs}.log" || fail "sweep --jobs ${jobs} failed: $(cat "${out}/jobs${jobs}.log")"
    done
    # Column 13 of results.csv is the wall time of each point.
    diff <(cut -d, -f1-12,14- "${out}/jobs1/results.csv") \
         <(cut -d, -f1-12,14- "${out}/jobs2/results.csv") ||
      fail "results.csv differs between --jobs 1 and --jobs 2"
    for report in "${out}"/jobs1/points/*.json; do
      same_json "${report}" "${out}/jobs2/points/$(basename "${report}")"
    done
    ;;
  *)
    fail "unknown case '${case_name}'"
    ;;
esac
# Reports, CSV tables and results.csv are written to FILE.tmp.PID and renamed.
leftovers="$(find "${out}" -name '*.tmp.*')"
[[ -z "${leftovers}" ]] || fail "temporary files left behind: ${leftovers}"
echo "PASS: ${case_name}"
