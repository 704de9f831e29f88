# Checks that a sweep runs a configuration once when two points resolve to it: the later
# point gets a copy of the earlier one's report, marked with sweep.same_as, and the table
# says whose run it is. A rerun then finds both complete.
file(REMOVE_RECURSE ${OUTDIR})
set(study tests/cli/fixtures/repeated-point-study.yaml)
function(run_sweep expected)
  execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --no-plots --jobs 2
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err
                  OUTPUT_VARIABLE out)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "sweep exited ${code}:\n${err}")
  endif()
  if(NOT err MATCHES "${expected}")
    message(FATAL_ERROR "sweep: expected '${expected}' in:\n${err}")
  endif()
endfunction()

run_sweep("3 points, 0 already complete, 0 invalid, 2 to run on 2 jobs, 1 with the configuration of another point")
file(READ ${OUTDIR}/results.csv table)
if(NOT table MATCHES "p0002-adc-default-9,[^\n]*,complete,[^\n]*the run of p0000-baseline")
  message(FATAL_ERROR "the repeated point does not name the run it shares:\n${table}")
endif()
file(READ ${OUTDIR}/points/p0000-baseline.json first)
file(READ ${OUTDIR}/points/p0002-adc-default-9.json copy)
string(JSON same_as GET "${copy}" sweep same_as)
if(NOT same_as STREQUAL "p0000-baseline")
  message(FATAL_ERROR "sweep.same_as of the repeated point is '${same_as}'")
endif()
string(JSON first_error GET "${first}" accuracy test_error)
string(JSON copy_error GET "${copy}" accuracy test_error)
if(NOT first_error STREQUAL copy_error)
  message(FATAL_ERROR "the copied report has test error ${copy_error}, the run ${first_error}")
endif()
run_sweep("3 points, 3 already complete, 0 invalid, 0 to run")

# A dry run lists what a run would do with the reports in --out: here, reuse all three.
execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --dry-run
                WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code OUTPUT_VARIABLE listing)
if(NOT listing MATCHES "p0000-baseline[^\n]*\\[complete: its report is reused\\]" OR
   NOT listing MATCHES "p0002-adc-default-9[^\n]*\\[complete: its report is reused\\]")
  message(FATAL_ERROR "the dry run does not say that the reports are reused:\n${listing}")
endif()

# The copy has a log that names the point that ran, and no wall time of its own in the table.
if(NOT EXISTS ${OUTDIR}/points/p0002-adc-default-9.log)
  message(FATAL_ERROR "the repeated point has no log")
endif()
if(NOT table MATCHES "p0002-adc-default-9,[^\n]*,complete,[^\n]*,,(true|false),")
  message(FATAL_ERROR "the repeated point repeats the wall time of the run:\n${table}")
endif()
# The front ranks the design once: the point that ran is on it, its copy is not.
if(NOT table MATCHES "p0000-baseline,[^\n]*,complete,[^\n]*,true,\n" OR
   NOT table MATCHES "p0002-adc-default-9,[^\n]*,complete,[^\n]*,false,")
  message(FATAL_ERROR "the Pareto column does not rank the repeated design once:\n${table}")
endif()

# With --only leaving out the point that ran, its complete report still serves the copy.
file(REMOVE ${OUTDIR}/points/p0002-adc-default-9.json ${OUTDIR}/points/p0002-adc-default-9.log)
execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --no-plots --only adc
                WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT err MATCHES "1 already complete, 0 invalid, 0 to run on [0-9]+ jobs, 1 with the configuration of another point")
  message(FATAL_ERROR "sweep --only adc exited ${code}; expected no point to run:\n${err}")
endif()
file(READ ${OUTDIR}/points/p0002-adc-default-9.json copy)
string(JSON same_as GET "${copy}" sweep same_as)
if(NOT same_as STREQUAL "p0000-baseline")
  message(FATAL_ERROR "after --only, sweep.same_as of the repeated point is '${same_as}'")
endif()

# After the point that ran is run again with another configuration and then with this one,
# it takes its own earlier run back from the copy, and no report names itself.
foreach(extra "--set;run.seed=5" "")
  execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --no-plots
                          --only baseline ${extra}
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "sweep --only baseline ${extra} exited ${code}:\n${err}")
  endif()
endforeach()
file(READ ${OUTDIR}/points/p0000-baseline.json first)
string(JSON first_same_as ERROR_VARIABLE no_same_as GET "${first}" sweep same_as)
if(NOT no_same_as)
  message(FATAL_ERROR "p0000-baseline's report names '${first_same_as}' as the run it copies")
endif()

# A copy stands for its design when the point that ran has no report: with that report gone
# and --only leaving the point out, the copy is on the Pareto front in its place.
file(REMOVE ${OUTDIR}/points/p0000-baseline.json ${OUTDIR}/points/p0000-baseline.log)
execute_process(COMMAND ${RPUSIM} sweep --study ${study} --out ${OUTDIR} --no-plots --only adc
                WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "sweep --only adc without the baseline's report exited ${code}:\n${err}")
endif()
file(READ ${OUTDIR}/results.csv table)
if(NOT table MATCHES "p0000-baseline,[^\n]*,not run," OR
   NOT table MATCHES "p0002-adc-default-9,[^\n]*,complete,[^\n]*,true,")
  message(FATAL_ERROR "without the run's report, its copy does not rank the design:\n${table}")
endif()

# A copy whose point that ran has another configuration now is no longer reused: the
# repeated point runs itself rather than name a run of another configuration.
set(fresh ${OUTDIR}-stale)
file(REMOVE_RECURSE ${fresh})
file(READ ${WORKDIR}/${study} text)
string(REPLACE "../../../configs" "${WORKDIR}/configs" text "${text}")
file(WRITE ${fresh}/first.yaml "${text}")
string(REPLACE "    - name: baseline" "    - name: baseline\n      set: {run.test_samples: 9}"
       changed "${text}")
file(WRITE ${fresh}/changed.yaml "${changed}")
foreach(version first changed)
  execute_process(COMMAND ${RPUSIM} sweep --study ${fresh}/${version}.yaml --out ${fresh}/out
                          --no-plots
                  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "sweep of ${version}.yaml exited ${code}:\n${err}")
  endif()
endforeach()
if(NOT err MATCHES "1 already complete, 0 invalid, 2 to run")
  message(FATAL_ERROR "after the baseline changed, the repeated point did not run:\n${err}")
endif()
file(READ ${fresh}/out/points/p0002-adc-default-9.json copy)
string(JSON stale_same_as ERROR_VARIABLE no_same_as GET "${copy}" sweep same_as)
if(NOT no_same_as)
  message(FATAL_ERROR "the repeated point still names '${stale_same_as}', whose configuration changed")
endif()
