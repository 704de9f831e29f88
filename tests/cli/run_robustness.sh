#!/usr/bin/env bash
# Checks how rpusim behaves when its surroundings go wrong: a closed or broken standard
# output, an ignored SIGINT, a run stopped during its evaluation, configurations and
# studies reached through symbolic links, and two sweeps on one output directory.
# Usage: run_robustness.sh RPUSIM WORKDIR OUTDIR CASE
#   CASE  broken-pipe  stdout-closed  sigint-ignored  stopped-in-evaluation  symlinked-config
#         sweep-lock  newline-in-value  special-outputs  report-to-stdout  empty-argument
#         jobs-follow-affinity  output-replaces-input
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/script_setup.sh"

# Prints the value of a report key, given as "key" at the top level or "section.key" one
# level down (the report is indented JSON with one key per line).
json_value() {
  local report="$1" path="$2"
  if [[ ${path} == *.* ]]; then
    grep -A400 "^  \"${path%%.*}\": {" "${report}" | grep -m1 "^    \"${path#*.}\":" |
      sed 's/^[^:]*: //; s/,$//'
  else
    grep -m1 "^  \"${path}\":" "${report}" | sed 's/^[^:]*: //; s/,$//'
  fi
}

small=(-c configs/paper-mnist.yaml --set run.epochs=1 --set run.train_samples=100
  --set run.test_samples=50)

