# Runs RPUSIM twice in WORKDIR, with FIRST_ARGS and with SECOND_ARGS (;-lists), each writing
# its JSON report into OUTDIR, and compares the two reports:
#   SAME       the reports are equal line by line, apart from lines matching IGNORE_REGEX
#   DIFFERENT  the reports differ in some line not matching IGNORE_REGEX
#   GREATER    dotted report keys (timing.per_sample_s) whose value in the first report
#              must exceed the value in the second
#   POSITIVE   dotted report keys whose value in the first report must be above zero
#   NEAR       pairs of a dotted report key and a tolerance (accuracy.test_error 0.03): the
#              two reports' values may differ by at most the tolerance
cmake_minimum_required(VERSION 3.20)  # policies of script mode (-P)
file(REMOVE_RECURSE "${OUTDIR}")
file(MAKE_DIRECTORY "${OUTDIR}")

# Runs rpusim with the arguments in `args_variable` and reads its report into `text_variable`.
function(run_rpusim label args_variable text_variable)
  set(report "${OUTDIR}/${label}.json")
  execute_process(COMMAND ${RPUSIM} ${${args_variable}} --report ${report}
                  WORKING_DIRECTORY ${WORKDIR}
                  RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT exit_code EQUAL 0)
    message(FATAL_ERROR "${label} run: exit code ${exit_code}, expected 0\n"
                        "command: rpusim ${${args_variable}}\nstdout: ${out}\nstderr: ${err}")
  endif()
  file(READ "${report}" text)
  set(${text_variable} "${text}" PARENT_SCOPE)
endfunction()

# Returns the report's lines as a list, without the lines matching IGNORE_REGEX. Semicolons and
# square brackets, which CMake's list functions would interpret, are replaced by words.
function(report_lines text lines_variable)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<open-bracket>" text "${text}")
  string(REPLACE "]" "<close-bracket>" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  if(IGNORE_REGEX)
    list(FILTER lines EXCLUDE REGEX "${IGNORE_REGEX}")
  endif()
  set(${lines_variable} "${lines}" PARENT_SCOPE)
endfunction()

# Returns the value of a dotted key such as timing.per_sample_s.
function(report_value text key value_variable)
  string(REPLACE "." ";" path "${key}")
  string(JSON value ERROR_VARIABLE error GET "${text}" ${path})
  if(error)
    message(FATAL_ERROR "report key ${key}: ${error}")
  endif()
  set(${value_variable} "${value}" PARENT_SCOPE)
endfunction()

# Returns a plain decimal number (0.122, 3, -1.5) in units of 10^-9, for math(EXPR), which
# has integers only. Digits past the ninth decimal are dropped.
function(decimal_to_nano text value_variable)
  if(NOT text MATCHES "^(-?)([0-9]+)(\\.([0-9]+))?$")
    message(FATAL_ERROR "'${text}' is not a plain decimal number")
  endif()
  set(sign "${CMAKE_MATCH_1}")
  set(whole "${CMAKE_MATCH_2}")
  string(SUBSTRING "${CMAKE_MATCH_4}000000000" 0 9 fraction)  # leading zeros stay decimal
  math(EXPR value "${sign}(${whole} * 1000000000 + ${fraction})")
  set(${value_variable} "${value}" PARENT_SCOPE)
endfunction()

run_rpusim(first FIRST_ARGS first_text)
run_rpusim(second SECOND_ARGS second_text)

if(SAME OR DIFFERENT)
  report_lines("${first_text}" first_lines)
  report_lines("${second_text}" second_lines)
  list(LENGTH first_lines first_count)
  list(LENGTH second_lines second_count)
  set(differences "")
  if(NOT first_count EQUAL second_count)
    set(differences "${first_count} compared lines in the first report, ${second_count} in the second\n")
  else()
    math(EXPR last "${first_count} - 1")
    foreach(index RANGE ${last})
      list(GET first_lines ${index} first_line)
      list(GET second_lines ${index} second_line)
      if(NOT first_line STREQUAL second_line)
        string(APPEND differences "first:  ${first_line}\nsecond: ${second_line}\n")
      endif()
    endforeach()
  endif()
  if(SAME AND differences)
    message(FATAL_ERROR "the reports differ (lines matching '${IGNORE_REGEX}' left out):\n"
                        "${differences}reports: ${OUTDIR}")
  endif()
  if(DIFFERENT AND NOT differences)
    message(FATAL_ERROR "the reports are equal (lines matching '${IGNORE_REGEX}' left out), "
                        "expected a difference\nreports: ${OUTDIR}")
  endif()
endif()

foreach(key IN LISTS GREATER)
  report_value("${first_text}" ${key} first_value)
  report_value("${second_text}" ${key} second_value)
  message(STATUS "${key}: first ${first_value}, second ${second_value}")
  if(NOT first_value GREATER second_value)
    message(FATAL_ERROR "${key}: first report ${first_value} is not greater than second "
                        "report ${second_value}\nreports: ${OUTDIR}")
  endif()
endforeach()

foreach(key IN LISTS POSITIVE)
  report_value("${first_text}" ${key} value)
  message(STATUS "${key}: ${value}")
  if(NOT value GREATER 0)
    message(FATAL_ERROR "${key} = ${value} in the first report, expected a value above 0\n"
                        "reports: ${OUTDIR}")
  endif()
endforeach()

set(near_pairs "${NEAR}")
while(near_pairs)
  list(POP_FRONT near_pairs key tolerance)
  report_value("${first_text}" ${key} first_value)
  report_value("${second_text}" ${key} second_value)
  message(STATUS "${key}: first ${first_value}, second ${second_value}, tolerance ${tolerance}")
  decimal_to_nano("${first_value}" first_nano)
  decimal_to_nano("${second_value}" second_nano)
  decimal_to_nano("${tolerance}" tolerance_nano)
  math(EXPR difference "${first_nano} - ${second_nano}")
  if(difference LESS 0)
    math(EXPR difference "-(${difference})")
  endif()
  if(difference GREATER tolerance_nano)
    message(FATAL_ERROR "${key}: first report ${first_value} and second report ${second_value} "
                        "differ by more than ${tolerance}\nreports: ${OUTDIR}")
  endif()
endwhile()
