# shellcheck shell=bash
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# Shared by .ci/test.sh and .ci/demo.sh, sourced from the repository root:
# the Debian 12 packages the project needs, installing the missing ones, and
# the configuration of build/full.

# Debian 12 packages, by purpose (each pulls its own dependencies).
ci_build_packages=(
    g++ make cmake                          # compiler and CMake
    libboost1.81-dev                        # Boost headers (Asio, System, Process v2, ...) and CMake configs
    libboost-serialization1.81-dev          # typed channel layer
    libboost-filesystem1.81-dev             # bootstrap layer (Boost.Process v2 in 1.81)
    libboost-test1.81-dev                   # tests: Boost.Test
    libboost-context1.81-dev                # tests: asio::spawn / yield_context
    libboost-coroutine1.81-dev              # tests: asio::spawn / yield_context
    python3                                 # tests: the Python peer of test/peer
)
# shellcheck disable=SC2034 # used by the scripts that source this file
ci_test_packages=(
    "${ci_build_packages[@]}"
    libboost1.81-tools-dev                  # b2
    clang libclang-rt-14-dev                # test/fuzz: libFuzzer, ASan, UBSan
    asciidoctor                             # doc/render.sh
)

ci_banner()
{
    printf '\n======== %s ========\n' "$*"
}

# ci_install_deps PACKAGE...: installs those not yet installed; no apt at all
# when every one is.
ci_install_deps()
{
    local missing=() p
    for p in "$@"; do
        if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "All ${#} packages are installed."
        return 0
    fi
    echo "Missing packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: run as root to install them (apt-get), or install them yourself." >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# The default build: every layer, tests in C++20, warnings are errors.
ci_configure_full()
{
    cmake -S . -B build/full \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBUILD_TESTING=ON \
        -DBOOST_UNIX_IPC_WERROR=ON
}
