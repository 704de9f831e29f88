# Checks what a sweep leaves in OUTDIR beside its table:
# - with --no-plots, a plot from an earlier run is removed with its data and script, since
#   it no longer matches;
# - with --only, a point left out whose report is from another configuration shows
#   "not run", not "failed", and is no failure.
file(REMOVE_RECURSE ${OUTDIR})
set(study tests/cli/fixtures/four-point-study.yaml)
function(run_sweep expected_exit)
  execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --jobs 2 ${ARGN}
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err
                  OUTPUT_VARIABLE out)
  if(NOT code EQUAL expected_exit)
    message(FATAL_ERROR "sweep ${ARGN} exited ${code}, expected ${expected_exit}:\n${err}")
  endif()
endfunction()

foreach(file pareto.png pareto.dat pareto.gp pareto.gnuplot.log)
  file(WRITE ${OUTDIR}/plots/${file} "a plot file from an earlier run")
endforeach()
run_sweep(0 --no-plots)
foreach(file pareto.png pareto.dat pareto.gp pareto.gnuplot.log)
  if(EXISTS ${OUTDIR}/plots/${file})
    message(FATAL_ERROR "--no-plots left the earlier plots/${file} beside the new table")
  endif()
endforeach()

run_sweep(0 --no-plots --only seed1 --set run.test_samples=40)
file(READ ${OUTDIR}/results.csv table)
if(NOT table MATCHES "p0000-seed1,[^\n]*,complete,")
  message(FATAL_ERROR "the --only point is not complete:\n${table}")
endif()
if(NOT table MATCHES "p0001-seed2,[^\n]*,not run,[^\n]*left out by --only")
  message(FATAL_ERROR "a point left out by --only does not show 'not run':\n${table}")
endif()
if(table MATCHES ",failed,")
  message(FATAL_ERROR "a point left out by --only shows 'failed':\n${table}")
endif()
