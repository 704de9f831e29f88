# Checks that a timing-only run stopped early lets its samples in flight finish: the
# busiest block's busy time per sample (the bus, whose work per sample is fixed) is then
# that of a complete run, not inflated by the work of samples that never completed.
file(REMOVE_RECURSE ${OUTDIR})
file(MAKE_DIRECTORY ${OUTDIR})
function(run_timing label expected_exit)
  execute_process(COMMAND ${RPUSIM} run -c configs/paper-mnist.yaml --set run.mode=timing -q
                          --report ${OUTDIR}/${label}.json ${ARGN}
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err
                  OUTPUT_VARIABLE out)
  if(NOT code EQUAL expected_exit)
    message(FATAL_ERROR "${label} run exited ${code}, expected ${expected_exit}:\n${err}")
  endif()
  file(READ ${OUTDIR}/${label}.json report)
  set(report "${report}" PARENT_SCOPE)
endfunction()

run_timing(partial 1 --max-sim-time 10us)
string(JSON status GET "${report}" status)
if(NOT status STREQUAL "partial")
  message(FATAL_ERROR "the stopped run's status is '${status}', expected 'partial'")
endif()
string(JSON partial_block GET "${report}" pipeline busiest_blocks 0 block)
string(JSON partial_busy GET "${report}" pipeline busiest_blocks 0 busy_per_sample_s)

run_timing(complete 0 --set timing.samples=200)
string(JSON complete_block GET "${report}" pipeline busiest_blocks 0 block)
string(JSON complete_busy GET "${report}" pipeline busiest_blocks 0 busy_per_sample_s)
if(NOT partial_block STREQUAL complete_block OR NOT partial_busy STREQUAL complete_busy)
  message(FATAL_ERROR "stopped run: ${partial_block} busy ${partial_busy} s per sample; "
                      "complete run: ${complete_block} busy ${complete_busy} s per sample")
endif()
