//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The cross-process suite: channels between forked and exec'd processes.
// Its first argument after `--` is the path of boost_unix_ipc_xproc_child.

#define BOOST_TEST_MODULE unix_ipc_xproc
#include <boost/test/unit_test.hpp>
