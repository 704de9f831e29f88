# Runs RPUSIM with ARGS (a ;-list) in WORKDIR and checks the exit code and that the combined
# output matches PATTERN (a regular expression).
execute_process(COMMAND ${RPUSIM} ${ARGS} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT exit_code EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "exit code ${exit_code}, expected ${EXPECTED_EXIT}\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT "${out}${err}" MATCHES "${PATTERN}")
  message(FATAL_ERROR "output does not match '${PATTERN}'\nstdout: ${out}\nstderr: ${err}")
endif()
