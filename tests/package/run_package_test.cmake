# Installs the rpusim build in BUILD_DIR into WORK_DIR/install, then builds and runs two
# external projects against it: SOURCE_DIR (rpusim::models, with SystemC) and
# SOURCE_DIR/numerics (rpusim::numerics only), the latter with a pkg-config search path
# that holds SLEEF but not SystemC. The models project must fail to configure with that
# path, which shows that the path really hides SystemC.
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed (${code}):\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/install)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/install)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/tile_platform)

# A pkg-config directory with SLEEF's file alone.
find_program(PKG_CONFIG_EXECUTABLE pkg-config REQUIRED)
execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --variable=pcfiledir sleef
                OUTPUT_VARIABLE sleef_pc_dir OUTPUT_STRIP_TRAILING_WHITESPACE
                COMMAND_ERROR_IS_FATAL ANY)
set(no_systemc_dir ${WORK_DIR}/pkgconfig-without-systemc)
file(COPY ${sleef_pc_dir}/sleef.pc DESTINATION ${no_systemc_dir})
set(without_systemc ${CMAKE_COMMAND} -E env PKG_CONFIG_LIBDIR=${no_systemc_dir}
                    PKG_CONFIG_PATH=${no_systemc_dir})

execute_process(COMMAND ${without_systemc} ${CMAKE_COMMAND} -S ${SOURCE_DIR}
                        -B ${WORK_DIR}/build-models-without-systemc
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/install
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
# CMake wraps the reason over lines; a message built as a list would show "Debian ;package".
if(code EQUAL 0 OR NOT err MATCHES "needs SystemC" OR err MATCHES ";package")
  message(FATAL_ERROR "find_package(rpusim) without SystemC: expected a configure error "
                      "naming SystemC, got exit ${code}:\n${out}\n${err}")
endif()

# Optional components that cannot be provided (models without SystemC, an unknown one) are
# only marked not found.
file(WRITE ${WORK_DIR}/optional/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.20)
project(rpusim_optional_components LANGUAGES CXX)
find_package(rpusim 0.1 REQUIRED COMPONENTS numerics OPTIONAL_COMPONENTS models gpu)
if(NOT rpusim_numerics_FOUND OR rpusim_models_FOUND OR rpusim_gpu_FOUND)
  message(FATAL_ERROR "components found: numerics '${rpusim_numerics_FOUND}', models "
                      "'${rpusim_models_FOUND}', gpu '${rpusim_gpu_FOUND}'")
endif()
]=])
run(${without_systemc} ${CMAKE_COMMAND} -S ${WORK_DIR}/optional -B ${WORK_DIR}/build-optional
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/install)

run(${without_systemc} ${CMAKE_COMMAND} -S ${SOURCE_DIR}/numerics -B ${WORK_DIR}/build-numerics
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/install)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build-numerics)
run(${WORK_DIR}/build-numerics/crossbar_user)