case "${case_name}" in
  broken-pipe)
    # `true` exits at once, so every write to the pipe fails. The run must still write its
    # report, say that the summary was lost, and keep its own exit code.
    set +o pipefail
    "${rpusim}" run "${small[@]}" --report "${out}/r.json" 2>"${out}/err.log" | true
    code=${PIPESTATUS[0]}
    set -o pipefail
    cat "${out}/err.log"
    [[ ${code} -eq 0 ]] || fail "exit code ${code} with --report and a broken pipe, expected 0"
    [[ $(json_value "${out}/r.json" status) == '"complete"' ]] || fail "report not complete"
    grep -q "warning: the summary could not be written to standard output" "${out}/err.log" ||
      fail "no warning about the lost summary"
    # Without a report file the results are lost: an error and exit 1.
    set +o pipefail
    "${rpusim}" run "${small[@]}" 2>"${out}/err2.log" | true
    code=${PIPESTATUS[0]}
    set -o pipefail
    cat "${out}/err2.log"
    [[ ${code} -eq 1 ]] || fail "exit code ${code} without --report and a broken pipe, expected 1"
    grep -q "error: the summary could not be written" "${out}/err2.log" ||
      fail "no error about the lost summary"
    ;;
  stdout-closed)
    code=0
    "${rpusim}" run "${small[@]}" --report "${out}/r.json" >&- 2>"${out}/err.log" || code=$?
    cat "${out}/err.log"
    [[ ${code} -eq 0 ]] || fail "exit code ${code} with a closed standard output, expected 0"
    # The report is JSON from its first byte: no summary went into it.
    [[ $(head -c 1 "${out}/r.json") == "{" ]] || fail "the report does not start with '{'"
    [[ $(json_value "${out}/r.json" status) == '"complete"' ]] || fail "report not complete"
    grep -q "warning: the summary could not be written" "${out}/err.log" ||
      fail "no warning about the closed standard output"
    # Commands whose only result is their output fail when it is lost.
    for command in "list-parameters" "run -c configs/paper-mnist.yaml --dump-config -"; do
      code=0
      # shellcheck disable=SC2086  # the command's words are meant to split
      "${rpusim}" ${command} >&- 2>"${out}/err.log" || code=$?
      [[ ${code} -eq 1 ]] || fail "${command} with a closed standard output exited ${code}"
      grep -q "error: the output could not be written to standard output" "${out}/err.log" ||
        fail "${command}: no error about the lost output"
    done
    ;;
  special-outputs)
    # A named pipe is written into, not replaced by a regular file. A link stays a link,
    # and the file it points to (also one not yet written) gets the report.
    mkfifo "${out}/pipe"
    cat "${out}/pipe" >"${out}/from-pipe.json" &
    reader=$!
    "${rpusim}" run "${small[@]}" --report "${out}/pipe" >"${out}/run.log" 2>&1 ||
      fail "run with --report to a named pipe failed: $(tail -n 1 "${out}/run.log")"
    wait "${reader}"
    [[ -p "${out}/pipe" ]] || fail "the named pipe was replaced"
    [[ $(json_value "${out}/from-pipe.json" status) == '"complete"' ]] ||
      fail "the report did not arrive through the pipe"
    mkdir "${out}/real"
    echo old >"${out}/real/kept.json"
    ln -s real/kept.json "${out}/link.json"
    ln -s real/new.json "${out}/dangling.json"
    for link in link.json dangling.json; do
      "${rpusim}" run "${small[@]}" --report "${out}/${link}" >"${out}/run.log" 2>&1 ||
        fail "run with --report ${link} failed: $(tail -n 1 "${out}/run.log")"
      [[ -L "${out}/${link}" ]] || fail "${link} is no longer a symbolic link"
    done
    for target in kept.json new.json; do
      [[ $(json_value "${out}/real/${target}" status) == '"complete"' ]] ||
        fail "real/${target} did not get the report"
    done
    code=0
    "${rpusim}" run "${small[@]}" --report - >"${out}/run.log" 2>&1 || code=$?
    [[ ${code} -eq 2 ]] || fail "--report - exited ${code}, expected 2"
    grep -q "give a file name; /dev/stdout writes to standard output" "${out}/run.log" ||
      fail "no message for --report -"
    ;;
  report-to-stdout)
    # --report /dev/stdout writes through the open standard output: appended to a file
    # opened with >>, not replacing it; the summary goes to standard error instead.
    echo "kept line" >"${out}/appended.txt"
    "${rpusim}" run "${small[@]}" --report /dev/stdout >>"${out}/appended.txt" \
      2>"${out}/err.log" || fail "run with --report /dev/stdout failed: $(tail -n 1 "${out}/err.log")"
    [[ $(head -n 1 "${out}/appended.txt") == "kept line" ]] ||
      fail "the file that standard output appends to lost its first line"
    tail -n +2 "${out}/appended.txt" >"${out}/report.json"
    [[ $(head -c 1 "${out}/report.json") == "{" ]] || fail "the report does not follow the kept line"
    [[ $(json_value "${out}/report.json" status) == '"complete"' ]] || fail "report not complete"
    grep -q "rpusim complete" "${out}/err.log" || fail "no summary on standard error"
    # Through a pipe, standard output carries the JSON alone.
    "${rpusim}" run "${small[@]}" --report /dev/stdout 2>/dev/null >"${out}/piped.json" ||
      fail "run with --report /dev/stdout into a file failed"
    [[ $(head -c 1 "${out}/piped.json") == "{" && $(tail -c 2 "${out}/piped.json") == "}" ]] ||
      fail "standard output holds more than the report"
    # The --verbose log goes to standard error, not into the report.
    "${rpusim}" run "${small[@]}" --verbose --report /dev/stdout 2>"${out}/verbose.log" \
      >"${out}/verbose.json" || fail "run with --verbose --report /dev/stdout failed"
    [[ $(head -c 1 "${out}/verbose.json") == "{" && $(tail -c 2 "${out}/verbose.json") == "}" ]] ||
      fail "with --verbose, standard output holds more than the report"
    grep -q "Info: rpusim/tile" "${out}/verbose.log" || fail "no --verbose log on standard error"
    # A standard output closed at start would swallow the report: refused before the run.
    code=0
    "${rpusim}" run "${small[@]}" --report /dev/stdout >&- 2>"${out}/closed.log" || code=$?
    [[ ${code} -eq 2 ]] || fail "--report /dev/stdout with stdout closed exited ${code}, expected 2"
    grep -q "descriptor 1 was closed when rpusim started" "${out}/closed.log" ||
      fail "no message for --report /dev/stdout with stdout closed"
    # Two outputs through one descriptor would run together.
    code=0
    "${rpusim}" run "${small[@]}" --report /dev/stdout --write-activity /dev/stdout \
      >/dev/null 2>"${out}/twice.log" || code=$?
    [[ ${code} -eq 2 ]] || fail "two outputs on /dev/stdout exited ${code}, expected 2"
    grep -q "both write descriptor 1; give each output its own path" "${out}/twice.log" ||
      fail "no message for two outputs on /dev/stdout"
    # The same file under two names: through standard output and by its path.
    : >"${out}/shared.txt"
    code=0
    "${rpusim}" run "${small[@]}" --report /dev/stdout --write-activity "${out}/shared.txt" \
      >"${out}/shared.txt" 2>"${out}/shared.log" || code=$?
    [[ ${code} -eq 2 ]] || fail "report and activity file in one file exited ${code}, expected 2"
    grep -q "both write the same file" "${out}/shared.log" ||
      fail "no message for two outputs in one file"
    # Standard error in the same file would put progress lines into the JSON.
    code=0
    "${rpusim}" run "${small[@]}" --report /dev/stdout >"${out}/merged.txt" 2>&1 || code=$?
    [[ ${code} -eq 2 ]] || fail "--report /dev/stdout with 2>&1 exited ${code}, expected 2"
    grep -q "standard error goes to the same file or pipe" "${out}/merged.txt" ||
      fail "no message for --report /dev/stdout with 2>&1"
    # A descriptor open for reading only cannot take the report.
    code=0
    "${rpusim}" run "${small[@]}" --report /dev/fd/3 3<"${out}/shared.log" \
      2>"${out}/readonly.log" || code=$?
    [[ ${code} -eq 2 ]] || fail "--report on a read-only descriptor exited ${code}, expected 2"
    grep -q "descriptor 3 is open for reading only" "${out}/readonly.log" ||
      fail "no message for a read-only descriptor"
    ;;
  sigint-ignored)
    # A job started with SIGINT ignored (as `&` does in a script) keeps ignoring it.
    code=0
    (
      trap '' INT
      "${rpusim}" run "${small[@]}" --set run.train_samples=8000 --set run.epochs=2 \
        --report "${out}/r.json" >"${out}/run.log" 2>&1 &
      pid=$!
      sleep 0.5
      kill -INT "${pid}" 2>/dev/null || true
      wait "${pid}"
    ) || code=$?
    cat "${out}/run.log"
    [[ ${code} -eq 0 ]] || fail "exit code ${code}: an ignored SIGINT stopped the run"
    [[ $(json_value "${out}/r.json" status) == '"complete"' ]] || fail "report not complete"
    ;;
  stopped-in-evaluation)
    # 100 training samples take 247 us of simulated time and the 500 test samples 793 us, so
    # 600 us stops the run during its evaluation.
    code=0
    "${rpusim}" run -q "${small[@]}" --set run.test_samples=500 --max-sim-time 600us \
      --report "${out}/r.json" --write-activity "${out}/activity.yaml" >"${out}/run.log" \
      2>"${out}/err.log" || code=$?
    cat "${out}/err.log"
    [[ ${code} -eq 1 ]] || fail "exit code ${code}, expected 1 for a partial run"
    [[ $(json_value "${out}/r.json" status) == '"partial"' ]] || fail "report not partial"
    [[ $(json_value "${out}/r.json" accuracy.test_error) == null ]] ||
      fail "a test error from an evaluation that did not finish"
    [[ $(json_value "${out}/r.json" accuracy.test_samples) == 0 ]] ||
      fail "accuracy.test_samples is $(json_value "${out}/r.json" accuracy.test_samples), expected 0"
    evaluated=$(json_value "${out}/r.json" workload.test_samples)
    ((evaluated > 0 && evaluated < 500)) ||
      fail "workload.test_samples is ${evaluated}, expected 1 to 499"
    [[ ! -e "${out}/activity.yaml" ]] || fail "activity file written by a partial run"
    grep -q "warning: --write-activity .* not written, because a run that stopped early" \
      "${out}/err.log" ||
      fail "no message about the activity file"
    ;;
  symlinked-config)
    # Includes and data paths are relative to the real file, wherever the link is.
    ln -s "${PWD}/configs" "${out}/linked-configs"
    mkdir "${out}/elsewhere"
    ln -s "${PWD}/configs/paper-mnist.yaml" "${out}/elsewhere/main.yaml"
    for config in "${out}/linked-configs/paper-mnist.yaml" "${out}/elsewhere/main.yaml"; do
      "${rpusim}" run -q "${small[@]/configs\/paper-mnist.yaml/${config}}" \
        >"${out}/run.log" 2>&1 || fail "run -c ${config} failed: $(tail -n 1 "${out}/run.log")"
    done
    ln -s "${PWD}/tests/cli/fixtures/four-point-study.yaml" "${out}/elsewhere/study.yaml"
    "${rpusim}" sweep --study "${out}/elsewhere/study.yaml" --out "${out}/sweep" --dry-run \
      >"${out}/sweep.log" 2>&1 || fail "sweep through a link failed: $(tail -n 1 "${out}/sweep.log")"
    # A loop of links is a one-line error, not a file-system exception.
    ln -s loop-b "${out}/loop-a"
    ln -s loop-a "${out}/loop-b"
    expect_loop_error() {
      local expected="$1" code=0
      shift
      "${rpusim}" "$@" >/dev/null 2>"${out}/err.log" || code=$?
      [[ ${code} -eq ${expected} ]] || fail "$*: exit ${code}, expected ${expected}"
      grep -q "loop-a: cannot access: Too many levels of symbolic links" "${out}/err.log" ||
        fail "$*: $(cat "${out}/err.log")"
    }
    expect_loop_error 3 run -c "${out}/loop-a"
    expect_loop_error 3 sweep --study "${out}/loop-a" --out "${out}/o"
    expect_loop_error 2 run "${small[@]}" --report "${out}/loop-a"
    ;;
  sweep-lock)
    set -m  # the background sweep takes SIGINT, as a foreground one takes Ctrl-C
    "${rpusim}" sweep --study tests/cli/fixtures/four-point-study.yaml --out "${out}/sweep" \
      --jobs 1 --no-plots --set run.train_samples=4000 >"${out}/first.log" 2>&1 &
    first=$!
    set +m
    for _ in $(seq 300); do
      [[ -e "${out}/sweep/points/p0000-seed1.log" ]] && break
      sleep 0.1
    done
    code=0
    "${rpusim}" sweep --study tests/cli/fixtures/four-point-study.yaml --out "${out}/sweep" \
      --jobs 1 --no-plots >"${out}/second.log" 2>&1 || code=$?
    kill -INT "${first}" 2>/dev/null || true
    wait "${first}" || true
    cat "${out}/second.log"
    [[ ${code} -eq 2 ]] || fail "second sweep on the same --out exited ${code}, expected 2"
    grep -q "another rpusim sweep is writing to this directory" "${out}/second.log" ||
      fail "the second sweep did not name the running one"
    # Once the first sweep has ended, the directory is free again.
    "${rpusim}" sweep --study tests/cli/fixtures/four-point-study.yaml --out "${out}/sweep" \
      --jobs 1 --no-plots >"${out}/third.log" 2>&1 ||
      fail "sweep after the first ended failed: $(tail -n 1 "${out}/third.log")"
    ;;
  newline-in-value)
    # A line feed in a value is escaped, so the error stays one line.
    code=0
    "${rpusim}" run "${small[@]}" --set $'run.mode=functional\nx' >"${out}/run.log" \
      2>"${out}/err.log" || code=$?
    cat "${out}/err.log"
    [[ ${code} -eq 3 ]] || fail "exit code ${code}, expected 3"
    [[ $(wc -l <"${out}/err.log") -eq 1 ]] || fail "the error is not one line"
    grep -qF "run.mode = 'functional\nx' is invalid" "${out}/err.log" ||
      fail "the line feed is not written as \\n"
    ;;
  empty-argument)
    # An empty positional argument, which CMake's argument lists cannot carry, is named.
    code=0
    "${rpusim}" run "" "${small[@]}" >"${out}/run.log" 2>"${out}/err.log" || code=$?
    cat "${out}/err.log"
    [[ ${code} -eq 2 ]] || fail "exit code ${code}, expected 2"
    [[ $(wc -l <"${out}/err.log") -eq 1 ]] || fail "the error is not one line"
    grep -qF "rpusim run: unexpected argument '': options only" "${out}/err.log" ||
      fail "the empty argument is not named"
    # An empty file name is named as such, not as a file that is missing.
    code=0
    "${rpusim}" sweep --study "" --out "${out}/sweep" 2>"${out}/err.log" || code=$?
    [[ ${code} -eq 3 ]] || fail "sweep --study '' exited ${code}, expected 3"
    grep -qF "the study file name is empty" "${out}/err.log" || fail "no message for --study ''"
    code=0
    "${rpusim}" show-workload -t "" 2>"${out}/err.log" || code=$?
    [[ ${code} -eq 4 ]] || fail "show-workload -t '' exited ${code}, expected 4"
    grep -qF "the network file name is empty" "${out}/err.log" || fail "no message for -t ''"
    ;;
  output-replaces-input)
    # An output that names a file the run reads (the configuration, an included file, the
    # network file) is refused before the run, and the file stays as it was.
    printf 'include: [%s/configs/paper-mnist.yaml]\n' "${PWD}" >"${out}/self.yaml"
    cp "${out}/self.yaml" "${out}/self.orig"
    cp configs/workloads/neurosim/vgg8.csv "${out}/net.csv"
    paper_before=$(cksum <configs/paper-mnist.yaml)
    for args in "-c ${out}/self.yaml --report ${out}/self.yaml" \
      "-c ${out}/self.yaml --dump-config ${out}/self.yaml" \
      "-c ${out}/self.yaml --write-activity configs/paper-mnist.yaml" \
      "-c configs/timing-cnn.yaml --set workload.topology=${out}/net.csv --report ${out}/net.csv"; do
      code=0
      # shellcheck disable=SC2086  # the arguments are split on purpose
      "${rpusim}" run ${args} -q 2>"${out}/err.log" >/dev/null || code=$?
      [[ ${code} -eq 2 ]] || fail "run ${args} exited ${code}, expected 2"
      grep -q "the output would replace" "${out}/err.log" || fail "no message for run ${args}"
    done
    cmp -s "${out}/self.yaml" "${out}/self.orig" || fail "the configuration file changed"
    cmp -s "${out}/net.csv" configs/workloads/neurosim/vgg8.csv || fail "the network file changed"
    [[ $(cksum <configs/paper-mnist.yaml) == "${paper_before}" ]] ||
      fail "configs/paper-mnist.yaml changed"
    ;;
  jobs-follow-affinity)
    # Under taskset the default --jobs counts the cores the process may use, as nproc does.
    taskset -c 0 "${rpusim}" sweep --study tests/cli/fixtures/one-point-study.yaml \
      --out "${out}/sweep" --no-plots 2>"${out}/err.log" >/dev/null ||
      fail "the sweep failed: $(tail -n 1 "${out}/err.log")"
    grep -q "1 to run on 1 jobs" "${out}/err.log" ||
      fail "the default --jobs does not follow the CPU affinity: $(head -n 1 "${out}/err.log")"
    ;;
  *)
    fail "unknown case '${case_name}'"
    ;;
esac
echo "PASS: ${case_name}"
