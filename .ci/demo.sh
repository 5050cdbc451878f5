#!/usr/bin/env bash
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# The demo (README "Quick start"): run as root on Debian 12; installs what is
# missing, builds the flagship example in build/full and runs it.

set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/common.sh
source .ci/common.sh

# The flagship example: example/$flagship.cpp, CMake target $flagship.
flagship=hello

ci_banner "Dependencies"
ci_install_deps "${ci_build_packages[@]}"

ci_banner "Building example/$flagship.cpp"
ci_configure_full
cmake --build build/full --parallel 2 --target "$flagship"

ci_banner "Running example/$flagship.cpp"
"build/full/example/$flagship"
