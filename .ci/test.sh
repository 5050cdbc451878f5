#!/usr/bin/env bash
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# The project's test command (README "Quick start"; .ci/run calls it).
# Run as root from anywhere on Debian 12; it installs what is missing, then:
#   1. build/full: CMake, every layer, RelWithDebInfo, tests in C++20, ctest
#   2. build/lean: CMake, raw layer only, Debug, tests in C++17, ctest
#   3. build/tsan: g++, ThreadSanitizer, the unit and cross-process test
#      programs (the engine's threads and processes), ctest
#   4. b2: library, examples, the unit and compile tests (built under
#      build/b2), run; the other test programs run in build/full already
#   5. build/fuzz: clang, the libFuzzer targets of test/fuzz (ASan, UBSan),
#      40 s each from their seeds
#   6. doc/render.sh build/doc: the AsciiDoc, no warning allowed
# Build directories are reused, so a second run is incremental.

set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/common.sh
source .ci/common.sh

start=$SECONDS
section_start=$SECONDS
section_end()
{
    echo "---- $1: done in $((SECONDS - section_start)) s"
    section_start=$SECONDS
}

ci_banner "Dependencies"
ci_install_deps "${ci_test_packages[@]}"
section_end "dependencies"

ci_banner "CMake build/full (all layers, C++20 tests)"
ci_configure_full
cmake --build build/full --parallel 2
ctest --test-dir build/full --output-on-failure -j2
section_end "build/full"

ci_banner "CMake build/lean (raw layer only, C++17 tests)"
cmake -S . -B build/lean \
    -DCMAKE_BUILD_TYPE=Debug \
    -DBUILD_TESTING=ON \
    -DBOOST_UNIX_IPC_WERROR=ON \
    -DBOOST_UNIX_IPC_SERIALIZATION=OFF \
    -DBOOST_UNIX_IPC_BOOTSTRAP=OFF \
    -DBOOST_UNIX_IPC_TEST_CXX_STANDARD=17
cmake --build build/lean --parallel 2
ctest --test-dir build/lean --output-on-failure -j2
section_end "build/lean"

ci_banner "CMake build/tsan (ThreadSanitizer: unit and cross-process tests)"
# g++ with -fsanitize=thread. -Wno-tsan: g++ 12 warns that TSan does not model
# std::atomic_thread_fence, which Asio's fenced blocks use around handler
# invocation; the handoffs they guard are also ordered by the scheduler's
# mutex, which TSan does model. (clang 14 cannot build the C++20 tests: it
# rejects lambdas that capture structured bindings.)
# .ci/tsan.supp: one false positive from the uninstrumented libstdc++.
cmake -S . -B build/tsan \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=ON \
    -DBOOST_UNIX_IPC_WERROR=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=thread -Wno-tsan" \
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread
cmake --build build/tsan --parallel 2 --target boost_unix_ipc_unit boost_unix_ipc_xproc
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66 suppressions=$PWD/.ci/tsan.supp" \
    ctest --test-dir build/tsan --output-on-failure -j2 -R '^(unit|xproc)[.]'
section_end "build/tsan"

ci_banner "b2 (library, examples, unit and compile tests)"
b2 -j2 toolset=gcc variant=release example test//unit_tests test//compile_tests
section_end "b2"

ci_banner "Fuzzing (clang, libFuzzer with ASan and UBSan, 40 s per target)"
CXX=clang++ cmake -S . -B build/fuzz \
    -DBUILD_TESTING=OFF \
    -DBOOST_UNIX_IPC_FUZZ=ON \
    -DBOOST_UNIX_IPC_FUZZ_SECONDS=40 \
    -DBOOST_UNIX_IPC_WERROR=ON
cmake --build build/fuzz --parallel 2 --target boost_unix_ipc_fuzz_frame_reader boost_unix_ipc_fuzz_typed_decode \
    boost_unix_ipc_fuzz_typed_stream
ctest --test-dir build/fuzz --output-on-failure -j2
section_end "fuzzing"

ci_banner "Documentation"
if [ -f doc/render.sh ]; then
    bash doc/render.sh build/doc
    echo "Rendered into build/doc"
else
    echo "doc/render.sh does not exist yet: no documentation to build."
fi
section_end "documentation"

ci_banner "All passed in $((SECONDS - start)) s"
