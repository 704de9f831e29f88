# Runs RPUSIM with ARGS (a ;-list) in WORKDIR and checks the exit code and that the combined
# output matches PATTERN (a regular expression). Optional checks:
#   NOT_MATCH  a regular expression the output must not match
#   NO_FILE    a path that must not exist after the run (removed before it)
#   ONE_LINE   if true, the combined output must be exactly one line
cmake_minimum_required(VERSION 3.20)  # policies of script mode (-P)
if(NO_FILE)
  file(REMOVE_RECURSE "${NO_FILE}")
endif()

execute_process(COMMAND ${RPUSIM} ${ARGS} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(context "command: rpusim ${ARGS}\nstdout: ${out}\nstderr: ${err}")
if(NOT exit_code EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "exit code ${exit_code}, expected ${EXPECTED_EXIT}\n${context}")
endif()
if(NOT "${out}${err}" MATCHES "${PATTERN}")
  message(FATAL_ERROR "output does not match '${PATTERN}'\n${context}")
endif()
if(NOT_MATCH AND "${out}${err}" MATCHES "${NOT_MATCH}")
  message(FATAL_ERROR "output matches '${NOT_MATCH}', expected no match\n${context}")
endif()
if(ONE_LINE AND NOT "${out}${err}" MATCHES "^[^\n]+\n$")
  message(FATAL_ERROR "output is not exactly one line\n${context}")
endif()
if(NO_FILE AND EXISTS "${NO_FILE}")
  message(FATAL_ERROR "${NO_FILE} exists after the run, expected no file\n${context}")
endif()
