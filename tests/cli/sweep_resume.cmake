# Runs a one-point sweep three times into OUTDIR: the first run computes the point, an
# unchanged rerun must reuse it, and a rerun with a different --set must compute it again.
file(REMOVE_RECURSE ${OUTDIR})
set(study tests/cli/fixtures/one-point-study.yaml)
function(run_sweep expected)
  execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --no-plots ${ARGN}
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err
                  OUTPUT_VARIABLE out)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "sweep ${ARGN} exited ${code}:\n${err}")
  endif()
  if(NOT err MATCHES "${expected}")
    message(FATAL_ERROR "sweep ${ARGN}: expected '${expected}' in:\n${err}")
  endif()
endfunction()
run_sweep("0 already complete, 0 invalid, 1 to run")
run_sweep("1 already complete, 0 invalid, 0 to run")
run_sweep("0 already complete, 0 invalid, 1 to run" --set run.seed=2)
