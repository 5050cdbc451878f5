//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The compile test's program: every TU of test/compile/ is linked in; the two
// umbrella TUs each run a channel round trip on their own instantiations.

#include <cstdio>

bool compile_test_round_trip_1();
bool compile_test_round_trip_2();

int main()
{
    if (!compile_test_round_trip_1() || !compile_test_round_trip_2())
    {
        std::fprintf(stderr, "boost_unix_ipc_compile: round trip failed\n");
        return 1;
    }
    return 0;
}
