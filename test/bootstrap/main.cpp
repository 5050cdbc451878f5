//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The bootstrap suite: spawn, inherited channels, the child's lifecycle,
// remote errors and the private listener. The program it spawns
// (test/bootstrap/child) is the first argument after `--`.

#define BOOST_TEST_MODULE unix_ipc_bootstrap
#include <boost/test/unit_test.hpp>
