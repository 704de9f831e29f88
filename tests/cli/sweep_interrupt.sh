#!/usr/bin/env bash
# Interrupts a four-point sweep with SIGINT after its first point is complete, then runs it
# again: the rerun must reuse every point that was complete, leave their reports untouched,
# and run only the others.
# Usage: sweep_interrupt.sh RPUSIM WORKDIR OUTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/script_setup.sh"
study=tests/cli/fixtures/four-point-study.yaml

complete_reports() {
  grep -l '"status": "complete"' "${out}"/points/*.json 2>/dev/null | sort || true
}

# Without job control a script starts background jobs with SIGINT ignored, and rpusim keeps
# an ignored SIGINT ignored. With it the job gets SIGINT as a foreground sweep gets Ctrl-C.
set -m
"${rpusim}" sweep --study "${study}" --out "${out}" --jobs 1 --no-plots 2>"${out}/first.log" &
sweep_pid=$!
set +m
for _ in $(seq 1200); do
  [[ -n "$(complete_reports)" ]] && break
  sleep 0.1
done
[[ -n "$(complete_reports)" ]] || fail "no point completed within 120 s"
kill -INT "${sweep_pid}"
first_exit=0
wait "${sweep_pid}" || first_exit=$?
cat "${out}/first.log"
[[ ${first_exit} -eq 1 ]] || fail "interrupted sweep exited ${first_exit}, expected 1"
grep -q "interrupted; run the same command again to resume" "${out}/first.log" ||
  fail "the interrupted sweep did not say how to resume"

mapfile -t done_before < <(complete_reports)
count=${#done_before[@]}
((count >= 1 && count < 4)) || fail "${count} points complete after the interrupt, expected 1 to 3"
sha256sum "${done_before[@]}" >"${out}/complete.sha256"

"${rpusim}" sweep --study "${study}" --out "${out}" --jobs 1 --no-plots 2>"${out}/second.log" ||
  fail "the resumed sweep failed: $(cat "${out}/second.log")"
cat "${out}/second.log"
grep -q "4 points, ${count} already complete, 0 invalid, $((4 - count)) to run" "${out}/second.log" ||
  fail "the resumed sweep did not reuse exactly the ${count} complete points"
sha256sum --check --quiet "${out}/complete.sha256" ||
  fail "the resumed sweep rewrote a report of a complete point"
[[ "$(grep -c ',complete,' "${out}/results.csv")" -eq 4 ]] ||
  fail "results.csv does not list 4 complete points"
echo "PASS: ${count} of 4 points reused after SIGINT"
