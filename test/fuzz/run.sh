#!/usr/bin/env bash
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#

# run.sh FUZZER SECONDS: runs a libFuzzer target of this directory for
# SECONDS, starting from the well-formed messages it writes itself
# (FUZZER -seeds DIR) and the inputs of regressions/<target> (each once
# found a bug), in a fresh corpus under the current directory. Fails
# when the fuzzer finds a crash, a leak, a timeout or a failed check; the
# input that did it is left in the current directory (crash-*, leak-*, ...).
set -euo pipefail
fuzzer=$1
seconds=$2
name=$(basename "$fuzzer")
corpus=$PWD/corpus.$name
rm -rf "$corpus"
mkdir -p "$corpus"
"$fuzzer" -seeds "$corpus"
# Inputs that once found a bug: replayed first, as part of the corpus.
regressions=$(dirname "$0")/regressions/${name#boost_unix_ipc_fuzz_}
if [ -d "$regressions" ]; then
    cp "$regressions"/* "$corpus"/
fi
echo "$name: $(find "$corpus" -type f | wc -l) seeds, ${seconds} s"
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$PWD/$name-" "$corpus" 2>&1 | tail -n 25
