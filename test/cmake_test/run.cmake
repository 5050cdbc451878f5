#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# The ctest `cmake_consumer`: install the build tree BUILD_DIR into a fresh
# prefix under WORK_DIR, then configure, build and run the consumer project
# SOURCE_DIR against that prefix with the same generator and compiler.
#
# cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... -DCONFIG=... -DGENERATOR=...
#       -DCXX_COMPILER=... [-DCXX_STANDARD=...] -P run.cmake

foreach(var BUILD_DIR WORK_DIR SOURCE_DIR GENERATOR CXX_COMPILER)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "run.cmake: ${var} is not set")
    endif()
endforeach()
if(NOT CONFIG)
    set(CONFIG Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${prefix} ${build})

function(run)
    string(REPLACE ";" " " line "${ARGN}")
    message(STATUS "cmake_consumer: ${line}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cmake_consumer: failed (${rc}): ${line}")
    endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
set(std_arg)
if(CXX_STANDARD)
    set(std_arg -DCMAKE_CXX_STANDARD=${CXX_STANDARD})
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=${CONFIG}
    -DCMAKE_PREFIX_PATH=${prefix}
    ${std_arg})
run(${CMAKE_COMMAND} --build ${build} --config ${CONFIG} --parallel 2)

# The single-config generators put the program in the build dir, the multi-config ones below CONFIG.
set(exe ${build}/consumer)
if(NOT EXISTS ${exe})
    set(exe ${build}/${CONFIG}/consumer)
endif()
run(${exe})
