# Checks that a sweep flags a timing point whose steady state has not converged: the
# console and the table's message say so, and the point is not on the Pareto front,
# although its time per sample is the shortest.
file(REMOVE_RECURSE ${OUTDIR})
execute_process(COMMAND ${RPUSIM} sweep --study tests/cli/fixtures/timing-samples-study.yaml
                        --out ${OUTDIR} --jobs 2
                WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err
                OUTPUT_VARIABLE out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "sweep exited ${code}:\n${err}")
endif()
if(NOT err MATCHES "p0000-samples-default-14 done, steady state not converged")
  message(FATAL_ERROR "the console does not flag the 14-sample point:\n${err}")
endif()
file(READ ${OUTDIR}/results.csv table)
if(NOT table MATCHES "p0000-samples-default-14,[^\n]*,complete,[^\n]*,false,\"steady state not converged")
  message(FATAL_ERROR "the 14-sample row is not flagged and off the front:\n${table}")
endif()
if(NOT table MATCHES "p0001-samples-default-2000,[^\n]*,complete,[^\n]*,true,\n")
  message(FATAL_ERROR "the converged 2,000-sample point is not on the front:\n${table}")
endif()
if(EXISTS ${OUTDIR}/plots/pareto.dat)
  file(READ ${OUTDIR}/plots/pareto.dat pareto)
  if(pareto MATCHES "p0000-samples-default-14")
    message(FATAL_ERROR "the Pareto plot draws the unconverged point:\n${pareto}")
  endif()
endif()
