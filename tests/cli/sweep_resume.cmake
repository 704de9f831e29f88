# Runs a one-point sweep into OUTDIR: the first run computes the point, an
# unchanged rerun must reuse it, a rerun with a different --set must compute it again, and
# so must a rerun after its report lost a figure.
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

# A complete report that lost a figure the table needs is run again, not listed as failed.
file(GLOB reports ${OUTDIR}/points/*.json)
list(GET reports 0 report)
file(READ ${report} text)
string(JSON text REMOVE "${text}" efficiency)
file(WRITE ${report} "${text}")
run_sweep("0 already complete, 0 invalid, 1 to run" --set run.seed=2)
file(READ ${OUTDIR}/results.csv table)
if(NOT table MATCHES ",complete,")
  message(FATAL_ERROR "the point whose report lost a figure did not run again:\n${table}")
endif()
