#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# cmake -DROOT=<repository root> -P coverage.cmake
#
# Fails unless every public header boost/unix_ipc/<name>.hpp (src.hpp aside:
# it is the compiled part, for exactly one TU of a program) has a compile test
# test/compile/<name>.cpp that includes it first, and is included by the
# umbrella header boost/unix_ipc.hpp, except the headers listed below.

cmake_policy(VERSION 3.18)

if(NOT ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<repository root> -P coverage.cmake")
endif()

# Public headers kept out of the umbrella header on purpose, each with its reason.
set(not_in_umbrella
    json_codec.hpp # a program using it compiles Boost.JSON itself (boost/json/src.hpp)
    std_serialization.hpp # defines boost::serialization overloads a program may define itself
)

file(GLOB headers RELATIVE ${ROOT}/boost/unix_ipc ${ROOT}/boost/unix_ipc/*.hpp)
list(REMOVE_ITEM headers src.hpp)
file(READ ${ROOT}/boost/unix_ipc.hpp umbrella)

set(problems)
foreach(h IN LISTS headers)
    get_filename_component(name ${h} NAME_WE)
    set(include_line "#include <boost/unix_ipc/${h}>")
    set(tu ${ROOT}/test/compile/${name}.cpp)
    if(NOT EXISTS ${tu})
        list(APPEND problems "boost/unix_ipc/${h} has no compile test: add test/compile/${name}.cpp containing `${include_line}` as its first include")
    else()
        file(STRINGS ${tu} first_include REGEX "^#include" LIMIT_COUNT 1)
        if(NOT first_include STREQUAL include_line)
            list(APPEND problems "test/compile/${name}.cpp must include boost/unix_ipc/${h} first, found `${first_include}`")
        endif()
    endif()
    string(FIND "${umbrella}" "${include_line}" at)
    if(h IN_LIST not_in_umbrella)
        if(NOT at EQUAL -1)
            list(APPEND problems "boost/unix_ipc.hpp includes boost/unix_ipc/${h}: take it off the not_in_umbrella list of test/compile/coverage.cmake")
        endif()
    elseif(at EQUAL -1)
        list(APPEND problems "boost/unix_ipc.hpp (the umbrella header) does not include boost/unix_ipc/${h}")
    endif()
endforeach()

list(LENGTH headers n)
if(problems)
    foreach(p IN LISTS problems)
        message(SEND_ERROR "${p}")
    endforeach()
    message(FATAL_ERROR "compile test coverage: ${n} public headers, problems above")
endif()
message(STATUS "compile test coverage: all ${n} public headers have their compile test; all but ${not_in_umbrella} are in boost/unix_ipc.hpp")
